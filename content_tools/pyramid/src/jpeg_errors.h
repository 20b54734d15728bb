// libjpeg's errors by longjmp, for the scan reader and the tile codec alike: a fatal error or a
// warning (the data is corrupt or cut short) jumps back to the caller's setjmp with the message
// kept. setjmp only where the locals are plain values.
#pragma once

#include <csetjmp>
#include <cstdio>

#include <jpeglib.h>

namespace pavilion::pyramid {

struct JpegErrors {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

[[noreturn]] inline void fail_jpeg(j_common_ptr info) {
  auto* errors = reinterpret_cast<JpegErrors*>(info->err);
  errors->manager.format_message(info, errors->message);
  std::longjmp(errors->jump, 1);
}

inline void on_jpeg_message(j_common_ptr info, int level) {
  if (level < 0) fail_jpeg(info);
}

// Points `err` (a compress or decompress struct's) at `errors`, which must outlive it.
inline jpeg_error_mgr* jump_on_jpeg_errors(JpegErrors& errors) {
  jpeg_error_mgr* manager = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = fail_jpeg;
  errors.manager.emit_message = on_jpeg_message;
  return manager;
}

}  // namespace pavilion::pyramid

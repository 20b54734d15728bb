// UTF-8, decoded strictly: text from curators' files reaches shaping and layout as code points,
// and a malformed byte is reported where it is rather than drawn as a box.
#pragma once

#include "pavilion/core/error.h"

#include <string>
#include <string_view>

namespace pavilion {

// Rejects overlong forms, surrogates, code points past U+10FFFF and truncated sequences; the
// error names the byte offset of the first bad byte.
Result<std::u32string> decode_utf8(std::string_view text);

void append_utf8(std::string& out, char32_t code_point);

}  // namespace pavilion

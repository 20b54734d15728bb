#include "openal.h"

#include <fmt/format.h>

namespace pavilion::audio {
namespace {

std::string_view al_error_name(ALenum error) {
  switch (error) {
    case AL_INVALID_NAME: return "AL_INVALID_NAME";
    case AL_INVALID_ENUM: return "AL_INVALID_ENUM";
    case AL_INVALID_VALUE: return "AL_INVALID_VALUE";
    case AL_INVALID_OPERATION: return "AL_INVALID_OPERATION";
    case AL_OUT_OF_MEMORY: return "AL_OUT_OF_MEMORY";
    default: return "an unknown OpenAL error";
  }
}

std::string_view alc_error_name(ALCenum error) {
  switch (error) {
    case ALC_INVALID_DEVICE: return "ALC_INVALID_DEVICE";
    case ALC_INVALID_CONTEXT: return "ALC_INVALID_CONTEXT";
    case ALC_INVALID_ENUM: return "ALC_INVALID_ENUM";
    case ALC_INVALID_VALUE: return "ALC_INVALID_VALUE";
    case ALC_OUT_OF_MEMORY: return "ALC_OUT_OF_MEMORY";
    default: return "an unknown OpenAL device error";
  }
}

}  // namespace

Result<void> al_check(std::string_view call, std::source_location where) {
  const ALenum error = alGetError();
  if (error == AL_NO_ERROR) return {};
  return Error(error == AL_OUT_OF_MEMORY ? ErrorCode::out_of_memory : ErrorCode::internal, std::string(call),
               std::string(al_error_name(error)), where);
}

Result<void> alc_check(ALCdevice* device, std::string_view call, std::source_location where) {
  const ALCenum error = alcGetError(device);
  if (error == ALC_NO_ERROR) return {};
  return Error(error == ALC_OUT_OF_MEMORY ? ErrorCode::out_of_memory : ErrorCode::internal, std::string(call),
               std::string(alc_error_name(error)), where);
}

}  // namespace pavilion::audio

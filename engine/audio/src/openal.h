// OpenAL Soft, private to engine/audio: the headers with the extension prototypes, and checks
// that say which call failed, where, and with what error.
#pragma once

#include "pavilion/core/error.h"

#include <AL/al.h>
#include <AL/alc.h>
#define AL_ALEXT_PROTOTYPES
#include <AL/alext.h>

#include <source_location>
#include <string_view>

namespace pavilion::audio {

// Reads (and so clears) the context's error after `call`.
Result<void> al_check(std::string_view call, std::source_location where = std::source_location::current());
Result<void> alc_check(ALCdevice* device, std::string_view call,
                       std::source_location where = std::source_location::current());

}  // namespace pavilion::audio

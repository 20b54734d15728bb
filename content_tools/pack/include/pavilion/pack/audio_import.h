// Sound files (WAV, FLAC, Ogg Vorbis, Opus: whatever libsndfile reads) decoded to 16-bit PCM,
// the form a package stores (scene::encode_sound), ready to stream.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/scene/sound.h"

#include <filesystem>

namespace pavilion::pack {

Result<scene::Sound> decode_audio_file(const std::filesystem::path& path);

}  // namespace pavilion::pack

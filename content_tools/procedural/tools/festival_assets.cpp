// pavilion-festival-assets: writes the Spring Festival's phoenix and rooster (glTF 2.0 with
// their skins and clips) and its music and sounds (WAV, with a cue sheet) into a folder. The
// build runs it; the same program always writes the same bytes.
//
//   pavilion-festival-assets OUT_DIR            # phoenix.gltf, rooster.gltf, courtyard.gltf, festival_music.wav, ...
//   pavilion-festival-assets OUT_DIR --poses    # also each clip's poses, baked, under OUT_DIR/poses
#include "pavilion/core/log.h"
#include "pavilion/procedural/festival_audio.h"
#include "pavilion/procedural/festival_birds.h"
#include "pavilion/procedural/festival_courtyard.h"
#include "pavilion/text/faces.h"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <string_view>
#include <system_error>

namespace {

using namespace pavilion;

constexpr std::string_view usage = R"(Usage: pavilion-festival-assets OUT_DIR [--poses]

Writes the Spring Festival's phoenix and rooster (glTF 2.0: .gltf, .bin and a colour PNG, each
skinned, with its animation clips), its courtyard, red lantern and stone drum (glTF 2.0 with
colour and glow PNGs; the couplet in LXGW WenKai Bold), its music (festival_music.wav, 16-bit stereo, with
festival_music.cues.json: tempo, key, sections and the climax) and its sounds (gong.wav,
firecrackers.wav, rooster_crow.wav, phoenix_call.wav) into OUT_DIR.

  --poses   also write every clip's pose at its start, quarter, half and three quarters,
            baked into still models, under OUT_DIR/poses (to look at them without a player)
)";

Result<void> write_model(const procedural::RiggedModel& model, const std::filesystem::path& folder, bool poses) {
  PV_TRY(procedural::write_gltf(model, folder));
  if (!poses) return {};
  const std::filesystem::path pose_folder = folder / "poses";
  std::error_code error;
  std::filesystem::create_directories(pose_folder, error);
  if (error) return Error(ErrorCode::io, fmt::format("creating {}", pose_folder.string()), error.message());
  for (const procedural::Clip& clip : model.clips) {
    for (const int quarter : {0, 1, 2, 3}) {
      const float time = clip.duration() * static_cast<float>(quarter) / 4.0f;
      PV_TRY(procedural::write_gltf(procedural::bake_pose(model, clip, time, fmt::format("{}_{}_{}", model.name, clip.name, quarter)),
                                    pose_folder));
    }
  }
  return {};
}

// The courtyard's pieces, their characters set in LXGW WenKai Bold (fonts-lxgw-wenkai).
Result<void> write_courtyard(const std::filesystem::path& folder) {
  const std::filesystem::path calligraphy = text::kai_face().file.parent_path() / "LXGWWenKai-Bold.ttf";
  PV_TRY_ASSIGN(const procedural::StaticModel courtyard, procedural::make_courtyard(calligraphy));
  PV_TRY(procedural::write_static_gltf(courtyard, folder));
  PV_TRY_ASSIGN(const procedural::StaticModel lantern, procedural::make_lantern(calligraphy));
  PV_TRY(procedural::write_static_gltf(lantern, folder));
  return procedural::write_static_gltf(procedural::make_stone_drum(), folder);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3 || std::string_view(argv[1]).starts_with("-") || (argc == 3 && std::string_view(argv[2]) != "--poses")) {
    std::fputs(usage.data(), stderr);
    return 2;
  }
  const std::filesystem::path folder = argv[1];
  const bool poses = argc == 3;
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) {
    std::fprintf(stderr, "pavilion-festival-assets: cannot create %s: %s\n", folder.c_str(), error.message().c_str());
    return 1;
  }
  for (const auto& make : {procedural::make_phoenix, procedural::make_rooster}) {
    if (const Result<void> written = write_model(make(), folder, poses); !written) {
      std::fprintf(stderr, "pavilion-festival-assets: %s\n", written.error().describe().c_str());
      return 1;
    }
  }
  if (const Result<void> written = write_courtyard(folder); !written) {
    std::fprintf(stderr, "pavilion-festival-assets: %s\n", written.error().describe().c_str());
    return 1;
  }
  if (const Result<void> written = procedural::write_festival_audio(folder); !written) {
    std::fprintf(stderr, "pavilion-festival-assets: %s\n", written.error().describe().c_str());
    return 1;
  }
  return 0;
}

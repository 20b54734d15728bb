// pavilion-recite: a poem's recitation and its timings, from espeak-ng's Mandarin voice.
//
//   pavilion-recite --text-file poem.txt --wav recitation.wav --timings timings.json [--rate 110]
//
// The timings file holds scene.json's "timings" for the poem: one cue per spoken character.
#include "pavilion/core/file.h"
#include "pavilion/recite/recite.h"

#include <fmt/format.h>
#include <sndfile.h>

#include <charconv>
#include <string_view>

namespace {

using namespace pavilion;

Result<void> write_wav(const std::filesystem::path& path, const recite::Recitation& recitation) {
  SF_INFO info{};
  info.samplerate = static_cast<int>(recitation.sample_rate);
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  if (file == nullptr) return Error(ErrorCode::io, fmt::format("writing {}", path.string()), sf_strerror(nullptr));
  const auto frames = static_cast<sf_count_t>(recitation.samples.size());
  const sf_count_t written = sf_writef_short(file, recitation.samples.data(), frames);
  const int closed = sf_close(file);
  if (written != frames || closed != 0) {
    return Error(ErrorCode::io, fmt::format("writing {}", path.string()), "the disk may be full");
  }
  return {};
}

int usage() {
  fmt::print(stderr, "usage: pavilion-recite --text-file POEM.txt --wav OUT.wav --timings OUT.json [--rate WPM]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path text_file, wav, timings;
  recite::ReciteOptions options;
  for (int index = 1; index + 1 < argc; index += 2) {
    const std::string_view flag = argv[index];
    const std::string_view value = argv[index + 1];
    if (flag == "--text-file") {
      text_file = value;
    } else if (flag == "--wav") {
      wav = value;
    } else if (flag == "--timings") {
      timings = value;
    } else if (flag == "--rate") {
      std::from_chars(value.data(), value.data() + value.size(), options.words_per_minute);
    } else {
      return usage();
    }
  }
  if (text_file.empty() || wav.empty() || timings.empty() || argc % 2 == 0) return usage();
  auto text = read_file(text_file);
  auto recitation = text ? recite::recite(std::string_view(reinterpret_cast<const char*>(text->data()), text->size()),
                                          options)
                         : Result<recite::Recitation>(text.error());
  if (!recitation) {
    fmt::print(stderr, "pavilion-recite: {}\n", recitation.error().describe());
    return 1;
  }
  const std::string json = recite::timings_json(*recitation) + "\n";
  if (auto written = write_wav(wav, *recitation); !written) {
    fmt::print(stderr, "pavilion-recite: {}\n", written.error().describe());
    return 1;
  }
  if (auto written = write_file_atomic(timings, std::as_bytes(std::span(json))); !written) {
    fmt::print(stderr, "pavilion-recite: {}\n", written.error().describe());
    return 1;
  }
  fmt::print("{}: {:.1f} s, {} characters timed\n", wav.string(),
             static_cast<double>(recitation->samples.size()) / recitation->sample_rate, recitation->cues.size());
  return 0;
}

#include "pavilion/speech/synthesizer.h"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <tuple>

namespace pavilion::speech {
namespace {

// espeak-ng hands its samples over in chunks of this much sound: the sink hears of an interrupt
// within 20 ms of sound, and the first chunk comes sooner than with longer ones. Measured on four
// English labels: a label whole in 2.35 ms at 20, 60 (espeak-ng's default) and 200 ms; its first
// chunk after 0.05 ms at 20 and 60 ms, 0.19 ms at 200 ms.
constexpr int chunk_milliseconds = 20;

// espeak-ng's state lives in globals: one call at a time in the process, and the voice loaded
// last is kept, since loading one (its dictionary) costs more than saying a short label.
struct Engine {
  std::mutex mutex;
  bool initialised = false;  // espeak_ng_Initialize succeeded: it is not called again
  bool started = false;      // and its output too: ready to speak
  uint32_t sample_rate = 0;
  std::string voice;  // loaded now; empty: none yet
};

Engine& engine() {
  static Engine instance;
  return instance;
}

std::string status_message(espeak_ng_STATUS status) {
  std::array<char, 512> buffer{};
  espeak_ng_GetStatusCodeMessage(status, buffer.data(), buffer.size());
  return buffer.data();
}

// Where one call's samples and marks go; espeak-ng passes it back to the callback as user_data.
struct Call {
  const SampleSink* sink = nullptr;
  Synthesis* synthesis = nullptr;
  uint64_t samples_made = 0;
  bool stopped = false;
};

int receive(short* wav, int count, espeak_EVENT* events) {
  auto* call = static_cast<Call*>(events->user_data);
  for (; events->type != espeakEVENT_LIST_TERMINATED; ++events) {
    // Positions count code points from 1. espeak-ng marks a clause's punctuation once more
    // after the clause is said ("，" in "高对比度，已打开", at its last sample): marks that go
    // back in the text are left out, so the marks follow the text and the sound alike.
    if (events->type != espeakEVENT_WORD || events->text_position <= 0) continue;
    const WordMark mark{static_cast<uint32_t>(events->text_position - 1),
                        static_cast<uint32_t>(std::max(events->length, 1)),
                        static_cast<uint64_t>(std::max(events->sample, 0))};
    std::vector<WordMark>& words = call->synthesis->words;
    if (words.empty() || (mark.first > words.back().first && mark.sample > words.back().sample)) {
      words.push_back(mark);
    }
  }
  if (wav == nullptr || count <= 0) return 0;
  const std::span<const int16_t> samples(wav, static_cast<size_t>(count));
  call->samples_made += samples.size();
  if (*call->sink) {
    if (!(*call->sink)(samples)) {
      call->stopped = true;
      return 1;  // espeak-ng stops this synthesis
    }
  } else {
    call->synthesis->samples.insert(call->synthesis->samples.end(), samples.begin(), samples.end());
  }
  return 0;
}

Result<void> start(Engine& state, const char* step) {
  if (state.started) return {};
  // espeak-ng's data is read once: a later call after a failed output retries only the output.
  if (!state.initialised) {
    espeak_ng_InitializePath(nullptr);  // ESPEAK_DATA_PATH, else the installed data
    espeak_ng_ERROR_CONTEXT context = nullptr;
    const espeak_ng_STATUS initialised = espeak_ng_Initialize(&context);
    espeak_ng_ClearErrorContext(&context);
    if (initialised != ENS_OK) {
      return Error(ErrorCode::not_found, step,
                   fmt::format("espeak-ng found no data to speak with ({}) in $ESPEAK_DATA_PATH or where it was "
                               "installed; install Debian's espeak-ng-data package (scripts/setup installs espeak-ng)",
                               status_message(initialised)));
    }
    state.initialised = true;
  }
  const espeak_ng_STATUS output = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, chunk_milliseconds, nullptr);
  if (output != ENS_OK) {
    return Error(ErrorCode::internal, step, fmt::format("espeak_ng_InitializeOutput: {}", status_message(output)));
  }
  espeak_SetSynthCallback(receive);
  state.sample_rate = static_cast<uint32_t>(espeak_ng_GetSampleRate());
  state.started = true;
  return {};
}

}  // namespace

VoiceSettings voice_for(std::string_view language_tag) {
  VoiceSettings settings;
  if (language_tag == "zh-CN" || language_tag == "zh" || language_tag.starts_with("zh-")) {
    settings.voice = "cmn";
  } else if (language_tag == "en" || language_tag.starts_with("en-")) {
    settings.voice = "en-us";
  } else {
    settings.voice = std::string(language_tag);  // espeak-ng's own names: "fr", "de", …
  }
  return settings;
}

Result<Synthesis> synthesize(std::string_view text, const VoiceSettings& voice, const SampleSink& sink) {
  const char* step = "speaking with espeak-ng";
  Engine& state = engine();
  const std::lock_guard lock(state.mutex);
  PV_TRY(start(state, step));
  if (state.voice != voice.voice) {
    state.voice.clear();  // a failed load leaves espeak-ng's previous voice in an unknown state
    const espeak_ng_STATUS loaded = espeak_ng_SetVoiceByName(voice.voice.c_str());
    if (loaded != ENS_OK) {
      return Error(ErrorCode::not_found, step,
                   fmt::format("espeak-ng has no voice '{}' ({}); Debian's espeak-ng-data has 'cmn' (Mandarin) and "
                               "'en-us'",
                               voice.voice, status_message(loaded)));
    }
    state.voice = voice.voice;
  }
  const std::array<std::tuple<espeak_PARAMETER, int, const char*>, 2> parameters{
      {{espeakRATE, voice.words_per_minute, "rate"}, {espeakPITCH, voice.pitch, "pitch"}}};
  for (const auto& [parameter, value, name] : parameters) {
    const espeak_ng_STATUS set = espeak_ng_SetParameter(parameter, value, 0);
    if (set != ENS_OK) {
      return Error(ErrorCode::invalid_input, step,
                   fmt::format("espeak-ng refused the voice's {} {} ({})", name, value, status_message(set)));
    }
  }

  Synthesis synthesis;
  synthesis.sample_rate = state.sample_rate;
  Call call{.sink = &sink, .synthesis = &synthesis};
  const std::string terminated(text);
  const espeak_ng_STATUS spoke = espeak_ng_Synthesize(terminated.c_str(), terminated.size() + 1, 0, POS_CHARACTER, 0,
                                                      espeakCHARS_UTF8, nullptr, &call);
  // A sink that stopped the synthesis asked for it: what was made until then is the result.
  if (spoke != ENS_OK && !call.stopped) {
    return Error(ErrorCode::internal, step, fmt::format("espeak_ng_Synthesize: {}", status_message(spoke)));
  }
  // Marks past the last sample handed over (the sink stopped first) point at no sound.
  if (call.stopped) {
    std::erase_if(synthesis.words, [&](const WordMark& mark) { return mark.sample >= call.samples_made; });
  }
  return synthesis;
}

}  // namespace pavilion::speech

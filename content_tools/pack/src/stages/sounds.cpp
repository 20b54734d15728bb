#include "pavilion/core/file.h"
#include "pavilion/core/parallel.h"
#include "pavilion/pack/audio_import.h"
#include "pavilion/recite/recite.h"
#include "stages.h"

#include <fmt/format.h>
#include <fmt/std.h>

namespace pavilion::pack::stages {
namespace {

using package::BlobKind;
using package::PreparedBlob;

// Audio exhibits' sounds, poems' recitations, and what the audio-only mode says: a visitor who
// cannot see the screen hears which poem this is, and the English reading.
std::vector<SoundJob> gather_sounds(const SceneSource& source) {
  std::vector<SoundJob> jobs;
  for (size_t index = 0; index < source.exhibits.size(); ++index) {
    const ExhibitSource& exhibit = source.exhibits[index];
    if (exhibit.kind == scene::ExhibitKind::audio) {
      jobs.push_back({index, SoundJob::Role::exhibit_sound, exhibit.sound, exhibit.volume, exhibit.loop});
    }
    if (exhibit.kind != scene::ExhibitKind::poem) continue;
    const PoemSource& poem = exhibit.poem;
    if (!poem.recitation.empty() || poem.synthesis) {
      jobs.push_back({index, SoundJob::Role::recitation, poem.recitation});
    }
    const scene::DublinCore& dc = exhibit.metadata;
    if (!dc.title.zh_cn.empty()) {
      std::string said = dc.title.zh_cn + "。";
      if (!poem.dynasty.zh_cn.empty()) said += poem.dynasty.zh_cn + (dc.creator.zh_cn.empty() ? "。" : "，");
      if (!dc.creator.zh_cn.empty()) said += dc.creator.zh_cn + "。";
      jobs.push_back({index, SoundJob::Role::announcement_zh_cn, {}, 1.0f, false, said, "cmn"});
    }
    if (!dc.title.en.empty()) {
      jobs.push_back({index, SoundJob::Role::announcement_en, {}, 1.0f, false,
                      dc.creator.en.empty()     ? dc.title.en + "."
                      : poem.dynasty.en.empty() ? fmt::format("{}, by {}.", dc.title.en, dc.creator.en)
                                                : fmt::format("{}, by {}, {} dynasty.", dc.title.en, dc.creator.en,
                                                              poem.dynasty.en),
                      "en-us"});
    }
    if (!poem.translation.empty()) {
      jobs.push_back({index, SoundJob::Role::translation_reading, {}, 1.0f, false, poem.translation, "en-us"});
    }
  }
  return jobs;
}

// A sound espeak-ng makes: a synthesised recitation (with its cues), or a spoken announcement.
Result<void> synthesise_sound(BuildContext& context, size_t task) {
  const SoundJob& job = context.sounds[task];
  const ExhibitSource& exhibit = context.source().exhibits[job.exhibit];
  const bool recitation = job.role == SoundJob::Role::recitation;
  const std::string where =
      fmt::format("{}: {}.poem{}", context.source().file.string(), exhibit.json_path, recitation ? ".recitation" : "");
  scene::Sound sound{};
  if (recitation) {
    PV_TRY_ASSIGN(recite::Recitation recited, recite::recite(exhibit.poem.text, *exhibit.poem.synthesis).add_context(where));
    sound = {recited.sample_rate, 1, std::move(recited.samples)};
    context.synthesised_cues[task] = std::move(recited.cues);
  } else {
    recite::ReciteOptions voice;
    voice.voice = job.voice;
    voice.words_per_minute = job.voice == "cmn" ? 120 : 150;
    PV_TRY_ASSIGN(recite::Speech spoken, recite::speak(job.speech, voice).add_context(where));
    sound = {spoken.sample_rate, 1, std::move(spoken.samples)};
  }
  PreparedBlob blob = package::prepare_blob(BlobKind::audio, scene::encode_sound(sound), context.options.compression_level);
  scene::AudioSource& audio = context.tables.audio[task];
  const char* said = recitation                                        ? "recitation"
                     : job.role == SoundJob::Role::translation_reading ? "translation read aloud"
                                                                       : "title and poet";
  audio = {fmt::format("{} ({}, espeak-ng {})", exhibit.id, said, recitation ? "cmn" : job.voice), blob.entry.hash,
           sound.sample_rate, 1, sound.frames(), exhibit.placement.position, 1.0f, false,
           static_cast<uint32_t>(job.exhibit)};
  context.writer.add(std::move(blob));
  std::lock_guard lock(context.report_mutex);
  ++context.report.assets_processed;
  context.report.audio_seconds += sound.seconds();
  context.step(audio.name);
  return {};
}

// A sound from a file, from the cache or decoded.
Result<void> decode_sound(BuildContext& context, size_t task) {
  const SoundJob& job = context.sounds[task];
  const ExhibitSource& exhibit = context.source().exhibits[job.exhibit];
  const std::string where = fmt::format("{}: {}.{}", context.source().file.string(), exhibit.json_path,
                                        job.role == SoundJob::Role::exhibit_sound ? "sound" : "poem.recitation");
  PV_TRY_ASSIGN(const auto source_bytes, read_file(job.file).add_context(where));
  const ContentHash key = cache_key("audio", source_bytes, tool_version);
  scene::AudioSource& audio = context.tables.audio[task];
  bool cached = false;
  if (auto entry = context.cache.load_audio(key)) {
    audio = entry->audio;
    context.writer.add(std::move(entry->blob));
    cached = true;
  } else {
    PV_TRY_ASSIGN(const scene::Sound decoded, decode_audio_file(job.file).add_context(where));
    PreparedBlob blob = package::prepare_blob(BlobKind::audio, scene::encode_sound(decoded), context.options.compression_level);
    audio.blob = blob.entry.hash;
    audio.sample_rate = decoded.sample_rate;
    audio.channels = decoded.channels;
    audio.frames = decoded.frames();
    context.cache.store_audio(key, {audio, blob});
    context.writer.add(std::move(blob));
  }
  audio.name = job.file.filename().string();
  audio.position = exhibit.placement.position;
  audio.volume = job.volume;
  audio.loop = job.loop;
  audio.exhibit = static_cast<uint32_t>(job.exhibit);
  if (job.role == SoundJob::Role::exhibit_sound) audio.caption = exhibit.caption;
  std::lock_guard lock(context.report_mutex);
  BuildReport& report = context.report;
  ++(cached ? report.assets_from_cache : report.assets_processed);
  report.audio_seconds += static_cast<double>(audio.frames) / audio.sample_rate;
  report.used_files.push_back(job.file);
  context.step(audio.name);
  return {};
}

}  // namespace

Result<void> process_sounds(BuildContext& context) {
  context.sounds = gather_sounds(context.source());
  context.tables.audio.resize(context.sounds.size());
  context.synthesised_cues.resize(context.sounds.size());
  context.stage("sounds", context.sounds.size());
  return parallel_for(context.sounds.size(), context.options.jobs, [&](size_t task) -> Result<void> {
    return context.sounds[task].file.empty() ? synthesise_sound(context, task) : decode_sound(context, task);
  });
}

}  // namespace pavilion::pack::stages

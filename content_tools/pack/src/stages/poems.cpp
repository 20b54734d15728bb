#include "pavilion/core/utf8.h"
#include "pavilion/text/atlas.h"
#include "pavilion/text/faces.h"
#include "pavilion/text/font.h"
#include "pavilion/text/subset.h"
#include "stages.h"

#include <fmt/format.h>
#include <fmt/std.h>

#include <algorithm>
#include <array>
#include <memory>

namespace pavilion::pack::stages {
namespace {

using package::BlobKind;
using package::PreparedBlob;

struct PreparedPoem {
  scene::Poem poem;
  PreparedBlob font;
  PreparedBlob atlas;
};

// Every recorded recitation's cues end before it does. The rest of the timing rules were checked
// with the source; only the audio's length is new.
Result<void> check_recitations(const BuildContext& context) {
  const SceneSource& source = context.source();
  std::vector<checking::Finding> findings;
  for (size_t task = 0; task < context.sounds.size(); ++task) {
    const SoundJob& job = context.sounds[task];
    const ExhibitSource& exhibit = source.exhibits[job.exhibit];
    if (job.role != SoundJob::Role::recitation || exhibit.poem.synthesis) continue;
    const scene::AudioSource& audio = context.tables.audio[task];
    const double seconds = static_cast<double>(audio.frames) / audio.sample_rate;
    const std::vector<audio::Cue>& cues = exhibit.poem.cues;
    const auto late = std::find_if(cues.begin(), cues.end(), [&](const audio::Cue& cue) { return cue.end > seconds; });
    if (late != cues.end()) {
      findings.push_back({checking::Finding::Severity::error, source.file,
                          fmt::format("{}.poem.timings.cues[{}]", exhibit.json_path, late - cues.begin()),
                          fmt::format("ends at {:.3f} s, after the recitation ends ({:.3f} s)", late->end, seconds),
                          fmt::format("结束于 {:.3f} 秒，晚于朗诵音频的结尾（{:.3f} 秒）", late->end, seconds)});
    }
  }
  if (!findings.empty()) return checking::findings_error(fmt::format("building {}", source.directory), findings);
  return {};
}

// The poem's font cut down to every character its exhibit shows (title, poet, dynasty, text,
// pinyin, translation), and a distance-field atlas of all the subset's glyphs, so the kiosk can
// set it vertically or horizontally, with or without pinyin.
Result<PreparedPoem> prepare_poem(const ExhibitSource& exhibit, const text::Font& font,
                                  const std::filesystem::path& scene_file, int compression_level) {
  const PoemSource& source = exhibit.poem;
  const std::string step = fmt::format("{}: {}.poem", scene_file.string(), exhibit.json_path);
  // The kiosk sets the dynasty in brackets: 〔唐〕李白.
  std::string shown = source.text + source.translation + " ·〔〕";
  for (const LocalizedText* text : {&exhibit.metadata.title, &exhibit.metadata.creator, &source.dynasty}) {
    shown += text->zh_cn + text->en;
  }
  for (const std::string& syllable : source.pinyin) shown += syllable;
  PV_TRY_ASSIGN(std::u32string characters, decode_utf8(shown).add_context(step));
  for (const char32_t c : characters) {
    if (c == U'\n' || font.glyph_for(c) != 0) continue;
    std::string character;
    append_utf8(character, c);
    return Error(ErrorCode::unsupported, step,
                 fmt::format("the font {} has no glyph for '{}' (U+{:04X}); choose the other \"font\" or replace "
                             "the character",
                             font.name(), character, static_cast<uint32_t>(c)));
  }
  PV_TRY_ASSIGN(std::vector<std::byte> subset_bytes, text::subset_font(font, characters).add_context(step));
  PV_TRY_ASSIGN(const auto subset,
                text::Font::from_bytes(subset_bytes, 0, fmt::format("{} (subset)", font.name())).add_context(step));
  std::vector<text::GlyphKey> glyphs(subset->glyph_count());
  for (uint32_t glyph = 0; glyph < glyphs.size(); ++glyph) glyphs[glyph] = {0, glyph};
  const std::array<const text::Font*, 1> fonts{subset.get()};
  PV_TRY_ASSIGN(const text::GlyphAtlas atlas, text::build_atlas(fonts, glyphs, {}).add_context(step));

  PreparedPoem prepared;
  prepared.font = package::prepare_blob(BlobKind::font, subset_bytes, compression_level);
  prepared.atlas = package::prepare_blob(BlobKind::glyph_atlas, text::encode_atlas(atlas), compression_level);
  scene::Poem& poem = prepared.poem;
  poem.dynasty = source.dynasty;
  poem.text = source.text;
  poem.pinyin = source.pinyin;
  poem.translation = source.translation;
  poem.vertical = source.layout == PoemSource::Layout::vertical;
  poem.font = prepared.font.entry.hash;
  poem.atlas = prepared.atlas.entry.hash;
  const text::FontLicence licence = subset->licence();
  poem.font_credit = {licence.family, licence.copyright, licence.description, licence.url};
  poem.cues_by_line = source.unit == PoemSource::TimingUnit::line;
  for (const audio::Cue& cue : source.cues) {
    poem.cues.push_back({static_cast<float>(cue.start), static_cast<float>(cue.end)});
  }
  return prepared;
}

// Points the poem at its sounds; a synthesised recitation brings its own cues, character by character.
void attach_sounds(const BuildContext& context, size_t exhibit, scene::Poem& poem) {
  for (size_t task = 0; task < context.sounds.size(); ++task) {
    if (context.sounds[task].exhibit != exhibit) continue;
    const auto sound = static_cast<uint32_t>(task);
    switch (context.sounds[task].role) {
      case SoundJob::Role::exhibit_sound: break;
      case SoundJob::Role::recitation:
        poem.recitation = sound;
        if (context.source().exhibits[exhibit].poem.synthesis) {
          poem.cues_by_line = false;
          for (const audio::Cue& cue : context.synthesised_cues[task]) {
            poem.cues.push_back({static_cast<float>(cue.start), static_cast<float>(cue.end)});
          }
        }
        break;
      case SoundJob::Role::announcement_zh_cn: poem.announcement_zh_cn = sound; break;
      case SoundJob::Role::announcement_en: poem.announcement_en = sound; break;
      case SoundJob::Role::translation_reading: poem.translation_reading = sound; break;
    }
  }
}

}  // namespace

Result<void> prepare_poems(BuildContext& context) {
  PV_TRY(check_recitations(context));
  const SceneSource& source = context.source();
  std::vector<size_t> poem_exhibits;
  for (size_t index = 0; index < source.exhibits.size(); ++index) {
    if (source.exhibits[index].kind == scene::ExhibitKind::poem) poem_exhibits.push_back(index);
  }
  context.stage("poems", poem_exhibits.size());
  // Each face is read once (Noto's collection is 26 MB), however many poems are set in it.
  std::map<PoemSource::Face, std::unique_ptr<text::Font>> faces;
  for (const size_t index : poem_exhibits) {
    const ExhibitSource& exhibit = source.exhibits[index];
    std::unique_ptr<text::Font>& font = faces[exhibit.poem.face];
    if (!font) {
      const text::FaceFile face = exhibit.poem.face == PoemSource::Face::song ? text::song_face() : text::kai_face();
      PV_TRY_ASSIGN(font, text::Font::open(face.file, face.index)
                              .add_context(fmt::format("{}: {}.poem.font", source.file.string(), exhibit.json_path)));
    }
    PV_TRY_ASSIGN(PreparedPoem prepared, prepare_poem(exhibit, *font, source.file, context.options.compression_level));
    prepared.poem.exhibit = static_cast<uint32_t>(index);
    attach_sounds(context, index, prepared.poem);
    context.writer.add(std::move(prepared.font));
    context.writer.add(std::move(prepared.atlas));
    context.tables.poems.push_back(std::move(prepared.poem));
    context.step(exhibit.id);
  }
  return {};
}

}  // namespace pavilion::pack::stages

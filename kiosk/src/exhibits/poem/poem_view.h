// A poem exhibit as the kiosk shows and plays it: its text, set (PoemText), and its sounds.
//
// Playing is a short programme of parts: the recitation alone, or in audio-only mode the title
// and poet announced in the visitor's language first and, for English, the translation read
// after. While the recitation plays, the character being heard is the one lit.
#pragma once

#include "pavilion/audio/device.h"
#include "pavilion/audio/timeline.h"
#include "pavilion/audio/voice.h"
#include "pavilion/kiosk/content.h"
#include "pavilion/kiosk/strings.h"
#include "pavilion/render/renderer.h"
#include "pavilion/scene/sound.h"
#include "pavilion/exhibits/poem_text.h"

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::kiosk {

class PoemView {
 public:
  // Reads the poem's blobs from its package, sets its text (PoemText::open) and reads its
  // sounds. The renderer must outlive the view; `device` (none: silent) must outlive it too.
  static Result<std::unique_ptr<PoemView>> open(const ContentEntry& entry, size_t entry_index, size_t poem_index,
                                                render::Renderer& renderer, audio::AudioDevice* device);
  ~PoemView();
  PoemView(const PoemView&) = delete;
  PoemView& operator=(const PoemView&) = delete;

  size_t entry() const { return entry_; }
  size_t poem_index() const { return poem_index_; }
  const scene::Poem& poem() const { return text_->poem(); }
  const exhibits::PoemText& text() const { return *text_; }
  bool has_recitation() const { return sounds_[recitation].has_value(); }

  // From the start: the recitation, or the audio-only programme in `language`.
  Result<void> play(bool audio_only, Language language);
  Result<void> pause();
  Result<void> resume();
  // Ends whatever plays; nothing is left to resume.
  void stop();
  bool playing() const;
  bool paused() const { return current_ && !playing(); }
  // Something was started and has not finished or been stopped.
  bool underway() const { return current_.has_value(); }

  enum class Progress { going, completed };
  // Feeds the playing voice and moves on to the next part; `completed` once, when the last part
  // has been heard to its end. No allocation.
  Result<Progress> update(double seconds);
  // Seconds of sound heard since play(), pauses left out.
  double listened_seconds() const { return listened_; }
  // The characters being recited now, as code point indices into layout()'s text; empty when
  // none is (between characters, in another part, nothing playing).
  text::TextSpan lit() const;
  // What of the programme is heard now (nothing while paused), for captions.
  enum class Heard { nothing, announcement_zh_cn, announcement_en, recitation, translation };
  Heard heard() const;
  // The line being recited: the last whose first character has been heard, by the voice's
  // playback clock, as an index for line(); none outside the recitation or while paused.
  std::optional<size_t> heard_line() const;
  std::string_view line(size_t index) const { return lines_[index]; }

 private:
  enum Part { announcement_zh_cn, announcement_en, recitation, translation_reading, part_count };

  PoemView(std::unique_ptr<exhibits::PoemText> text, audio::AudioDevice* device, size_t entry, size_t poem_index)
      : text_(std::move(text)), device_(device), entry_(entry), poem_index_(poem_index) {}
  Result<void> start(Part part);

  std::unique_ptr<exhibits::PoemText> text_;
  audio::AudioDevice* device_;
  size_t entry_;
  size_t poem_index_;
  std::optional<audio::RecitationTimeline> timeline_;
  std::array<std::optional<scene::Sound>, part_count> sounds_;
  std::vector<std::string> lines_;     // the poem's spoken lines, for its captions
  std::vector<uint32_t> unit_lines_;   // the line each cue's unit (a character or a line) lies in

  std::array<Part, part_count> programme_{};
  size_t programme_size_ = 0;
  std::optional<size_t> current_;  // index into programme_
  std::unique_ptr<audio::Voice> voice_;
  // Without a sound device the parts still take their time, so the text lights in step.
  double silent_position_ = 0;
  bool silent_playing_ = false;
  double listened_ = 0;
};

}  // namespace pavilion::kiosk

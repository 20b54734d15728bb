// A scene's festival show as the kiosk and the headset play it (scenes/README.md, "Show"): the
// show's music on a voice whose playback clock moves scene::ShowPlayer on, each other sound cue
// played once at its gain (calm mode's −6 dB already in the cue's event) from as far in as the
// cue is late, every show sound captioned while it is heard (the music as music, the rest as
// effects), and the titles and moments the frame reports handed to the caller.
//
// The music is the sound of the first sound cue of the track named "music", else the longest
// sound the tracks' cues name (the first such cue). Until it starts, and after it ends, the show
// runs on the frame's time; while it plays, its clock is the show's: what is heard is what
// starts the cues.
//
// Owned by the frame loop's thread; the audio device must outlive the voices (stop() or
// destruction ends them). Reading and starting allocate; update() allocates only on a frame that
// starts a sound (a voice for it), and never on a steady frame.
#pragma once

#include "pavilion/audio/device.h"
#include "pavilion/audio/voice.h"
#include "pavilion/interaction/captions.h"
#include "pavilion/kiosk/visitor_session.h"
#include "pavilion/package/reader.h"
#include "pavilion/scene/scene.h"
#include "pavilion/scene/show.h"
#include "pavilion/scene/sound.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace pavilion::kiosk {

// The seed of a show's particle bursts (exhibits::ShowStage::load_particles): the same bursts at
// every showing, on the touch screen and in the headset.
inline constexpr uint64_t show_particle_seed = 0x5eed'2027;

// Whether `source` (an index into the scene's audio) is one of the show's, played by the show
// and not by the room (SceneSounds).
bool played_by_show(const scene::Scene& scene, uint32_t source);

class ShowPlayback {
 public:
  ShowPlayback() = default;
  ShowPlayback(ShowPlayback&&) = default;
  ShowPlayback& operator=(ShowPlayback&&) = default;
  ~ShowPlayback();

  // On the loading thread: the scene's show (none: an empty playback) and every sound its cues
  // name, read from the package, with their captions worded in both languages.
  static Result<ShowPlayback> read(const package::PackageReader& reader, const scene::Scene& scene);

  bool has_show() const { return show_ != nullptr; }
  const scene::Show& show() const { return *show_; }
  // From the show's start; sounds play on `device` (null: the show runs silent, on frame time).
  void start(audio::AudioDevice* device, bool loop, bool calm);
  void stop();
  bool started() const { return player_ != nullptr; }
  void set_loop(bool loop);
  void set_calm(bool calm);
  // The room's level for the show's sounds (0 silent, 1 the curator's), reached over `seconds`.
  void set_level(float level, double seconds);

  // Each frame: feeds the voices, reads the music's clock (or adds `seconds` without it), moves
  // the player on and starts the sounds of the cues it reports. Null before start(). Fails only
  // when the sound device does (the show then goes on silent).
  Result<const scene::ShowFrame*> update(double seconds);
  // A visitor touched or pointed at `exhibit` (an index into the scene's exhibits): the moments
  // it starts, reported by the next update.
  uint32_t trigger(uint32_t exhibit, scene::MomentTrigger how);

  // What of the show is heard at `now` (the caller's clock) shown in `captions`, in `language`:
  // the music while it plays, the last effect started while it plays. Allocates nothing.
  void update_captions(interaction::Captions& captions, double now, Language language);
  // The show's clock as last read: seconds since the show started, and the music's own clock
  // (seconds into the music heard now; negative while no music plays).
  double clock_seconds() const { return clock_; }
  double music_seconds() const;
  // Whether the show's music is heard now (the room's sounds then leave the captions to it).
  bool music_heard() const { return music_playing_ != SIZE_MAX && heard(playing_[music_playing_]); }
  // Voices of the show heard now.
  uint32_t sounds_playing() const;
  // The cue a frame's event or title names.
  const scene::ShowCue& cue(uint32_t track, uint32_t moment, uint32_t index) const;
  // Every character its titles and captions may show, for a font atlas.
  void add_glyphs(std::string& text) const;

 private:
  struct Track {
    uint32_t source = 0;  // index into the scene's audio
    float volume = 1.0f;
    bool spatial = false;
    glm::vec3 position{0.0f};
    scene::Sound sound;
    std::array<std::string, 2> caption;  // zh-CN, en: "[音乐：…]" for the music, "[声音：…]" else
  };
  struct Playing {
    size_t track = SIZE_MAX;
    std::unique_ptr<audio::Voice> voice;
    float gain = 1.0f;  // the cue's: the track's volume times its gain_db
    uint64_t serial = 0;  // which start this is, so a caption follows the newest effect
  };
  Result<void> play(size_t track, float gain_db, float late);
  bool heard(const Playing& playing) const;
  void caption_kind(interaction::Captions& captions, double now, Language language, bool music);

  std::unique_ptr<scene::Show> show_;  // kept in one place: the player points at it
  std::vector<Track> tracks_;
  std::vector<uint32_t> track_of_source_;  // index into tracks_ per scene audio; UINT32_MAX none
  size_t music_ = SIZE_MAX;                // the music's track
  audio::AudioDevice* device_ = nullptr;
  std::unique_ptr<scene::ShowPlayer> player_;
  std::vector<Playing> playing_;  // room for every sound at once, reused
  size_t music_playing_ = SIZE_MAX;  // its entry in playing_
  double music_origin_ = 0.0;        // the show clock at which the music voice's 0 lies
  double clock_ = 0.0;
  bool first_update_ = true;
  float level_ = 1.0f;
  uint64_t serial_ = 0;
  // What the captions show: the entry of playing_ (and its start) and the language it is in.
  struct Captioned {
    size_t playing = SIZE_MAX;
    uint64_t serial = 0;
    bool chinese = true;
  };
  Captioned music_caption_;
  Captioned effect_caption_;
};

}  // namespace pavilion::kiosk

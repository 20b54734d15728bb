// A festival show: tracks of timed cues (camera moves, animation clips, particle bursts, light
// ramps, sounds, titles) and interactive moments a visitor triggers, as the scene tables store it,
// and ShowPlayer, which plays it against the audio clock.
//
// Every frame the caller passes the clock of the show's sound (audio::PlaybackClock's seconds, the
// same clock that lights a recited poem's characters) to ShowPlayer::update, and gets back the
// cues that started and ended since the frame before and the continuous values at that time (the
// camera's pose, the light, each title's opacity). The player decides nothing about drawing or
// sound: the renderer, the audio engine and the exhibit player act on what it returns.
//
// Calm mode (for visitors who asked for a quieter show) is applied by the player, by these rules
// unless a cue's `calm` says otherwise: particle bursts are not played (no bursts of light);
// camera moves, light ramps and clips run at half speed (a move takes twice as long); a light
// ramp swings half as far from its first key; sounds are 6 dB quieter. A cue's calm may instead
// be `skip` (not played in calm mode) or `keep` (played as in the full show).
#pragma once

#include "pavilion/core/localized_text.h"

#include <glm/glm.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace pavilion::scene {

inline constexpr float calm_speed = 0.5f;        // movement, ramps and clips in calm mode
inline constexpr float calm_gain_db = -6.0f;     // added to every sound in calm mode
inline constexpr float calm_light_swing = 0.5f;  // of a light ramp's change from its first key

// How a key is reached from the key before it (t from 0 to 1 over the segment).
enum class Easing : uint32_t {
  linear = 0,
  ease_in = 1,      // t²
  ease_out = 2,     // 1 − (1 − t)²
  ease_in_out = 3,  // 3t² − 2t³
  step = 4,         // the key before, until this key's time
};
float ease(Easing easing, float t);

struct CameraMoveKey {
  float time = 0.0f;  // seconds from the cue's start
  glm::vec3 position{0.0f};
  glm::vec3 target{0.0f, 0.0f, -1.0f};
  float vertical_fov_degrees = 60.0f;
  Easing easing = Easing::linear;  // of the segment that ends at this key
  friend bool operator==(const CameraMoveKey&, const CameraMoveKey&) = default;
};

struct LightKey {
  float time = 0.0f;  // seconds from the cue's start
  glm::vec3 color{1.0f};
  float intensity = 1.0f;
  Easing easing = Easing::linear;
  friend bool operator==(const LightKey&, const LightKey&) = default;
};

enum class CueKind : uint32_t { camera = 1, clip = 2, burst = 3, light = 4, sound = 5, title = 6 };
std::string_view to_string(CueKind kind);

// What calm mode does to a cue.
enum class CalmRule : uint32_t {
  rules = 0,  // the rules above
  skip = 1,   // not played in calm mode
  keep = 2,   // played as in the full show
};

enum class FontRole : uint32_t { calligraphy = 0, body = 1 };

inline constexpr uint32_t no_show_index = UINT32_MAX;

// One cue. `kind` says which of the fields after `calm` are used; the others keep their defaults.
struct ShowCue {
  CueKind kind = CueKind::sound;
  float start = 0.0f;     // seconds from the start of the show (of the response, in a moment)
  float duration = 0.0f;  // 0 for an instant (a burst, a sound left to play out)
  CalmRule calm = CalmRule::rules;
  // camera: keys from time 0 to `duration`; light: the same.
  std::vector<CameraMoveKey> camera_keys;
  std::vector<LightKey> light_keys;
  // clip: an exhibit's animation (an index into the tree's animations), cross-faded in.
  uint32_t exhibit = no_show_index;  // clip; title: placed over it when not no_show_index
  uint32_t animation = no_show_index;
  float speed = 1.0f;
  bool loop = false;
  float fade_seconds = 0.0f;  // clip: the cross-fade in; title: the fade in and out
  // burst: an index into the scene's particle systems (Scene::particles), burst at its position.
  uint32_t emitter = no_show_index;
  // sound: an index into the scene's audio, played at its volume times this gain.
  uint32_t sound = no_show_index;
  float gain_db = 0.0f;
  // title
  LocalizedText text;
  glm::vec3 position{0.0f};
  FontRole font = FontRole::calligraphy;
  friend bool operator==(const ShowCue&, const ShowCue&) = default;
};

struct ShowTrack {
  std::string name;
  std::vector<ShowCue> cues;
  friend bool operator==(const ShowTrack&, const ShowTrack&) = default;
};

enum class MomentTrigger : uint32_t { touch = 1, point = 2 };

// A moment a visitor starts: touching or pointing at an exhibit plays the response's cues (times
// from the moment it was triggered) and logs the named interaction event.
struct InteractiveMoment {
  uint32_t exhibit = 0;  // index into the scene's exhibits
  MomentTrigger trigger = MomentTrigger::touch;
  std::string event;  // e.g. "lantern_released"
  std::vector<ShowCue> response;
  friend bool operator==(const InteractiveMoment&, const InteractiveMoment&) = default;
};

// A show's length, in seconds: at least a second (a shorter one would loop more often than frames
// come, and a player would count passes without end), at most a day.
inline constexpr float shortest_show_seconds = 1.0f;
inline constexpr float longest_show_seconds = 86'400.0f;

struct Show {
  float duration = 0.0f;       // seconds, shortest_show_seconds to longest_show_seconds
  bool loop_in_attract = true;  // starts again after `duration` while nobody is interacting
  std::vector<ShowTrack> tracks;
  std::vector<InteractiveMoment> moments;
  friend bool operator==(const Show&, const Show&) = default;
};

// The time a cue lasts when played: stretched in calm mode when it moves.
float played_duration(const ShowCue& cue, bool calm);
// Whether a cue is played at all.
bool is_played(const ShowCue& cue, bool calm);

struct CameraPose {
  glm::vec3 position{0.0f};
  glm::vec3 target{0.0f, 0.0f, -1.0f};
  float vertical_fov_degrees = 60.0f;
};
// Where a camera move has the camera `seconds` after its start (held at its ends).
CameraPose sample_camera(std::span<const CameraMoveKey> keys, float seconds);

struct LightValue {
  glm::vec3 color{1.0f};
  float intensity = 1.0f;
};
LightValue sample_light(std::span<const LightKey> keys, float seconds);

enum class ShowEventKind : uint8_t {
  cue_start,
  cue_end,
  moment,  // a visitor triggered a moment: log moment.event
};

// Something that happened in the frame. A cue is named by its track and index in it, or, for a
// moment's response, by track == no_show_index, `moment` and its index in the response.
struct ShowEvent {
  ShowEventKind kind = ShowEventKind::cue_start;
  uint32_t track = no_show_index;
  uint32_t moment = no_show_index;
  uint32_t cue = 0;
  double play_seconds = 0.0;  // when it happened: seconds since the show started, not looped
  // Seconds of the cue already past at this frame's time (0 when it lands exactly): a sound
  // starts this far in, a clip is advanced by it.
  float late = 0.0f;
  // In calm mode already applied: a clip's speed, a sound's gain.
  float speed = 1.0f;
  float gain_db = 0.0f;
};

struct TitleState {
  uint32_t track = no_show_index;
  uint32_t moment = no_show_index;
  uint32_t cue = 0;
  float alpha = 0.0f;
};

// What ShowPlayer::update returns. The spans point into the player and are valid until the next
// call of update, seek or trigger.
struct ShowFrame {
  float show_seconds = 0.0f;  // into the show, after looping
  uint32_t pass = 0;          // how many times the show has looped
  bool finished = false;      // a show that does not loop has reached its end
  std::span<const ShowEvent> events;  // in the order they happened
  bool has_camera = false;  // a camera move has started (it holds its last key after it ends)
  CameraPose camera;
  bool has_light = false;
  LightValue light;
  std::span<const TitleState> titles;  // the titles showing
};

struct ShowPlayerOptions {
  bool loop = true;  // loop at the show's end (attract mode, when the show asks for it)
  bool calm = false;
  // A clock that steps back by more than this is taken to have restarted (a device reset): the
  // show goes on from where it was. A smaller step back is jitter, and the show waits for it.
  double restart_seconds = 0.25;
  // When the clock is that of a looping sound (audio::Voice::playback_seconds wraps), its length:
  // a step back by about this much is the sound starting again, and the show counts on from it
  // without losing time (so a jump forward by more than half of it reads as a step back across
  // the wrap). 0: the clock does not wrap.
  double clock_period = 0.0;
};

// Plays a show against the audio clock. The show must outlive the player. Making the player
// allocates (its event, title and active-cue buffers, sized from the show); update, seek, trigger
// and set_calm do not. Not thread-safe: one thread, the frame's.
//
// Guarantees: each cue's start and end are reported once per pass through the show, in time
// order, at the first update whose clock reaches them, however the clock steps: forward jumps
// report everything passed over (of at most the last whole pass), a stalled or slightly backward
// clock reports nothing twice.
class ShowPlayer {
 public:
  explicit ShowPlayer(const Show& show, ShowPlayerOptions options = {});

  // The clock reads `clock_seconds` now: seconds since the show (and its sound) started. The
  // first update reports the cues from 0 up to it.
  const ShowFrame& update(double clock_seconds);
  // Goes to `show_seconds` at the next update: the cues playing there start then (late by how far
  // in they are) and those playing now end; nothing between is reported. That update's reading is
  // taken to be `show_seconds`, so seek the show's sound to it as well, before then.
  void seek(float show_seconds);
  // A visitor touched or pointed at `exhibit`: starts each matching moment whose response is not
  // already playing. Reported (a moment event, then its cues) at the next update. Returns how many
  // moments started.
  uint32_t trigger(uint32_t exhibit, MomentTrigger how);
  // Takes effect from the next update; cues already playing end as they would have.
  void set_calm(bool calm);
  void set_loop(bool loop) { options_.loop = loop; }

 private:
  struct Active {
    bool playing = false;
    bool calm = false;     // started in calm mode
    double started = 0.0;  // play time (seconds since the show's start, not looped)
    double ends = 0.0;
  };
  // Which cue an Active belongs to, by its place in active_ or moment_active_.
  struct CueName {
    uint32_t track = no_show_index;
    uint32_t moment = no_show_index;
    uint32_t cue = 0;
  };
  void start_cue(const ShowCue& cue, CueName name, Active& active, double started, double now, double ends_by);
  void end_cues(std::span<Active> actives, bool moments, double until, bool every);
  void report_pass(double pass_start, double from, double to, bool inclusive);
  void report_moments(double from, double to);
  void push(const ShowEvent& event);
  void sample(double now);
  CueName name_of(bool moments, size_t index) const;
  const ShowCue& cue_of(CueName name) const;

  const Show& show_;
  ShowPlayerOptions options_;
  std::vector<uint32_t> track_offsets_;   // each track's first entry in active_
  std::vector<uint32_t> moment_offsets_;  // each moment's first entry in moment_active_
  std::vector<Active> active_;
  std::vector<Active> moment_active_;
  std::vector<CueName> names_;         // one per entry of active_
  std::vector<CueName> moment_names_;  // one per entry of moment_active_
  std::vector<double> moment_started_;  // play time of each moment's trigger; < 0: not running
  std::vector<double> moment_ends_;     // play time its last response cue ends
  std::vector<uint8_t> moment_pending_;
  std::vector<ShowEvent> events_;
  std::vector<TitleState> titles_;
  ShowFrame frame_;
  bool started_ = false;
  bool pending_seek_ = false;
  float seek_to_ = 0.0f;
  double clock_origin_ = 0.0;  // the clock's reading (unwrapped) at play time 0; moved by a restart
  double last_clock_ = 0.0;    // the last reading, as given
  double clock_wraps_ = 0.0;   // how many times a looping clock has wrapped
  double play_time_ = 0.0;     // seconds played, not looped; only ever increases between seeks
  double pass_origin_ = 0.0;   // play time at which show time 0 of the first pass lies
  // The camera move and light ramp started last: they hold their last keys once over.
  const ShowCue* camera_ = nullptr;
  Active camera_active_;
  const ShowCue* light_ = nullptr;
  Active light_active_;
};

}  // namespace pavilion::scene

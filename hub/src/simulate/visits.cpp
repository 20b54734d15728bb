#include "visits.h"

#include "pavilion/telemetry/book_events.h"

#include <algorithm>
#include <array>
#include <span>

namespace pavilion::hub::simulation {
namespace {

using telemetry::EventType;

enum class Kind { model, panel, hotspot, audio, poem, book };

struct ExhibitSpec {
  std::string_view id;
  Kind kind;
  double attraction;         // the share of an ordinary visitor of the scene who opens it
  double dwell_seconds;      // its median dwell, poems and books aside
  double recitation_seconds = 0;
  int openings = 0;  // a book's, in its reading order
};

struct SceneSpec {
  std::string_view package;  // the package id, also the scene id its scene_enter names
  std::string_view version;
  std::span<const ExhibitSpec> exhibits;
  double share;              // of visits outside the campaign
  bool on_headset;
};

// The bundled scenes (scenes/gallery, scenes/poetry_garden) with their exhibit ids; the
// gallery's room is its setting, not an exhibit anyone opens. The poems' recitations are
// espeak-ng's at 100 characters a minute. No bundled scene has a book yet (scenes/README.md:
// the kind is reserved), so the demonstration adds a rare-books package of two, for the views'
// page depth and a book's needed time.
constexpr std::array gallery{
    ExhibitSpec{"celadon-vase", Kind::model, 0.78, 40}, ExhibitSpec{"bronze-ding", Kind::model, 0.62, 32},
    ExhibitSpec{"landscape", Kind::panel, 0.45, 22},    ExhibitSpec{"silk-banner", Kind::model, 0.33, 18},
    ExhibitSpec{"vase-detail", Kind::hotspot, 0.28, 15}, ExhibitSpec{"guqin", Kind::audio, 0.30, 12}};
constexpr std::array poetry_garden{
    ExhibitSpec{"quiet-night", Kind::poem, 0.72, 0, 14}, ExhibitSpec{"spring-dawn", Kind::poem, 0.55, 0, 14},
    ExhibitSpec{"stork-tower", Kind::poem, 0.42, 0, 14}, ExhibitSpec{"river-snow", Kind::poem, 0.38, 0, 14},
    ExhibitSpec{"water-melody", Kind::poem, 0.35, 0, 62}};
constexpr std::array rare_books{ExhibitSpec{"yongle-encyclopedia", Kind::book, 0.85, 0, 0, 24},
                                ExhibitSpec{"kangxi-dictionary", Kind::book, 0.5, 0, 0, 16}};
constexpr std::array<SceneSpec, 3> scenes{SceneSpec{"gallery", "2026.11.1", gallery, 0.5, true},
                                          SceneSpec{"poetry-garden", "2026.11.1", poetry_garden, 0.32, true},
                                          SceneSpec{"rare-books", "2026.12.0", rare_books, 0.18, false}};
constexpr size_t poetry_scene = 1;

// The visit being written: its events, its clock and what stays the same through it.
struct Visit {
  Random& random;
  std::vector<telemetry::Event>& out;
  telemetry::Uuid session;
  int64_t now_ms;
  const SceneSpec* scene = nullptr;

  void add(EventType type, std::string_view subject, int64_t value = 0) {
    telemetry::Event event;
    event.created_ms = now_ms;
    event.type = type;
    event.session = session;
    if (scene != nullptr) {
      event.package_id.assign(scene->package);
      event.package_version.assign(scene->version);
    }
    event.subject.assign(subject);
    event.value = value;
    out.push_back(event);
  }
  void wait(double seconds) { now_ms += static_cast<int64_t>(seconds * 1000.0); }
};

// Who this visitor is, as far as the events can tell.
struct Visitor {
  bool headset = false;
  bool diligent = false;    // reads most of a scene (Serrell's diligent visitor)
  double curiosity = 1.0;   // scales every exhibit's attraction
  bool audio_only = false;  // a blind visitor: the kiosk reads everything aloud
  bool gaze = false;        // selects by looking
};

std::string_view pick_input(Random& random, const Visitor& visitor) {
  if (visitor.headset) {
    const double roll = random.uniform();
    return roll < 0.55 ? "controller" : roll < 0.85 ? "hand" : "gaze";
  }
  // A blind visitor usually finds the keypad; a few sighted ones prefer it too.
  return random.chance(visitor.audio_only ? 0.7 : 0.05) ? "keypad" : "touch";
}

void set_accessibility(Visit& visit, const Visitor& visitor) {
  Random& random = visit.random;
  auto change = [&](std::string_view feature, int64_t value) {
    visit.wait(random.uniform(2, 8));
    visit.add(EventType::accessibility_change, feature, value);
  };
  if (visitor.audio_only) change("audio_only", 1);
  if (!visitor.headset && random.chance(0.06)) change("text_scale", std::array<int64_t, 3>{125, 150, 200}[random.integer(0, 2)]);
  if (!visitor.headset && random.chance(0.025)) change("high_contrast", 1);
  if (random.chance(visitor.audio_only ? 0.6 : 0.02)) change("audio_descriptions", 1);
  if (random.chance(0.015)) change("calm", 1);
  if (random.chance(visitor.headset ? 0.12 : 0.015)) change("seated", 1);
}

void hear_poem(Visit& visit, const Visitor& visitor, const ExhibitSpec& poem, double poetry_taste) {
  Random& random = visit.random;
  const bool long_poem = poem.recitation_seconds > 40;
  double complete = (long_poem ? 0.4 : 0.7) * std::min(1.3, std::sqrt(poetry_taste)) + (visitor.diligent ? 0.1 : 0.0);
  if (visitor.audio_only) complete = 0.92;
  for (int play = 0; play < 2; ++play) {
    visit.wait(random.uniform(0.5, 2.0));
    visit.add(EventType::poem_play, poem.id);
    if (random.chance(complete)) {
      const double listened = poem.recitation_seconds * random.uniform(0.99, 1.03);
      visit.wait(listened);
      visit.add(EventType::poem_complete, poem.id, static_cast<int64_t>(listened * 1000));
      if (!random.chance(0.08)) return;  // a few hear it again
    } else {
      const double listened = poem.recitation_seconds * random.uniform(0.08, 0.9);
      visit.wait(listened);
      visit.add(EventType::poem_abort, poem.id, static_cast<int64_t>(listened * 1000));
      return;
    }
  }
}

// A book read from its first opening on, recorded as the kiosk's player records it through
// interaction::BookReading (EVENTS.md, "Books"): each subject names the opening (`id#3`); on an
// opening, sometimes a pinch to 2×, 4× or 8× (one zoom, the depth it reached), then its
// opening_dwell, then a turn to the next opening or the book closed with how many were seen.
void read_book(Visit& visit, const Visitor& visitor, const ExhibitSpec& book) {
  Random& random = visit.random;
  const double keep_on = visitor.diligent ? 0.9 : 0.8;
  const auto at = [&](int opening) { return telemetry::book_subject(book.id, static_cast<uint32_t>(opening)); };
  int opening = 1;
  for (;; ++opening) {
    const int64_t arrived = visit.now_ms;
    visit.wait(random.lognormal(14, 0.5));
    if (random.chance(0.08)) {
      visit.add(EventType::zoom, at(opening).view(), int64_t{100} << random.integer(1, 3));
      visit.wait(random.lognormal(8, 0.4));
    }
    visit.add(EventType::opening_dwell, at(opening).view(), visit.now_ms - arrived);
    if (opening == book.openings || !random.chance(keep_on)) break;
    visit.add(EventType::page_turn, at(opening).view(), opening + 1);
  }
  visit.add(EventType::book_close, at(opening).view(), opening);  // read in order: openings 1 to this one
}

void open_exhibit(Visit& visit, const Visitor& visitor, const ExhibitSpec& exhibit, double poetry_taste) {
  Random& random = visit.random;
  visit.wait(visitor.headset ? random.uniform(4, 15) : random.uniform(3, 12));  // finding it
  if (visitor.gaze) {
    const auto dwell = static_cast<int64_t>(random.lognormal(1200, 0.25));
    visit.now_ms += dwell;
    visit.add(EventType::gaze_dwell, exhibit.id, dwell);
  }
  visit.add(EventType::exhibit_open, exhibit.id);
  const int64_t opened = visit.now_ms;
  switch (exhibit.kind) {
    case Kind::poem:
      hear_poem(visit, visitor, exhibit, poetry_taste);
      visit.wait(random.lognormal(6, 0.5));  // reading the scroll, or its translation
      break;
    case Kind::book: read_book(visit, visitor, exhibit); break;
    default: visit.wait(std::max(2.0, random.lognormal(exhibit.dwell_seconds * (visitor.diligent ? 1.3 : 1.0), 0.55)));
  }
  visit.add(EventType::exhibit_close, exhibit.id, visit.now_ms - opened);
}

const SceneSpec& pick_scene(Random& random, const VisitSettings& settings, const Visitor& visitor,
                            const SceneSpec* skip) {
  std::array<double, scenes.size()> weights{};
  for (size_t index = 0; index < scenes.size(); ++index) {
    const SceneSpec& scene = scenes[index];
    if (&scene == skip || (visitor.headset && !scene.on_headset)) continue;
    weights[index] = scene.share;
    if (index == poetry_scene) {
      weights[index] *= settings.poetry_taste * (settings.campaign ? 2.2 : 1.0) * (visitor.audio_only ? 4.0 : 1.0);
    }
  }
  double roll = random.uniform() * (weights[0] + weights[1] + weights[2]);
  for (size_t index = 0; index < scenes.size(); ++index) {
    if (roll < weights[index]) return scenes[index];
    roll -= weights[index];
  }
  return scenes[weights[2] > 0 ? 2 : 1];
}

void visit_scene(Visit& visit, const Visitor& visitor, const SceneSpec& scene, double poetry_taste) {
  Random& random = visit.random;
  visit.scene = &scene;
  visit.wait(random.uniform(1, 4));
  visit.add(EventType::scene_enter, scene.package);
  const int64_t entered = visit.now_ms;
  // In a shuffled order, as visitors wander; each exhibit at most once.
  std::array<size_t, 8> order{};
  for (size_t index = 0; index < scene.exhibits.size(); ++index) order[index] = index;
  for (size_t index = scene.exhibits.size(); index > 1; --index) {
    std::swap(order[index - 1], order[static_cast<size_t>(random.integer(0, static_cast<int64_t>(index) - 1))]);
  }
  for (size_t index = 0; index < scene.exhibits.size(); ++index) {
    const ExhibitSpec& exhibit = scene.exhibits[order[index]];
    if (random.chance(std::min(0.97, exhibit.attraction * visitor.curiosity))) open_exhibit(visit, visitor, exhibit, poetry_taste);
  }
  visit.wait(random.uniform(2, 10));
  visit.add(EventType::scene_exit, scene.package, visit.now_ms - entered);
}

}  // namespace

telemetry::Uuid simulated_uuid(Random& random, int version, int64_t unix_ms) {
  telemetry::Uuid uuid;
  const uint64_t high = random.next();
  const uint64_t low = random.next();
  for (size_t index = 0; index < 8; ++index) {
    uuid.bytes[index] = static_cast<uint8_t>(high >> (56 - 8 * index));
    uuid.bytes[8 + index] = static_cast<uint8_t>(low >> (56 - 8 * index));
  }
  if (version == 7) {
    for (size_t index = 0; index < 6; ++index) uuid.bytes[index] = static_cast<uint8_t>(unix_ms >> (40 - 8 * index));
  }
  uuid.bytes[6] = static_cast<uint8_t>((uuid.bytes[6] & 0x0f) | (version << 4));
  uuid.bytes[8] = static_cast<uint8_t>((uuid.bytes[8] & 0x3f) | 0x80);  // the RFC 9562 variant
  return uuid;
}

int64_t simulate_visit(Random& random, const VisitSettings& settings, int64_t start_ms,
                       std::vector<telemetry::Event>& out) {
  Visitor visitor;
  visitor.headset = settings.headset;
  visitor.diligent = random.chance(0.18);
  visitor.curiosity = visitor.diligent ? 1.6 : random.lognormal(0.9, 0.35);
  visitor.audio_only = !settings.headset && random.chance(0.008);
  Visit visit{random, out, simulated_uuid(random, 4), start_ms};
  const std::string_view input = pick_input(random, visitor);
  visitor.gaze = input == "gaze";
  visit.add(EventType::session_start, input);
  // As the kiosk does: a touch visit names the language it starts in; the headset's labels show
  // both languages, so its visits name one only when the visitor changes it.
  if (!visitor.headset) visit.add(EventType::language_change, "zh-CN", 0);
  const bool english = random.chance(0.07);
  if (english) {
    visit.wait(random.uniform(2, 8));
    visit.add(EventType::language_change, "en", 1);
  }
  set_accessibility(visit, visitor);

  const SceneSpec* first = &pick_scene(random, settings, visitor, nullptr);
  visit_scene(visit, visitor, *first, settings.poetry_taste);
  if (english && random.chance(0.15)) {
    visit.wait(random.uniform(2, 6));
    visit.add(EventType::language_change, "zh-CN", 1);  // back, for a companion
  }
  if (random.chance(visitor.diligent ? 0.45 : 0.2)) {
    visit_scene(visit, visitor, pick_scene(random, settings, visitor, first), settings.poetry_taste);
  }
  visit.scene = nullptr;

  std::string_view reason;
  const double roll = random.uniform();
  if (visitor.headset) {
    reason = roll < 0.92 ? "headset_removed" : "headset_lost";
    visit.wait(random.uniform(2, 6));
  } else if (roll < 0.45) {
    reason = "end_visit";
    visit.wait(random.uniform(1, 4));
  } else {
    reason = roll < 0.97 ? "timeout" : roll < 0.99 ? "campaign" : "operator";
    visit.wait(75);  // the idle timeout, then the "still there?" question
  }
  visit.add(EventType::session_end, reason, visit.now_ms - start_ms);
  return visit.now_ms;
}

}  // namespace pavilion::hub::simulation

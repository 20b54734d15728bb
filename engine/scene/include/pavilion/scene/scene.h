// The runtime scene: what a package holds, as flat arrays ready for the renderer and the kiosk.
// Nothing here is parsed at run time beyond reading the package's binary scene tables.
#pragma once

#include "pavilion/core/hash.h"
#include "pavilion/scene/book.h"
#include "pavilion/scene/book_body.h"
#include "pavilion/core/localized_text.h"
#include "pavilion/scene/node_tree.h"
#include "pavilion/scene/particles.h"
#include "pavilion/scene/render_scene.h"
#include "pavilion/scene/show.h"

#include <glm/glm.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pavilion::scene {

// Dublin Core terms describing an exhibit (https://www.dublincore.org/specifications/dublin-core/dcmi-terms/).
struct DublinCore {
  LocalizedText title;
  LocalizedText creator;
  LocalizedText description;
  LocalizedText rights;
  LocalizedText date;      // ISO 8601 or a period in words ("南宋" / "Southern Song, 1127–1279")
  std::string identifier;  // the library's catalogue number or a URI: the same in every language
  std::string language;    // BCP 47 language of the work itself, e.g. "lzh" (Classical Chinese)
  friend bool operator==(const DublinCore&, const DublinCore&) = default;
};

enum class ExhibitKind : uint32_t { model = 1, panel = 2, hotspot = 3, audio = 4, book = 5, poem = 6 };
std::string_view to_string(ExhibitKind kind);

struct Exhibit {
  std::string id;
  ExhibitKind kind = ExhibitKind::model;
  DublinCore metadata;
  LocalizedText alt_text;  // what a blind visitor hears or a screen reader says
  // The description in plain words, short sentences a child understands: shown and read aloud in
  // the kiosk's simple mode in place of the Dublin Core description. Empty: none.
  LocalizedText description_easy;
  glm::vec3 position{0.0f};
  float radius = 0.5f;           // for picking and culling
  uint32_t first_instance = 0;   // its instances in render.instances
  uint32_t instance_count = 0;
};

struct Viewpoint {
  LocalizedText name;
  glm::vec3 position{0.0f, 1.6f, 3.0f};
  glm::vec3 target{0.0f, 1.0f, 0.0f};
  float vertical_fov_degrees = 60.0f;
};

// A guided camera move (an attract loop, a tour): keys at increasing times from 0, passed through
// smoothly (Catmull-Rom), starting again after the last key when looping.
struct CameraKey {
  float time = 0.0f;  // seconds
  glm::vec3 position{0.0f};
  glm::vec3 target{0.0f};
};

struct CameraPath {
  LocalizedText name;
  bool loop = true;
  std::vector<CameraKey> keys;  // at least two
  float duration() const { return keys.empty() ? 0.0f : keys.back().time; }
};

// Where the camera is and looks at `seconds` into the path.
CameraKey sample(const CameraPath& path, float seconds);

// A sound placed in the scene. Its PCM data stays in the package blob and is streamed.
struct AudioSource {
  std::string name;
  ContentHash blob;
  uint32_t sample_rate = 48'000;
  uint32_t channels = 1;
  uint64_t frames = 0;
  glm::vec3 position{0.0f};
  float volume = 1.0f;
  bool loop = false;
  uint32_t exhibit = 0;  // index into exhibits
  // What a deaf visitor reads while it is heard ("古琴一声" shown as "[音乐：古琴一声]"). Empty:
  // its exhibit's title, then its name.
  LocalizedText caption;
};

// A poem exhibit, typeset by the kiosk from the font its package carries: a subset holding every
// glyph of the poem, its title, poet, dynasty, pinyin and translation, and a distance-field atlas
// of all of them (engine/text).
struct PoemCue {
  float start = 0;  // seconds into the recitation
  float end = 0;
};

struct FontCredit {  // what the font's licence asks to be kept with it
  std::string family;
  std::string copyright;
  std::string licence;
  std::string url;
};

inline constexpr uint32_t no_sound = UINT32_MAX;  // an index into a scene's audio that names none

struct Poem {
  uint32_t exhibit = 0;  // index into exhibits; its metadata's title and creator are the poem's
  LocalizedText dynasty;
  std::string text;                 // a line break between lines
  std::vector<std::string> pinyin;  // one syllable per spoken character, or none
  std::string translation;          // English
  bool vertical = true;
  ContentHash font;   // blob: the subset font (face 0)
  ContentHash atlas;  // blob: its glyph atlas
  FontCredit font_credit;
  uint32_t recitation = no_sound;  // index into the scene's audio
  bool cues_by_line = false;            // one cue per spoken line, else per spoken character
  std::vector<PoemCue> cues;
  // For the kiosk's audio-only mode, indices into the scene's audio (or no_sound): the title, poet
  // and dynasty read aloud in each language before the recitation, and the translation read after
  // it for a visitor who chose English.
  uint32_t announcement_zh_cn = no_sound;
  uint32_t announcement_en = no_sound;
  uint32_t translation_reading = no_sound;
};

// A texture is stored as two blobs: its small levels (the tail, read first so a scene can show
// at once) and its large ones (the head), which may stream in afterwards.
struct TextureReference {
  ContentHash head_blob;  // levels 0 … tail_level − 1; unused when tail_level is 0
  ContentHash tail_blob;  // levels tail_level … mip_levels − 1
  uint32_t tail_level = 0;
  std::string name;
  TextureFormat format = TextureFormat::rgba8_srgb;
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t mip_levels = 1;
};

struct Scene {
  std::string id;       // the package's stable identifier, e.g. "gallery"
  std::string version;  // the curator's version, e.g. "2026.11.1"
  LocalizedText title;
  scene::RenderScene render;
  std::vector<Exhibit> exhibits;
  std::vector<Viewpoint> viewpoints;
  std::vector<CameraPath> camera_paths;
  std::vector<AudioSource> audio;
  std::vector<Poem> poems;
  std::optional<Show> show;  // the festival show, when the scene has one
  std::vector<ParticleSystem> particles;  // what the show's bursts name, and lanterns, snow…
  std::vector<Book> books;   // one per book exhibit; their tiles stay in the package (BookTileReader)
  // The books' bodies (cradle, covers, blocks, binding, rollers), appended to `render` by load_scene.
  std::vector<BookBody> book_bodies;
  NodeTree tree;  // where each of render.instances hangs, skins, animations
  std::vector<TextureReference> texture_blobs;  // where each of render.textures lies in the package
  // Textures a progressive load left at their small levels (see load_pending_textures).
  std::vector<uint32_t> pending_textures;
};

}  // namespace pavilion::scene

// A curator's scene source: scenes/<name>/scene.json (scenes/README.md documents it, and
// scenes/schema/scene.schema.json describes it for editors), read and checked.
#pragma once

#include "pavilion/audio/timeline.h"
#include "pavilion/checking/json_checker.h"
#include "pavilion/recite/recite.h"
#include "pavilion/core/error.h"
#include "pavilion/scene/render_scene.h"
#include "pavilion/scene/scene.h"

#include <glm/glm.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pavilion::pack {

// A problem in a source, with where it is: the file, and a JSON path or a line and column.
using Finding = checking::Finding;

struct Placement {
  glm::vec3 position{0.0f};
  glm::vec3 rotation_degrees{0.0f};  // applied as yaw (Y), then pitch (X), then roll (Z)
  float scale = 1.0f;
  scene::NodeTransform node_transform() const;
};

// A poem exhibit's own part (exhibits[N].poem); its title and poet are the exhibit's Dublin Core
// title and creator.
struct PoemSource {
  enum class Layout { vertical, horizontal };
  enum class Face { kai, song };  // LXGW WenKai's brush-written Kai, or Noto Serif CJK SC's Song
  enum class TimingUnit { character, line };
  LocalizedText dynasty;
  std::string text;                  // UTF-8, a line break between lines
  std::vector<std::string> pinyin;   // one syllable per spoken character, or none
  std::string translation;           // English
  Layout layout = Layout::vertical;
  Face face = Face::kai;
  std::filesystem::path recitation;  // WAV, FLAC, Ogg Vorbis or Opus; empty: none, or synthesised
  // "recitation": {"voice": "cmn"}: espeak-ng reads the poem at build time and times it itself.
  std::optional<recite::ReciteOptions> synthesis;
  TimingUnit unit = TimingUnit::character;
  std::vector<audio::Cue> cues;      // one per spoken character (or line), with a recitation
};

// A book exhibit's own part (exhibits[N].book): where the book comes from and the curator's
// choices for it. Which pages exist is known only once the manifest or folder is read (the build's
// read_books stage), so a start page or a spine offset past the last page is found there.
// An annotation the curator puts on a page in scene.json (a seal on a book of scans, which has no
// manifest to carry one): on the page's canvas, in its pixels for a folder of scans.
struct BookNote {
  uint32_t page = 0;  // 0-based
  scene::PageAnnotation annotation;
};

struct BookSource {
  enum class From { manifest_file, manifest_url, folder };
  From from = From::manifest_file;
  std::filesystem::path manifest;  // manifest_file: a IIIF Presentation 2 or 3 manifest
  std::string manifest_url;        // manifest_url: fetched over HTTP(S) through the image cache
  // folder: the scans, and book.json beside them when there is one. With a manifest: where its
  // page images are looked for by file name before they are fetched (empty: nowhere).
  std::filesystem::path folder;
  // With a manifest: the curator's own scan for a page, by its canvas id or any of its labels
  // ("files"), found before the folder and the manifest's servers are tried.
  std::map<std::string, std::filesystem::path> files;
  std::optional<book::ViewingDirection> viewing_direction;  // overrides the manifest's
  bool thread_bound = false;                                // 线装
  std::optional<bool> leaves_imaged_whole;                  // overrides book.json's
  float spine_offset = 0;                                   // of every picture holding two halves
  std::map<uint32_t, float> page_spine_offsets;             // 0-based page → its own offset
  std::optional<uint32_t> start_page;                       // 0-based; overrides the manifest's start
  std::string language;                                     // BCP 47; empty: the metadata's language
  bool read_aloud = true;  // each page's text lines synthesised by espeak-ng for audio-only mode
  // Pages whose canvas names no ALTO or hOCR text are recognised by Tesseract at build time.
  bool recognise_text = false;
  std::vector<BookNote> notes;  // "annotations": added to the manifest's own
};

struct ExhibitSource {
  std::string id;
  std::string json_path;  // "exhibits[2]", for findings
  scene::ExhibitKind kind = scene::ExhibitKind::model;
  Placement placement;
  scene::DublinCore metadata;
  LocalizedText alt_text;
  LocalizedText description_easy;  // plain words for the kiosk's simple mode; empty: none
  std::filesystem::path model;  // model: any format Assimp reads
  std::filesystem::path image;  // panel: PNG, JPEG or TIFF
  glm::vec2 panel_size{1.0f, 1.0f};  // panel: metres
  LocalizedText panel_text;
  float radius = 0.5f;          // hotspot: metres
  std::filesystem::path sound;  // audio: WAV, FLAC, Ogg Vorbis or Opus
  bool loop = false;
  float volume = 1.0f;
  LocalizedText caption;        // audio: what a deaf visitor reads while it plays; empty: the title
  PoemSource poem;
  BookSource book;
};

// One cue of scene.json's show, beside what the build resolves once models and sounds are in.
struct ShowCueSource {
  std::string json_path;  // "show.tracks[1].cues[2]", for findings
  std::string clip;       // a clip cue's clip, by its name in the model
  size_t sound_exhibit = 0;  // a sound cue's audio exhibit, by index into exhibits
};

// scene.json's "show" (scenes/README.md): exhibits and particle systems already indices; clips and sounds
// (ShowCue::animation, ShowCue::sound) are set by the build, from cue_sources.
struct ShowSource {
  scene::Show show;
  std::vector<std::vector<ShowCueSource>> track_cues;   // one per cue of each track
  std::vector<std::vector<ShowCueSource>> moment_cues;  // one per cue of each moment's response
};

struct SceneSource {
  std::filesystem::path directory;
  std::filesystem::path file;  // directory / "scene.json"
  std::string id;
  std::string version;
  LocalizedText title;
  scene::DirectionalLight light;
  scene::Environment environment;
  std::vector<scene::Viewpoint> viewpoints;
  std::vector<scene::CameraPath> camera_paths;
  std::vector<ExhibitSource> exhibits;
  std::optional<ShowSource> show;
  std::vector<scene::ParticleSystem> particles;  // "particles": what bursts name, lanterns, snow…
  std::vector<Finding> warnings;  // problems that do not stop a build; lint reports them
};

// Reads <directory>/scene.json. Fails with every error found (not only the first), each with its
// place; warnings (a missing translation, an unknown field) are kept in the result.
Result<SceneSource> read_scene_source(const std::filesystem::path& directory);

// Parses scene.json text (for the fuzzer and tests); `file` only names it in findings. Returns
// the findings through `findings` and a source when there were no errors.
std::optional<SceneSource> parse_scene_source(std::string_view text, const std::filesystem::path& file,
                                              std::vector<Finding>& findings);

}  // namespace pavilion::pack

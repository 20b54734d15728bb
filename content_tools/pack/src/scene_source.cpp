#include "pavilion/pack/scene_source.h"

#include "particle_source.h"
#include "show_source.h"
#include "pavilion/checking/json_checker.h"
#include "pavilion/core/file.h"
#include "pavilion/core/image.h"
#include "pavilion/core/utf8.h"
#include "pavilion/iiif/page_note.h"
#include "pavilion/text/recitation.h"

#include <fmt/format.h>
#include <fmt/std.h>
#include <glm/gtc/matrix_transform.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <regex>
#include <set>

namespace pavilion::pack {
namespace {

using nlohmann::json;
using Checker = checking::JsonChecker;

scene::ExhibitKind parse_kind(Checker& check, const json& exhibit, const std::string& path, bool& known) {
  static constexpr std::array<std::pair<std::string_view, scene::ExhibitKind>, 6> kinds{{
      {"model", scene::ExhibitKind::model},
      {"panel", scene::ExhibitKind::panel},
      {"hotspot", scene::ExhibitKind::hotspot},
      {"audio", scene::ExhibitKind::audio},
      {"book", scene::ExhibitKind::book},
      {"poem", scene::ExhibitKind::poem},
  }};
  known = false;
  const auto kind = check.string_field(exhibit, path, "kind", true);
  if (!kind) return scene::ExhibitKind::model;
  for (const auto& [name, value] : kinds) {
    if (*kind == name) {
      known = true;
      return value;
    }
  }
  check.error(Checker::join(path, "kind"),
              fmt::format("'{}' is not a kind of exhibit; use model, panel, hotspot, audio, poem or book", *kind),
              fmt::format("“{}”不是展品类型；请使用 model、panel、hotspot、audio、poem 或 book", *kind));
  return scene::ExhibitKind::model;
}

// One of `names` (the first is the default when absent); an error lists them otherwise.
template <class Enum, size_t N>
Enum choice_field(Checker& check, const json& object, const std::string& path, std::string_view key,
                  const std::array<std::pair<std::string_view, Enum>, N>& names) {
  const auto value = check.string_field(object, path, key, false);
  if (!value) return names[0].second;
  std::string listed;
  for (const auto& [name, choice] : names) {
    if (*value == name) return choice;
    listed += listed.empty() ? std::string(name) : fmt::format(", {}", name);
  }
  check.error(Checker::join(path, key), fmt::format("'{}' is not one of: {}", *value, listed),
              fmt::format("“{}”不在可选值之中：{}", *value, listed));
  return names[0].second;
}

// A syllable of Hanyu Pinyin, with tone marks or a tone number.
bool is_pinyin_syllable(const std::string& syllable) {
  static const std::regex pattern("([a-zA-Z]|ā|á|ǎ|à|ē|é|ě|è|ī|í|ǐ|ì|ō|ó|ǒ|ò|ū|ú|ǔ|ù|ǖ|ǘ|ǚ|ǜ|ü|ê)+[1-5]?");
  return std::regex_match(syllable, pattern);
}

void parse_timings(Checker& check, const json& poem, const std::string& path, size_t spoken_characters,
                   size_t spoken_lines, PoemSource& out) {
  const std::string timings_path = Checker::join(path, "timings");
  const auto timings = poem.find("timings");
  if (timings == poem.end() || !timings->is_object()) {
    check.error(timings_path,
                "a recitation needs its timings: {\"unit\": \"character\" or \"line\", \"cues\": [[start, end], …]} in "
                "seconds",
                "朗诵需要时间标记：{\"unit\": \"character\" 或 \"line\", \"cues\": [[开始, 结束], …]}，单位为秒");
    return;
  }
  check.check_fields(*timings, timings_path, {"unit", "cues"});
  out.unit = choice_field(check, *timings, timings_path, "unit",
                          std::array<std::pair<std::string_view, PoemSource::TimingUnit>, 2>{
                              {{"character", PoemSource::TimingUnit::character},
                               {"line", PoemSource::TimingUnit::line}}});
  const std::string cues_path = Checker::join(timings_path, "cues");
  const auto cues = timings->find("cues");
  if (cues == timings->end() || !cues->is_array()) {
    check.error(cues_path, "the cues must be a list of [start, end] pairs in seconds",
                "cues 必须是以秒为单位的 [开始, 结束] 列表");
    return;
  }
  for (size_t index = 0; index < cues->size(); ++index) {
    const json& cue = (*cues)[index];
    if (!cue.is_array() || cue.size() != 2 || !cue[0].is_number() || !cue[1].is_number()) {
      check.error(fmt::format("{}[{}]", cues_path, index), "each cue must be [start, end] in seconds",
                  "每个时间标记必须是 [开始, 结束]，单位为秒");
      return;
    }
    out.cues.push_back({cue[0].get<double>(), cue[1].get<double>()});
  }
  const bool by_character = out.unit == PoemSource::TimingUnit::character;
  const size_t units = by_character ? spoken_characters : spoken_lines;
  // The audio's length is checked when the recitation is read (build); here only the timings.
  const auto problem = audio::find_timing_problem(out.cues, std::numeric_limits<double>::infinity(), units);
  if (!problem) return;
  using Kind = audio::TimingProblem::Kind;
  const std::string at = fmt::format("{}[{}]", cues_path, problem->index);
  switch (problem->kind) {
    case Kind::count:
      check.error(cues_path,
                  fmt::format("there are {} cues for the poem's {} spoken {}; give exactly one for each (punctuation "
                              "is not spoken)",
                              problem->count, problem->units, by_character ? "characters" : "lines"),
                  fmt::format("共有 {} 个时间标记，但诗中有 {} 个需朗读的{}；请每个给一个（标点不朗读）", problem->count,
                              problem->units, by_character ? "字" : "行"));
      break;
    case Kind::empty_or_negative:
      check.error(at,
                  fmt::format("runs from {:.3f} s to {:.3f} s; a cue starts at 0 s or later and ends after it starts",
                              problem->start, problem->end),
                  fmt::format("从 {:.3f} 秒到 {:.3f} 秒；时间标记须从 0 秒或之后开始，且结束晚于开始", problem->start,
                              problem->end));
      break;
    case Kind::overlaps:
      check.error(at,
                  fmt::format("starts at {:.3f} s, before the cue before it ends ({:.3f} s); cues follow one another "
                              "in the order the poem is read",
                              problem->start, problem->end),
                  fmt::format("开始于 {:.3f} 秒，早于上一个时间标记的结束（{:.3f} 秒）；时间标记须按朗读顺序排列",
                              problem->start, problem->end));
      break;
    case Kind::beyond_audio: break;  // no audio length here
  }
}

void parse_poem(Checker& check, const json& exhibit, const std::string& exhibit_path,
                const std::filesystem::path& directory, PoemSource& out) {
  const std::string path = Checker::join(exhibit_path, "poem");
  const auto poem = exhibit.find("poem");
  if (poem == exhibit.end() || !poem->is_object()) {
    check.error(path, "a poem exhibit needs its poem: {\"text\": …, \"dynasty\": …, …}",
                "诗词展品需要诗的内容：{\"text\": …, \"dynasty\": …, …}");
    return;
  }
  check.check_fields(*poem, path,
                     {"dynasty", "text", "pinyin", "translation", "layout", "font", "recitation", "timings"});
  out.dynasty = check.text_field(*poem, path, "dynasty", false);
  out.text = check.string_field(*poem, path, "text", true).value_or("");
  out.translation = check.string_field(*poem, path, "translation", false).value_or("");
  if (out.translation.empty()) {
    check.warning(Checker::join(path, "translation"), "no English translation: visitors who read no Chinese get none",
                  "缺少英文译文：不懂中文的观众将无法理解");
  }
  out.layout = choice_field(check, *poem, path, "layout",
                            std::array<std::pair<std::string_view, PoemSource::Layout>, 2>{
                                {{"vertical", PoemSource::Layout::vertical},
                                 {"horizontal", PoemSource::Layout::horizontal}}});
  out.face = choice_field(check, *poem, path, "font",
                          std::array<std::pair<std::string_view, PoemSource::Face>, 2>{
                              {{"kai", PoemSource::Face::kai}, {"song", PoemSource::Face::song}}});

  const auto text = decode_utf8(out.text);
  const size_t characters = text ? text::spoken_characters(*text).size() : 0;
  const size_t lines = text ? text::spoken_lines(*text).size() : 0;
  if (!out.text.empty() && characters == 0) {
    check.error(Checker::join(path, "text"), "the poem has no characters to read, only punctuation or spaces",
                "诗中没有可朗读的字，只有标点或空格");
  }
  if (const auto pinyin = check.string_field(*poem, path, "pinyin", false)) {
    // Syllables are separated by spaces; punctuation between them is allowed and ignored.
    if (const auto romanised = decode_utf8(*pinyin)) {
      for (const std::u32string& syllable : text::syllables(*romanised)) {
        std::string utf8;
        for (const char32_t c : syllable) append_utf8(utf8, c);
        out.pinyin.push_back(std::move(utf8));
      }
    }
    const std::string pinyin_path = Checker::join(path, "pinyin");
    const auto bad = std::find_if(out.pinyin.begin(), out.pinyin.end(),
                                  [](const std::string& syllable) { return !is_pinyin_syllable(syllable); });
    if (bad != out.pinyin.end()) {
      check.error(pinyin_path,
                  fmt::format("'{}' (syllable {}) is not pinyin: use letters with tone marks (mǎ) or a tone number (ma3)",
                              *bad, bad - out.pinyin.begin() + 1),
                  fmt::format("“{}”（第 {} 个音节）不是拼音：请用带声调符号的字母（mǎ）或声调数字（ma3）", *bad,
                              bad - out.pinyin.begin() + 1));
    } else if (out.pinyin.size() != characters) {
      check.error(pinyin_path,
                  fmt::format("{} syllables for the poem's {} spoken characters; give one syllable per character",
                              out.pinyin.size(), characters),
                  fmt::format("共 {} 个音节，但诗中有 {} 个需朗读的字；请每个字给一个音节", out.pinyin.size(),
                              characters));
    }
  }
  const std::string recitation_path = Checker::join(path, "recitation");
  if (const auto recitation = poem->find("recitation"); recitation != poem->end() && recitation->is_object()) {
    check.check_fields(*recitation, recitation_path, {"voice", "words_per_minute"});
    recite::ReciteOptions synthesis;
    synthesis.voice = check.string_field(*recitation, recitation_path, "voice", false).value_or(synthesis.voice);
    synthesis.words_per_minute = static_cast<int>(
        check.number_field(*recitation, recitation_path, "words_per_minute", 60, 300).value_or(synthesis.words_per_minute));
    out.synthesis = synthesis;
    if (poem->contains("timings")) {
      check.error(Checker::join(path, "timings"),
                  "a synthesised recitation is timed by its synthesiser; remove \"timings\" or record the recitation",
                  "合成的朗诵由合成器自动标记时间；请删除 \"timings\"，或改用录制的朗诵");
    }
  } else if (recitation != poem->end()) {
    out.recitation = check.file_field(*poem, path, "recitation", directory);
    parse_timings(check, *poem, path, characters, lines, out);
  } else if (poem->contains("timings")) {
    check.error(Checker::join(path, "timings"), "timings without a recitation: add \"recitation\", the sound they time",
                "有时间标记却没有朗诵：请添加 \"recitation\"（它们所标记的音频）");
  }
}

// exhibits[N].book: one source (a manifest's file or URL, or a folder of scans) and the
// curator's options (scenes/README.md, "Books").
// "annotations": [{"page": 1, "motivation": "tagging", "region": [x, y, w, h], "text": "松風閣藏"}]: the
// curator's commentary and seals, for the kiosk's layers.
void parse_book_notes(Checker& check, const json& book, const std::string& path, BookSource& out) {
  const auto notes = book.find("annotations");
  if (notes == book.end()) return;
  const std::string notes_path = Checker::join(path, "annotations");
  if (!notes->is_array()) {
    check.error(notes_path, "must be a list of annotations: [{\"page\": 1, \"motivation\": \"tagging\", \"region\": [x, y, w, h], \"text\": \"…\"}]",
                "必须是批注列表：[{\"page\": 1, \"motivation\": \"tagging\", \"region\": [x, y, w, h], \"text\": \"…\"}]");
    return;
  }
  for (size_t index = 0; index < notes->size(); ++index) {
    const json& note = (*notes)[index];
    const std::string note_path = fmt::format("{}[{}]", notes_path, index);
    if (!note.is_object()) {
      check.error(note_path, "each annotation is an object with page, motivation, region and text", "每条批注是含 page、motivation、region 和 text 的对象");
      continue;
    }
    check.check_fields(note, note_path, {"page", "motivation", "region", "text", "language"});
    const auto page = check.number_field(note, note_path, "page", 1, 1e7);
    const bool whole_page = page && *page == std::floor(*page);
    if (page && !whole_page) {
      check.error(Checker::join(note_path, "page"), "must be a whole page number, 1 for the first page", "必须是整数页码，第一页为 1");
    }
    // The same fields and sentences as a page's annotations in a folder of scans' book.json.
    const auto annotation = iiif::read_page_note(check, note, note_path);
    if (!whole_page || !annotation) continue;
    const iiif::Region& region = *annotation->target;
    BookNote out_note;
    out_note.page = static_cast<uint32_t>(*page) - 1;
    out_note.annotation = {annotation->motivation, annotation->value, annotation->language, annotation->format,
                           scene::PageRegion{static_cast<float>(region.x), static_cast<float>(region.y),
                                             static_cast<float>(region.width), static_cast<float>(region.height)}};
    out.notes.push_back(std::move(out_note));
  }
}

void parse_book(Checker& check, const json& exhibit, const std::string& exhibit_path,
                const std::filesystem::path& directory, BookSource& out) {
  const std::string path = Checker::join(exhibit_path, "book");
  const auto book = exhibit.find("book");
  if (book == exhibit.end() || !book->is_object()) {
    check.error(path, "a book exhibit needs its book: {\"manifest\": a IIIF manifest's file or URL} or {\"folder\": a folder of scans}",
                "书籍展品需要指明书的来源：{\"manifest\": IIIF 清单的文件或网址} 或 {\"folder\": 扫描图像文件夹}");
    return;
  }
  check.check_fields(*book, path,
                     {"manifest", "folder", "files", "viewing_direction", "thread_bound", "leaves_imaged_whole", "spine_offset",
                      "spine_offsets", "start", "language", "read_aloud", "recognise_text", "annotations"});
  const bool has_manifest = book->contains("manifest");
  if (!has_manifest && !book->contains("folder")) {
    check.error(path, "name the book's source: \"manifest\" (a IIIF manifest's file or http(s) URL) or \"folder\" (a folder of scans)",
                "请指明书的来源：\"manifest\"（IIIF 清单的文件或 http(s) 网址）或 \"folder\"（扫描图像文件夹）");
  }
  if (has_manifest) {
    const auto manifest = check.string_field(*book, path, "manifest", true);
    if (manifest && (manifest->starts_with("http://") || manifest->starts_with("https://"))) {
      out.from = BookSource::From::manifest_url;
      out.manifest_url = *manifest;
    } else if (manifest) {
      out.from = BookSource::From::manifest_file;
      out.manifest = check.file_field(*book, path, "manifest", directory);
    }
  } else {
    out.from = BookSource::From::folder;
  }
  if (book->contains("folder")) {
    const std::string folder_path = Checker::join(path, "folder");
    if (const auto folder = check.string_field(*book, path, "folder", true)) {
      out.folder = directory / *folder;
      std::error_code error;
      if (!std::filesystem::is_directory(out.folder, error)) {
        check.error(folder_path, fmt::format("there is no folder '{}' beside scene.json", *folder),
                    fmt::format("scene.json 所在位置没有文件夹“{}”", *folder));
      }
    }
  }
  if (const auto files = book->find("files"); files != book->end()) {
    const std::string files_path = Checker::join(path, "files");
    if (!has_manifest) {
      check.error(files_path, "\"files\" names scans for a manifest's pages; a folder of scans names its pages in its book.json",
                  "\"files\" 用于为清单的页面指定扫描图像；扫描图像文件夹请在其 book.json 中列出页面");
    } else if (!files->is_object() || files->empty()) {
      check.error(files_path, "must be an object of pages and their scans: {\"canvas id or page label\": \"scans/p1.tif\"}",
                  "必须是页面与其扫描图像的对象：{\"画布 id 或页面标签\": \"scans/p1.tif\"}");
    } else {
      for (const auto& [page, file] : files->items()) {
        if (std::filesystem::path found = check.file_field(*files, files_path, page, directory); !found.empty()) {
          out.files[page] = std::move(found);
        }
      }
    }
  }
  static constexpr std::array<std::pair<std::string_view, book::ViewingDirection>, 4> directions{{
      {"left-to-right", book::ViewingDirection::left_to_right},
      {"right-to-left", book::ViewingDirection::right_to_left},
      {"top-to-bottom", book::ViewingDirection::top_to_bottom},
      {"bottom-to-top", book::ViewingDirection::bottom_to_top},
  }};
  if (book->contains("viewing_direction")) out.viewing_direction = choice_field(check, *book, path, "viewing_direction", directions);
  out.thread_bound = check.bool_field(*book, path, "thread_bound").value_or(false);
  out.leaves_imaged_whole = check.bool_field(*book, path, "leaves_imaged_whole");
  if (out.leaves_imaged_whole.value_or(false) && !out.thread_bound) {
    check.warning(Checker::join(path, "leaves_imaged_whole"),
                  "whole leaves are split into half-leaves only in a thread-bound book; add \"thread_bound\": true",
                  "只有线装书才会把整叶图像拆成两个半叶；请添加 \"thread_bound\": true");
  }
  out.spine_offset = static_cast<float>(check.number_field(*book, path, "spine_offset", -0.25, 0.25).value_or(0.0));
  if (const auto offsets = book->find("spine_offsets"); offsets != book->end()) {
    const std::string offsets_path = Checker::join(path, "spine_offsets");
    if (!offsets->is_object()) {
      check.error(offsets_path, "must be an object of page numbers and offsets: {\"12\": 0.03}",
                  "必须是页码与偏移量的对象：{\"12\": 0.03}");
    } else {
      for (const auto& [page, offset] : offsets->items()) {
        static const std::regex page_pattern("[1-9][0-9]{0,6}");
        if (!std::regex_match(page, page_pattern)) {
          check.error(Checker::join(offsets_path, page), fmt::format("'{}' is not a page number (1 for the first page)", page),
                      fmt::format("“{}”不是页码（第一页为 1）", page));
          continue;
        }
        const auto value = check.number_field(*offsets, offsets_path, page, -0.25, 0.25);
        if (value) out.page_spine_offsets[static_cast<uint32_t>(std::stoul(page) - 1)] = static_cast<float>(*value);
      }
    }
  }
  if (book->contains("start")) {
    const auto start = check.number_field(*book, path, "start", 1, 1e7);
    if (start && *start != std::floor(*start)) {
      check.error(Checker::join(path, "start"), "must be a whole page number, 1 for the first page",
                  "必须是整数页码，第一页为 1");
    } else if (start) {
      out.start_page = static_cast<uint32_t>(*start) - 1;
    }
  }
  out.language = check.string_field(*book, path, "language", false).value_or("");
  out.read_aloud = check.bool_field(*book, path, "read_aloud").value_or(true);
  out.recognise_text = check.bool_field(*book, path, "recognise_text").value_or(false);
  parse_book_notes(check, *book, path, out);
}

// A book's events name the opening in their subject, `id#N`, of at most 63 bytes
// (telemetry::book_subject, which shortens a longer id): an id of 56 leaves room for '#' and an
// opening of six digits, so the hub never counts one book's turns under a shortened id that may be
// another exhibit's.
constexpr size_t max_book_id_length = 56;

void parse_exhibit(Checker& check, const json& exhibit, const std::string& path, const std::filesystem::path& directory,
                   std::set<std::string>& ids, SceneSource& source) {
  if (!exhibit.is_object()) {
    check.error(path, "each exhibit must be an object { … }", "每个展品必须是一个对象 { … }");
    return;
  }
  check.check_fields(exhibit, path,
                     {"id", "kind", "position", "rotation", "scale", "metadata", "alt_text", "description_easy", "model",
                      "image", "size", "text", "radius", "sound", "loop", "volume", "caption", "poem", "book"});
  ExhibitSource out;
  out.json_path = path;
  out.id = check.string_field(exhibit, path, "id", true).value_or("");
  static const std::regex id_pattern("[a-z0-9][a-z0-9_-]{0,63}");
  if (!out.id.empty() && !std::regex_match(out.id, id_pattern)) {
    check.error(Checker::join(path, "id"), "must be lowercase letters, digits, '-' or '_', at most 64",
                "只能由小写字母、数字、“-”或“_”组成，最多 64 个");
  } else if (!out.id.empty() && !ids.insert(out.id).second) {
    check.error(Checker::join(path, "id"), fmt::format("another exhibit already has the id '{}'", out.id),
                fmt::format("已有展品使用标识“{}”", out.id));
  }
  bool known_kind = false;
  out.kind = parse_kind(check, exhibit, path, known_kind);
  if (out.kind == scene::ExhibitKind::book && out.id.size() > max_book_id_length) {
    check.error(Checker::join(path, "id"),
                fmt::format("a book's id is at most {} characters, this one has {}: its visitors' page turns are "
                            "counted under the id, '#' and the opening's number, which must fit in 63",
                            max_book_id_length, out.id.size()),
                fmt::format("书籍展品的标识最多 {} 个字符，此处为 {} 个：翻页等统计记在“标识#开数”之下，总长不能超过 63",
                            max_book_id_length, out.id.size()));
  }
  out.placement.position = check.vector_field(exhibit, path, "position", true).value_or(glm::vec3(0.0f));
  out.placement.rotation_degrees = check.vector_field(exhibit, path, "rotation", false).value_or(glm::vec3(0.0f));
  out.placement.scale = static_cast<float>(check.number_field(exhibit, path, "scale", 1e-4, 1e4).value_or(1.0));

  const std::string metadata_path = Checker::join(path, "metadata");
  if (const auto metadata = exhibit.find("metadata"); metadata == exhibit.end() || !metadata->is_object()) {
    check.error(metadata_path, "every exhibit needs its Dublin Core metadata: at least a title in Chinese and English",
                "每个展品都需要都柏林核心元数据：至少包括中英文标题");
  } else {
    check.check_fields(*metadata, metadata_path,
                       {"title", "creator", "date", "description", "rights", "identifier", "language"});
    scene::DublinCore& dc = out.metadata;
    dc.title = check.text_field(*metadata, metadata_path, "title", true);
    dc.creator = check.text_field(*metadata, metadata_path, "creator", false);
    dc.description = check.text_field(*metadata, metadata_path, "description", false);
    dc.rights = check.text_field(*metadata, metadata_path, "rights", false);
    dc.date = check.text_field(*metadata, metadata_path, "date", false, Checker::PlainText::allowed_when_language_neutral);
    dc.identifier = check.string_field(*metadata, metadata_path, "identifier", false).value_or("");
    dc.language = check.string_field(*metadata, metadata_path, "language", false).value_or("");
    if (dc.rights.zh_cn.empty() && dc.rights.en.empty()) {
      check.warning(Checker::join(metadata_path, "rights"),
                    "no rights statement: say who holds the rights, or that the work is in the public domain",
                    "缺少权利声明：请注明权利所有者，或说明作品属于公有领域");
    }
  }
  out.alt_text = check.text_field(exhibit, path, "alt_text", false);
  if (out.alt_text.zh_cn.empty() && out.alt_text.en.empty()) {
    check.warning(Checker::join(path, "alt_text"),
                  "no alt text: blind and low-vision visitors will hear nothing about this exhibit",
                  "缺少替代文本：盲人和低视力观众将听不到关于此展品的任何介绍");
  }
  out.description_easy = check.text_field(exhibit, path, "description_easy", false);

  if (known_kind) {
    switch (out.kind) {
      case scene::ExhibitKind::model: out.model = check.file_field(exhibit, path, "model", directory); break;
      case scene::ExhibitKind::panel: {
        out.image = check.file_field(exhibit, path, "image", directory);
        out.panel_text = check.text_field(exhibit, path, "text", false);
        const auto size = exhibit.find("size");
        if (size == exhibit.end() || !size->is_array() || size->size() != 2 || !(*size)[0].is_number() ||
            !(*size)[1].is_number() || (*size)[0].get<double>() <= 0 || (*size)[1].get<double>() <= 0 ||
            (*size)[0].get<double>() > 100 || (*size)[1].get<double>() > 100) {
          check.error(Checker::join(path, "size"), "a panel needs its size: [width, height] in metres, up to 100",
                      "展板需要尺寸：[宽, 高]，单位为米，最大 100");
        } else {
          out.panel_size = glm::vec2((*size)[0].get<float>(), (*size)[1].get<float>());
        }
        break;
      }
      case scene::ExhibitKind::hotspot:
        out.radius = static_cast<float>(check.number_field(exhibit, path, "radius", 0.01, 100.0).value_or(0.5));
        break;
      case scene::ExhibitKind::audio:
        out.sound = check.file_field(exhibit, path, "sound", directory);
        out.loop = check.bool_field(exhibit, path, "loop").value_or(false);
        out.volume = static_cast<float>(check.number_field(exhibit, path, "volume", 0.0, 1.0).value_or(1.0));
        out.caption = check.text_field(exhibit, path, "caption", false);
        break;
      case scene::ExhibitKind::poem: parse_poem(check, exhibit, path, directory, out.poem); break;
      case scene::ExhibitKind::book: parse_book(check, exhibit, path, directory, out.book); break;
    }
  }
  source.exhibits.push_back(std::move(out));
}

// "environment": the sky's colours, the sun, ambient light and exposure.
void parse_environment(Checker& check, const json& root, SceneSource& source) {
  const auto environment = root.find("environment");
  if (environment == root.end()) return;
  if (!environment->is_object()) {
    check.error("environment", "must be an object { … }", "必须是一个对象 { … }");
    return;
  }
  check.check_fields(*environment, "environment", {"sky", "sun", "ambient", "exposure"});
  scene::Environment& env = source.environment;
  env.ambient_intensity = static_cast<float>(
      check.number_field(*environment, "environment", "ambient", 0.0, 10.0).value_or(env.ambient_intensity));
  env.exposure = static_cast<float>(
      check.number_field(*environment, "environment", "exposure", 0.01, 100.0).value_or(env.exposure));
  if (const auto sky = environment->find("sky"); sky != environment->end() && sky->is_object()) {
    check.check_fields(*sky, "environment.sky", {"zenith", "horizon", "ground"});
    env.sky_zenith = check.color_field(*sky, "environment.sky", "zenith").value_or(env.sky_zenith);
    env.sky_horizon = check.color_field(*sky, "environment.sky", "horizon").value_or(env.sky_horizon);
    env.ground = check.color_field(*sky, "environment.sky", "ground").value_or(env.ground);
  }
  if (const auto sun = environment->find("sun"); sun != environment->end() && sun->is_object()) {
    check.check_fields(*sun, "environment.sun", {"direction", "color", "intensity", "shadows"});
    scene::DirectionalLight& light = source.light;
    light.direction = check.vector_field(*sun, "environment.sun", "direction", false).value_or(light.direction);
    if (glm::length(light.direction) < 1e-3f) {
      check.error("environment.sun.direction", "must not be [0, 0, 0]: it is the way the sunlight travels",
                  "不能为 [0, 0, 0]：它表示阳光照射的方向");
    }
    light.color = check.color_field(*sun, "environment.sun", "color").value_or(light.color);
    light.intensity = static_cast<float>(
        check.number_field(*sun, "environment.sun", "intensity", 0.0, 100.0).value_or(light.intensity));
    light.casts_shadows = check.bool_field(*sun, "environment.sun", "shadows").value_or(light.casts_shadows);
  }
}

// "viewpoints": where the visitor's view starts, one or more.
void parse_viewpoints(Checker& check, const json& root, SceneSource& source) {
  const auto viewpoints = root.find("viewpoints");
  if (viewpoints == root.end() || !viewpoints->is_array() || viewpoints->empty()) {
    check.error("viewpoints", "at least one viewpoint is needed: where the visitor's view starts",
                "至少需要一个视点：观众视角的起点");
  } else {
    for (size_t index = 0; index < viewpoints->size(); ++index) {
      const json& viewpoint = (*viewpoints)[index];
      const std::string path = fmt::format("viewpoints[{}]", index);
      if (!viewpoint.is_object()) {
        check.error(path, "each viewpoint must be an object { … }", "每个视点必须是一个对象 { … }");
        continue;
      }
      check.check_fields(viewpoint, path, {"name", "position", "target", "fov"});
      scene::Viewpoint out;
      out.name = check.text_field(viewpoint, path, "name", false);
      out.position = check.vector_field(viewpoint, path, "position", true).value_or(out.position);
      out.target = check.vector_field(viewpoint, path, "target", true).value_or(out.target);
      out.vertical_fov_degrees =
          static_cast<float>(check.number_field(viewpoint, path, "fov", 10.0, 120.0).value_or(out.vertical_fov_degrees));
      if (glm::distance(out.position, out.target) < 1e-3f) {
        check.error(Checker::join(path, "target"), "must differ from the position: it is the point looked at",
                    "必须与位置不同：它是视线所指的点");
      }
      source.viewpoints.push_back(out);
    }
  }
}

// One camera path: two or more keys, the first at time 0, times increasing.
void parse_camera_path(Checker& check, const json& path, const std::string& at, SceneSource& source) {
  if (!path.is_object()) {
    check.error(at, "each camera path must be an object { … }", "每条镜头路径必须是一个对象 { … }");
    return;
  }
  check.check_fields(path, at, {"name", "loop", "keys"});
  scene::CameraPath out;
  out.name = check.text_field(path, at, "name", false);
  out.loop = check.bool_field(path, at, "loop").value_or(true);
  const auto keys = path.find("keys");
  if (keys == path.end() || !keys->is_array() || keys->size() < 2) {
    check.error(Checker::join(at, "keys"), "a camera path needs two or more keys: {\"time\": …, \"position\": […], \"target\": […]}",
                "镜头路径至少需要两个关键帧：{\"time\": …, \"position\": […], \"target\": […]}");
    return;
  }
  for (size_t key = 0; key < keys->size(); ++key) {
    const std::string key_at = fmt::format("{}.keys[{}]", at, key);
    const json& value = (*keys)[key];
    if (!value.is_object()) {
      check.error(key_at, "each key must be an object { … }", "每个关键帧必须是一个对象 { … }");
      continue;
    }
    check.check_fields(value, key_at, {"time", "position", "target"});
    scene::CameraKey out_key;
    const auto time = check.number_field(value, key_at, "time", 0.0, 86'400.0);
    if (!time) check.error(Checker::join(key_at, "time"), "each key needs its time in seconds", "每个关键帧都需要以秒计的时间");
    out_key.time = static_cast<float>(time.value_or(0.0));
    out_key.position = check.vector_field(value, key_at, "position", true).value_or(glm::vec3(0.0f));
    out_key.target = check.vector_field(value, key_at, "target", true).value_or(glm::vec3(0.0f));
    const bool first = out.keys.empty();
    if (first && out_key.time != 0.0f) {
      check.error(Checker::join(key_at, "time"), "the first key's time must be 0", "第一个关键帧的时间必须为 0");
    } else if (!first && out_key.time <= out.keys.back().time) {
      check.error(Checker::join(key_at, "time"), "times must increase from one key to the next", "关键帧的时间必须逐个递增");
    }
    out.keys.push_back(out_key);
  }
  source.camera_paths.push_back(std::move(out));
}

// "camera_paths": the list, each path by parse_camera_path.
void parse_camera_paths(Checker& check, const json& root, SceneSource& source) {
  const auto paths = root.find("camera_paths");
  if (paths == root.end()) return;
  if (!paths->is_array()) {
    check.error("camera_paths", "must be a list [ … ] of camera paths", "必须是镜头路径列表 [ … ]");
    return;
  }
  for (size_t index = 0; index < paths->size(); ++index) {
    parse_camera_path(check, (*paths)[index], fmt::format("camera_paths[{}]", index), source);
  }
}

}  // namespace

scene::NodeTransform Placement::node_transform() const {
  const glm::quat yaw = glm::angleAxis(glm::radians(rotation_degrees.y), glm::vec3(0, 1, 0));
  const glm::quat pitch = glm::angleAxis(glm::radians(rotation_degrees.x), glm::vec3(1, 0, 0));
  const glm::quat roll = glm::angleAxis(glm::radians(rotation_degrees.z), glm::vec3(0, 0, 1));
  return {position, yaw * pitch * roll, glm::vec3(scale)};
}

std::optional<SceneSource> parse_scene_source(std::string_view text, const std::filesystem::path& file,
                                              std::vector<Finding>& findings) {
  Checker check(file, findings);
  std::optional<json> parsed =
      checking::parse_json_object(text, file, findings, "scene.json must hold one object { … }", "scene.json 必须包含一个对象 { … }");
  if (!parsed) return std::nullopt;
  const json& root = *parsed;
  SceneSource source;
  source.file = file;
  source.directory = file.parent_path();
  check.check_fields(root, "", {"id", "version", "title", "environment", "viewpoints", "camera_paths", "exhibits", "show",
                                "particles"});
  source.id = check.string_field(root, "", "id", true).value_or("");
  static const std::regex id_pattern("[a-z0-9][a-z0-9_-]{0,63}");
  if (!source.id.empty() && !std::regex_match(source.id, id_pattern)) {
    check.error("id", "must be lowercase letters, digits, '-' or '_', at most 64", "只能由小写字母、数字、“-”或“_”组成，最多 64 个");
  }
  source.version = check.string_field(root, "", "version", true).value_or("");
  source.title = check.text_field(root, "", "title", true);

  parse_environment(check, root, source);
  parse_viewpoints(check, root, source);
  parse_camera_paths(check, root, source);

  const auto exhibits = root.find("exhibits");
  if (exhibits != root.end() && !exhibits->is_array()) {
    check.error("exhibits", "must be a list [ … ] of exhibits", "必须是展品列表 [ … ]");
  } else if (exhibits != root.end()) {
    std::set<std::string> ids;
    for (size_t index = 0; index < exhibits->size(); ++index) {
      parse_exhibit(check, (*exhibits)[index], fmt::format("exhibits[{}]", index), source.directory, ids, source);
    }
  }
  parse_particles(check, root, source);
  parse_show(check, root, source);
  if (check.has_errors()) return std::nullopt;
  for (const Finding& finding : findings) {
    if (finding.severity == Finding::Severity::warning) source.warnings.push_back(finding);
  }
  return source;
}

Result<SceneSource> read_scene_source(const std::filesystem::path& directory) {
  return checking::read_json_file(directory / "scene.json", parse_scene_source);
}

}  // namespace pavilion::pack

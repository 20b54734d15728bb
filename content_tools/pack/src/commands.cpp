#include "pavilion/pack/commands.h"

#include "pavilion/core/file.h"
#include "pavilion/core/parallel.h"
#include "pavilion/pack/builder.h"
#include "pavilion/package/reader.h"
#include "pavilion/scene/loader.h"

#include <fmt/format.h>
#include <fmt/std.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <set>

namespace pavilion::pack {
namespace {

std::string megabytes(uint64_t bytes) { return fmt::format("{:.2f} MB", static_cast<double>(bytes) / 1e6); }

std::string_view status_text(package::SignatureStatus status, bool chinese) {
  switch (status) {
    case package::SignatureStatus::trusted: return chinese ? "已签名，签名者受信任" : "signed by a trusted key";
    case package::SignatureStatus::untrusted: return chinese ? "已签名，签名者未列入信任名单" : "signed by a key not on the trust list";
    case package::SignatureStatus::unsigned_package: return chinese ? "未签名" : "not signed";
    case package::SignatureStatus::mismatched: return chinese ? "签名与内容不符（已被篡改）" : "signature does not match the contents (tampered)";
  }
  return "";
}

Result<std::unique_ptr<package::PackageReader>> open_for_report(const std::filesystem::path& path,
                                                                 const std::vector<package::PublicKey>& trusted) {
  package::TrustPolicy trust;
  trust.trusted_signers = trusted;
  trust.report_only = true;
  return package::PackageReader::open(path, trust);
}

nlohmann::json manifest_of(const package::PackageReader& reader) {
  return nlohmann::json::parse(reader.manifest(), nullptr, false);
}

std::string blob_name(const nlohmann::json& manifest, const ContentHash& hash) {
  if (manifest.is_object() && manifest.contains("blob_names") && manifest["blob_names"].is_object()) {
    const auto found = manifest["blob_names"].find(hash.to_hex());
    if (found != manifest["blob_names"].end() && found->is_string()) return found->get<std::string>();
  }
  return "";
}

// What build and lint read of a command line alike; build adds the output, the key and progress.
BuildOptions options_of(const BuildCommand& command) {
  BuildOptions options;
  options.scene_directory = command.scene_directory;
  options.target = command.target;
  options.jobs = command.jobs;
  options.cache_directory = command.cache_directory;
  options.ca_file = command.ca_file;
  options.flash_check_size = command.flash_check_size;
  options.check_show_flashes = command.check_show_flashes;
  return options;
}

// The terminal bar: "textures [######----] 12/40 ETA 0:07"; one line per stage elsewhere.
class ConsoleProgress final : public ProgressSink {
 public:
  ConsoleProgress(const CommandContext& context) : context_(context) {}
  ~ConsoleProgress() override { end_line(); }

  void stage(std::string_view name, size_t steps) override {
    std::lock_guard lock(mutex_);
    end_line();
    stage_ = name;
    steps_ = steps;
    done_ = 0;
    start_ = std::chrono::steady_clock::now();
    if (!context_.quiet && !context_.terminal && steps > 0) fmt::print(context_.out, "{}: {}\n", stage_, steps);
  }
  void step(std::string_view item) override {
    std::lock_guard lock(mutex_);
    ++done_;
    if (context_.quiet) return;
    if (context_.verbose && !context_.terminal) fmt::print(context_.out, "  {} ({}/{})\n", item, done_, steps_);
    if (!context_.terminal) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double remaining = done_ > 0 ? elapsed / static_cast<double>(done_) * static_cast<double>(steps_ - done_) : 0;
    constexpr size_t width = 24;
    const size_t filled = steps_ ? width * done_ / steps_ : width;
    fmt::print(context_.out, "\r{:<9} [{}{}] {}/{}  ETA {}:{:02}  {:<30.30}", stage_, std::string(filled, '#'),
               std::string(width - filled, '-'), done_, steps_, static_cast<int>(remaining) / 60,
               static_cast<int>(remaining) % 60, item);
    std::fflush(context_.out);
    open_line_ = true;
  }
  void note(std::string_view line) override {
    std::lock_guard lock(mutex_);
    if (!context_.verbose) return;
    end_line();
    fmt::print(context_.out, "{}\n", line);
  }

 private:
  void end_line() {
    if (open_line_) fmt::print(context_.out, "\n");
    open_line_ = false;
  }

  const CommandContext& context_;
  std::mutex mutex_;
  std::string stage_;
  size_t steps_ = 0;
  size_t done_ = 0;
  bool open_line_ = false;
  std::chrono::steady_clock::time_point start_;
};

// Prints the Chinese or the English form of a message, as the context asks.
template <class... Args>
void print_localized(const CommandContext& context, std::FILE* stream, std::string_view chinese, std::string_view english,
                     Args&&... args) {
  fmt::print(stream, fmt::runtime(context.chinese ? chinese : english), std::forward<Args>(args)...);
}

}  // namespace

Result<void> command_keygen(const CommandContext& context, const std::filesystem::path& secret_path) {
  std::filesystem::path public_path = secret_path;
  public_path.replace_extension(".pub");
  if (std::filesystem::exists(secret_path)) {
    return Error(ErrorCode::invalid_input, "making a key pair",
                 fmt::format("{} already exists; choose another name, so that no key is lost", secret_path));
  }
  const package::KeyPair key = package::generate_key_pair();
  PV_TRY(package::write_key_files(key, secret_path, public_path));
  if (!context.quiet) {
    print_localized(context, context.out, "私钥：{}（请妥善保管，勿分享）\n公钥：{}（交给各展厅终端）\n指纹：{}\n",
                  "secret key: {} (keep it safe; never share it)\npublic key: {} (give it to "
                                              "every kiosk)\nfingerprint: {}\n",
               secret_path.string(), public_path.string(), package::to_hex(key.public_key).substr(0, 16));
  }
  return {};
}

Result<void> check_ca_file(const std::filesystem::path& file) {
  const auto refuse = [&](std::string_view english, std::string_view chinese) {
    return Error(ErrorCode::invalid_input, "--ca-file",
                 fmt::format("the certificate authorities in {} cannot be used: {}\n"
                             "--ca-file 指定的证书颁发机构文件 {} 无法使用：{}",
                             file, english, file, chinese));
  };
  std::error_code ignored;  // a status that cannot be had (a folder above not searchable): read_file says why
  const std::filesystem::file_type kind = std::filesystem::status(file, ignored).type();
  if (kind == std::filesystem::file_type::not_found) return refuse("there is no such file", "没有这个文件");
  if (kind == std::filesystem::file_type::directory) return refuse("it is a folder, not a PEM file", "它是文件夹，不是 PEM 文件");
  const auto bytes = read_file(file);
  if (!bytes) {
    return refuse(fmt::format("it cannot be read ({})", bytes.error().why()),
                  fmt::format("无法读取（{}）", bytes.error().why()));
  }
  // OpenSSL takes "CERTIFICATE", "X509 CERTIFICATE" and "TRUSTED CERTIFICATE" blocks alike; a file
  // without any (a private key, a DER file) would trust nothing, and every HTTPS server be refused.
  const std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  if (text.find("CERTIFICATE-----") == std::string_view::npos) {
    return refuse("it holds no certificate in PEM form (-----BEGIN CERTIFICATE-----)",
                  "其中没有 PEM 格式的证书（-----BEGIN CERTIFICATE-----）");
  }
  return {};
}

Result<int> command_build(const CommandContext& context, const BuildCommand& command) {
  std::optional<package::KeyPair> key;
  if (!command.key_file.empty()) {
    PV_TRY_ASSIGN(key, package::read_secret_key(command.key_file));
  }
  ConsoleProgress progress(context);
  BuildOptions options = options_of(command);
  options.output = command.output;
  options.key = key ? &*key : nullptr;
  options.progress = &progress;
  const auto start = std::chrono::steady_clock::now();
  PV_TRY_ASSIGN(const BuildReport report, build_package(options));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const Finding& finding : report.source.warnings) fmt::print(context.err, "{}\n", finding.describe(context.chinese));
  for (const Finding& finding : report.notes) fmt::print(context.err, "{}\n", finding.describe(context.chinese));
  if (!context.quiet) {
    print_localized(context, context.out, "已生成 {}：{}，{} 个数据块，{} 个三角形；用时 {:.1f} 秒（处理 {} 个资源，缓存命中 {} 个）{}\n",
                  "built {}: {}, {} blobs, {} triangles in {:.1f} s ({} assets processed, {} from the "
                                 "cache){}\n",
               command.output.string(), megabytes(report.package_bytes), report.blobs, report.triangles, seconds,
               report.assets_processed, report.assets_from_cache,
               key ? "" : (context.chinese ? "；未签名：展厅终端只在开发者模式下显示它" : "; unsigned: kiosks show it only in developer mode"));
  }
  return 0;
}

Result<int> command_inspect(const CommandContext& context, const std::filesystem::path& path) {
  PV_TRY_ASSIGN(auto reader, open_for_report(path, {}));
  const nlohmann::json manifest = manifest_of(*reader);
  const auto& header = reader->header();
  fmt::print(context.out, "{}\n  format {}  {}\n", path.string(), header.format_version, megabytes(header.file_size));
  if (manifest.is_object()) {
    fmt::print(context.out, "  id {}  version {}  target {}\n", manifest.value("id", "?"), manifest.value("version", "?"),
               manifest.value("target", "?"));
    if (manifest.contains("title") && manifest["title"].is_object()) {
      fmt::print(context.out, "  title {} / {}\n", manifest["title"].value("zh-CN", ""), manifest["title"].value("en", ""));
    }
  }
  fmt::print(context.out, "  signature: {}{}\n", status_text(reader->signature_status(), context.chinese),
             header.signer == package::PublicKey{} ? "" : fmt::format(" (key {})", package::to_hex(header.signer).substr(0, 16)));
  if (manifest.is_object() && manifest.contains("exhibits") && manifest["exhibits"].is_array()) {
    fmt::print(context.out, "\n  exhibits ({})\n", manifest["exhibits"].size());
    for (const auto& exhibit : manifest["exhibits"]) {
      if (!exhibit.is_object()) continue;
      const auto title = exhibit.value("title", nlohmann::json::object());
      fmt::print(context.out, "    {:<20} {:<8} {} / {}\n", exhibit.value("id", "?"), exhibit.value("kind", "?"),
                 title.is_object() ? title.value("zh-CN", "") : "", title.is_object() ? title.value("en", "") : "");
    }
  }
  fmt::print(context.out, "\n  blobs ({})\n    {:<16} {:<9} {:>11} {:>11} {:>6}  {}\n", reader->index().size(), "hash", "kind",
             "raw", "stored", "ratio", "name");
  uint64_t raw = 0;
  uint64_t stored = 0;
  // A book holds thousands of page tiles: counted on one line, not listed.
  size_t tiles = 0;
  uint64_t tiles_raw = 0;
  uint64_t tiles_stored = 0;
  for (const package::IndexEntry& entry : reader->index()) {
    raw += entry.raw_size;
    stored += entry.stored_size;
    if (entry.kind == package::BlobKind::page_tile) {
      ++tiles;
      tiles_raw += entry.raw_size;
      tiles_stored += entry.stored_size;
      continue;
    }
    fmt::print(context.out, "    {:<16} {:<9} {:>11} {:>11} {:>5.0f}%  {}\n", entry.hash.to_hex().substr(0, 16),
               package::to_string(entry.kind), megabytes(entry.raw_size), megabytes(entry.stored_size),
               entry.raw_size ? 100.0 * static_cast<double>(entry.stored_size) / static_cast<double>(entry.raw_size) : 100.0,
               blob_name(manifest, entry.hash));
  }
  if (tiles > 0) {
    fmt::print(context.out, "    {:<16} {:<9} {:>11} {:>11} {:>5.0f}%  {} page tiles of the books\n", "…", "page tile",
               megabytes(tiles_raw), megabytes(tiles_stored),
               100.0 * static_cast<double>(tiles_stored) / static_cast<double>(std::max<uint64_t>(tiles_raw, 1)), tiles);
  }
  fmt::print(context.out, "    {:<16} {:<9} {:>11} {:>11}\n", "total", "", megabytes(raw), megabytes(stored));
  if (manifest.is_object() && manifest.contains("budget") && manifest["budget"].is_object()) {
    const auto target = parse_target(manifest.value("target", "kiosk-pc")).value_or(Target::kiosk_pc);
    const Budget budget = budget_for(target);
    const auto& used = manifest["budget"];
    fmt::print(context.out,
               "\n  budget for {}\n    triangles   {:>12} of {}\n    draw calls  {:>12} of {}\n    texture     {:>12} of {}\n"
               "    audio       {:>10.0f} s of {:.0f} s\n",
               to_string(target), used.value("triangles", uint64_t{0}), budget.triangles, used.value("draw_calls", 0u),
               budget.draw_calls, megabytes(used.value("texture_bytes", uint64_t{0})), megabytes(budget.texture_bytes),
               used.value("audio_seconds", 0.0), budget.audio_seconds);
  }
  return 0;
}

Result<int> command_verify(const CommandContext& context, const std::filesystem::path& path,
                           const std::vector<std::filesystem::path>& trusted_key_files) {
  PV_TRY_ASSIGN(const package::TrustPolicy policy, package::trust_key_files(trusted_key_files, false));
  const std::vector<package::PublicKey>& trusted = policy.trusted_signers;
  auto reader = open_for_report(path, trusted);
  if (!reader) {
    fmt::print(context.err, "{}\n", reader.error().describe());
    return exit_damaged;
  }
  const auto status = (*reader)->signature_status();
  const bool signature_ok = status == package::SignatureStatus::trusted ||
                            (status == package::SignatureStatus::untrusted && trusted.empty());
  std::mutex mutex;
  std::vector<std::string> damaged;
  static_cast<void>(parallel_for((*reader)->index().size(), 0, [&](size_t blob) -> Result<void> {
    if (auto content = (*reader)->read_blob(static_cast<uint32_t>(blob)); !content) {
      std::lock_guard lock(mutex);
      damaged.push_back(content.error().describe());
    }
    return {};
  }));
  fmt::print(context.out, "{}: {}; {} of {} blobs intact\n", path.string(), status_text(status, context.chinese),
             (*reader)->index().size() - damaged.size(), (*reader)->index().size());
  for (const auto& problem : damaged) fmt::print(context.err, "  {}\n", problem);
  if (!damaged.empty()) return exit_blob_damaged;
  if (!signature_ok) return exit_signature;
  return 0;
}

Result<int> command_export_iiif(const CommandContext& context, const std::filesystem::path& path,
                                const std::filesystem::path& out_folder, const BookExportOptions& options) {
  PV_TRY_ASSIGN(auto reader, open_for_report(path, {}));
  scene::LoadOptions load;
  load.defer_texture_bytes = true;  // only the books' tables and tiles are wanted
  PV_TRY_ASSIGN(const scene::Scene scene, scene::load_scene(*reader, load));
  PV_TRY_ASSIGN(const BookExport exported, export_book_iiif(*reader, scene, out_folder, options));
  if (context.quiet) return 0;
  fmt::print(context.out, "{}: {}\n", path.string(), status_text(reader->signature_status(), context.chinese));
  if (context.chinese) {
    fmt::print(context.out, "已将书籍 {} 导出到 {}：{} 页，{} 个切片，清单为 {}/manifest.json\n", exported.exhibit, out_folder.string(),
               exported.pages, exported.tiles, options.base_url);
    if (exported.placeholders > 0) fmt::print(context.out, "其中 {} 页在场景包中没有图像，导出为无图画布\n", exported.placeholders);
  } else {
    fmt::print(context.out, "exported the book {} to {}: {} pages, {} tiles, its manifest at {}/manifest.json\n", exported.exhibit,
               out_folder.string(), exported.pages, exported.tiles, options.base_url);
    if (exported.placeholders > 0) {
      fmt::print(context.out, "{} of its pages have no picture in the package and are canvases without one\n", exported.placeholders);
    }
  }
  return 0;
}

Result<int> command_diff(const CommandContext& context, const std::filesystem::path& old_path,
                         const std::filesystem::path& new_path) {
  PV_TRY_ASSIGN(auto old_reader, open_for_report(old_path, {}));
  PV_TRY_ASSIGN(auto new_reader, open_for_report(new_path, {}));
  const nlohmann::json old_manifest = manifest_of(*old_reader);
  const nlohmann::json new_manifest = manifest_of(*new_reader);
  std::set<ContentHash> old_blobs;
  for (const auto& entry : old_reader->index()) old_blobs.insert(entry.hash);
  std::set<ContentHash> new_blobs;
  uint64_t download = new_reader->header().manifest_size + new_reader->index().size_bytes() + sizeof(package::Header);
  size_t added = 0;
  fmt::print(context.out, "{} → {}\n", old_path.string(), new_path.string());
  if (old_manifest.is_object() && new_manifest.is_object()) {
    fmt::print(context.out, "  version {} → {}\n", old_manifest.value("version", "?"), new_manifest.value("version", "?"));
    std::map<std::string, nlohmann::json> old_exhibits;
    std::map<std::string, nlohmann::json> new_exhibits;
    for (const auto& exhibit : old_manifest.value("exhibits", nlohmann::json::array())) old_exhibits[exhibit.value("id", "")] = exhibit;
    for (const auto& exhibit : new_manifest.value("exhibits", nlohmann::json::array())) new_exhibits[exhibit.value("id", "")] = exhibit;
    for (const auto& [id, exhibit] : new_exhibits) {
      if (!old_exhibits.contains(id)) fmt::print(context.out, "  + exhibit {}\n", id);
      else if (old_exhibits[id] != exhibit) fmt::print(context.out, "  ~ exhibit {} (metadata changed)\n", id);
    }
    for (const auto& [id, exhibit] : old_exhibits) {
      if (!new_exhibits.contains(id)) fmt::print(context.out, "  - exhibit {}\n", id);
    }
  }
  for (const auto& entry : new_reader->index()) {
    new_blobs.insert(entry.hash);
    if (old_blobs.contains(entry.hash)) continue;
    ++added;
    download += entry.stored_size;
    fmt::print(context.out, "  + {} {} {} ({})\n", package::to_string(entry.kind), entry.hash.to_hex().substr(0, 16),
               blob_name(new_manifest, entry.hash), megabytes(entry.stored_size));
  }
  size_t removed = 0;
  for (const auto& entry : old_reader->index()) {
    if (new_blobs.contains(entry.hash)) continue;
    ++removed;
    fmt::print(context.out, "  - {} {} {}\n", package::to_string(entry.kind), entry.hash.to_hex().substr(0, 16),
               blob_name(old_manifest, entry.hash));
  }
  print_localized(context, context.out, "新增 {} 个数据块，移除 {} 个；已持有旧包的终端需下载 {}（新包共 {}）\n",
                  "{} blobs added, {} removed; a kiosk holding the old package downloads {} (of {})\n",
             added, removed, megabytes(download), megabytes(new_reader->header().file_size));
  return 0;
}

Result<int> command_lint(const CommandContext& context, const BuildCommand& command) {
  PV_TRY_ASSIGN(const BuildReport report, build_package(options_of(command)));
  std::vector<Finding> findings = report.source.warnings;
  findings.insert(findings.end(), report.notes.begin(), report.notes.end());
  const Budget budget = budget_for(command.target);
  const std::string target(to_string(command.target));
  auto over = [&](bool exceeded, std::string english, std::string chinese) {
    if (exceeded) findings.push_back({Finding::Severity::warning, report.source.file, "(scene)", std::move(english), std::move(chinese)});
  };
  over(report.triangles > budget.triangles,
       fmt::format("{} triangles exceed the {} budget of {}; simplify the largest models", report.triangles, target, budget.triangles),
       fmt::format("三角形数 {} 超出 {} 的预算 {}；请简化最大的模型", report.triangles, target, budget.triangles));
  over(report.draw_calls > budget.draw_calls,
       fmt::format("{} draw calls exceed the {} budget of {}; share materials between models", report.draw_calls, target, budget.draw_calls),
       fmt::format("绘制调用 {} 次，超出 {} 的预算 {}；请让模型共用材质", report.draw_calls, target, budget.draw_calls));
  over(report.texture_bytes > budget.texture_bytes,
       fmt::format("textures need {} of GPU memory, over the {} budget of {}; use smaller images", megabytes(report.texture_bytes),
                   target, megabytes(budget.texture_bytes)),
       fmt::format("纹理需占用 {} 显存，超出 {} 的预算 {}；请使用更小的图片", megabytes(report.texture_bytes), target,
                   megabytes(budget.texture_bytes)));
  over(report.audio_seconds > budget.audio_seconds,
       fmt::format("{:.0f} s of sound exceed the budget of {:.0f} s; shorten the recordings", report.audio_seconds, budget.audio_seconds),
       fmt::format("音频共 {:.0f} 秒，超出预算 {:.0f} 秒；请缩短录音", report.audio_seconds, budget.audio_seconds));

  // Files in the scene's folder that nothing uses: forgotten, or a misspelt reference.
  std::set<std::filesystem::path> used;
  for (const auto& file : report.used_files) used.insert(std::filesystem::weakly_canonical(file));
  std::error_code error_code;
  for (auto entry = std::filesystem::recursive_directory_iterator(command.scene_directory, error_code);
       entry != std::filesystem::recursive_directory_iterator(); entry.increment(error_code)) {
    if (!entry->is_regular_file()) continue;
    const auto& file = entry->path();
    const std::string name = file.filename().string();
    static const std::set<std::string> companions{".bin", ".md", ".txt", ".mtl"};  // read by importers, or notes
    if (name.starts_with('.') || companions.contains(file.extension().string())) continue;
    if (used.contains(std::filesystem::weakly_canonical(file))) continue;
    const auto relative = std::filesystem::relative(file, command.scene_directory).string();
    findings.push_back({Finding::Severity::warning, file, "(file)",
                        fmt::format("'{}' is in the scene's folder but nothing in scene.json uses it", relative),
                        fmt::format("“{}”位于场景文件夹中，但 scene.json 没有使用它", relative)});
  }
  for (const Finding& finding : findings) fmt::print(context.out, "{}\n", finding.describe(context.chinese));
  const auto problems = std::count_if(findings.begin(), findings.end(),
                                      [](const Finding& finding) { return finding.severity != Finding::Severity::note; });
  print_localized(context, context.out, "{}：{} 条发现；{} 个三角形，{} 次绘制调用，纹理 {}，音频 {:.0f} 秒（目标 {}）\n",
                  "{}: {} findings; {} triangles, {} draw calls, {} of textures, {:.0f} s of sound (target {})\n",
             report.source.file.string(), problems, report.triangles, report.draw_calls, megabytes(report.texture_bytes),
             report.audio_seconds, target);
  return problems == 0 ? 0 : exit_findings;
}

}  // namespace pavilion::pack

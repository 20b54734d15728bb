#include "updates/updater.h"

#include "pavilion/core/log.h"
#include "pavilion/package/reader.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <condition_variable>
#include <set>
#include <stop_token>

namespace pavilion::kiosk {
namespace {

using distribution::Refusal;
using distribution::Seconds;

constexpr double megabyte = 1024.0 * 1024.0;

std::string local_text(Seconds utc, std::chrono::minutes utc_offset) {
  const LocalTime time = to_local(std::chrono::sys_seconds(std::chrono::seconds(utc)), utc_offset);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", static_cast<int>(time.date.year()), static_cast<unsigned>(time.date.month()),
                     static_cast<unsigned>(time.date.day()), time.minute_of_day / 60, time.minute_of_day % 60);
}

std::string window_text(const UpdateSettings::Window& window) {
  return fmt::format("{:02}:{:02}–{:02}:{:02}", window.from / 60, window.from % 60, window.until / 60, window.until % 60);
}

}  // namespace

Updater::Updater(const KioskConfig& config, Clock clock, distribution::TrustedState trusted, distribution::BlobStore store,
                 distribution::RepositoryClient client, package::TrustPolicy trust, InstalledState installed)
    : settings_(*config.updates),
      utc_offset_(config.utc_offset),
      clock_(std::move(clock)),
      installed_file_(config.updates->state / "installed.json"),
      trust_(std::move(trust)),
      trusted_(std::move(trusted)),
      store_(std::move(store)),
      client_(std::move(client)),
      installed_(std::move(installed)) {
  status_.disk_budget = settings_.disk_budget_bytes;
}

Result<std::unique_ptr<Updater>> Updater::open(const KioskConfig& config, Clock clock) {
  expects(config.updates.has_value(), "kiosk.json has an updates block");
  const UpdateSettings& settings = *config.updates;
  const auto context = [&](const char* what) { return fmt::format("{} in {}", what, settings.state.string()); };
  PV_TRY_ASSIGN(auto trust, package::trust_key_files(config.trusted_keys, config.developer_mode));
  PV_TRY_ASSIGN(auto trusted, distribution::TrustedState::open(settings.state / "metadata", settings.root)
                                  .add_context(context("opening the trusted metadata")));
  PV_TRY_ASSIGN(auto store, distribution::BlobStore::open(settings.state / "blobs").add_context(context("opening the blob store")));
  PV_TRY_ASSIGN(auto installed, InstalledState::load(settings.state / "installed.json"));
  PV_TRY_ASSIGN(auto client, distribution::RepositoryClient::connect(
                                 {.url = settings.url, .ca_file = settings.ca_file, .bytes_per_second = settings.bytes_per_second}));
  return std::unique_ptr<Updater>(new Updater(config, std::move(clock), std::move(trusted), std::move(store), std::move(client),
                                              std::move(trust), std::move(installed)));
}

Updater::~Updater() { stop(); }

void Updater::start() {
  expects(!thread_.joinable(), "the updater is started once");
  thread_ = std::thread([this] {
    while (!stopping_) {
      poll();
      std::unique_lock lock(wake_mutex_);
      wake_.wait_for(lock, std::chrono::duration<double>(settings_.poll_seconds), [this] { return stopping_.load(); });
    }
  });
}

void Updater::stop() {
  {
    std::lock_guard lock(wake_mutex_);
    stopping_ = true;
    cut_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Updater::poll() {
  const Seconds now = clock_();
  {
    std::lock_guard lock(mutex_);
    progress_.clear();
  }
  const auto refused = [](const Refusal& refusal) { return Problem{refusal.sentence(), refusal.detail, false}; };
  auto refreshed = distribution::refresh_metadata(trusted_, client_, now, &stopping_);
  if (const Refusal* refusal = std::get_if<Refusal>(&refreshed)) return finish_poll(now, {refused(*refusal)});
  // A frozen repository (nothing new, and the trusted files run out) is refused here: the kiosk
  // keeps showing what it has and says why.
  auto fresh = trusted_.check_fresh(now);
  if (const Refusal* refusal = std::get_if<Refusal>(&fresh)) return finish_poll(now, {refused(*refusal)});
  if (!trusted_.targets()) return finish_poll(now, {});  // nothing published yet
  wanted_ = wanted_packages(*trusted_.targets(), settings_, utc_offset_, now);

  Snapshot recorded;
  {
    std::lock_guard lock(mutex_);
    for (auto item = installed_.packages.begin(); item != installed_.packages.end();) {
      auto& [id, package] = *item;
      const auto wanted = std::find_if(wanted_.begin(), wanted_.end(), [&](const WantedPackage& want) { return want.target.id == id; });
      if (wanted != wanted_.end()) {
        package.shown_from = wanted->shown_from;
        package.shown_until = wanted->shown_until;
      } else if (package.showing) {
        // Dropped from its channel, or its campaign is over: it leaves the screen at the next safe moment.
        if (!package.shown_until || *package.shown_until > now) package.shown_until = now;
      } else {
        item = installed_.packages.erase(item);
        continue;
      }
      ++item;
    }
    recorded = snapshot_locked();
  }
  save(recorded);

  std::vector<Problem> problems;
  for (const WantedPackage& want : wanted_) {
    if (stopping_) break;
    const distribution::PackageTarget& target = want.target;
    {
      std::lock_guard lock(mutex_);
      const auto found = installed_.packages.find(target.id);
      if (found != installed_.packages.end()) {
        const InstalledPackage& package = found->second;
        if ((package.showing && package.showing->version == target.version) ||
            (package.staged && package.staged->version == target.version) || package.failed_version == target.version) {
          continue;
        }
      }
    }
    // The window is checked before each package (and each blob), not once per poll: a long
    // download must not run on into opening hours.
    const Seconds moment = clock_();
    if (!in_download_window(settings_, utc_offset_, moment)) {
      wait_for_window(target);
      continue;
    }
    std::optional<InstalledVersion> staged;
    const std::optional<Problem> problem = fetch_package(target, staged, download_window_end(settings_, utc_offset_, moment));
    if (!problem && !staged) {
      if (stopping_) break;  // the partial file waits for the next run
      wait_for_window(target);
      continue;
    }
    std::unique_lock lock(mutex_);
    progress_.erase(target.id);
    InstalledPackage& package = installed_.packages[target.id];
    if (problem) {
      problems.push_back(*problem);
      if (problem->lasting) {
        package.failed_version = target.version;
        package.failed_detail = problem->detail;
        package.rolled_back = false;
      } else {
        // The refusal's detail is English, for the log and the fleet report; the operator screen's
        // Chinese line says "failed" and the last check's sentence says why.
        progress_[target.id] = {{target.id, target.version, "failed", problem->detail}, ""};
      }
    } else {
      package.staged = std::move(staged);
      package.shown_from = want.shown_from;
      package.shown_until = want.shown_until;
      log::info("updates", "{} staged", target.key());
    }
    recorded = snapshot_locked();
    lock.unlock();
    save(recorded);
  }
  if (auto collected = collect_garbage(); !collected) {
    log::warn("updates", "collecting unused blobs: {}", collected.error().describe());
  } else if (*collected > 0) {
    log::info("updates", "{:.1f} MB of blobs no package uses removed", static_cast<double>(*collected) / megabyte);
  }
  finish_poll(now, problems);
}

void Updater::wait_for_window(const distribution::PackageTarget& target) {
  const std::string window = window_text(*settings_.download_window);
  set_progress(target, "downloading", {fmt::format("等待下载时段 {}", window), fmt::format("waits for the download window {}", window)});
}

bool Updater::cut_short(std::optional<Seconds> window_end) const { return stopping_ || (window_end && clock_() >= *window_end); }

distribution::Checked<uint64_t> Updater::fetch_blob(const ContentHash& hash, uint64_t length, std::optional<Seconds> window_end) {
  // Cleared before stopping_ is read, so a stop() meanwhile is never lost.
  cut_ = false;
  if (stopping_) cut_ = true;
  // The transfer reads cut_ between pieces; this watcher raises it when the window closes. It
  // reads the clock, not a timer, so a test's virtual clock closes the window too.
  std::jthread watcher;
  if (window_end) {
    watcher = std::jthread([this, end = *window_end](std::stop_token token) {
      std::mutex mutex;
      std::condition_variable_any woken;
      std::unique_lock lock(mutex);
      while (!token.stop_requested()) {
        if (clock_() >= end) {
          cut_ = true;
          return;
        }
        woken.wait_for(lock, token, std::chrono::milliseconds(20), [] { return false; });
      }
    });
  }
  return client_.fetch_blob(hash, length, store_, &cut_);
}

std::optional<Updater::Problem> Updater::fetch_package(const distribution::PackageTarget& target,
                                                       std::optional<InstalledVersion>& staged,
                                                       std::optional<Seconds> window_end) {
  const std::string name = fmt::format("{} {}", target.id, target.version);
  if (!store_.holds(target.head_hash)) {
    if (auto room = make_room(target.head_length, target)) return room;
    if (cut_short(window_end)) return std::nullopt;
    set_progress(target, "downloading", {"正在下载包头", "its head"});
    auto fetched = fetch_blob(target.head_hash, target.head_length, window_end);
    if (const Refusal* refusal = std::get_if<Refusal>(&fetched)) {
      if (cut_) return std::nullopt;
      return Problem{refusal->sentence(), refusal->detail, false};
    }
  }
  const std::filesystem::path head_path = store_.path_of(target.head_hash);
  auto head = package::PackageReader::open_head(head_path, trust_);
  if (!head) {
    const std::string why = head.error().describe();
    return Problem{{fmt::format("服务器发布的 {} 无法使用（{}）；在中心发布新版本之前不再尝试。", name, why),
                    fmt::format("{} from the hub cannot be used ({}); it is not tried again until the centre publishes "
                                "another version.", name, why)},
                   fmt::format("{}: {}", name, why), true};
  }
  const package::PackageReader& reader = **head;
  if (reader.header().file_size != target.size || reader.index().size() != target.blob_count) {
    const Refusal refusal{distribution::RefusalKind::mismatch, distribution::Role::targets,
                          fmt::format("{}: its head describes {} bytes in {} blobs, but targets says {} bytes in {}", name,
                                      reader.header().file_size, reader.index().size(), target.size, target.blob_count)};
    return Problem{refusal.sentence(), refusal.detail, true};
  }
  // Whoever holds the online targets key could otherwise offer an old signed version under a new
  // name; the curator's signature covers the manifest, so its id and version are the package's own.
  const auto manifest = nlohmann::json::parse(reader.manifest(), nullptr, false);
  const auto named = [&](const char* key) {
    return manifest.is_object() && manifest.contains(key) && manifest[key].is_string() ? manifest[key].get<std::string>() : "";
  };
  if (named("id") != target.id || named("version") != target.version) {
    const Refusal refusal{distribution::RefusalKind::mismatch, distribution::Role::targets,
                          fmt::format("{}: the package's own manifest names it \"{}\" version \"{}\"", name, named("id"),
                                      named("version"))};
    return Problem{refusal.sentence(), refusal.detail, true};
  }
  std::map<ContentHash, uint64_t> missing;
  uint64_t needed = 0;
  for (size_t blob = 0; blob < reader.index().size(); ++blob) {
    const ContentHash& hash = reader.stored_hashes()[blob];
    const uint64_t length = reader.index()[blob].stored_size;
    if (store_.holds(hash) || !missing.emplace(hash, length).second) continue;
    needed += length - std::min(length, store_.partial_size(hash));
  }
  if (auto room = make_room(needed, target)) return room;
  size_t fetched_blobs = 0;
  for (const auto& [hash, length] : missing) {
    if (cut_short(window_end)) return std::nullopt;
    const double megabytes = static_cast<double>(needed) / megabyte;
    set_progress(target, "downloading", {fmt::format("已下载 {} / {} 个数据块（共 {:.1f} MB）", fetched_blobs, missing.size(), megabytes),
                                         fmt::format("{} of {} blobs ({:.1f} MB)", fetched_blobs, missing.size(), megabytes)});
    auto fetched = fetch_blob(hash, length, window_end);
    if (const Refusal* refusal = std::get_if<Refusal>(&fetched)) {
      if (cut_) return std::nullopt;
      return Problem{refusal->sentence(), refusal->detail, false};
    }
    ++fetched_blobs;
  }
  // Opened as the kiosk will open it: every blob file there and whole (each was checked against
  // its hash as it entered the store).
  auto opened = package::PackageReader::open_stored(
      head_path, [this](const ContentHash& hash) { return store_.path_of(hash); }, trust_);
  if (!opened) {
    const std::string why = opened.error().describe();
    return Problem{{fmt::format("{} 的文件不完整（{}）；下次检查时重新下载。", name, why),
                    fmt::format("{} is incomplete ({}); it is fetched again at the next check.", name, why)},
                   fmt::format("{}: {}", name, why), false};
  }
  staged = InstalledVersion{target.version, target.head_hash, target.head_length};
  return std::nullopt;
}

std::optional<Updater::Problem> Updater::make_room(uint64_t needed, const distribution::PackageTarget& target) {
  const uint64_t budget = settings_.disk_budget_bytes;
  if (store_.bytes_held() + needed <= budget) return std::nullopt;
  if (auto collected = collect_garbage(); !collected) log::warn("updates", "collecting unused blobs: {}", collected.error().describe());
  const uint64_t used = store_.bytes_held();
  if (used + needed <= budget) return std::nullopt;
  const double over = static_cast<double>(used + needed - budget) / megabyte;
  const double budget_mb = static_cast<double>(budget) / megabyte;
  const double used_mb = static_cast<double>(used) / megabyte;
  return Problem{{fmt::format("{} {} 需要 {:.1f} MB，超出磁盘预算 {:.1f} MB（预算 {:.0f} MB，已用 {:.1f} MB），未下载；请在 kiosk.json "
                              "中调高 updates.disk_budget_mb，或请中心缩减本展台订阅的频道。",
                              target.id, target.version, static_cast<double>(needed) / megabyte, over, budget_mb, used_mb),
                  fmt::format("{} {} needs {:.1f} MB, {:.1f} MB more than the disk budget allows ({:.0f} MB, {:.1f} MB in "
                              "use), so it is not downloaded; raise updates.disk_budget_mb in kiosk.json, or ask the centre "
                              "to make this kiosk's channels smaller.",
                              target.id, target.version, static_cast<double>(needed) / megabyte, over, budget_mb, used_mb)},
                 fmt::format("{}: needs {} bytes, the disk budget of {} bytes has {} in use", target.key(), needed, budget, used),
                 false};
}

Result<uint64_t> Updater::collect_garbage() {
  std::vector<ContentHash> heads;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, package] : installed_.packages) {
      for (const auto* version : {&package.showing, &package.staged, &package.previous}) {
        if (*version) heads.push_back((*version)->head);
      }
    }
    // What is wanted and not yet held keeps its partial downloads; a version that failed keeps nothing.
    for (const WantedPackage& want : wanted_) {
      const auto found = installed_.packages.find(want.target.id);
      if (found == installed_.packages.end() || found->second.failed_version != want.target.version) {
        heads.push_back(want.target.head_hash);
      }
    }
  }
  std::set<ContentHash> keep;
  for (const ContentHash& head : heads) {
    keep.insert(head);
    if (!store_.holds(head)) continue;
    // A head that will not open names nothing worth keeping.
    auto reader = package::PackageReader::open_head(store_.path_of(head), trust_);
    if (!reader) continue;
    keep.insert((*reader)->stored_hashes().begin(), (*reader)->stored_hashes().end());
  }
  return store_.collect_garbage(keep);
}

void Updater::set_progress(const distribution::PackageTarget& target, std::string state, const LocalizedText& detail) {
  std::lock_guard lock(mutex_);
  progress_[target.id] = {{target.id, target.version, std::move(state), detail.en}, detail.zh_cn};
}

void Updater::finish_poll(Seconds now, const std::vector<Problem>& problems) {
  const uint64_t used = store_.bytes_held();
  std::error_code error;
  const auto space = std::filesystem::space(store_.folder(), error);
  std::lock_guard lock(mutex_);
  status_.root_version = trusted_.root().version;
  status_.timestamp_version = trusted_.timestamp() ? trusted_.timestamp()->version : 0;
  status_.snapshot_version = trusted_.snapshot() ? trusted_.snapshot()->version : 0;
  status_.targets_version = trusted_.targets() ? trusted_.targets()->version : 0;
  status_.disk_used = used;
  status_.disk_free = error ? 0 : space.available;
  status_.last_check_ms = now * 1000;
  std::set<std::string> details;
  for (const Problem& problem : problems) {
    log::warn("updates", "{}", problem.detail);
    // Said once, not at every poll while it lasts.
    if (!last_problems_.contains(problem.detail)) notes_.push_back("update refused: " + problem.detail);
    details.insert(problem.detail);
  }
  last_problems_ = std::move(details);
  status_.last_result = problems.empty() ? "ok" : problems.front().detail;
  status_.last_error = problems.empty() ? LocalizedText{} : problems.front().sentence;
}

Updater::Snapshot Updater::snapshot_locked() { return {installed_, ++generation_}; }

void Updater::save(const Snapshot& snapshot) {
  std::lock_guard lock(save_mutex_);
  if (snapshot.generation <= saved_generation_) return;  // a newer one is on disk already
  saved_generation_ = snapshot.generation;
  if (auto saved = snapshot.state.save(installed_file_); !saved) {
    log::error("updates", "{}", saved.error().describe());
    std::lock_guard notes_lock(mutex_);
    notes_.push_back("the installed packages could not be recorded: " + saved.error().why());
  }
}

bool Updater::switch_due(Seconds now) const {
  std::unique_lock lock(mutex_, std::try_to_lock);
  return lock.owns_lock() && installed_.switch_due(now);
}

size_t Updater::switch_now(Seconds now) {
  std::unique_lock lock(mutex_);
  std::map<std::string, std::string> before;
  for (const auto& [id, package] : installed_.packages) before[id] = package.showing ? package.showing->version : "";
  const size_t switched = installed_.switch_now(now);
  if (switched == 0) return 0;
  for (const auto& [id, package] : installed_.packages) {
    const std::string after = package.showing ? package.showing->version : "";
    if (after == before[id]) continue;
    notes_.push_back(after.empty() ? fmt::format("{} {} is no longer shown (its campaign is over, or its channel dropped it)", id, before[id])
                     : before[id].empty() ? fmt::format("{} {} is shown from now on", id, after)
                                          : fmt::format("{} switched from {} to {}", id, before[id], after));
  }
  const Snapshot recorded = snapshot_locked();
  lock.unlock();
  save(recorded);
  return switched;
}

std::vector<StoredPackage> Updater::showing() const {
  std::lock_guard lock(mutex_);
  std::vector<StoredPackage> shown;
  for (const auto& [id, package] : installed_.packages) {
    if (!package.showing) continue;
    shown.push_back({id, package.showing->version, store_.path_of(package.showing->head),
                     [store = &store_](const ContentHash& hash) { return store->path_of(hash); }});
  }
  return shown;
}

bool Updater::roll_back(const std::string& id, const std::string& version, const std::string& detail) {
  std::unique_lock lock(mutex_);
  if (!installed_.roll_back(id, version, detail)) return false;
  const InstalledPackage& package = installed_.packages.at(id);
  notes_.push_back(package.showing ? fmt::format("{} {} would not load; back to {} ({})", id, version, package.showing->version, detail)
                                   : fmt::format("{} {} would not load and has no earlier version to show ({})", id, version, detail));
  const Snapshot recorded = snapshot_locked();
  lock.unlock();
  save(recorded);
  return true;
}

std::vector<Updater::Shown> Updater::packages_locked() const {
  std::vector<Shown> shown;
  for (const auto& [id, package] : installed_.packages) {
    if (package.showing) shown.push_back({{id, package.showing->version, "showing", ""}, ""});
    if (package.staged) {
      const std::string when = package.shown_from ? local_text(*package.shown_from, utc_offset_) : "";
      shown.push_back(package.shown_from
                          ? Shown{{id, package.staged->version, "staged", fmt::format("switches at {}", when)}, fmt::format("将于 {} 切换", when)}
                          : Shown{{id, package.staged->version, "staged", "switches between visitors"}, "在两次参观之间切换"});
    }
    if (!package.failed_version.empty()) {
      shown.push_back({{id, package.failed_version, package.rolled_back ? "rolled_back" : "failed", package.failed_detail}, ""});
    }
  }
  for (const auto& [id, progress] : progress_) shown.push_back(progress);
  return shown;
}

UpdateStatus Updater::status() const {
  std::lock_guard lock(mutex_);
  UpdateStatus status = status_;
  for (Shown& package : packages_locked()) status.packages.push_back(std::move(package.status));
  return status;
}

std::vector<std::string> Updater::take_notes() {
  std::unique_lock lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return {};
  return std::exchange(notes_, {});
}

ContentLibrary open_installed_content(const KioskConfig& config, const scene::LoadOptions& options, Updater* updater) {
  if (!updater) return ContentLibrary::open(config, options);
  // Each round rolls at least one package back to an older version (or off the screen), so this ends.
  for (;;) {
    const std::vector<StoredPackage> stored = updater->showing();
    ContentLibrary library = ContentLibrary::open(config, options, stored);
    bool rolled_back = false;
    for (const ContentProblem& problem : library.problems()) {
      for (const StoredPackage& package : stored) {
        if (problem.package == package.name()) rolled_back |= updater->roll_back(package.id, package.version, problem.detail);
      }
    }
    if (!rolled_back) return library;
  }
}

std::vector<LocalizedText> Updater::operator_lines() const {
  std::lock_guard lock(mutex_);
  const UpdateStatus& status = status_;
  std::vector<LocalizedText> lines;
  const double used = static_cast<double>(status.disk_used) / megabyte;
  const double budget = static_cast<double>(status.disk_budget) / megabyte;
  lines.push_back({fmt::format("更新：根 v{} · 时间戳 v{} · 快照 v{} · 目标 v{} · 磁盘 {:.0f} / {:.0f} MB", status.root_version,
                               status.timestamp_version, status.snapshot_version, status.targets_version, used, budget),
                   fmt::format("Updates: root v{} · timestamp v{} · snapshot v{} · targets v{} · disk {:.0f} / {:.0f} MB",
                               status.root_version, status.timestamp_version, status.snapshot_version, status.targets_version,
                               used, budget)});
  if (status.last_check_ms == 0) {
    lines.push_back({"尚未检查更新", "Not checked for updates yet"});
  } else {
    const std::string when = local_text(status.last_check_ms / 1000, utc_offset_);
    lines.push_back(status.last_result == "ok"
                        ? LocalizedText{fmt::format("上次检查 {}：正常", when), fmt::format("Last check {}: ok", when)}
                        : LocalizedText{fmt::format("上次检查 {}：{}", when, status.last_error.zh_cn),
                                        fmt::format("Last check {}: {}", when, status.last_error.en)});
  }
  for (const Shown& shown : packages_locked()) {
    const PackageStatus& package = shown.status;
    const auto [zh, en] = package.state == "showing"       ? std::pair{"展示中", "showing"}
                          : package.state == "staged"      ? std::pair{"已就绪", "staged"}
                          : package.state == "downloading" ? std::pair{"下载中", "downloading"}
                          : package.state == "rolled_back" ? std::pair{"加载失败，已回退", "would not load, rolled back"}
                                                           : std::pair{"失败", "failed"};
    const std::string detail_zh_cn = shown.detail_zh_cn.empty() ? "" : " — " + shown.detail_zh_cn;
    const std::string detail = package.detail.empty() ? "" : " — " + package.detail;
    lines.push_back({fmt::format("  {} {}：{}{}", package.id, package.version, zh, detail_zh_cn),
                     fmt::format("  {} {}: {}{}", package.id, package.version, en, detail)});
  }
  return lines;
}

}  // namespace pavilion::kiosk

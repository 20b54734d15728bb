#include "texture_paths.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <system_error>

namespace pavilion::pack {
namespace {

namespace fs = std::filesystem;

// Letter case is ignored for ASCII letters only: Windows folds other letters too, by tables this
// tool does not carry.
bool same_name(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

// Without the spaces and quotes around it and a file:// scheme before it.
std::string_view trimmed(std::string_view text) {
  const auto blank = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
  if (text.starts_with("file://")) text.remove_prefix(7);
  return text;
}

// glTF writes its paths as URIs ("my%20scan.png"); an escape that is not one stays as written.
std::string percent_decoded(std::string_view text) {
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string decoded;
  for (size_t index = 0; index < text.size(); ++index) {
    if (text[index] == '%' && index + 2 < text.size() && hex(text[index + 1]) >= 0 && hex(text[index + 2]) >= 0) {
      decoded += static_cast<char>(hex(text[index + 1]) * 16 + hex(text[index + 2]));
      index += 2;
    } else {
      decoded += text[index];
    }
  }
  return decoded;
}

// The path's folders and file name, with either separator, without a drive letter ("C:"), a
// root or "." steps.
std::vector<std::string> components(std::string_view path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t end = std::min(path.find_first_of("/\\", start), path.size());
    const std::string_view part = path.substr(start, end - start);
    const bool drive = parts.empty() && part.size() == 2 && part[1] == ':' && std::isalpha(static_cast<unsigned char>(part[0]));
    if (!part.empty() && part != "." && !drive) parts.emplace_back(part);
    start = end + 1;
  }
  return parts;
}

// The entry of `folder` called `name`, in this letter case or, failing that, another (the first
// by name when several differ only in case).
std::optional<fs::path> entry_named(const fs::path& folder, const std::string& name) {
  std::error_code error;
  if (fs::exists(folder / name, error)) return folder / name;
  std::optional<fs::path> found;
  for (fs::directory_iterator entry(folder, error), end; !error && entry != end; entry.increment(error)) {
    if (same_name(entry->path().filename().string(), name) && (!found || entry->path() < *found)) found = entry->path();
  }
  return found;
}

// The file that parts[first…] name below `folder`.
std::optional<fs::path> walk(const fs::path& folder, const std::vector<std::string>& parts, size_t first) {
  fs::path at = folder;
  for (size_t index = first; index < parts.size(); ++index) {
    const auto next = entry_named(at, parts[index]);
    if (!next) return std::nullopt;
    at = *next;
  }
  std::error_code error;
  if (!fs::is_regular_file(at, error)) return std::nullopt;
  return at;
}

}  // namespace

std::optional<fs::path> TexturePathResolver::find(std::string_view reference) {
  const std::string_view text = trimmed(reference);
  if (text.empty()) return std::nullopt;
  if (auto found = find_one(text)) return found;
  const std::string decoded = percent_decoded(text);
  if (decoded != text) return find_one(decoded);
  return std::nullopt;
}

std::optional<fs::path> TexturePathResolver::find_one(std::string_view reference) {
  std::error_code error;
  const fs::path written = folder_ / fs::path(reference);
  if (fs::is_regular_file(written, error)) return written;
  const std::vector<std::string> parts = components(reference);
  if (parts.empty()) return std::nullopt;
  for (size_t first = 0; first < parts.size(); ++first) {
    if (auto found = walk(folder_, parts, first)) return found;
  }
  for (const fs::path& file : files_under_folder()) {
    if (same_name(file.filename().string(), parts.back())) return file;
  }
  return std::nullopt;
}

const std::vector<fs::path>& TexturePathResolver::files_under_folder() {
  if (files_) return *files_;
  files_.emplace();
  std::error_code error;
  for (fs::recursive_directory_iterator entry(folder_, fs::directory_options::skip_permission_denied, error), end;
       !error && entry != end; entry.increment(error)) {
    if (entry->is_regular_file(error)) files_->push_back(entry->path());
  }
  const auto depth = [](const fs::path& path) { return std::distance(path.begin(), path.end()); };
  std::sort(files_->begin(), files_->end(), [&](const fs::path& a, const fs::path& b) {
    const auto depth_a = depth(a);
    const auto depth_b = depth(b);
    return depth_a != depth_b ? depth_a < depth_b : a < b;
  });
  return *files_;
}

}  // namespace pavilion::pack

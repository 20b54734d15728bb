#include "web_files.h"

#include "json_text.h"
#include "pavilion/core/file.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <system_error>

namespace pavilion::hub {
namespace {

namespace http = boost::beast::http;
using Response = http::response<http::string_body>;

struct ContentType {
  std::string_view extension;
  std::string_view type;
};
constexpr std::array<ContentType, 9> content_types{{{".html", "text/html; charset=utf-8"},
                                                    {".js", "text/javascript; charset=utf-8"},
                                                    {".css", "text/css; charset=utf-8"},
                                                    {".svg", "image/svg+xml"},
                                                    {".png", "image/png"},
                                                    {".ico", "image/x-icon"},
                                                    {".json", "application/json"},
                                                    {".woff2", "font/woff2"},
                                                    {".txt", "text/plain; charset=utf-8"}}};

// Only the hub's own files run, style, load or are fetched, and no other site may frame the
// page (clickjacking a signed-in librarian). ECharts draws on a canvas and sets styles through
// the DOM, which 'self' allows.
constexpr std::string_view content_security_policy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// A name directly in assets/: letters, digits, '.', '_' and '-', not starting with a dot. This
// alone keeps every request inside the folder: no "..", no '/', no '%' to decode into either.
bool is_plain_name(std::string_view name) {
  if (name.empty() || name.size() > 128 || name.front() == '.') return false;
  return std::ranges::all_of(name, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

Response respond(const http::request<http::string_body>& request, http::status status, std::string body,
                 std::string_view content_type) {
  Response response(status, request.version());
  response.set(http::field::server, "pavilion-hub");
  response.set(http::field::content_type, content_type);
  response.set("Content-Security-Policy", content_security_policy);
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
  response.set("X-Frame-Options", "DENY");  // frame-ancestors for browsers that predate it
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response not_found(const http::request<http::string_body>& request, std::string_view path) {
  return respond(request, http::status::not_found,
                 json_text(nlohmann::json{{"error", fmt::format("there is no {} here; the dashboard is at /", path)}}),
                 "application/json");
}

}  // namespace

std::optional<Response> serve_web_file(const http::request<http::string_body>& request, const std::filesystem::path& root) {
  const std::string_view target = request.target();
  const std::string_view path = target.substr(0, target.find('?'));
  std::filesystem::path file;
  if (path == "/" || path == "/index.html") {
    file = root / "index.html";
  } else if (path == "/summary.html") {
    file = root / "summary.html";
  } else if (path.starts_with("/assets/")) {
    const std::string_view name = path.substr(std::string_view("/assets/").size());
    if (!is_plain_name(name)) return not_found(request, path);
    file = root / "assets" / std::string(name);
  } else {
    return std::nullopt;
  }
  if (request.method() != http::verb::get) {
    Response response = respond(request, http::status::method_not_allowed,
                                json_text(nlohmann::json{{"error", fmt::format("{} takes GET", path)}}), "application/json");
    response.set(http::field::allow, "GET");
    return response;
  }
  const std::string extension = file.extension().string();
  const auto type = std::ranges::find(content_types, extension, &ContentType::extension);
  std::error_code failure;
  const bool regular = std::filesystem::is_regular_file(file, failure);
  if (type == content_types.end() || !regular) return not_found(request, path);

  // The version a browser holds is named by the file's size and modification time: a hub
  // upgraded in place serves new files at once, an unchanged one answers 304 without a body.
  const auto size = std::filesystem::file_size(file, failure);
  const auto modified = std::filesystem::last_write_time(file, failure);
  if (failure) return not_found(request, path);
  const std::string etag = fmt::format("\"{:x}-{:x}\"", size, modified.time_since_epoch().count());
  if (request[http::field::if_none_match] == etag) {
    Response response = respond(request, http::status::not_modified, {}, type->type);
    response.set(http::field::etag, etag);
    response.set(http::field::cache_control, "no-cache");
    return response;
  }
  auto bytes = read_file(file);
  if (!bytes) return not_found(request, path);
  Response response = respond(request, http::status::ok,
                              std::string(reinterpret_cast<const char*>(bytes->data()), bytes->size()), type->type);
  response.set(http::field::etag, etag);
  // Revalidated on every use (cheap with the ETag), so the page and its scripts never mix versions.
  response.set(http::field::cache_control, "no-cache");
  return response;
}

}  // namespace pavilion::hub

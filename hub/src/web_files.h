// The dashboard's files (hub/web/, copied into HubConfig::web_root by the build): the page, the
// printable summary and a flat folder of assets. Anyone may read them; the page asks to sign in
// before it shows a number, and every number comes from /api (hub/DASHBOARD.md).
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <filesystem>
#include <optional>

namespace pavilion::hub {

// Answers GET /, /index.html, /summary.html and /assets/NAME from `root`: 200 with the file, its
// content type, Cache-Control, an ETag (304 when the browser already holds that version) and
// the security headers (a Content-Security-Policy allowing only the hub's own scripts, styles,
// images and connections, and no framing); 404 for a name that is not a plain file of a known
// type directly in root/assets (no "..", no sub-folder, no hidden file); 405 for other methods.
// nullopt for every other path, which the API's routes answer.
std::optional<boost::beast::http::response<boost::beast::http::string_body>> serve_web_file(
    const boost::beast::http::request<boost::beast::http::string_body>& request, const std::filesystem::path& root);

}  // namespace pavilion::hub

// The hub's JSON answers as text. Answers echo what clients sent (a path, a query's branch or
// package, a name tried at sign-in), and a client can send bytes that are not UTF-8: nlohmann's
// dump() throws on those, which would end the server's thread. Here they become U+FFFD instead.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace pavilion::hub {

template <typename Json>
std::string json_text(const Json& document) {
  return document.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace pavilion::hub

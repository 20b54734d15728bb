#include "pavilion/core/error.h"

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace pavilion {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::io: return "io";
    case ErrorCode::invalid_input: return "invalid_input";
    case ErrorCode::unsupported: return "unsupported";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::gpu: return "gpu";
    case ErrorCode::device_lost: return "device_lost";
    case ErrorCode::out_of_memory: return "out_of_memory";
    case ErrorCode::internal: return "internal";
  }
  return "unknown";
}

Error::Error(ErrorCode code, std::string what, std::string why, std::source_location where)
    : code_(code), what_(std::move(what)), why_(std::move(why)), where_(where) {}

Error& Error::add_context(std::string step) & {
  context_.push_back(std::move(step));
  return *this;
}

Error&& Error::add_context(std::string step) && {
  context_.push_back(std::move(step));
  return std::move(*this);
}

namespace {
// Source paths are absolute at compile time; from "engine/" (or the project's other top-level
// folders) on is what a reader of a log needs.
std::string_view project_relative(std::string_view path) {
  for (std::string_view root : {"/engine/", "/content_tools/", "/kiosk/", "/hub/", "/tests/", "/bench/"}) {
    if (auto at = path.rfind(root); at != std::string_view::npos) return path.substr(at + 1);
  }
  return path;
}
}  // namespace

std::string Error::describe() const {
  std::string text;
  for (auto step = context_.rbegin(); step != context_.rend(); ++step) {
    text += *step;
    text += ": ";
  }
  text += what_;
  if (!why_.empty()) {
    text += ": ";
    text += why_;
  }
  text += " [";
  text += project_relative(where_.file_name());
  text += ':';
  text += std::to_string(where_.line());
  text += ']';
  return text;
}

namespace detail {
void fail_precondition(std::string_view message, const Error* error, std::source_location where) {
  std::fprintf(stderr, "pavilion: precondition failed at %s:%u: %.*s\n", where.file_name(),
               static_cast<unsigned>(where.line()), static_cast<int>(message.size()), message.data());
  if (error) std::fprintf(stderr, "pavilion: the error was: %s\n", error->describe().c_str());
  std::abort();
}
}  // namespace detail

}  // namespace pavilion

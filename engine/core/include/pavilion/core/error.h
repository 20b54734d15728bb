// Error values for every module boundary.
//
// A function that can fail for reasons outside its caller's control (a file, a device, a
// network, outside data) returns Result<T>. The Error inside says what failed, why, where the
// failure was detected (file:line), and, as it travels upward, which larger steps it interrupted.
// Misuse by the caller (reading the value of a failed Result) is a bug and aborts with a message.
#pragma once

#include <optional>
#include <source_location>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace pavilion {

enum class ErrorCode {
  io,             // a file or stream could not be opened, read or written
  invalid_input,  // outside data (a file, a request, a scene) is malformed
  unsupported,    // well-formed, but this build or device cannot handle it
  not_found,      // a named thing does not exist
  gpu,            // a Vulkan call failed
  device_lost,    // the GPU device was lost (driver reset, hang); recreate it to go on
  out_of_memory,  // host or device memory ran out
  internal,       // an invariant of our own broke; a bug to report
};

std::string_view to_string(ErrorCode code);

class Error {
 public:
  // `what` names the operation that failed ("vkCreateDevice", "reading scene.json");
  // `why` is the reason ("VK_ERROR_INITIALIZATION_FAILED", "line 3: expected ','").
  Error(ErrorCode code, std::string what, std::string why,
        std::source_location where = std::source_location::current());

  ErrorCode code() const { return code_; }
  const std::string& what() const { return what_; }
  const std::string& why() const { return why_; }
  const std::source_location& where() const { return where_; }
  // Outer steps, innermost first: {"creating the pbr pipeline", "starting the renderer"}.
  const std::vector<std::string>& context() const { return context_; }

  // Records the larger step this error interrupted.
  Error& add_context(std::string step) &;
  Error&& add_context(std::string step) &&;

  // One line, outermost step first:
  // "starting the renderer: creating the pbr pipeline: vkCreateGraphicsPipelines failed:
  //  VK_ERROR_OUT_OF_DEVICE_MEMORY [engine/render/src/pipelines.cpp:88]"
  std::string describe() const;

 private:
  ErrorCode code_;
  std::string what_;
  std::string why_;
  std::source_location where_;
  std::vector<std::string> context_;
};

namespace detail {
[[noreturn]] void fail_precondition(std::string_view message, const Error* error,
                                    std::source_location where);
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value(std::source_location where = std::source_location::current()) & {
    check_ok(where);
    return std::get<0>(state_);
  }
  const T& value(std::source_location where = std::source_location::current()) const& {
    check_ok(where);
    return std::get<0>(state_);
  }
  T&& value(std::source_location where = std::source_location::current()) && {
    check_ok(where);
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { return std::get<1>(state_); }
  Error&& error() && { return std::get<1>(std::move(state_)); }

  // Adds an outer step to a failure; a success passes through unchanged.
  Result&& add_context(std::string step) && {
    if (!ok()) std::get<1>(state_).add_context(std::move(step));
    return std::move(*this);
  }

 private:
  void check_ok(const std::source_location& where) const {
    if (!ok()) detail::fail_precondition("value() of a failed Result", &std::get<1>(state_), where);
  }
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::in_place, std::move(error)) {}

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }

  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }

  Result&& add_context(std::string step) && {
    if (error_) error_->add_context(std::move(step));
    return std::move(*this);
  }

 private:
  std::optional<Error> error_;
};

// Asserts a precondition that only a caller bug can break; aborts with the message otherwise.
inline void expects(bool condition, std::string_view message,
                    std::source_location where = std::source_location::current()) {
  if (!condition) detail::fail_precondition(message, nullptr, where);
}

}  // namespace pavilion

#define PV_CONCAT_INNER(a, b) a##b
#define PV_CONCAT(a, b) PV_CONCAT_INNER(a, b)

// Returns the error of `expr` (a Result) from the enclosing function, which returns a Result.
// The temporaries get unique names, so the macros nest (a lambda inside a PV_TRY may use them).
#define PV_TRY(expr) PV_TRY_IMPL(PV_CONCAT(pv_try_result_, __COUNTER__), expr)
#define PV_TRY_IMPL(result, expr)                                      \
  do {                                                                 \
    if (auto result = (expr); !result) return std::move(result).error(); \
  } while (false)

// `PV_TRY_ASSIGN(auto x, f());` declares x from a successful Result, or returns its error.
// It expands to several statements: inside an if or a loop, use braces.
#define PV_TRY_ASSIGN(declaration, expr) \
  PV_TRY_ASSIGN_IMPL(PV_CONCAT(pv_try_result_, __COUNTER__), declaration, expr)
#define PV_TRY_ASSIGN_IMPL(result, declaration, expr) \
  auto result = (expr);                               \
  if (!result) return std::move(result).error();      \
  declaration = std::move(result).value()

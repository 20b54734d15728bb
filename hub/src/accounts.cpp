#include "pavilion/hub/accounts.h"

#include "pavilion/telemetry/wire.h"

#include <fmt/format.h>
#include <sodium.h>

#include <array>
#include <string>

namespace pavilion::hub {
namespace {

constexpr size_t shortest_password = 12;

bool is_valid_user_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (const char character : name) {
    const bool plain = (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') ||
                       (character >= '0' && character <= '9') || character == '.' || character == '_' ||
                       character == '-' || character == '@';
    if (!plain) return false;
  }
  return true;
}

// Counted in characters, not bytes, so a Chinese pass phrase is held to the same length.
size_t characters_in(std::string_view text) {
  size_t count = 0;
  for (const char byte : text) count += (static_cast<unsigned char>(byte) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

}  // namespace

std::optional<Role> parse_role(std::string_view name) {
  if (name == "administrator") return Role::administrator;
  if (name == "librarian") return Role::librarian;
  if (name == "viewer") return Role::viewer;
  return std::nullopt;
}

std::string_view role_name(Role role) {
  switch (role) {
    case Role::administrator: return "administrator";
    case Role::librarian: return "librarian";
    case Role::viewer: return "viewer";
  }
  return "viewer";
}

Result<std::string> hash_password(std::string_view password) {
  const char* step = "setting a password";
  if (characters_in(password) < shortest_password) {
    return Error(ErrorCode::invalid_input, step,
                 fmt::format("a password must be at least {0} characters; choose a longer one (密码至少需要 {0} 个字符，请换一个更长的)",
                             shortest_password));
  }
  if (sodium_init() < 0) return Error(ErrorCode::internal, step, "libsodium could not start");
  std::array<char, crypto_pwhash_STRBYTES> hash{};
  if (crypto_pwhash_str(hash.data(), password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Error(ErrorCode::out_of_memory, step, "Argon2id could not get the memory it needs");
  }
  return std::string(hash.data());
}

bool verify_password(std::string_view password_hash, std::string_view password) {
  if (password_hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::array<char, crypto_pwhash_STRBYTES> hash{};
  password_hash.copy(hash.data(), password_hash.size());
  return crypto_pwhash_str_verify(hash.data(), password.data(), password.size()) == 0;
}

const std::string& decoy_password_hash() {
  static const std::string decoy = [] {
    std::array<unsigned char, 24> secret{};
    randombytes_buf(secret.data(), secret.size());
    std::string password(secret.size() * 2 + 1, '\0');
    sodium_bin2hex(password.data(), password.size(), secret.data(), secret.size());
    password.pop_back();
    return hash_password(password).value();
  }();
  return decoy;
}

Result<void> add_person(AccountStore& store, std::string_view name, Role role, const std::optional<std::string>& branch,
                        std::string_view password) {
  const std::string step = fmt::format("adding {}", name);
  if (!is_valid_user_name(name)) {
    return Error(ErrorCode::invalid_input, step,
                 fmt::format("the name \"{}\" must be 1–64 letters, digits, '.', '_', '-' or '@'", name));
  }
  if (role == Role::librarian && (!branch || branch->empty())) {
    return Error(ErrorCode::invalid_input, step, "a librarian sees one branch: give it with --branch ID");
  }
  // The rule enrolment holds branch ids to (server.cpp, enrol_device).
  if (role == Role::librarian && !telemetry::is_valid_device_id(*branch)) {
    return Error(ErrorCode::invalid_input, step,
                 fmt::format("the branch id \"{}\" must be 1–64 letters, digits, '.', '_' or '-'", *branch));
  }
  if (role != Role::librarian && branch) {
    return Error(ErrorCode::invalid_input, step,
                 fmt::format("the {} role sees every branch; --branch is for librarians only", role_name(role)));
  }
  PV_TRY_ASSIGN(std::string hash, hash_password(password));
  PV_TRY_ASSIGN(const bool added, store.add_user({std::string(name), role, branch, std::move(hash)}));
  if (!added) {
    return Error(ErrorCode::invalid_input, step,
                 fmt::format("there is already someone called {}; choose another name, or `user password {}`", name, name));
  }
  return {};
}

Result<void> change_password(AccountStore& store, std::string_view name, std::string_view password) {
  PV_TRY_ASSIGN(const std::string hash, hash_password(password));
  PV_TRY_ASSIGN(const bool changed, store.set_password(name, hash));
  if (!changed) {
    return Error(ErrorCode::not_found, fmt::format("changing {}'s password", name),
                 fmt::format("there is nobody called {}; `pavilion-hub user list` shows who there is", name));
  }
  return {};
}

}  // namespace pavilion::hub

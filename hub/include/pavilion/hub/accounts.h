// People who use the dashboard (hub/DASHBOARD.md, "People and permissions"): accounts with a
// role, their browser sessions, the lockout after failed sign-ins, and the audit log. Kiosk
// tokens and the admin token are machines' keys and are not accounts.
#pragma once

#include "pavilion/core/error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::hub {

enum class Role { administrator, librarian, viewer };
std::optional<Role> parse_role(std::string_view name);
std::string_view role_name(Role role);

struct UserAccount {
  std::string name;
  Role role = Role::viewer;
  std::optional<std::string> branch;  // a librarian's branch; nobody else has one
  std::string password_hash;          // libsodium's crypto_pwhash_str (Argon2id, interactive limits)
};

// A signed-in browser. The cookie's value is never stored: only its hash_token.
struct WebSession {
  std::string token_hash;
  std::string user;
  std::string csrf_token;  // sent back in X-CSRF-Token with every request that changes something
  int64_t expires_ms = 0;
};

struct AuditEntry {
  int64_t time_ms = 0;
  std::string user;
  std::string action;  // "sign_in", "sign_in_failed", "sign_out", "view", "export"
  std::string detail;  // what was looked at or exported, with its filter
};

// Failures counted per name tried, whether or not a person has that name, so the answer never
// tells which names exist.
struct LockoutRule {
  uint32_t failures = 5;
  int64_t window_ms = 15 * 60'000;
  int64_t lock_ms = 15 * 60'000;
};

// The part of the store that keeps people. Both backends implement it (store.h).
class AccountStore {
 public:
  virtual ~AccountStore() = default;
  // False, and nothing changed, when the name is taken.
  virtual Result<bool> add_user(const UserAccount& user) = 0;
  virtual Result<std::optional<UserAccount>> user(std::string_view name) = 0;
  virtual Result<std::vector<UserAccount>> users() = 0;  // by name
  // Replaces the password, ends the person's sessions and clears their failures and lock; false
  // if there is no such person.
  virtual Result<bool> set_password(std::string_view name, std::string_view password_hash) = 0;
  // Removes the person and their sessions; false if there was none. The audit log keeps the name.
  virtual Result<bool> remove_user(std::string_view name) = 0;

  // Until when `name` is locked: a time after now_ms, or 0.
  virtual Result<int64_t> locked_until(std::string_view name, int64_t now_ms) = 0;
  // Records a failed sign-in for `name` at now_ms; when the rule's number of failures fall within
  // its window (a sliding one: each failure is kept with its time until it is older), the name
  // is locked for lock_ms and its failures start again. Returns what locked_until would.
  virtual Result<int64_t> count_sign_in_failure(std::string_view name, int64_t now_ms, const LockoutRule& rule) = 0;
  virtual Result<void> clear_sign_in_failures(std::string_view name) = 0;

  // Also removes every session that has expired by now_ms.
  virtual Result<void> add_web_session(const WebSession& session, int64_t now_ms) = 0;
  // The session if it exists and has not expired by now_ms.
  virtual Result<std::optional<WebSession>> web_session(std::string_view token_hash, int64_t now_ms) = 0;
  virtual Result<void> remove_web_session(std::string_view token_hash) = 0;

  virtual Result<void> audit(const AuditEntry& entry) = 0;
  // Entries with from_ms <= time < to_ms, oldest first.
  virtual Result<std::vector<AuditEntry>> audit_log(int64_t from_ms, int64_t to_ms) = 0;
};

// At least 12 characters; a sentence in English and Chinese saying so otherwise.
Result<std::string> hash_password(std::string_view password);
// False for a wrong password and for a hash that is not one of libsodium's.
bool verify_password(std::string_view password_hash, std::string_view password);
// A hash of a random password: verifying against it when a name is unknown takes as long as
// for a known name.
const std::string& decoy_password_hash();

// Checks the name (1–64 letters, digits, '.', '_', '-', '@'), that a librarian has a branch and
// nobody else does, and the password; then adds the person.
Result<void> add_person(AccountStore& store, std::string_view name, Role role, const std::optional<std::string>& branch,
                        std::string_view password);
Result<void> change_password(AccountStore& store, std::string_view name, std::string_view password);

}  // namespace pavilion::hub

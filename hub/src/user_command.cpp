#include "user_command.h"

#include "pavilion/hub/accounts.h"
#include "pavilion/hub/config.h"
#include "pavilion/hub/store.h"

#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

namespace pavilion::hub {
namespace {

// One line from standard input. At a terminal the password is asked for twice, without echo;
// from a pipe (a script, a secret store) it is the first line.
std::optional<std::string> read_password(std::string_view name) {
  const bool terminal = isatty(STDIN_FILENO) != 0;
  termios saved{};
  if (terminal) {
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  auto ask = [&](std::string_view prompt) -> std::optional<std::string> {
    if (terminal) fmt::print(stderr, "{}", prompt);
    std::string line;
    const bool read = static_cast<bool>(std::getline(std::cin, line));
    if (terminal) fmt::print(stderr, "\n");
    if (!read) return std::nullopt;
    if (line.ends_with('\r')) line.pop_back();
    return line;
  };
  auto password = ask(fmt::format("New password for {} (at least 12 characters): ", name));
  if (terminal && password) {
    const auto again = ask("The same password again: ");
    if (again != password) password = std::nullopt;
  }
  if (terminal) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  return password;
}

}  // namespace

int user_command(const std::vector<std::string_view>& arguments, std::string_view usage) {
  std::vector<std::string_view> words;
  std::optional<std::filesystem::path> config_file;
  std::optional<std::string> role_text;
  std::optional<std::string> branch;
  for (size_t index = 0; index < arguments.size(); ++index) {
    const std::string_view argument = arguments[index];
    if (argument == "--config" || argument == "--role" || argument == "--branch") {
      if (index + 1 >= arguments.size()) {
        fmt::print(stderr, "pavilion-hub: {} needs a value\n\n{}", argument, usage);
        return 2;
      }
      const std::string value(arguments[++index]);
      if (argument == "--config") config_file = value;
      if (argument == "--role") role_text = value;
      if (argument == "--branch") branch = value;
    } else if (argument.starts_with("--")) {
      fmt::print(stderr, "pavilion-hub: unknown option {}\n\n{}", argument, usage);
      return 2;
    } else {
      words.push_back(argument);
    }
  }
  const auto fail_usage = [&](std::string_view message) {
    fmt::print(stderr, "pavilion-hub: {}\n\n{}", message, usage);
    return 2;
  };
  const auto fail = [](const Error& error) {
    fmt::print(stderr, "pavilion-hub: {}\n", error.describe());
    return 1;
  };
  // words[0] is "user".
  const std::string_view action = words.size() > 1 ? words[1] : std::string_view();
  const bool named = action == "add" || action == "password" || action == "remove";
  if (!(named && words.size() == 3) && !(action == "list" && words.size() == 2)) {
    return fail_usage("user takes add NAME --role ROLE [--branch ID], password NAME, remove NAME or list");
  }
  std::optional<Role> role;
  if (action == "add") {
    if (!role_text) return fail_usage("user add needs --role administrator, librarian or viewer");
    role = parse_role(*role_text);
    if (!role) return fail_usage(fmt::format("'{}' is not a role: administrator, librarian or viewer", *role_text));
  } else if (role_text || branch) {
    return fail_usage("--role and --branch are for user add");
  }

  auto config = load_hub_config(config_file);
  if (!config) return fail(config.error());
  auto store = open_store(config->database);
  if (!store) return fail(store.error());

  const std::string_view name = named ? words[2] : std::string_view();
  if (action == "list") {
    auto people = (*store)->users();
    if (!people) return fail(people.error());
    for (const UserAccount& person : *people) {
      fmt::print("{}\t{}\t{}\n", person.name, role_name(person.role), person.branch.value_or("-"));
    }
    return 0;
  }
  if (action == "remove") {
    auto removed = (*store)->remove_user(name);
    if (!removed) return fail(removed.error());
    if (!*removed) {
      fmt::print(stderr, "pavilion-hub: there is nobody called {}; `pavilion-hub user list` shows who there is\n", name);
      return 1;
    }
    fmt::print("removed {}; their sessions have ended\n", name);
    return 0;
  }
  const auto password = read_password(name);
  if (!password) {
    fmt::print(stderr, "pavilion-hub: no password was given (or the two differ); type it on standard input\n");
    return 1;
  }
  if (action == "add") {
    if (auto added = add_person(**store, name, *role, branch, *password); !added) return fail(added.error());
    fmt::print("added {} ({}{})\n", name, role_name(*role), branch ? ", branch " + *branch : "");
    return 0;
  }
  if (auto changed = change_password(**store, name, *password); !changed) return fail(changed.error());
  fmt::print("changed {}'s password; their sessions have ended\n", name);
  return 0;
}

}  // namespace pavilion::hub

// `pavilion-hub user …`: the dashboard's people, managed on the hub's machine (hub/DASHBOARD.md,
// "People and permissions"). Its own options, so main's stay those of the other commands.
#pragma once

#include <string_view>
#include <vector>

namespace pavilion::hub {

// `arguments` from "user" on. Returns the exit status: 0 done, 1 an error, 2 a wrong command
// line (with `usage` printed).
int user_command(const std::vector<std::string_view>& arguments, std::string_view usage);

}  // namespace pavilion::hub

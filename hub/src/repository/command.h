// `pavilion-hub repository …`, `publish`, `campaign …` and `channel …`: the package repository
// managed at the central hub (hub/README.md, "The package repository"). Their own options, as
// `user …` has, so main's stay those of the other commands.
#pragma once

#include <string_view>
#include <vector>

namespace pavilion::hub {

// Whether `word` (the command's first word) is one of these.
bool is_repository_command(std::string_view word);

// `arguments` from the command's first word on. Returns the exit status: 0 done, 1 an error, 2 a
// wrong command line (with `usage` printed).
int repository_command(const std::vector<std::string_view>& arguments, std::string_view usage);

}  // namespace pavilion::hub

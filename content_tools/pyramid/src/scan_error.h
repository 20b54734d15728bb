// The one shape of a scan's error: which file, what is wrong and what to do about it, in English
// and then in Chinese, so a curator reads it in either language.
#pragma once

#include "pavilion/core/error.h"

#include <filesystem>
#include <string>

namespace pavilion::pyramid {

Error scan_error(ErrorCode code, const std::filesystem::path& file, const std::string& english,
                 const std::string& chinese);

}  // namespace pavilion::pyramid

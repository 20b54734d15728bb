// This process's memory, as Linux reports it in /proc/self/status, for the benchmarks' figures.
#pragma once

#include <malloc.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

namespace pavilion::bench {

// A line of /proc/self/status, in megabytes: VmRSS (resident now) or VmHWM (the peak since the
// last reset_peak_resident()).
inline double status_mb(std::string_view field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with(field)) return std::strtod(line.c_str() + field.size() + 1, nullptr) / 1024.0;  // in kB
  }
  return 0.0;
}
inline double peak_resident_mb() { return status_mb("VmHWM"); }
inline double resident_mb() { return status_mb("VmRSS"); }
// Starts a new peak from what is resident now, after handing freed heap memory back to the system
// (else memory one load freed would count towards the next one's peak).
inline void reset_peak_resident() {
  malloc_trim(0);
  std::ofstream("/proc/self/clear_refs") << "5";
}

}  // namespace pavilion::bench

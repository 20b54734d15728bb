// libFuzzer target: any bytes as repository metadata (engine/distribution/PROTOCOL.md), the first
// byte picking the role. A file must be refused as malformed, with a reason, or read into values
// that write back and read again as the same values; and whatever reads as a role has its
// signatures checked without a crash (a root against its own keys, the others against none).
#include "pavilion/distribution/metadata.h"

#include <cstdlib>
#include <span>
#include <string>
#include <type_traits>

namespace {

using namespace pavilion::distribution;

template <class T>
void check(std::string_view file, Role role, Checked<T> (*read)(std::string_view),
           std::string (*write)(const T&, std::span<const pavilion::package::KeyPair>)) {
  const Checked<T> read_once = read(file);
  if (const auto* refusal = std::get_if<Refusal>(&read_once)) {
    if (refusal->kind != RefusalKind::malformed || refusal->detail.empty() || refusal->sentence().en.empty()) std::abort();
    return;
  }
  const T& value = std::get<T>(read_once);
  const Checked<T> read_again = read(write(value, {}));
  if (!std::holds_alternative<T>(read_again) || !(std::get<T>(read_again) == value)) std::abort();

  RoleKeys keys;  // no key: a threshold of one can only be refused
  if constexpr (std::is_same_v<T, Root>) keys = value.root;
  const auto signatures = check_signatures(file, role, keys);
  const auto* refusal = std::get_if<Refusal>(&signatures);
  if (refusal != nullptr && refusal->kind != RefusalKind::signature) std::abort();
  if (refusal == nullptr && keys.keys.empty()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view file(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0: check<Root>(file, Role::root, read_root, write_root); break;
    case 1: check<Targets>(file, Role::targets, read_targets, write_targets); break;
    case 2: check<Snapshot>(file, Role::snapshot, read_snapshot, write_snapshot); break;
    default: check<Timestamp>(file, Role::timestamp, read_timestamp, write_timestamp); break;
  }
  return 0;
}

// Hashing: a cryptographic content hash that names and verifies data, and a fast 64-bit hash for
// lookup tables and caches where only accidental collisions matter.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace pavilion {

// Hexadecimal, the one codec for hashes, keys and signatures. Written in lower case; read in either
// case unless `lower_case_only`, which signed metadata asks for so one value has one spelling.
enum class HexLetters { any_case, lower_case_only };
std::string to_hex(std::span<const uint8_t> bytes);
// Exactly 2 * out.size() digits into `out`; false otherwise (`out` then holds no meaning).
bool from_hex(std::string_view hex, std::span<uint8_t> out, HexLetters letters = HexLetters::any_case);

// BLAKE2b with a 256-bit digest (libsodium's crypto_generichash).
struct ContentHash {
  std::array<uint8_t, 32> bytes{};

  std::string to_hex() const;
  static std::optional<ContentHash> from_hex(std::string_view hex, HexLetters letters = HexLetters::any_case);
  friend bool operator==(const ContentHash&, const ContentHash&) = default;
  friend auto operator<=>(const ContentHash&, const ContentHash&) = default;
};

ContentHash hash_content(std::span<const std::byte> bytes);

// Feeds data in pieces; the result equals hash_content of the concatenation.
class ContentHasher {
 public:
  ContentHasher();
  void update(std::span<const std::byte> bytes);
  ContentHash finish();

 private:
  alignas(64) std::array<unsigned char, 384> state_{};  // crypto_generichash_state
};

// XXH3, 64 bits. Not for anything an attacker controls the collisions of.
uint64_t hash64(std::span<const std::byte> bytes, uint64_t seed = 0);
inline uint64_t hash64(std::string_view text, uint64_t seed = 0) {
  return hash64(std::as_bytes(std::span(text.data(), text.size())), seed);
}

}  // namespace pavilion

#include "pavilion/core/hash.h"

#include <sodium.h>
#include <xxhash.h>

#include <cstring>

namespace pavilion {

static_assert(sizeof(crypto_generichash_state) <= 384, "ContentHasher's state buffer is too small");
static_assert(alignof(crypto_generichash_state) <= 64, "ContentHasher's state buffer is under-aligned");

namespace {
crypto_generichash_state* sodium_state(std::array<unsigned char, 384>& buffer) {
  return reinterpret_cast<crypto_generichash_state*>(buffer.data());
}

int hex_digit(char c, HexLetters letters) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F' && letters == HexLetters::any_case) return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string to_hex(std::span<const uint8_t> bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex(bytes.size() * 2, '0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    hex[2 * i] = digits[bytes[i] >> 4];
    hex[2 * i + 1] = digits[bytes[i] & 0xf];
  }
  return hex;
}

bool from_hex(std::string_view hex, std::span<uint8_t> out, HexLetters letters) {
  if (hex.size() != out.size() * 2) return false;
  for (size_t i = 0; i < out.size(); ++i) {
    const int high = hex_digit(hex[2 * i], letters);
    const int low = hex_digit(hex[2 * i + 1], letters);
    if (high < 0 || low < 0) return false;
    out[i] = static_cast<uint8_t>(high << 4 | low);
  }
  return true;
}

std::string ContentHash::to_hex() const { return pavilion::to_hex(bytes); }

std::optional<ContentHash> ContentHash::from_hex(std::string_view hex, HexLetters letters) {
  ContentHash hash;
  if (!pavilion::from_hex(hex, hash.bytes, letters)) return std::nullopt;
  return hash;
}

ContentHash hash_content(std::span<const std::byte> bytes) {
  ContentHasher hasher;
  hasher.update(bytes);
  return hasher.finish();
}

ContentHasher::ContentHasher() {
  // sodium_init is idempotent and thread-safe; it selects the fastest implementation.
  if (sodium_init() < 0) std::abort();
  crypto_generichash_init(sodium_state(state_), nullptr, 0, 32);
}

void ContentHasher::update(std::span<const std::byte> bytes) {
  crypto_generichash_update(sodium_state(state_), reinterpret_cast<const unsigned char*>(bytes.data()),
                            bytes.size());
}

ContentHash ContentHasher::finish() {
  ContentHash hash;
  crypto_generichash_final(sodium_state(state_), hash.bytes.data(), hash.bytes.size());
  return hash;
}

uint64_t hash64(std::span<const std::byte> bytes, uint64_t seed) {
  return XXH3_64bits_withSeed(bytes.data(), bytes.size(), seed);
}

}  // namespace pavilion

// Little-endian binary encoding of plain values, strings and arrays, with bounds-checked
// decoding for data that comes from outside (packages, caches).
#pragma once

#include "pavilion/core/error.h"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace pavilion {

static_assert(std::endian::native == std::endian::little, "Pavilion's binary formats assume a little-endian host");

class ByteWriter {
 public:
  template <class T>
    requires std::is_trivially_copyable_v<T>
  void write(const T& value) {
    const auto* bytes = reinterpret_cast<const std::byte*>(&value);
    bytes_.insert(bytes_.end(), bytes, bytes + sizeof(T));
  }
  template <class T>
    requires std::is_trivially_copyable_v<T>
  void write_array(std::span<const T> values) {
    write(static_cast<uint32_t>(values.size()));
    const auto bytes = std::as_bytes(values);
    bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
  }
  void write_string(std::string_view text) {
    write_array(std::span<const char>(text.data(), text.size()));
  }
  void write_bytes(std::span<const std::byte> bytes) { bytes_.insert(bytes_.end(), bytes.begin(), bytes.end()); }

  const std::vector<std::byte>& bytes() const { return bytes_; }
  std::vector<std::byte> take() { return std::move(bytes_); }

 private:
  std::vector<std::byte> bytes_;
};

// Reads what a ByteWriter wrote. Every read checks the remaining length; a short or malformed
// input gives an invalid_input error naming `what` is being read and the offset.
class ByteReader {
 public:
  ByteReader(std::span<const std::byte> bytes, std::string source) : bytes_(bytes), source_(std::move(source)) {}

  template <class T>
    requires std::is_trivially_copyable_v<T>
  Result<T> read(std::string_view what) {
    PV_TRY(need(sizeof(T), what));
    T value;
    std::memcpy(&value, bytes_.data() + offset_, sizeof(T));
    offset_ += sizeof(T);
    return value;
  }
  // An array of at most `max_count` elements.
  template <class T>
    requires std::is_trivially_copyable_v<T>
  Result<std::vector<T>> read_array(std::string_view what, uint32_t max_count = UINT32_MAX) {
    PV_TRY_ASSIGN(const uint32_t count, read<uint32_t>(what));
    if (count > max_count) return too_many(what, count, max_count);
    PV_TRY(need(size_t{count} * sizeof(T), what));
    std::vector<T> values(count);
    // memcpy with a null pointer is undefined even for zero bytes, and an empty vector has one.
    if (count > 0) std::memcpy(values.data(), bytes_.data() + offset_, size_t{count} * sizeof(T));
    offset_ += size_t{count} * sizeof(T);
    return values;
  }
  Result<std::string> read_string(std::string_view what, uint32_t max_length = 1u << 20) {
    PV_TRY_ASSIGN(auto characters, read_array<char>(what, max_length));
    return std::string(characters.begin(), characters.end());
  }
  Result<std::span<const std::byte>> read_bytes(size_t count, std::string_view what) {
    PV_TRY(need(count, what));
    const auto bytes = bytes_.subspan(offset_, count);
    offset_ += count;
    return bytes;
  }

  size_t offset() const { return offset_; }
  size_t remaining() const { return bytes_.size() - offset_; }

 private:
  Result<void> need(size_t count, std::string_view what) const;
  Error too_many(std::string_view what, uint32_t count, uint32_t max_count) const;

  std::span<const std::byte> bytes_;
  std::string source_;
  size_t offset_ = 0;
};

}  // namespace pavilion

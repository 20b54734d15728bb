// The byte layout of a .pvpkg scene package (engine/package/FORMAT.md explains it in prose).
#pragma once

#include "pavilion/core/hash.h"

#include <array>
#include <cstdint>
#include <string_view>

namespace pavilion::package {

inline constexpr std::array<char, 8> magic{'P', 'V', 'P', 'K', 'G', '\r', '\n', '\x1a'};
inline constexpr uint32_t format_version = 1;
inline constexpr uint64_t blob_alignment = 4096;  // blobs start on page boundaries, for mmap

using PublicKey = std::array<uint8_t, 32>;  // Ed25519
using Signature = std::array<uint8_t, 64>;

struct Header {
  std::array<char, 8> magic;
  uint32_t format_version;
  uint32_t header_size;  // sizeof(Header); lets a reader skip fields a later version appends
  uint64_t file_size;
  uint64_t manifest_offset;
  uint64_t manifest_size;  // UTF-8 JSON
  uint64_t index_offset;
  uint32_t blob_count;
  uint32_t index_entry_size;  // at least 64 (IndexEntry); from 96 (IndexEntryWithStoredHash) on, with stored hashes
  PublicKey signer;           // all zero when unsigned
  Signature signature;        // over the header with this field zeroed, the manifest and the index
  std::array<uint8_t, 40> reserved;  // zero; room for later versions
};
static_assert(sizeof(Header) == 192);

enum class BlobKind : uint32_t {
  scene = 1,    // the scene's tables (engine/scene)
  mesh = 2,     // vertices and indices, GPU-ready
  texture = 3,  // a full mip chain, GPU-ready
  audio = 4,    // decoded PCM for streaming
  thumbnail = 5,
  font = 6,         // a subset OpenType font, as it is (engine/text)
  glyph_atlas = 7,  // signed-distance glyphs of a font (engine/text)
  page_tile = 8,    // one tile of a book page's pyramid (engine/scene book.h)
};
std::string_view to_string(BlobKind kind);

enum class Compression : uint32_t {
  none = 0,
  zstd = 1,
};

// What every format-1 reader reads of an index entry.
struct IndexEntry {
  ContentHash hash;  // BLAKE2b-256 of the uncompressed content: the blob's name
  uint64_t offset;
  uint64_t stored_size;
  uint64_t raw_size;
  Compression compression;
  BlobKind kind;
};
static_assert(sizeof(IndexEntry) == 64);

// An index entry as PackageWriter stores it: the entry, then the hash that readers check the
// stored bytes against before decompressing them. Packages written before it have 64-byte
// entries, whose blobs are checked against their names after decompression instead.
struct IndexEntryWithStoredHash {
  IndexEntry entry;
  ContentHash stored_hash;  // BLAKE2b-256 of the bytes in the file, compressed or not
};
static_assert(sizeof(IndexEntryWithStoredHash) == 96);

}  // namespace pavilion::package

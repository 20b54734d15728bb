// Builds a .pvpkg: blobs (compressed one by one, named by their hash, deduplicated), a JSON
// manifest, and an Ed25519 signature. The file appears whole or not at all.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/core/hash.h"
#include "pavilion/package/format.h"
#include "pavilion/package/signing.h"

#include <filesystem>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace pavilion::package {

// A blob ready to be written: hashed and compressed (zstd, or stored as is when compression does
// not pay). Pure function of its input, so callers can prepare blobs on worker threads.
struct PreparedBlob {
  IndexEntry entry{};
  std::vector<std::byte> stored;
};
PreparedBlob prepare_blob(BlobKind kind, std::span<const std::byte> content, int compression_level = 19);

class PackageWriter {
 public:
  // Adds a blob; one with the same content is stored once. Returns its hash. Thread-safe.
  ContentHash add(PreparedBlob blob);
  void set_manifest(std::string manifest_json) { manifest_ = std::move(manifest_json); }
  size_t blob_count() const;

  // Writes the package to `path` (through a temporary file and a rename), signed with `key`
  // when given. The same blobs and manifest always give the same bytes.
  Result<void> write(const std::filesystem::path& path, const KeyPair* key) const;

 private:
  mutable std::mutex mutex_;
  std::vector<PreparedBlob> blobs_;
  std::set<ContentHash> hashes_;  // of blobs_: a book adds tens of thousands of tiles
  std::string manifest_;
};

}  // namespace pavilion::package

// Opens a .pvpkg by mapping it, checks its structure and signature up front, and hands out
// blobs: each is checked against its hash and decompressed when it is read. A package may also be
// kept as its head and one file per blob in a content-addressed store (FORMAT.md, "A package kept
// as head + blobs"), and is then read the same way without being assembled.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/core/file_map.h"
#include "pavilion/package/format.h"
#include "pavilion/package/signing.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace pavilion::package {

enum class SignatureStatus {
  trusted,           // signed by a trusted key, and intact
  untrusted,         // signed and intact, by a key not on the trust list (accepted in developer mode)
  unsigned_package,  // no signature (accepted in developer mode)
  mismatched,        // changed after signing (opened only with TrustPolicy::report_only)
};

class PackageReader {
 public:
  // Refuses (invalid_input) a file that is not a package, is truncated, or whose index or
  // manifest lies outside it; (unsupported) a newer format version; (invalid_input) a signature
  // that does not match; and, outside developer mode, an unsigned or untrusted package.
  static Result<std::unique_ptr<PackageReader>> open(const std::filesystem::path& path, const TrustPolicy& trust);
  // The same package kept as a head (header, manifest, index: head_size() bytes) and each blob's
  // stored bytes in the file `blob_path` names for its stored hash. Checks as open() does, and
  // also refuses (invalid_input) a head without stored hashes (64-byte entries), a head file of
  // the wrong size, and a blob file that is missing or not exactly stored_size bytes long.
  // `blob_path` is called only during this call.
  static Result<std::unique_ptr<PackageReader>> open_stored(
      const std::filesystem::path& head, const std::function<std::filesystem::path(const ContentHash& stored_hash)>& blob_path,
      const TrustPolicy& trust);
  // A stored package's head alone, before its blobs are held: checked as open_stored checks it
  // (structure, stored hashes, signature), so that its index says which blobs to fetch (a kiosk's
  // updater, a branch hub's mirror). Its blobs cannot be read: read_blob refuses (invalid_input).
  static Result<std::unique_ptr<PackageReader>> open_head(const std::filesystem::path& head, const TrustPolicy& trust);

  // The package file, or the head file of a stored package.
  const std::filesystem::path& path() const { return file_.path(); }
  const Header& header() const { return header_; }
  std::string_view manifest() const { return manifest_; }
  std::span<const IndexEntry> index() const { return index_; }
  SignatureStatus signature_status() const { return signature_status_; }
  // One per index entry: the hash of the blob's stored bytes (empty for a package written before them).
  std::span<const ContentHash> stored_hashes() const { return stored_hashes_; }
  // index_offset + blob_count × index_entry_size: the header, manifest and index.
  uint64_t head_size() const { return header_.index_offset + uint64_t{header_.blob_count} * header_.index_entry_size; }
  // The head's bytes, mapped for as long as the reader lives.
  std::span<const std::byte> head_bytes() const { return file_.bytes().first(head_size()); }

  std::optional<uint32_t> find(const ContentHash& hash) const;

  // The blob's content, decompressed into `destination` (exactly raw_size bytes, owned by the
  // caller and written only here), after its stored bytes are checked against the index (or,
  // in a package written before stored hashes, the content against its name). Refused
  // (invalid_input) when damaged; `destination` then holds no meaningful bytes. Thread-safe:
  // blobs may be read on several threads at once; each thread keeps a decompression context
  // until it ends.
  Result<void> read_blob_into(uint32_t index, std::span<std::byte> destination) const;
  // The same into a new vector, the caller's to keep, its pages made resident in one step
  // (core's resident_bytes).
  Result<std::vector<std::byte>> read_blob(uint32_t index) const;

 private:
  enum class Form { single_file, stored };
  PackageReader(MappedFile file) : file_(std::move(file)) {}
  Result<void> parse(const TrustPolicy& trust, Form form);
  Result<void> map_stored_blobs(const std::function<std::filesystem::path(const ContentHash&)>& blob_path);
  // Blob `index`'s stored bytes, paged in, and the file they are in (for errors).
  std::span<const std::byte> stored_bytes(uint32_t index) const;
  const std::filesystem::path& file_of(uint32_t index) const;

  MappedFile file_;  // the whole package, or its head alone
  bool head_only_ = false;  // open_head's: no blob can be read
  std::vector<MappedFile> blob_files_;  // a stored package's: one per index entry
  Header header_{};
  std::string_view manifest_;
  std::vector<IndexEntry> index_;
  std::vector<ContentHash> stored_hashes_;  // one per entry, or none in a package written before them
  SignatureStatus signature_status_ = SignatureStatus::unsigned_package;
};

// The bytes the signature covers: the header with its signature zeroed, the manifest, and the
// index as stored.
std::vector<std::byte> signed_bytes(const Header& header, std::string_view manifest,
                                    std::span<const std::byte> index_bytes);

}  // namespace pavilion::package

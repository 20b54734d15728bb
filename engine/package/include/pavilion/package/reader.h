// Opens a .pvpkg by mapping it, checks its structure and signature up front, and hands out
// blobs: each is checked against its hash and decompressed when it is read.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/core/file_map.h"
#include "pavilion/package/format.h"
#include "pavilion/package/signing.h"

#include <filesystem>
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

  const std::filesystem::path& path() const { return file_.path(); }
  const Header& header() const { return header_; }
  std::string_view manifest() const { return manifest_; }
  std::span<const IndexEntry> index() const { return index_; }
  SignatureStatus signature_status() const { return signature_status_; }

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
  PackageReader(MappedFile file) : file_(std::move(file)) {}
  Result<void> parse(const TrustPolicy& trust);

  MappedFile file_;
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

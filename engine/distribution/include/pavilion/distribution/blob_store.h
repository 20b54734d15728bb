// A folder of content-addressed blobs (package heads and blobs' stored bytes, PROTOCOL.md), each
// named by the BLAKE2b-256 of its bytes: FOLDER/ab/abcdef….  Shared by every package a kiosk or a
// hub holds, so a texture used by two packages is kept once. Downloads grow in
// FOLDER/partial/HASH and enter the store only when their hash matches.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/core/hash.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <span>

namespace pavilion::distribution {

// A partial download this object holds: its file open and locked (flock, exclusive) for the
// object's life, so a second process (or client) fetching the same blob into the same folder —
// several branch hub processes sharing one repository folder — leaves it alone, and only the
// holder moves it into the store.
class PartialBlob {
 public:
  PartialBlob(PartialBlob&& other) noexcept;
  PartialBlob& operator=(PartialBlob&&) = delete;
  PartialBlob(const PartialBlob&) = delete;
  ~PartialBlob();

  const ContentHash& hash() const { return hash_; }
  uint64_t size() const;
  // Drops every byte at or after `length`; writes continue there.
  Result<void> truncate(uint64_t length);
  Result<void> write(std::span<const std::byte> bytes);

 private:
  friend class BlobStore;
  PartialBlob(ContentHash hash, std::filesystem::path path, int fd) : hash_(hash), path_(std::move(path)), fd_(fd) {}
  ContentHash hash_;
  std::filesystem::path path_;
  int fd_ = -1;
};

class BlobStore {
 public:
  // Creates the folder (and partial/) if needed.
  static Result<BlobStore> open(const std::filesystem::path& folder);

  const std::filesystem::path& folder() const { return folder_; }
  std::filesystem::path path_of(const ContentHash& hash) const;
  bool holds(const ContentHash& hash) const;

  // Stores bytes held in memory (a head, a mirrored file): refused (invalid_input) when they do
  // not hash to `hash`; written through a temporary file and a rename.
  Result<void> put(const ContentHash& hash, std::span<const std::byte> bytes);

  // Resumable downloads: where the partial file is, how much of it there is already.
  std::filesystem::path partial_path(const ContentHash& hash) const;
  uint64_t partial_size(const ContentHash& hash) const;
  // Opens (creating it empty) and locks the partial file of `hash`; nullopt while another holder
  // has it.
  Result<std::optional<PartialBlob>> claim_partial(const ContentHash& hash) const;
  // Checks the finished partial file against its hash and moves it into the store; a mismatch
  // deletes it (a resumed download must not keep wrong bytes) and is refused (invalid_input).
  Result<void> complete(PartialBlob partial);
  // The same for a partial file nobody holds: claims it first (`io` while another holder has it).
  Result<void> complete(const ContentHash& hash);

  uint64_t bytes_held() const;  // every blob and partial file
  // Removes every blob not in `keep`, every partial file not in `keep` that nobody holds, and any
  // other file (a temporary a crash left); returns bytes freed. Not while a put into this store runs.
  Result<uint64_t> collect_garbage(const std::set<ContentHash>& keep);

 private:
  explicit BlobStore(std::filesystem::path folder) : folder_(std::move(folder)) {}
  std::filesystem::path folder_;
};

}  // namespace pavilion::distribution

#include "pavilion/package/writer.h"

#include "pavilion/core/file.h"
#include "pavilion/package/reader.h"

#include <zstd.h>

#include <algorithm>
#include <array>
#include <tuple>

namespace pavilion::package {
namespace {

uint64_t align_up(uint64_t value, uint64_t alignment) { return (value + alignment - 1) / alignment * alignment; }

}  // namespace

PreparedBlob prepare_blob(BlobKind kind, std::span<const std::byte> content, int compression_level) {
  PreparedBlob blob;
  blob.entry.hash = hash_content(content);
  blob.entry.kind = kind;
  blob.entry.raw_size = content.size();
  blob.stored.resize(ZSTD_compressBound(content.size()));
  const size_t compressed =
      ZSTD_compress(blob.stored.data(), blob.stored.size(), content.data(), content.size(), compression_level);
  // Compression that saves less than 1 % is not worth a decompression at every load.
  if (!ZSTD_isError(compressed) && compressed < content.size() - content.size() / 100) {
    blob.stored.resize(compressed);
    blob.entry.compression = Compression::zstd;
  } else {
    blob.stored.assign(content.begin(), content.end());
    blob.entry.compression = Compression::none;
  }
  blob.entry.stored_size = blob.stored.size();
  return blob;
}

ContentHash PackageWriter::add(PreparedBlob blob) {
  std::lock_guard lock(mutex_);
  const ContentHash hash = blob.entry.hash;
  if (hashes_.insert(hash).second) blobs_.push_back(std::move(blob));
  return hash;
}

size_t PackageWriter::blob_count() const {
  std::lock_guard lock(mutex_);
  return blobs_.size();
}

Result<void> PackageWriter::write(const std::filesystem::path& path, const KeyPair* key) const {
  std::lock_guard lock(mutex_);
  // Blobs arrive in whatever order worker threads finish; sorting by kind (the scene tables
  // first, then meshes, textures, sounds) and hash makes the same sources give the same bytes.
  std::vector<const PreparedBlob*> ordered;
  for (const PreparedBlob& blob : blobs_) ordered.push_back(&blob);
  std::sort(ordered.begin(), ordered.end(), [](const PreparedBlob* a, const PreparedBlob* b) {
    return std::tie(a->entry.kind, a->entry.hash) < std::tie(b->entry.kind, b->entry.hash);
  });
  Header header{};
  header.magic = magic;
  header.format_version = format_version;
  header.header_size = sizeof(Header);
  header.manifest_offset = sizeof(Header);
  header.manifest_size = manifest_.size();
  header.index_offset = header.manifest_offset + header.manifest_size;
  header.blob_count = static_cast<uint32_t>(blobs_.size());
  header.index_entry_size = sizeof(IndexEntryWithStoredHash);

  std::vector<IndexEntryWithStoredHash> index(ordered.size());
  uint64_t offset = align_up(header.index_offset + blobs_.size() * sizeof(IndexEntryWithStoredHash), blob_alignment);
  for (size_t blob = 0; blob < ordered.size(); ++blob) {
    const PreparedBlob& prepared = *ordered[blob];
    index[blob].entry = prepared.entry;
    index[blob].entry.offset = offset;
    // Content stored as is has its name for the hash of its stored bytes.
    index[blob].stored_hash =
        prepared.entry.compression == Compression::none ? prepared.entry.hash : hash_content(prepared.stored);
    offset = align_up(offset + prepared.entry.stored_size, blob_alignment);
  }
  header.file_size = index.empty() ? header.index_offset : index.back().entry.offset + index.back().entry.stored_size;
  if (key) {
    header.signer = key->public_key;
    header.signature = sign(*key, signed_bytes(header, manifest_, std::as_bytes(std::span(index))));
  }

  PV_TRY_ASSIGN(auto file, AtomicFileWriter::create(path));
  PV_TRY(file.write(std::as_bytes(std::span(&header, 1))));
  PV_TRY(file.write(std::as_bytes(std::span(manifest_.data(), manifest_.size()))));
  PV_TRY(file.write(std::as_bytes(std::span(index))));
  static constexpr std::array<std::byte, blob_alignment> zeros{};
  uint64_t position = header.index_offset + index.size() * sizeof(IndexEntryWithStoredHash);
  for (size_t blob = 0; blob < ordered.size(); ++blob) {
    PV_TRY(file.write(std::span(zeros.data(), index[blob].entry.offset - position)));
    PV_TRY(file.write(ordered[blob]->stored));
    position = index[blob].entry.offset + index[blob].entry.stored_size;
  }
  return file.commit();
}

}  // namespace pavilion::package

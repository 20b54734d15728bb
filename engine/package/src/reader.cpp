#include "pavilion/package/reader.h"

#include "pavilion/core/resident_bytes.h"

#include <zstd.h>

#include <fmt/format.h>
#include <fmt/std.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>

namespace pavilion::package {
namespace {

constexpr uint64_t max_manifest_size = uint64_t{64} << 20;
constexpr uint32_t max_blob_count = 1'000'000;
constexpr uint64_t max_blob_size = uint64_t{4} << 30;

bool range_inside(uint64_t offset, uint64_t size, uint64_t file_size) {
  return offset <= file_size && size <= file_size - offset;
}

struct FreeDecompressionContext {
  void operator()(ZSTD_DCtx* context) const { ZSTD_freeDCtx(context); }
};

// Decompresses with this thread's context, kept from blob to blob: ZSTD_decompress makes and
// frees one per call, which took two thirds of the time of reading a 200 KB blob.
size_t decompress(std::span<std::byte> destination, std::span<const std::byte> stored) {
  thread_local const std::unique_ptr<ZSTD_DCtx, FreeDecompressionContext> context(ZSTD_createDCtx());
  if (!context) return ZSTD_decompress(destination.data(), destination.size(), stored.data(), stored.size());
  return ZSTD_decompressDCtx(context.get(), destination.data(), destination.size(), stored.data(), stored.size());
}

}  // namespace

std::string_view to_string(BlobKind kind) {
  switch (kind) {
    case BlobKind::scene: return "scene";
    case BlobKind::mesh: return "mesh";
    case BlobKind::texture: return "texture";
    case BlobKind::audio: return "audio";
    case BlobKind::thumbnail: return "thumbnail";
    case BlobKind::font: return "font";
    case BlobKind::glyph_atlas: return "glyph atlas";
    case BlobKind::page_tile: return "page tile";
  }
  return "unknown";
}

std::vector<std::byte> signed_bytes(const Header& header, std::string_view manifest,
                                    std::span<const std::byte> index_bytes) {
  Header unsigned_header = header;
  unsigned_header.signature = {};
  std::vector<std::byte> bytes(sizeof(Header) + manifest.size() + index_bytes.size());
  std::memcpy(bytes.data(), &unsigned_header, sizeof(Header));
  if (!manifest.empty()) std::memcpy(bytes.data() + sizeof(Header), manifest.data(), manifest.size());
  if (!index_bytes.empty()) {
    std::memcpy(bytes.data() + sizeof(Header) + manifest.size(), index_bytes.data(), index_bytes.size());
  }
  return bytes;
}

Result<std::unique_ptr<PackageReader>> PackageReader::open(const std::filesystem::path& path, const TrustPolicy& trust) {
  PV_TRY_ASSIGN(auto file, MappedFile::open(path));
  std::unique_ptr<PackageReader> reader(new PackageReader(std::move(file)));
  PV_TRY(reader->parse(trust, Form::single_file));
  return reader;
}

Result<std::unique_ptr<PackageReader>> PackageReader::open_stored(
    const std::filesystem::path& head, const std::function<std::filesystem::path(const ContentHash&)>& blob_path,
    const TrustPolicy& trust) {
  PV_TRY_ASSIGN(auto file, MappedFile::open(head));
  std::unique_ptr<PackageReader> reader(new PackageReader(std::move(file)));
  PV_TRY(reader->parse(trust, Form::stored));
  PV_TRY(reader->map_stored_blobs(blob_path));
  return reader;
}

Result<std::unique_ptr<PackageReader>> PackageReader::open_head(const std::filesystem::path& head, const TrustPolicy& trust) {
  PV_TRY_ASSIGN(auto file, MappedFile::open(head));
  std::unique_ptr<PackageReader> reader(new PackageReader(std::move(file)));
  PV_TRY(reader->parse(trust, Form::stored));
  reader->head_only_ = true;
  return reader;
}

Result<void> PackageReader::map_stored_blobs(const std::function<std::filesystem::path(const ContentHash&)>& blob_path) {
  blob_files_.reserve(index_.size());
  for (uint32_t blob = 0; blob < index_.size(); ++blob) {
    const IndexEntry& entry = index_[blob];
    const std::filesystem::path path = blob_path(stored_hashes_[blob]);
    const std::string what = fmt::format("opening {} blob {} ({}) of the package {}", to_string(entry.kind), blob,
                                         stored_hashes_[blob].to_hex(), file_.path());
    auto file = MappedFile::open(path);
    if (!file) {
      return Error(ErrorCode::invalid_input, what,
                   fmt::format("its file {} cannot be read ({}): the blob was never fetched or was removed", path,
                               file.error().why()));
    }
    if (file->bytes().size() != entry.stored_size) {
      return Error(ErrorCode::invalid_input, what,
                   fmt::format("its file {} is {} bytes long, not the {} the package's index says", path,
                               file->bytes().size(), entry.stored_size));
    }
    blob_files_.push_back(std::move(file).value());
  }
  return {};
}

Result<void> PackageReader::parse(const TrustPolicy& trust, Form form) {
  // A stored package's file is its head alone: the manifest and index must lie inside it, the
  // blobs inside the size the header declares.
  const std::span<const std::byte> bytes = file_.bytes();
  const uint64_t size = bytes.size();
  auto refuse = [&](std::string why, ErrorCode code = ErrorCode::invalid_input) {
    return Error(code, fmt::format("opening the package {}", file_.path()), std::move(why));
  };
  if (size < sizeof(Header)) {
    return refuse(fmt::format("it is {} bytes long, too short to be a Pavilion scene package", size));
  }
  std::memcpy(&header_, bytes.data(), sizeof(Header));
  if (header_.magic != magic) return refuse("it is not a Pavilion scene package (.pvpkg)");
  if (header_.format_version > format_version) {
    return refuse(fmt::format("it uses package format {}, newer than the format {} this program reads; update "
                              "Pavilion to show it",
                              header_.format_version, format_version),
                  ErrorCode::unsupported);
  }
  if (header_.format_version == 0 || header_.header_size < sizeof(Header) || header_.header_size > size) {
    return refuse("its header is damaged");
  }
  if (form == Form::single_file && header_.file_size != size) {
    return refuse(fmt::format("it should be {} bytes long but is {}: the file is {}", header_.file_size, size,
                              size < header_.file_size ? "truncated (an interrupted copy or download?)" : "damaged"));
  }
  if (!range_inside(header_.manifest_offset, header_.manifest_size, size) || header_.manifest_size > max_manifest_size) {
    return refuse("its manifest lies outside the file");
  }
  if (header_.blob_count > max_blob_count || header_.index_entry_size < sizeof(IndexEntry) ||
      !range_inside(header_.index_offset, uint64_t{header_.blob_count} * header_.index_entry_size, size)) {
    return refuse("its blob index lies outside the file");
  }
  if (form == Form::stored) {
    if (header_.index_entry_size < sizeof(IndexEntryWithStoredHash)) {
      return refuse("its index holds no stored hashes (a package written before them), so its blobs cannot be kept "
                    "in a blob store; build it again with this version of pavilion-pack");
    }
    if (head_size() != size || header_.file_size < size) {
      return refuse(fmt::format("it is {} bytes long, but a package head ends after its index, at byte {}", size,
                                head_size()));
    }
  }
  manifest_ = std::string_view(reinterpret_cast<const char*>(bytes.data() + header_.manifest_offset),
                               header_.manifest_size);
  index_.resize(header_.blob_count);
  const bool stored_hashes = header_.index_entry_size >= sizeof(IndexEntryWithStoredHash);
  if (stored_hashes) stored_hashes_.resize(header_.blob_count);
  for (uint32_t blob = 0; blob < header_.blob_count; ++blob) {
    IndexEntry& entry = index_[blob];
    const std::byte* stored_entry = bytes.data() + header_.index_offset + uint64_t{blob} * header_.index_entry_size;
    std::memcpy(&entry, stored_entry, sizeof(IndexEntry));
    if (stored_hashes) {
      std::memcpy(&stored_hashes_[blob], stored_entry + offsetof(IndexEntryWithStoredHash, stored_hash),
                  sizeof(ContentHash));
    }
    const bool known_compression = entry.compression == Compression::none || entry.compression == Compression::zstd;
    if (!range_inside(entry.offset, entry.stored_size, header_.file_size) || entry.raw_size > max_blob_size ||
        !known_compression ||
        (entry.compression == Compression::none && entry.stored_size != entry.raw_size)) {
      return refuse(fmt::format("entry {} of its blob index is damaged", blob));
    }
  }

  // The index is signed as stored, so a newer writer's longer entries verify here too.
  const auto message = signed_bytes(
      header_, manifest_, bytes.subspan(header_.index_offset, uint64_t{header_.blob_count} * header_.index_entry_size));

  if (header_.signer == PublicKey{}) {
    signature_status_ = SignatureStatus::unsigned_package;
    if (!trust.developer_mode && !trust.report_only) {
      return refuse("it is not signed; sign it with 'pavilion-pack build --key', or open it in developer mode",
                    ErrorCode::unsupported);
    }
    return {};
  }
  if (!verify_signature(header_.signer, header_.signature, message)) {
    signature_status_ = SignatureStatus::mismatched;
    if (trust.report_only) return {};
    return refuse("its signature does not match its contents: it was changed after it was signed");
  }
  const bool trusted = std::find(trust.trusted_signers.begin(), trust.trusted_signers.end(), header_.signer) !=
                       trust.trusted_signers.end();
  signature_status_ = trusted ? SignatureStatus::trusted : SignatureStatus::untrusted;
  if (!trusted && !trust.developer_mode && !trust.report_only) {
    return refuse(fmt::format("it is signed by key {}, which is not among the trusted keys; add that public key to "
                              "the trusted keys if you trust its publisher",
                              to_hex(header_.signer).substr(0, 16)),
                  ErrorCode::unsupported);
  }
  return {};
}

std::optional<uint32_t> PackageReader::find(const ContentHash& hash) const {
  for (uint32_t index = 0; index < index_.size(); ++index) {
    if (index_[index].hash == hash) return index;
  }
  return std::nullopt;
}

std::span<const std::byte> PackageReader::stored_bytes(uint32_t index) const {
  const IndexEntry& entry = index_[index];
  if (blob_files_.empty()) {
    file_.prefetch(entry.offset, entry.stored_size);
    return file_.bytes().subspan(entry.offset, entry.stored_size);
  }
  blob_files_[index].prefetch(0, entry.stored_size);
  return blob_files_[index].bytes();
}

const std::filesystem::path& PackageReader::file_of(uint32_t index) const {
  return blob_files_.empty() ? file_.path() : blob_files_[index].path();
}

Result<void> PackageReader::read_blob_into(uint32_t index, std::span<std::byte> destination) const {
  expects(index < index_.size(), "blob index exists");
  const IndexEntry& entry = index_[index];
  expects(destination.size() == entry.raw_size, "destination fits the blob exactly");
  if (head_only_) {
    return Error(ErrorCode::invalid_input, fmt::format("reading {} blob {} of {}", to_string(entry.kind), index, file_.path()),
                 "only the package's head was opened; open it with its blobs (open_stored) to read them");
  }
  const auto stored = stored_bytes(index);
  auto damaged = [&](std::string why) {
    return Error(ErrorCode::invalid_input, fmt::format("reading {} blob {} of {}", to_string(entry.kind), index, file_of(index)),
                 std::move(why));
  };
  auto mismatch = [&] { return damaged("it does not match its hash: the package is damaged"); };
  // The signed index holds the stored bytes' hash, and they decompress to one content only:
  // checking them authenticates the content while hashing a fraction of its size (BLAKE2b is no
  // faster than zstd's decompression, so hashing the content doubled a load's work), and nothing
  // unauthenticated reaches the decompressor.
  const bool check_stored = !stored_hashes_.empty();
  if (check_stored && hash_content(stored) != stored_hashes_[index]) return mismatch();
  if (entry.compression == Compression::zstd) {
    const size_t result = decompress(destination, stored);
    if (ZSTD_isError(result)) return damaged(fmt::format("it does not decompress ({})", ZSTD_getErrorName(result)));
    if (result != entry.raw_size) return damaged("it decompresses to the wrong size");
  } else if (!stored.empty()) {  // an empty blob's span may hold a null pointer, which memcpy forbids
    std::memcpy(destination.data(), stored.data(), stored.size());
  }
  if (!check_stored && hash_content(destination) != entry.hash) return mismatch();
  return {};
}

Result<std::vector<std::byte>> PackageReader::read_blob(uint32_t index) const {
  expects(index < index_.size(), "blob index exists");
  std::vector<std::byte> content = resident_bytes(index_[index].raw_size);
  PV_TRY(read_blob_into(index, content));
  return content;
}

}  // namespace pavilion::package

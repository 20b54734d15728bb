#include "pavilion/core/file.h"
#include "pavilion/package/reader.h"
#include "pavilion/package/writer.h"
#include "damage.h"
#include "temporary_folder.h"

#include <gtest/gtest.h>

#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace pavilion::package {
namespace {

std::vector<std::byte> bytes_of(std::string_view text) {
  const auto* data = reinterpret_cast<const std::byte*>(text.data());
  return {data, data + text.size()};
}

// Rewrites a package as writers did before stored hashes: 64-byte index entries, signed again.
// The blobs stay where they are; the shorter index leaves a wider gap before the first.
void write_entries_without_stored_hashes(const std::filesystem::path& path, const KeyPair& key) {
  std::vector<std::byte> bytes = read_file(path).value();
  Header header;
  std::memcpy(&header, bytes.data(), sizeof(Header));
  ASSERT_EQ(header.index_entry_size, sizeof(IndexEntryWithStoredHash));
  std::vector<IndexEntry> entries(header.blob_count);
  const auto index = bytes.begin() + static_cast<std::ptrdiff_t>(header.index_offset);
  for (uint32_t blob = 0; blob < header.blob_count; ++blob) {
    std::memcpy(&entries[blob], &*index + blob * sizeof(IndexEntryWithStoredHash), sizeof(IndexEntry));
  }
  std::fill(index, index + header.blob_count * sizeof(IndexEntryWithStoredHash), std::byte{0});
  std::memcpy(&*index, entries.data(), entries.size() * sizeof(IndexEntry));
  header.index_entry_size = sizeof(IndexEntry);
  const std::string_view manifest(reinterpret_cast<const char*>(bytes.data() + header.manifest_offset),
                                  header.manifest_size);
  header.signature = sign(key, signed_bytes(header, manifest, std::as_bytes(std::span(entries))));
  std::memcpy(bytes.data(), &header, sizeof(Header));
  ASSERT_TRUE(write_file_atomic(path, bytes).ok());
}

// Counts the page faults this thread takes as traps, which populating memory in one step
// does not (getrusage counts those too). Unavailable where perf events are not allowed (many
// containers); the test that uses it is skipped there.
class PageFaultCounter {
 public:
  PageFaultCounter() {
    perf_event_attr attributes{};
    attributes.type = PERF_TYPE_SOFTWARE;
    attributes.size = sizeof(attributes);
    attributes.config = PERF_COUNT_SW_PAGE_FAULTS;
    attributes.exclude_kernel = 1;  // what an unprivileged process may count; user-space faults still are
    attributes.exclude_hv = 1;
    descriptor_ = static_cast<int>(::syscall(SYS_perf_event_open, &attributes, 0, -1, -1, 0));
  }
  ~PageFaultCounter() {
    if (descriptor_ >= 0) ::close(descriptor_);
  }
  PageFaultCounter(const PageFaultCounter&) = delete;
  PageFaultCounter& operator=(const PageFaultCounter&) = delete;

  bool available() const { return descriptor_ >= 0; }
  uint64_t count() const {
    uint64_t value = 0;
    return ::read(descriptor_, &value, sizeof(value)) == sizeof(value) ? value : 0;
  }

 private:
  int descriptor_ = -1;
};

// Splits the package at `path` the way a repository keeps it: its head in `head`, each blob's
// stored bytes in `blobs`/STORED_HASH.
void split_into_head_and_blobs(const std::filesystem::path& path, const std::filesystem::path& head,
                               const std::filesystem::path& blobs) {
  auto reader = PackageReader::open(path, TrustPolicy{{}, false, true});
  ASSERT_TRUE(reader.ok()) << reader.error().describe();
  const auto bytes = read_file(path).value();
  ASSERT_TRUE(write_file_atomic(head, std::span(bytes).first((*reader)->head_size())).ok());
  std::filesystem::create_directories(blobs);
  for (uint32_t blob = 0; blob < (*reader)->index().size(); ++blob) {
    const IndexEntry& entry = (*reader)->index()[blob];
    const auto stored = std::span(bytes).subspan(entry.offset, entry.stored_size);
    const ContentHash name = (*reader)->stored_hashes().empty() ? entry.hash : (*reader)->stored_hashes()[blob];
    ASSERT_TRUE(write_file_atomic(blobs / name.to_hex(), stored).ok());
  }
}

class Package : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = generate_key_pair();
    PackageWriter writer;
    const std::string repetitive(50'000, 'x');
    writer.add(prepare_blob(BlobKind::texture, bytes_of(repetitive)));
    writer.add(prepare_blob(BlobKind::mesh, bytes_of("a mesh that does not compress")));
    writer.add(prepare_blob(BlobKind::texture, bytes_of(repetitive)));  // the same content again
    writer.set_manifest(R"({"id":"test","future_field":{"ignored":true}})");
    ASSERT_TRUE(writer.write(path_, &key_).ok());
  }

  TrustPolicy trusting() const { return TrustPolicy{{key_.public_key}, false, false}; }

  // The package as a repository keeps it: head_ and blobs_/STORED_HASH.
  void split() { split_into_head_and_blobs(path_, head_, blobs_); }
  Result<std::unique_ptr<PackageReader>> open_stored() const {
    return PackageReader::open_stored(
        head_, [&](const ContentHash& stored_hash) { return blobs_ / stored_hash.to_hex(); }, trusting());
  }
  std::filesystem::path blob_file(uint32_t blob) const {
    return blobs_ / open_stored().value()->stored_hashes()[blob].to_hex();
  }

  testing::TemporaryFolder folder_;
  std::filesystem::path path_ = folder_ / "test.pvpkg";
  std::filesystem::path head_ = folder_ / "test.head";
  std::filesystem::path blobs_ = folder_ / "blobs";
  KeyPair key_;
};

TEST_F(Package, RoundTripsBlobsAndManifestAndStoresEqualBlobsOnce) {
  auto reader = PackageReader::open(path_, trusting());
  ASSERT_TRUE(reader.ok()) << reader.error().describe();
  EXPECT_EQ((*reader)->signature_status(), SignatureStatus::trusted);
  EXPECT_EQ((*reader)->manifest(), R"({"id":"test","future_field":{"ignored":true}})");
  ASSERT_EQ((*reader)->index().size(), 2u);
  const auto texture = (*reader)->find(hash_content(bytes_of(std::string(50'000, 'x'))));
  const auto mesh = (*reader)->find(hash_content(bytes_of("a mesh that does not compress")));
  ASSERT_TRUE(texture && mesh);
  const IndexEntry& texture_entry = (*reader)->index()[*texture];
  EXPECT_EQ(texture_entry.kind, BlobKind::texture);
  EXPECT_EQ(texture_entry.compression, Compression::zstd) << "repetitive content is compressed";
  EXPECT_LT(texture_entry.stored_size, texture_entry.raw_size / 10);
  EXPECT_EQ((*reader)->index()[*mesh].compression, Compression::none) << "incompressible content is stored as is";
  for (uint32_t blob = 0; blob < 2; ++blob) {
    EXPECT_EQ((*reader)->index()[blob].offset % blob_alignment, 0u) << "blobs start on page boundaries";
  }
  const auto content = (*reader)->read_blob(*mesh);
  ASSERT_TRUE(content.ok());
  EXPECT_EQ(*content, bytes_of("a mesh that does not compress"));
}

TEST_F(Package, RefusesUnsignedPackagesOutsideDeveloperMode) {
  PackageWriter writer;
  writer.set_manifest("{}");
  const auto unsigned_path = folder_ / "unsigned.pvpkg";
  ASSERT_TRUE(writer.write(unsigned_path, nullptr).ok());
  const auto refused = PackageReader::open(unsigned_path, trusting());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().why().find("not signed"), std::string::npos) << refused.error().describe();
  const auto accepted = PackageReader::open(unsigned_path, TrustPolicy{{}, true, false});
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ((*accepted)->signature_status(), SignatureStatus::unsigned_package);
}

TEST_F(Package, RefusesSignersNotTrusted) {
  const auto refused = PackageReader::open(path_, TrustPolicy{{generate_key_pair().public_key}, false, false});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().why().find(to_hex(key_.public_key).substr(0, 16)), std::string::npos)
      << "the message names the signer: " << refused.error().describe();
  const auto developer = PackageReader::open(path_, TrustPolicy{{}, true, false});
  ASSERT_TRUE(developer.ok());
  EXPECT_EQ((*developer)->signature_status(), SignatureStatus::untrusted);
}

TEST_F(Package, RefusesATamperedManifestEvenInDeveloperMode) {
  testing::flip_byte(path_, sizeof(Header) + 3);
  const auto refused = PackageReader::open(path_, TrustPolicy{{key_.public_key}, true, false});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().why().find("changed after it was signed"), std::string::npos) << refused.error().describe();
  const auto reported = PackageReader::open(path_, TrustPolicy{{}, false, true});
  ASSERT_TRUE(reported.ok());
  EXPECT_EQ((*reported)->signature_status(), SignatureStatus::mismatched);
}

TEST_F(Package, ADamagedBlobIsCaughtWhenRead) {
  const ContentHash mesh = hash_content(bytes_of("a mesh that does not compress"));
  uint32_t index = 0;
  {
    auto reader = PackageReader::open(path_, trusting());
    ASSERT_TRUE(reader.ok());
    index = *(*reader)->find(mesh);
    testing::flip_byte(path_, (*reader)->index()[index].offset + 5);
  }
  auto reader = PackageReader::open(path_, trusting());
  ASSERT_TRUE(reader.ok()) << "the index and signature are intact";
  EXPECT_TRUE((*reader)->read_blob(1 - index).ok()) << "other blobs still read";
  const auto damaged = (*reader)->read_blob(index);
  ASSERT_FALSE(damaged.ok());
  EXPECT_NE(damaged.error().why().find("does not match its hash"), std::string::npos) << damaged.error().describe();
}

TEST_F(Package, EntriesHoldTheHashOfTheBlobsStoredBytes) {
  const auto bytes = read_file(path_).value();
  Header header;
  std::memcpy(&header, bytes.data(), sizeof(Header));
  ASSERT_EQ(header.index_entry_size, sizeof(IndexEntryWithStoredHash));
  ASSERT_EQ(header.blob_count, 2u);
  for (uint32_t blob = 0; blob < header.blob_count; ++blob) {
    IndexEntryWithStoredHash stored;
    std::memcpy(&stored, bytes.data() + header.index_offset + blob * sizeof(IndexEntryWithStoredHash), sizeof(stored));
    const auto stored_bytes = std::span(bytes).subspan(stored.entry.offset, stored.entry.stored_size);
    EXPECT_EQ(stored.stored_hash, hash_content(stored_bytes)) << "blob " << blob;
  }
}

TEST_F(Package, DamagedCompressedBytesAreRefusedBeforeTheyAreDecompressed) {
  const ContentHash texture = hash_content(bytes_of(std::string(50'000, 'x')));
  {
    auto reader = PackageReader::open(path_, trusting());
    ASSERT_TRUE(reader.ok());
    const IndexEntry& entry = (*reader)->index()[*(*reader)->find(texture)];
    ASSERT_EQ(entry.compression, Compression::zstd);
    testing::flip_byte(path_, entry.offset);  // the zstd frame's magic number: no decompressor would take it
  }
  auto reader = PackageReader::open(path_, trusting());
  ASSERT_TRUE(reader.ok());
  const auto damaged = (*reader)->read_blob(*(*reader)->find(texture));
  ASSERT_FALSE(damaged.ok());
  EXPECT_NE(damaged.error().why().find("does not match its hash"), std::string::npos)
      << "caught by its hash, not by the decompressor: " << damaged.error().describe();
}

TEST_F(Package, PackagesWrittenBeforeStoredHashesAreCheckedByTheirContent) {
  write_entries_without_stored_hashes(path_, key_);
  const ContentHash mesh = hash_content(bytes_of("a mesh that does not compress"));
  const ContentHash texture = hash_content(bytes_of(std::string(50'000, 'x')));
  uint32_t mesh_index = 0;
  {
    auto reader = PackageReader::open(path_, trusting());
    ASSERT_TRUE(reader.ok()) << reader.error().describe();
    EXPECT_EQ((*reader)->signature_status(), SignatureStatus::trusted);
    ASSERT_TRUE((*reader)->find(mesh) && (*reader)->find(texture));
    const auto content = (*reader)->read_blob(*(*reader)->find(texture));
    ASSERT_TRUE(content.ok()) << content.error().describe();
    EXPECT_EQ(*content, bytes_of(std::string(50'000, 'x')));
    mesh_index = *(*reader)->find(mesh);
    testing::flip_byte(path_, (*reader)->index()[mesh_index].offset + 5);
  }
  auto reader = PackageReader::open(path_, trusting());
  ASSERT_TRUE(reader.ok());
  const auto damaged = (*reader)->read_blob(mesh_index);
  ASSERT_FALSE(damaged.ok());
  EXPECT_NE(damaged.error().why().find("does not match its hash"), std::string::npos) << damaged.error().describe();
}

TEST_F(Package, ALargeBlobIsReadIntoMemoryMadeResidentAtOnceNotAPageFaultAt4KiB) {
  const PageFaultCounter faults;
  if (!faults.available()) GTEST_SKIP() << "perf events are not allowed here: " << std::strerror(errno);
  constexpr size_t size = size_t{16} << 20;
  PackageWriter writer;
  writer.add(prepare_blob(BlobKind::texture, std::vector<std::byte>(size), 1));
  const auto path = folder_ / "large.pvpkg";
  ASSERT_TRUE(writer.write(path, nullptr).ok());
  auto reader = PackageReader::open(path, TrustPolicy{{}, true, false});
  ASSERT_TRUE(reader.ok());
  const uint64_t before = faults.count();
  const auto content = (*reader)->read_blob(0);
  const uint64_t taken = faults.count() - before;
  ASSERT_TRUE(content.ok()) << content.error().describe();
  EXPECT_EQ(content->size(), size);
  // Written page by page it takes 4 096; AddressSanitizer's shadow memory adds about 1 000.
  EXPECT_LT(taken, size / 4096 / 2) << "page faults while reading a 16 MiB blob";
}

TEST_F(Package, RefusesATruncatedFile) {
  std::filesystem::resize_file(path_, std::filesystem::file_size(path_) - 100);
  const auto refused = PackageReader::open(path_, trusting());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().why().find("truncated"), std::string::npos) << refused.error().describe();
}

TEST_F(Package, RefusesANewerFormatVersionAndSaysWhatToDo) {
  std::fstream file(path_, std::ios::in | std::ios::out | std::ios::binary);
  const uint32_t version = format_version + 1;
  file.seekp(offsetof(Header, format_version));
  file.write(reinterpret_cast<const char*>(&version), sizeof(version));
  file.close();
  const auto refused = PackageReader::open(path_, trusting());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), ErrorCode::unsupported);
  EXPECT_NE(refused.error().why().find("update Pavilion"), std::string::npos) << refused.error().describe();
}

TEST_F(Package, RefusesFilesThatAreNotPackages) {
  const auto other = folder_ / "photo.png";
  std::ofstream(other) << std::string(400, 'P');
  const auto refused = PackageReader::open(other, trusting());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().why().find("not a Pavilion scene package"), std::string::npos);
  const auto tiny = folder_ / "tiny.pvpkg";
  std::ofstream(tiny) << "PV";
  EXPECT_NE(PackageReader::open(tiny, trusting()).error().why().find("too short"), std::string::npos);
}

TEST_F(Package, AStoredPackageOpensAndReadsAsTheWholeFileDoes) {
  ASSERT_NO_FATAL_FAILURE(split());
  auto whole = PackageReader::open(path_, trusting());
  auto stored = open_stored();
  ASSERT_TRUE(whole.ok() && stored.ok()) << stored.error().describe();
  EXPECT_EQ((*stored)->signature_status(), SignatureStatus::trusted) << "the head alone carries the signature";
  EXPECT_EQ((*stored)->manifest(), (*whole)->manifest());
  EXPECT_EQ((*stored)->head_size(), (*whole)->head_size());
  EXPECT_EQ((*stored)->head_size(), std::filesystem::file_size(head_));
  const auto whole_head = (*whole)->head_bytes();
  const auto stored_head = (*stored)->head_bytes();
  EXPECT_TRUE(std::equal(whole_head.begin(), whole_head.end(), stored_head.begin(), stored_head.end()));
  ASSERT_EQ((*stored)->index().size(), (*whole)->index().size());
  ASSERT_EQ((*stored)->stored_hashes().size(), (*whole)->index().size());
  for (uint32_t blob = 0; blob < (*whole)->index().size(); ++blob) {
    EXPECT_EQ((*stored)->stored_hashes()[blob], (*whole)->stored_hashes()[blob]);
    const auto from_whole = (*whole)->read_blob(blob);
    const auto from_stored = (*stored)->read_blob(blob);
    ASSERT_TRUE(from_whole.ok() && from_stored.ok()) << from_stored.error().describe();
    EXPECT_EQ(*from_stored, *from_whole) << "blob " << blob;
  }
}

TEST_F(Package, AHeadAloneOpensWithItsIndexAndSignatureButReadsNoBlob) {
  ASSERT_NO_FATAL_FAILURE(split());
  std::filesystem::remove_all(blobs_);  // before any blob is fetched
  auto head = PackageReader::open_head(head_, trusting());
  ASSERT_TRUE(head.ok()) << head.error().describe();
  EXPECT_EQ((*head)->signature_status(), SignatureStatus::trusted);
  const auto whole = PackageReader::open(path_, trusting()).value();
  ASSERT_EQ((*head)->index().size(), whole->index().size());
  for (uint32_t blob = 0; blob < whole->index().size(); ++blob) {
    EXPECT_EQ((*head)->stored_hashes()[blob], whole->stored_hashes()[blob]);
    EXPECT_EQ((*head)->index()[blob].stored_size, whole->index()[blob].stored_size);
  }
  const auto refused = (*head)->read_blob(0);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().why().find("only the package's head"), std::string::npos) << refused.error().describe();
  testing::flip_byte(head_, whole->header().manifest_offset + 2);
  EXPECT_FALSE(PackageReader::open_head(head_, trusting()).ok()) << "its signature is checked";
}

TEST_F(Package, AStoredPackageWithAMissingBlobFileIsRefusedNamingTheBlob) {
  ASSERT_NO_FATAL_FAILURE(split());
  const auto missing = blob_file(1);
  std::filesystem::remove(missing);
  const auto refused = open_stored();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().what().find(missing.filename().string()), std::string::npos) << refused.error().describe();
  EXPECT_NE(refused.error().what().find(head_.string()), std::string::npos) << refused.error().describe();
  EXPECT_NE(refused.error().why().find("never fetched"), std::string::npos) << refused.error().describe();
}

TEST_F(Package, AStoredPackageWithAShortOrLongBlobFileIsRefused) {
  ASSERT_NO_FATAL_FAILURE(split());
  const auto blob = blob_file(0);
  const auto size = std::filesystem::file_size(blob);
  std::filesystem::resize_file(blob, size - 1);
  const auto short_refused = open_stored();
  ASSERT_FALSE(short_refused.ok());
  EXPECT_NE(short_refused.error().why().find("is " + std::to_string(size - 1) + " bytes long, not the " + std::to_string(size)),
            std::string::npos)
      << short_refused.error().describe();
  std::filesystem::resize_file(blob, size + 1);
  EXPECT_FALSE(open_stored().ok());
}

TEST_F(Package, AStoredPackagesAlteredBlobFileIsCaughtWhenRead) {
  ASSERT_NO_FATAL_FAILURE(split());
  testing::flip_byte(blob_file(1), 3);
  auto reader = open_stored();
  ASSERT_TRUE(reader.ok()) << "its size is right: " << reader.error().describe();
  EXPECT_TRUE((*reader)->read_blob(0).ok());
  const auto damaged = (*reader)->read_blob(1);
  ASSERT_FALSE(damaged.ok());
  EXPECT_NE(damaged.error().why().find("does not match its hash"), std::string::npos) << damaged.error().describe();
  EXPECT_NE(damaged.error().what().find(blob_file(1).string()), std::string::npos) << damaged.error().describe();
}

TEST_F(Package, AStoredPackagesAlteredHeadIsRefusedByItsSignature) {
  ASSERT_NO_FATAL_FAILURE(split());
  testing::flip_byte(head_, (*PackageReader::open(path_, trusting()))->header().manifest_offset + 2);
  const auto refused = open_stored();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().why().find("signature does not match"), std::string::npos) << refused.error().describe();
}

TEST_F(Package, AStoredPackagesHeadFileOfTheWrongSizeIsRefused) {
  ASSERT_NO_FATAL_FAILURE(split());
  std::filesystem::copy_file(path_, head_, std::filesystem::copy_options::overwrite_existing);
  const auto whole_as_head = open_stored();
  ASSERT_FALSE(whole_as_head.ok());
  EXPECT_NE(whole_as_head.error().why().find("a package head ends after its index"), std::string::npos)
      << whole_as_head.error().describe();
}

TEST_F(Package, AHeadWithoutStoredHashesIsRefusedWithWhatToDo) {
  write_entries_without_stored_hashes(path_, key_);
  ASSERT_NO_FATAL_FAILURE(split());
  const auto refused = open_stored();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().why().find("no stored hashes"), std::string::npos) << refused.error().describe();
  EXPECT_NE(refused.error().why().find("build it again"), std::string::npos) << refused.error().describe();
}

TEST_F(Package, KeyFilesRoundTripAndTheSecretOneIsPrivate) {
  const auto secret = folder_ / "curator.key";
  const auto public_file = folder_ / "curator.pub";
  ASSERT_TRUE(write_key_files(key_, secret, public_file).ok());
  EXPECT_EQ(std::filesystem::status(secret).permissions() & std::filesystem::perms::others_read,
            std::filesystem::perms::none);
  const auto read_secret = read_secret_key(secret);
  ASSERT_TRUE(read_secret.ok());
  EXPECT_EQ(read_secret->public_key, key_.public_key) << "the public half is derived from the secret";
  const auto read_public = read_public_key(public_file);
  ASSERT_TRUE(read_public.ok());
  EXPECT_EQ(*read_public, key_.public_key);
  const auto wrong = read_public_key(secret);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().why().find("not a pavilion-public-key file"), std::string::npos);
}

TEST_F(Package, AFailedWriteLeavesNoPartialPackage) {
  PackageWriter writer;
  writer.set_manifest("{}");
  const auto unreachable = folder_ / "missing-folder" / "out.pvpkg";
  EXPECT_FALSE(writer.write(unreachable, &key_).ok());
  EXPECT_FALSE(std::filesystem::exists(unreachable));
  // An existing package is replaced whole or not at all.
  const auto size_before = std::filesystem::file_size(path_);
  ASSERT_TRUE(writer.write(path_, &key_).ok());
  EXPECT_NE(std::filesystem::file_size(path_), size_before);
  EXPECT_TRUE(PackageReader::open(path_, trusting()).ok());
}

}  // namespace
}  // namespace pavilion::package

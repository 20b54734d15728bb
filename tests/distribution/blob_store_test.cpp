#include "pavilion/core/file.h"
#include "pavilion/distribution/blob_store.h"
#include "temporary_folder.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

namespace pavilion::distribution {
namespace {

std::vector<std::byte> random_bytes(size_t size, uint32_t seed) {
  std::mt19937 random(seed);
  std::vector<std::byte> bytes(size);
  for (std::byte& byte : bytes) byte = static_cast<std::byte>(random());
  return bytes;
}

void write_raw(const std::filesystem::path& path, std::span<const std::byte> bytes) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                              static_cast<std::streamsize>(bytes.size()));
}

class BlobStoreTest : public ::testing::Test {
 protected:
  pavilion::testing::TemporaryFolder folder_;
  BlobStore store_ = BlobStore::open(folder_ / "blobs").value();
};

TEST_F(BlobStoreTest, APartialDownloadHasOneHolderAndOnlyTheHolderMovesItIn) {
  // Two holders in one process stand for two processes: flock locks belong to an open file.
  const auto bytes = random_bytes(100'000, 5);
  const ContentHash hash = hash_content(bytes);
  auto first = store_.claim_partial(hash).value();
  ASSERT_TRUE(first);
  EXPECT_FALSE(store_.claim_partial(hash).value()) << "a second holder must leave the first's download alone";
  ASSERT_TRUE(first->write(std::span(bytes).first(1000)).ok());
  const auto refused = store_.complete(hash);
  ASSERT_FALSE(refused.ok()) << "only the holder moves a partial file into the store";
  EXPECT_NE(refused.error().why().find("another process"), std::string::npos) << refused.error().describe();
  EXPECT_EQ(store_.partial_size(hash), 1000u);
  ASSERT_TRUE(first->write(std::span(bytes).subspan(1000)).ok());
  ASSERT_TRUE(store_.complete(std::move(*first)).ok());
  first.reset();
  EXPECT_EQ(read_file(store_.path_of(hash)).value(), bytes);
  auto next = store_.claim_partial(hash).value();
  ASSERT_TRUE(next) << "once completed, the partial file is free again";
  EXPECT_EQ(next->size(), 0u) << "a new partial file, never the stored blob";
  EXPECT_EQ(read_file(store_.path_of(hash)).value(), bytes);
}

TEST_F(BlobStoreTest, GarbageCollectionLeavesAPartialFileSomeoneIsFetchingInto) {
  const auto bytes = random_bytes(1000, 6);
  const ContentHash hash = hash_content(bytes);
  auto fetching = store_.claim_partial(hash).value();
  ASSERT_TRUE(fetching);
  ASSERT_TRUE(fetching->write(bytes).ok());
  EXPECT_EQ(store_.collect_garbage({}).value(), 0u);
  EXPECT_EQ(store_.partial_size(hash), bytes.size()) << "another process's download stays";
  fetching.reset();
  EXPECT_EQ(store_.collect_garbage({}).value(), bytes.size());
  EXPECT_FALSE(std::filesystem::exists(store_.partial_path(hash)));
}

TEST_F(BlobStoreTest, PutStoresBytesByTheirHashAndRefusesBytesThatDoNotHashToIt) {
  const auto bytes = random_bytes(10'000, 1);
  const ContentHash hash = hash_content(bytes);
  EXPECT_FALSE(store_.holds(hash));
  ASSERT_TRUE(store_.put(hash, bytes).ok());
  EXPECT_TRUE(store_.holds(hash));
  EXPECT_EQ(read_file(store_.path_of(hash)).value(), bytes);
  EXPECT_EQ(store_.path_of(hash).parent_path().filename(), hash.to_hex().substr(0, 2));
  EXPECT_TRUE(store_.put(hash, bytes).ok()) << "putting a held blob again changes nothing";

  const ContentHash other = hash_content(random_bytes(10, 2));
  const auto refused = store_.put(other, bytes);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), ErrorCode::invalid_input);
  EXPECT_FALSE(store_.holds(other));
}

TEST_F(BlobStoreTest, CompleteMovesARightDownloadInAndDropsAWrongOne) {
  const auto bytes = random_bytes(3 << 20, 3);  // several of complete()'s 1 MiB pieces
  const ContentHash hash = hash_content(bytes);
  write_raw(store_.partial_path(hash), bytes);
  EXPECT_EQ(store_.partial_size(hash), bytes.size());
  ASSERT_TRUE(store_.complete(hash).ok());
  EXPECT_TRUE(store_.holds(hash));
  EXPECT_EQ(store_.partial_size(hash), 0u);
  EXPECT_FALSE(std::filesystem::exists(store_.partial_path(hash)));
  EXPECT_EQ(read_file(store_.path_of(hash)).value(), bytes);

  auto altered = random_bytes(1 << 20, 4);
  const ContentHash wanted = hash_content(altered);
  altered[700'000] ^= std::byte{1};
  write_raw(store_.partial_path(wanted), altered);
  const auto refused = store_.complete(wanted);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), ErrorCode::invalid_input);
  EXPECT_FALSE(store_.holds(wanted));
  EXPECT_FALSE(std::filesystem::exists(store_.partial_path(wanted))) << "a resume must not keep wrong bytes";
}

TEST_F(BlobStoreTest, GarbageCollectionKeepsOnlyWhatIsNamedAndCountsWhatItFrees) {
  const auto kept = random_bytes(5'000, 5);
  const auto dropped = random_bytes(7'000, 6);
  const auto resumed = random_bytes(300, 7);
  const auto abandoned = random_bytes(200, 8);
  ASSERT_TRUE(store_.put(hash_content(kept), kept).ok());
  ASSERT_TRUE(store_.put(hash_content(dropped), dropped).ok());
  write_raw(store_.partial_path(hash_content(resumed)), resumed);
  write_raw(store_.partial_path(hash_content(abandoned)), abandoned);
  std::filesystem::create_directories(store_.folder() / "ab");
  write_raw(store_.folder() / "ab" / "stray.tmp-1234", random_bytes(50, 9));  // a crash's leftover
  EXPECT_EQ(store_.bytes_held(), 5'000u + 7'000u + 300u + 200u + 50u);

  const auto freed = store_.collect_garbage({hash_content(kept), hash_content(resumed)});
  ASSERT_TRUE(freed.ok()) << freed.error().describe();
  EXPECT_EQ(*freed, 7'000u + 200u + 50u);
  EXPECT_TRUE(store_.holds(hash_content(kept)));
  EXPECT_FALSE(store_.holds(hash_content(dropped)));
  EXPECT_EQ(store_.partial_size(hash_content(resumed)), 300u);
  EXPECT_EQ(store_.partial_size(hash_content(abandoned)), 0u);
  EXPECT_EQ(store_.bytes_held(), 5'000u + 300u);
}

}  // namespace
}  // namespace pavilion::distribution

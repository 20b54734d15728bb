#include "pavilion/core/file.h"
#include "pavilion/core/file_map.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace pavilion {
namespace {

class CoreFile : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("pavilion-file-test-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::span<const std::byte> bytes_of(std::string_view text) { return std::as_bytes(std::span(text.data(), text.size())); }
  std::string text_of(std::span<const std::byte> bytes) {
    return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }

  std::filesystem::path directory_;
};

TEST_F(CoreFile, AtomicWriteReplacesTheWholeFile) {
  const auto path = directory_ / "scene.json";
  ASSERT_TRUE(write_file_atomic(path, bytes_of("first version, rather long")).ok());
  ASSERT_TRUE(write_file_atomic(path, bytes_of("second")).ok());
  const auto read = read_file(path);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(text_of(*read), "second");
  // No temporary file is left beside it.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(directory_), std::filesystem::directory_iterator()), 1);
}

TEST_F(CoreFile, AFailedWriteKeepsTheOldFileAndSaysWhere) {
  const auto path = directory_ / "kept.txt";
  ASSERT_TRUE(write_file_atomic(path, bytes_of("good")).ok());
  const auto missing_folder = directory_ / "no-such-folder" / "file.txt";
  const auto failed = write_file_atomic(missing_folder, bytes_of("lost"));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code(), ErrorCode::io);
  EXPECT_NE(failed.error().why().find("no-such-folder"), std::string::npos) << failed.error().describe();
  EXPECT_EQ(text_of(*read_file(path)), "good");
}

TEST_F(CoreFile, FlushingAFolderNeedsAFolder) {
  EXPECT_TRUE(sync_folder(directory_).ok());
  ASSERT_TRUE(write_file_atomic(directory_ / "plain.txt", bytes_of("x")).ok());
  const auto refused = sync_folder(directory_ / "plain.txt");
  ASSERT_FALSE(refused.ok()) << "a file is not a folder whose entries can be flushed";
  EXPECT_NE(refused.error().why().find("plain.txt"), std::string::npos) << refused.error().describe();
}

TEST_F(CoreFile, ReadingAMissingFileNamesIt) {
  const auto result = read_file(directory_ / "absent.pvpkg");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().why().find("absent.pvpkg"), std::string::npos);
  EXPECT_NE(result.error().why().find("No such file"), std::string::npos);
}

TEST_F(CoreFile, MappedFilesShowTheirBytes) {
  const auto path = directory_ / "blob.bin";
  ASSERT_TRUE(write_file_atomic(path, bytes_of("mapped bytes")).ok());
  auto mapped = MappedFile::open(path);
  ASSERT_TRUE(mapped.ok());
  EXPECT_EQ(text_of(mapped->bytes()), "mapped bytes");
  MappedFile moved = std::move(*mapped);
  EXPECT_EQ(text_of(moved.bytes()), "mapped bytes");
  EXPECT_TRUE(mapped->bytes().empty());
}

TEST_F(CoreFile, EmptyFilesMapToNothing) {
  const auto path = directory_ / "empty";
  std::ofstream(path).close();
  auto mapped = MappedFile::open(path);
  ASSERT_TRUE(mapped.ok());
  EXPECT_TRUE(mapped->bytes().empty());
}

TEST_F(CoreFile, MappingAFolderIsRefused) {
  const auto mapped = MappedFile::open(directory_);
  ASSERT_FALSE(mapped.ok());
  EXPECT_NE(mapped.error().why().find("not a regular file"), std::string::npos);
}

}  // namespace
}  // namespace pavilion

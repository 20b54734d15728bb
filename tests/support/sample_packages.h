// The sample scenes as ctest's fixtures pack them, once a run instead of once a test process
// (gtest_discover_tests runs each test alone): Tools.PackTheGallery (FIXTURES_REQUIRED
// gallery_package) and Tools.PackThePoetryGarden (poetry_package; both: sample_packages), signed
// with the key pair Tools.MakeTheCuratorsKey makes. A test program run by hand needs them run
// first: `ctest -R 'Tools.PackThe(Gallery|PoetryGarden)$'`.
//
// Link them from a fixture's SetUp, not SetUpTestSuite: a failure there marks the suite's tests
// skipped, which ctest counts as no failure.
#pragma once

#include "pavilion/package/signing.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string_view>

namespace pavilion::testing {

inline const std::filesystem::path sample_packages_folder = PAVILION_TEST_OUTPUT_DIR "/tools";

// The public key the sample packages are signed with, for a kiosk's trusted_keys.
inline const std::filesystem::path sample_packages_key = sample_packages_folder / "curator.pub";

// The same key, for a package::TrustPolicy.
inline package::PublicKey sample_packages_signer() {
  auto key = package::read_public_key(sample_packages_key);
  EXPECT_TRUE(key.ok()) << key.error().describe();
  return key.ok() ? *key : package::PublicKey{};
}

// Puts the sample package `file` (gallery.pvpkg, poetry_garden.pvpkg) into the content folder
// `folder`, as a link, creating the folder, unless it is there: tests that change a package copy
// it first.
inline ::testing::AssertionResult link_sample_package(const std::filesystem::path& folder, std::string_view file) {
  const std::filesystem::path package = sample_packages_folder / file;
  if (!std::filesystem::exists(package)) {
    return ::testing::AssertionFailure() << package << " is missing: its ctest fixture (Tools.PackThe...) packs it";
  }
  if (std::filesystem::exists(folder / file)) return ::testing::AssertionSuccess();
  std::filesystem::create_directories(folder);
  std::error_code failed;
  std::filesystem::create_symlink(package, folder / file, failed);
  if (failed) return ::testing::AssertionFailure() << "linking " << package << ": " << failed.message();
  return ::testing::AssertionSuccess();
}

}  // namespace pavilion::testing

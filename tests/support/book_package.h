// How the kiosk and headset book suites pack the scenes they write (book_scans.h): once a suite,
// signed by a key pair the suite makes for itself, without the home screen's thumbnails (no book
// test looks at them), on two threads.
#pragma once

#include "pavilion/pack/builder.h"
#include "pavilion/package/signing.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace pavilion::testing {

// The public key a book suite's kiosk trusts (KioskConfig::trusted_keys): curator.pub in the
// suite's `key_folder`, beside its secret half.
inline std::filesystem::path book_package_key(const std::filesystem::path& key_folder) {
  return key_folder / "curator.pub";
}

// Packs the scene in `source` into `output` (its folder made), signed by the key pair in
// `key_folder`, which the suite's first package makes there.
inline ::testing::AssertionResult pack_book_scene(const std::filesystem::path& source, const std::filesystem::path& output,
                                                  const std::filesystem::path& key_folder) {
  const std::filesystem::path secret_key = key_folder / "curator.key";
  package::KeyPair key;
  if (std::filesystem::exists(secret_key)) {
    auto read = package::read_secret_key(secret_key);
    if (!read.ok()) return ::testing::AssertionFailure() << read.error().describe();
    key = *read;
  } else {
    key = package::generate_key_pair();
    const auto written = package::write_key_files(key, secret_key, book_package_key(key_folder));
    if (!written.ok()) return ::testing::AssertionFailure() << written.error().describe();
  }
  std::filesystem::create_directories(output.parent_path());
  pack::BuildOptions options;
  options.scene_directory = source;
  options.output = output;
  options.key = &key;
  options.thumbnails = false;
  options.jobs = 2;
  const auto built = pack::build_package(options);
  if (!built.ok()) return ::testing::AssertionFailure() << built.error().describe();
  return ::testing::AssertionSuccess();
}

}  // namespace pavilion::testing

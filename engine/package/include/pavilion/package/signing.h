// Ed25519 keys and signatures (libsodium) for scene packages, and which signers a kiosk trusts.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/package/format.h"

#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace pavilion::package {

struct KeyPair {
  PublicKey public_key{};
  std::array<uint8_t, 64> secret_key{};
};

KeyPair generate_key_pair();
Signature sign(const KeyPair& key, std::span<const std::byte> message);
bool verify_signature(const PublicKey& key, const Signature& signature, std::span<const std::byte> message);

std::string to_hex(const PublicKey& key);
std::optional<PublicKey> public_key_from_hex(std::string_view hex);

// Key files are text: the secret key file holds "pavilion-secret-key <hex>", readable only by its
// owner; the public key file "pavilion-public-key <hex>", safe to hand to every kiosk.
Result<void> write_key_files(const KeyPair& key, const std::filesystem::path& secret_path,
                             const std::filesystem::path& public_path);
Result<KeyPair> read_secret_key(const std::filesystem::path& path);
Result<PublicKey> read_public_key(const std::filesystem::path& path);

struct TrustPolicy {
  std::vector<PublicKey> trusted_signers;
  // Accepts unsigned packages and unknown signers (curators previewing their own work). A tampered
  // package, whose signature does not match its contents, is refused even so.
  bool developer_mode = false;
  // For tools that report on packages (pavilion-pack verify, inspect): opens a package whatever
  // its signature says and reports it in PackageReader::signature_status(). Never for showing one.
  bool report_only = false;
};

// The policy that trusts the public keys in `key_files` (pavilion-pack keygen's .pub files).
Result<TrustPolicy> trust_key_files(const std::vector<std::filesystem::path>& key_files, bool developer_mode);

}  // namespace pavilion::package

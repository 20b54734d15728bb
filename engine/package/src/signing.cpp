#include "pavilion/package/signing.h"

#include "pavilion/core/file.h"
#include "pavilion/core/hash.h"

#include <sodium.h>
#include <sys/stat.h>

#include <fmt/format.h>
#include <fmt/std.h>

#include <string>

namespace pavilion::package {
namespace {

void initialise_sodium() {
  if (sodium_init() < 0) std::abort();  // only fails without a usable random source
}

// Reads "<label> <hex>" from a key file.
Result<std::string> read_key_text(const std::filesystem::path& path, std::string_view label) {
  PV_TRY_ASSIGN(const auto bytes, read_file(path));
  std::string text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  const std::string prefix = std::string(label) + " ";
  if (text.rfind(prefix, 0) != 0) {
    return Error(ErrorCode::invalid_input, "reading a key file",
                 fmt::format("{} is not a {} file (it should start with '{}')", path, label, label));
  }
  return text.substr(prefix.size());
}

}  // namespace

KeyPair generate_key_pair() {
  initialise_sodium();
  KeyPair key;
  crypto_sign_keypair(key.public_key.data(), key.secret_key.data());
  return key;
}

Signature sign(const KeyPair& key, std::span<const std::byte> message) {
  initialise_sodium();
  Signature signature{};
  crypto_sign_detached(signature.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), key.secret_key.data());
  return signature;
}

bool verify_signature(const PublicKey& key, const Signature& signature, std::span<const std::byte> message) {
  initialise_sodium();
  return crypto_sign_verify_detached(signature.data(), reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), key.data()) == 0;
}

std::string to_hex(const PublicKey& key) { return pavilion::to_hex(key); }

std::optional<PublicKey> public_key_from_hex(std::string_view hex) {
  PublicKey key{};
  if (!pavilion::from_hex(hex, key)) return std::nullopt;
  return key;
}

Result<void> write_key_files(const KeyPair& key, const std::filesystem::path& secret_path,
                             const std::filesystem::path& public_path) {
  const std::string secret = "pavilion-secret-key " + pavilion::to_hex(key.secret_key) + "\n";
  const std::string public_text = "pavilion-public-key " + to_hex(key.public_key) + "\n";
  PV_TRY(write_file_atomic(secret_path, std::as_bytes(std::span(secret.data(), secret.size()))));
  if (::chmod(secret_path.c_str(), 0600) != 0) {
    return Error(ErrorCode::io, "protecting the secret key", fmt::format("could not make {} private", secret_path));
  }
  return write_file_atomic(public_path, std::as_bytes(std::span(public_text.data(), public_text.size())));
}

Result<KeyPair> read_secret_key(const std::filesystem::path& path) {
  PV_TRY_ASSIGN(const std::string hex, read_key_text(path, "pavilion-secret-key"));
  KeyPair key;
  if (!pavilion::from_hex(hex, key.secret_key)) {
    return Error(ErrorCode::invalid_input, "reading a key file",
                 fmt::format("{} holds no valid secret key (128 hexadecimal digits)", path));
  }
  crypto_sign_ed25519_sk_to_pk(key.public_key.data(), key.secret_key.data());
  return key;
}

Result<PublicKey> read_public_key(const std::filesystem::path& path) {
  PV_TRY_ASSIGN(const std::string hex, read_key_text(path, "pavilion-public-key"));
  const auto key = public_key_from_hex(hex);
  if (!key) {
    return Error(ErrorCode::invalid_input, "reading a key file",
                 fmt::format("{} holds no valid public key (64 hexadecimal digits)", path));
  }
  return *key;
}

Result<TrustPolicy> trust_key_files(const std::vector<std::filesystem::path>& key_files, bool developer_mode) {
  TrustPolicy trust;
  trust.developer_mode = developer_mode;
  for (const auto& file : key_files) {
    PV_TRY_ASSIGN(const PublicKey key, read_public_key(file));
    trust.trusted_signers.push_back(key);
  }
  return trust;
}

}  // namespace pavilion::package

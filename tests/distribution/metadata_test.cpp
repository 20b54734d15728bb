// The repository's metadata files (engine/distribution/PROTOCOL.md): each role written and read
// back, signatures over canonical bytes, and every structural problem refused with its JSON path.
#include "pavilion/distribution/metadata.h"
#include "test_repository.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <functional>

namespace pavilion::distribution {
namespace {

using testing::TestRepository;
using testing::one;
using json = nlohmann::json;

template <class T>
T accepted(const Checked<T>& checked) {
  if (const auto* refusal = std::get_if<Refusal>(&checked)) {
    ADD_FAILURE() << "refused: " << refusal->detail;
    return T{};
  }
  return std::get<T>(checked);
}

template <class T>
Refusal refusal_of(const Checked<T>& checked) {
  EXPECT_TRUE(std::holds_alternative<Refusal>(checked)) << "accepted";
  return std::holds_alternative<Refusal>(checked) ? std::get<Refusal>(checked) : Refusal{};
}

TEST(Distribution, EachRoleReadsBackAsWritten) {
  TestRepository repository;
  EXPECT_EQ(accepted(read_root(repository.root_file)), repository.root);
  EXPECT_EQ(accepted(read_targets(repository.targets_file)), repository.targets);
  EXPECT_EQ(accepted(read_snapshot(repository.snapshot_file)), repository.snapshot);
  EXPECT_EQ(accepted(read_timestamp(repository.timestamp_file)), repository.timestamp);

  const Targets targets = accepted(read_targets(repository.targets_file));
  EXPECT_EQ(targets.campaigns.at("spring-2027").branches, (std::vector<std::string>{"haidian", "chaoyang"}));
  EXPECT_EQ(targets.channels.at("permanent"), std::vector<std::string>{"gallery@2026.11.1"});
  EXPECT_EQ(repository.timestamp.snapshot, pin_of(repository.snapshot_file, 1));
}

TEST(Distribution, SignaturesCoverTheCanonicalBytesNotTheFilesSpelling) {
  TestRepository repository;
  const json file = json::parse(repository.timestamp_file);
  // The same values, spelt with other whitespace and the keys of `signed` in reverse order.
  nlohmann::ordered_json reordered;
  nlohmann::ordered_json signed_part;
  for (auto item = file["signed"].rbegin(); item != file["signed"].rend(); ++item) {
    signed_part[std::string(item.key())] = *item;
  }
  reordered["signatures"] = file["signatures"];
  reordered["signed"] = signed_part;
  const std::string respelt = reordered.dump(4);
  ASSERT_NE(respelt.find("\"version\""), std::string::npos);
  ASSERT_LT(respelt.find("\"version\""), respelt.find("\"_type\""));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(
      check_signatures(respelt, Role::timestamp, repository.root.timestamp)));

  // Any value changed is another message.
  json changed = file;
  changed["signed"]["version"] = 2;
  const Refusal refusal = refusal_of(check_signatures(changed.dump(), Role::timestamp, repository.root.timestamp));
  EXPECT_EQ(refusal.kind, RefusalKind::signature);
  EXPECT_NE(refusal.detail.find("does not match"), std::string::npos) << refusal.detail;
}

TEST(Distribution, AThresholdCountsDistinctKeysOfTheRoleOnly) {
  TestRepository repository;
  // Two signatures by the same root key are one towards a threshold of 2.
  const std::vector<package::KeyPair> same_twice{repository.root_keys[0], repository.root_keys[0]};
  Refusal refusal = refusal_of(check_signatures(write_root(repository.root, same_twice), Role::root, repository.root.root));
  EXPECT_EQ(refusal.kind, RefusalKind::signature);
  EXPECT_NE(refusal.detail.find("1 valid signature of the 2 required"), std::string::npos) << refusal.detail;

  // A key outside the role (here the snapshot key signing a timestamp) counts for nothing, and says so.
  const std::string by_outsider = write_timestamp(repository.timestamp, one(repository.snapshot_key));
  refusal = refusal_of(check_signatures(by_outsider, Role::timestamp, repository.root.timestamp));
  EXPECT_EQ(refusal.role, Role::timestamp);
  EXPECT_NE(refusal.detail.find("not a timestamp key"), std::string::npos) << refusal.detail;
  EXPECT_NE(refusal.detail.find(package::to_hex(repository.snapshot_key.public_key).substr(0, 16)), std::string::npos);

  const std::vector<package::KeyPair> both{repository.root_keys[1], repository.root_keys[0]};
  EXPECT_TRUE(std::holds_alternative<std::monostate>(
      check_signatures(write_root(repository.root, both), Role::root, repository.root.root)));
}

struct Malformed {
  std::string name;
  Role role;
  std::function<void(json&)> change;
  std::string detail;  // the start of the refusal's detail: the path and what is wrong
};

std::string file_of(const TestRepository& repository, Role role) {
  switch (role) {
    case Role::root: return repository.root_file;
    case Role::targets: return repository.targets_file;
    case Role::snapshot: return repository.snapshot_file;
    case Role::timestamp: return repository.timestamp_file;
  }
  return {};
}

Checked<std::monostate> read_as(Role role, std::string_view file) {
  auto drop = [](const auto& checked) -> Checked<std::monostate> {
    if (const auto* refusal = std::get_if<Refusal>(&checked)) return *refusal;
    return std::monostate{};
  };
  switch (role) {
    case Role::root: return drop(read_root(file));
    case Role::targets: return drop(read_targets(file));
    case Role::snapshot: return drop(read_snapshot(file));
    case Role::timestamp: return drop(read_timestamp(file));
  }
  return std::monostate{};
}

TEST(Distribution, MalformedMetadataIsRefusedNamingItsPath) {
  const TestRepository repository;
  const std::string timestamp_key = package::to_hex(repository.timestamp_key.public_key);
  const std::vector<Malformed> cases{
      {"threshold 0", Role::root, [](json& j) { j["signed"]["roles"]["timestamp"]["threshold"] = 0; },
       "signed.roles.timestamp.threshold: must be a whole number ≥ 1"},
      {"threshold above the keys", Role::root, [](json& j) { j["signed"]["roles"]["timestamp"]["threshold"] = 2; },
       "signed.roles.timestamp.threshold: 2 is more than the role's 1 keys"},
      {"a key twice in a role", Role::root,
       [&](json& j) { j["signed"]["roles"]["timestamp"]["keyids"].push_back(timestamp_key); },
       "signed.roles.timestamp.keyids[1]: " + timestamp_key + " is listed twice"},
      {"a role's key not among the keys", Role::root,
       [](json& j) { j["signed"]["roles"]["snapshot"]["keyids"][0] = std::string(64, 'a'); },
       "signed.roles.snapshot.keyids[0]: " + std::string(64, 'a') + " is not among signed.keys"},
      {"a role missing", Role::root, [](json& j) { j["signed"]["roles"].erase("targets"); },
       "signed.roles.targets: must be an object"},
      {"a key id that is not its key", Role::root,
       [&](json& j) {
         j["signed"]["keys"][timestamp_key]["public"] = package::to_hex(repository.targets_key.public_key);
       },
       "signed.keys." + timestamp_key + ": a key's id must be the hex of its public key"},
      {"another key type", Role::root, [&](json& j) { j["signed"]["keys"][timestamp_key]["keytype"] = "rsa"; },
       "signed.keys." + timestamp_key + ".keytype: must be \"ed25519\""},
      {"unknown _type", Role::timestamp, [](json& j) { j["signed"]["_type"] = "mirror"; },
       "signed._type: \"mirror\" where \"timestamp\" belongs"},
      {"another role's file", Role::snapshot, [](json& j) { j["signed"]["_type"] = "timestamp"; },
       "signed._type: \"timestamp\" where \"snapshot\" belongs"},
      {"version 0", Role::timestamp, [](json& j) { j["signed"]["version"] = 0; }, "signed.version: must be a whole number ≥ 1"},
      {"a float version", Role::timestamp, [](json& j) { j["signed"]["version"] = 1.0; },
       "signed.version: must be a whole number ≥ 1"},
      {"a negative version", Role::targets, [](json& j) { j["signed"]["version"] = -3; },
       "signed.version: must be a whole number ≥ 1"},
      {"a version as text", Role::root, [](json& j) { j["signed"]["version"] = "2"; },
       "signed.version: must be a whole number ≥ 1"},
      {"a float length", Role::timestamp, [](json& j) { j["signed"]["meta"]["snapshot.json"]["length"] = 512.5; },
       "signed.meta.snapshot.json.length: must be a whole number ≥ 1"},
      {"an upper-case hash", Role::snapshot,
       [](json& j) {
         std::string hash = j["signed"]["meta"]["targets.json"]["hash"];
         for (char& character : hash) character = static_cast<char>(std::toupper(static_cast<unsigned char>(character)));
         j["signed"]["meta"]["targets.json"]["hash"] = hash;
       },
       "signed.meta.targets.json.hash: must be a BLAKE2b-256 hash"},
      {"no meta", Role::snapshot, [](json& j) { j["signed"].erase("meta"); }, "signed.meta: must be an object"},
      {"a local expiry", Role::timestamp, [](json& j) { j["signed"]["expires"] = "2027-01-28T08:00:00"; },
       "signed.expires: must be a UTC time"},
      {"the 30th of February", Role::timestamp, [](json& j) { j["signed"]["expires"] = "2027-02-30T08:00:00Z"; },
       "signed.expires: must be a UTC time"},
      {"a package named for another", Role::targets,
       [](json& j) { j["signed"]["packages"]["gallery@2026.11.1"]["version"] = "2026.12.1"; },
       "signed.packages.gallery@2026.11.1: must be named \"gallery@2026.12.1\""},
      {"a package id with a slash", Role::targets,
       [](json& j) { j["signed"]["packages"]["gallery@2026.11.1"]["id"] = "../gallery"; },
       "signed.packages.gallery@2026.11.1.id: a package id must be 1–64 letters"},
      {"a head without a hash", Role::targets,
       [](json& j) { j["signed"]["packages"]["gallery@2026.11.1"]["head"].erase("hash"); },
       "signed.packages.gallery@2026.11.1.head.hash: must be a string"},
      {"a channel naming no package", Role::targets,
       [](json& j) { j["signed"]["channels"]["permanent"]["packages"].push_back("poetry@1"); },
       "signed.channels.permanent.packages[1]: poetry@1 is not among signed.packages"},
      {"a campaign on no channel", Role::targets,
       [](json& j) { j["signed"]["campaigns"]["spring-2027"]["channel"] = "winter"; },
       "signed.campaigns.spring-2027.channel: winter is not among signed.channels"},
      {"a campaign ending before it starts", Role::targets,
       [](json& j) { j["signed"]["campaigns"]["spring-2027"]["ends"] = "2027-01-20T21:00"; },
       "signed.campaigns.spring-2027.ends: \"2027-01-20T21:00\" is not after its start"},
      {"a campaign start with a zone", Role::targets,
       [](json& j) { j["signed"]["campaigns"]["spring-2027"]["starts"] = "2027-01-28T08:00:00Z"; },
       "signed.campaigns.spring-2027.starts: must be a library's local time"},
      {"a branch twice", Role::targets,
       [](json& j) { j["signed"]["campaigns"]["spring-2027"]["branches"].push_back("haidian"); },
       "signed.campaigns.spring-2027.branches[2]: haidian is listed twice"},
      {"a signature too short", Role::timestamp, [](json& j) { j["signatures"][0]["sig"] = "abcd"; },
       "signatures[0].sig: must be an Ed25519 signature"},
      {"no signatures list", Role::root, [](json& j) { j.erase("signatures"); }, "signatures: must be an array"},
  };
  for (const Malformed& test : cases) {
    json file = json::parse(file_of(repository, test.role));
    test.change(file);
    const auto checked = read_as(test.role, file.dump());
    ASSERT_TRUE(std::holds_alternative<Refusal>(checked)) << test.name << ": accepted";
    const Refusal& refusal = std::get<Refusal>(checked);
    EXPECT_EQ(refusal.kind, RefusalKind::malformed) << test.name;
    EXPECT_EQ(refusal.role, test.role) << test.name;
    EXPECT_TRUE(refusal.detail.starts_with(test.detail)) << test.name << ": " << refusal.detail;
  }
}

TEST(Distribution, InputThatIsNoMetadataAtAllIsRefused) {
  for (const std::string& text : {std::string(""), std::string("{\"signed\": "), std::string("[1, 2]"),
                                  std::string(100'000, '[') + std::string(100'000, ']'),
                                  std::string("{\"signed\": {\"_type\": \"timestamp\", \"version\": 1e400}, \"signatures\": []}")}) {
    const Refusal refusal = refusal_of(read_timestamp(text));
    EXPECT_EQ(refusal.kind, RefusalKind::malformed) << text.substr(0, 40);
    EXPECT_FALSE(refusal.detail.empty());
    EXPECT_EQ(refusal_of(check_signatures(text, Role::timestamp, RoleKeys{})).kind, RefusalKind::malformed);
  }
}

TEST(Distribution, UtcTimesRoundTripAndOnlyRealOnesParse) {
  EXPECT_EQ(format_utc(testing::now), "2027-01-15T08:00:00Z");
  EXPECT_EQ(parse_utc("2027-01-15T08:00:00Z"), testing::now);
  EXPECT_EQ(parse_utc("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_utc("2028-02-29T23:59:59Z"), parse_utc("2028-03-01T00:00:00Z").value() - 1);
  for (const char* wrong : {"2027-02-29T00:00:00Z", "2027-01-15T24:00:00Z", "2027-01-15T08:60:00Z", "2027-01-15 08:00:00Z",
                            "2027-01-15T08:00:00+08:00", "2027-1-15T08:00:00Z", ""}) {
    EXPECT_FALSE(parse_utc(wrong).has_value()) << wrong;
  }
}

TEST(Distribution, EveryRefusalHasASentenceInBothLanguages) {
  for (int kind = 0; kind <= static_cast<int>(RefusalKind::missing); ++kind) {  // the last kind
    const LocalizedText sentence = Refusal{static_cast<RefusalKind>(kind), Role::timestamp, "detail", 0}.sentence();
    EXPECT_FALSE(sentence.zh_cn.empty()) << kind;
    EXPECT_FALSE(sentence.en.empty()) << kind;
  }
  const LocalizedText expired =
      Refusal{RefusalKind::expired, Role::timestamp, "timestamp version 3 expired", testing::now}.sentence();
  EXPECT_NE(expired.en.find("expired on 2027-01-15 08:00 UTC"), std::string::npos) << expired.en;
  EXPECT_NE(expired.zh_cn.find("2027-01-15 08:00 UTC"), std::string::npos) << expired.zh_cn;
}

}  // namespace
}  // namespace pavilion::distribution

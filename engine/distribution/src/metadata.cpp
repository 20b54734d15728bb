#include "pavilion/distribution/metadata.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <utility>

namespace pavilion::distribution {
namespace {

using json = nlohmann::json;

constexpr std::array all_roles{Role::root, Role::targets, Role::snapshot, Role::timestamp};

// Our deepest value (signed.campaigns.NAME.branches) is five levels down. nlohmann's dump()
// recurses once per level, so a file nested deeper is refused before it is parsed: an attacker's
// "[[[[…" of a few hundred KiB must not exhaust the stack.
constexpr int max_nesting = 8;

bool nested_deeper_than(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char character : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (character == '\\') {
        escaped = true;
      } else if (character == '"') {
        in_string = false;
      }
    } else if (character == '"') {
      in_string = true;
    } else if (character == '[' || character == '{') {
      if (++depth > limit) return true;
    } else if (character == ']' || character == '}') {
      --depth;
    }
  }
  return false;
}

// The bytes every signature covers (PROTOCOL.md): compact, keys sorted (nlohmann's objects are
// ordered maps), UTF-8 as is. Parsed strings are valid UTF-8 already; `replace` only keeps a
// writer's caller from throwing with text that is not.
std::string canonical_bytes(const json& signed_part) {
  return signed_part.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::span<const std::byte> bytes_of(std::string_view text) { return std::as_bytes(std::span(text.data(), text.size())); }

// An object's key as it may appear in a path: names as they are, anything else quoted, cut short
// and with unprintable or non-ASCII bytes shown as '?', so a detail stays one readable line.
std::string path_key(std::string_view key) {
  const size_t at = key.find('@');
  if (is_repository_name(key) ||
      (at != std::string_view::npos && is_repository_name(key.substr(0, at)) && is_repository_name(key.substr(at + 1)))) {
    return std::string(key);  // a name, or a package's "ID@VERSION"
  }
  std::string shown = "\"";
  for (const char character : key.substr(0, 40)) {
    const auto code = static_cast<unsigned char>(character);
    shown.push_back(code < 0x20 || code >= 0x7f ? '?' : character);
  }
  if (key.size() > 40) shown += "…";
  shown.push_back('"');
  return shown;
}

// "YYYY-MM-DDTHH:MM", and ":SSZ" after it `with_seconds` (UTC), as seconds since 1970 on that clock.
std::optional<Seconds> parse_civil_time(std::string_view text, bool with_seconds) {
  const std::string_view pattern = with_seconds ? "dddd-dd-ddTdd:dd:ddZ" : "dddd-dd-ddTdd:dd";
  if (text.size() != pattern.size()) return std::nullopt;
  for (size_t index = 0; index < pattern.size(); ++index) {
    const bool digit = text[index] >= '0' && text[index] <= '9';
    if (pattern[index] == 'd' ? !digit : text[index] != pattern[index]) return std::nullopt;
  }
  auto number = [&](size_t at, size_t length) {
    int value = 0;
    for (size_t index = at; index < at + length; ++index) value = value * 10 + (text[index] - '0');
    return value;
  };
  const std::chrono::year_month_day date{std::chrono::year(number(0, 4)),
                                         std::chrono::month(static_cast<unsigned>(number(5, 2))),
                                         std::chrono::day(static_cast<unsigned>(number(8, 2)))};
  const int hour = number(11, 2);
  const int minute = number(14, 2);
  const int second = with_seconds ? number(17, 2) : 0;
  if (!date.ok() || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  const auto days = std::chrono::sys_days(date).time_since_epoch().count();
  return static_cast<Seconds>(days) * 86400 + hour * 3600 + minute * 60 + second;
}

// Reads one metadata file's fields. The first problem is kept, with its JSON path; every getter
// after it returns an empty value, so a reader goes on without checking after each field and
// looks once at the end.
class Fields {
 public:
  explicit Fields(Role role) : role_(role) {}

  bool failed() const { return problem_.has_value(); }
  void fail(const std::string& path, std::string_view why) {
    if (!problem_) problem_ = fmt::format("{}: {}", path, why);
  }
  Refusal refusal() const { return Refusal{RefusalKind::malformed, role_, *problem_}; }

  const json* member(const json* object, const std::string& path, std::string_view name, std::string_view must,
                     bool (json::*is)() const) {
    if (failed() || object == nullptr) return nullptr;
    const auto found = object->find(name);
    if (found == object->end() || !((*found).*is)()) {
      fail(child(path, name), must);
      return nullptr;
    }
    return &*found;
  }
  const json* object(const json* parent, const std::string& path, std::string_view name) {
    return member(parent, path, name, "must be an object { … }", &json::is_object);
  }
  const json* array(const json* parent, const std::string& path, std::string_view name) {
    return member(parent, path, name, "must be an array [ … ]", &json::is_array);
  }

  uint64_t whole(const json* value, const std::string& path, uint64_t minimum, uint64_t maximum = UINT64_MAX) {
    if (failed() || value == nullptr) return 0;
    // A float (1.0, 1e3) or a number past 2^64 is not a whole number here, even when it equals one.
    if (!value->is_number_unsigned() || value->get<uint64_t>() < minimum || value->get<uint64_t>() > maximum) {
      fail(path, maximum == UINT64_MAX ? fmt::format("must be a whole number ≥ {}", minimum)
                                       : fmt::format("must be a whole number from {} to {}", minimum, maximum));
      return 0;
    }
    return value->get<uint64_t>();
  }
  uint64_t whole(const json* parent, const std::string& path, std::string_view name, uint64_t minimum,
                 uint64_t maximum = UINT64_MAX) {
    if (failed() || parent == nullptr) return 0;
    static const json missing;  // null: refused as any other non-number
    const auto found = parent->find(name);
    return whole(found == parent->end() ? &missing : &*found, child(path, name), minimum, maximum);
  }

  std::string text(const json* value, const std::string& path) {
    if (failed() || value == nullptr) return {};
    if (!value->is_string()) {
      fail(path, "must be a string");
      return {};
    }
    return value->get<std::string>();
  }
  std::string text(const json* parent, const std::string& path, std::string_view name) {
    return text(member(parent, path, name, "must be a string", &json::is_string), child(path, name));
  }
  std::string name(const json* value, const std::string& path, std::string_view what) {
    std::string read = text(value, path);
    if (!failed() && !is_repository_name(read)) fail(path, fmt::format("{} must be {}", what, repository_name_rule));
    return read;
  }
  std::string name(const json* parent, const std::string& path, std::string_view name, std::string_view what) {
    return this->name(member(parent, path, name, "must be a string", &json::is_string), child(path, name), what);
  }

  ContentHash hash(const json* parent, const std::string& path, std::string_view name) {
    const std::string read = text(parent, path, name);
    if (failed()) return {};
    const auto hash = ContentHash::from_hex(read, HexLetters::lower_case_only);
    if (!hash) {
      fail(child(path, name), "must be a BLAKE2b-256 hash (64 lower-case hexadecimal digits)");
      return {};
    }
    return *hash;
  }

  Seconds utc(const json* parent, const std::string& path, std::string_view name) {
    const std::string read = text(parent, path, name);
    if (failed()) return 0;
    const auto time = parse_utc(read);
    if (!time) {
      fail(child(path, name), "must be a UTC time like \"2027-01-28T08:00:00Z\"");
      return 0;
    }
    return *time;
  }

  std::string local_time(const json* parent, const std::string& path, std::string_view name) {
    std::string read = text(parent, path, name);
    if (!failed() && !parse_civil_time(read, false)) {
      fail(child(path, name), "must be a library's local time like \"2027-01-28T08:00\" (no zone)");
    }
    return read;
  }

  FilePin pin(const json* parent, const std::string& path, std::string_view name) {
    const json* object = this->object(parent, path, name);
    const std::string at = child(path, name);
    FilePin pin;
    pin.version = whole(object, at, "version", 1);
    pin.length = whole(object, at, "length", 1);
    pin.hash = hash(object, at, "hash");
    return pin;
  }

  // "signed" + "version" → "signed.version"; the envelope's own fields have no parent ("").
  static std::string child(const std::string& path, std::string_view name) {
    return path.empty() ? std::string(name) : fmt::format("{}.{}", path, name);
  }

 private:

  Role role_;
  std::optional<std::string> problem_;
};

struct SignatureEntry {
  package::PublicKey key{};
  package::Signature signature{};
};

// A parsed file: the document, its checked "signed" object and "signatures" list.
struct Document {
  json whole;
  std::vector<SignatureEntry> signatures;
  const json& signed_part() const { return whole["signed"]; }
};

// The envelope every role shares: JSON, not too deep, {"signed": {"_type": ROLE, …},
// "signatures": [{"keyid", "sig"}, …]}.
Checked<Document> parse_document(std::string_view file, Role role) {
  auto malformed = [&](std::string detail) { return Refusal{RefusalKind::malformed, role, std::move(detail)}; };
  if (nested_deeper_than(file, max_nesting)) {
    return malformed(fmt::format("nested more than {} levels deep; no {} metadata is", max_nesting, to_string(role)));
  }
  Document document{json::parse(file, nullptr, false), {}};
  if (document.whole.is_discarded()) return malformed("not JSON");
  if (!document.whole.is_object()) return malformed("must be one JSON object {\"signed\": …, \"signatures\": …}");
  Fields fields(role);
  const json* signed_part = fields.object(&document.whole, "", "signed");
  const std::string type = fields.text(signed_part, "signed", "_type");
  if (!fields.failed() && type != to_string(role)) {
    fields.fail("signed._type", fmt::format("\"{}\" where \"{}\" belongs", path_key(type), to_string(role)));
  }
  const json* signatures = fields.array(&document.whole, "", "signatures");
  if (fields.failed()) return fields.refusal();
  for (size_t index = 0; index < signatures->size(); ++index) {
    const json& item = (*signatures)[index];
    const std::string path = fmt::format("signatures[{}]", index);
    if (!item.is_object()) return malformed(fmt::format("{}: must be an object {{\"keyid\": …, \"sig\": …}}", path));
    const std::string keyid = fields.text(&item, path, "keyid");
    const std::string sig = fields.text(&item, path, "sig");
    if (fields.failed()) return fields.refusal();
    package::PublicKey key{};
    if (!from_hex(keyid, key, HexLetters::lower_case_only)) {
      return malformed(fmt::format("{}.keyid: must be an Ed25519 public key (64 lower-case hexadecimal digits)", path));
    }
    package::Signature signature{};
    if (!from_hex(sig, signature, HexLetters::lower_case_only)) {
      return malformed(fmt::format("{}.sig: must be an Ed25519 signature (128 lower-case hexadecimal digits)", path));
    }
    document.signatures.push_back({key, signature});
  }
  return document;
}

// The version and expiry every role's `signed` starts with.
template <class Metadata>
void read_common(Fields& fields, const json& signed_part, Metadata& metadata) {
  metadata.version = fields.whole(&signed_part, "signed", "version", 1);
  metadata.expires = fields.utc(&signed_part, "signed", "expires");
}

std::string key_names(const std::vector<package::PublicKey>& keys) {
  std::string names;
  for (const auto& key : keys) {
    if (!names.empty()) names += ", ";
    names += package::to_hex(key).substr(0, 16);
  }
  return names;
}

json pin_json(const FilePin& pin) {
  return {{"version", pin.version}, {"length", pin.length}, {"hash", pin.hash.to_hex()}};
}

json common_json(Role role, uint64_t version, Seconds expires) {
  return {{"_type", to_string(role)}, {"version", version}, {"expires", format_utc(expires)}};
}

std::string signed_file(const json& signed_part, std::span<const package::KeyPair> keys) {
  const std::string canonical = canonical_bytes(signed_part);
  json signatures = json::array();
  for (const auto& key : keys) {
    const package::Signature signature = package::sign(key, bytes_of(canonical));
    signatures.push_back({{"keyid", package::to_hex(key.public_key)}, {"sig", to_hex(signature)}});
  }
  return json{{"signed", signed_part}, {"signatures", std::move(signatures)}}.dump(-1, ' ', false,
                                                                                   json::error_handler_t::replace);
}

}  // namespace

std::string_view to_string(Role role) {
  switch (role) {
    case Role::root: return "root";
    case Role::targets: return "targets";
    case Role::snapshot: return "snapshot";
    case Role::timestamp: return "timestamp";
  }
  return "unknown";
}

std::string_view to_string(RefusalKind kind) {
  switch (kind) {
    case RefusalKind::rollback: return "rollback";
    case RefusalKind::expired: return "expired";
    case RefusalKind::mismatch: return "mismatch";
    case RefusalKind::oversized: return "oversized";
    case RefusalKind::wrong_hash: return "wrong_hash";
    case RefusalKind::signature: return "signature";
    case RefusalKind::malformed: return "malformed";
    case RefusalKind::unreachable: return "unreachable";
    case RefusalKind::storage: return "storage";
    case RefusalKind::missing: return "missing";
  }
  return "unknown";
}

LocalizedText Refusal::sentence() const {
  switch (kind) {
    case RefusalKind::rollback:
      return {"更新服务器提供的信息比本机已信任的版本更旧（可能是重放的旧文件或服务器配置有误），更新已被拒绝；展台继续展示现有内容。请联系中心馆检查其服务器。",
              "The update server offered older information than this kiosk already trusts (a replayed old file or a "
              "misconfigured server), so the update was refused; the kiosk keeps showing what it has. Ask the central "
              "library to check its hub."};
    case RefusalKind::expired: {
      // "2027-01-28T08:00:00Z" → "2027-01-28 08:00 UTC"
      std::string when = format_utc(expires);
      when[10] = ' ';
      when = when.substr(0, 16) + " UTC";
      return {fmt::format("更新服务器的信息已于 {} 过期，展台继续展示现有内容。请联系中心馆检查其服务器是否仍在签发更新，并核对本机时钟。", when),
              fmt::format("The update server's information expired on {}; the kiosk keeps showing what it has. Ask "
                          "the central library to check its hub (it may have stopped signing), and check this "
                          "kiosk's clock.",
                          when)};
    }
    case RefusalKind::mismatch:
      return {"更新服务器的文件彼此不一致（某个文件不是其上级签名文件所指定的那一个），更新已被拒绝；展台继续展示现有内容。若持续出现，请联系中心馆检查其服务器或分馆的镜像服务器。",
              "The update server's files do not agree with each other (a file is not the one its signed parent "
              "names), so the update was refused; the kiosk keeps showing what it has. If this persists, ask the "
              "central library to check its hub or the branch hub's mirror."};
    case RefusalKind::oversized:
      return {"更新服务器发送的数据多于预告的大小，下载已被拒绝；展台继续展示现有内容。请检查展台与服务器之间的代理或缓存，再联系中心馆。",
              "The update server sent more data than announced, so the download was refused; the kiosk keeps "
              "showing what it has. Check any proxy or cache between the kiosk and its hub, then ask the central "
              "library."};
    case RefusalKind::wrong_hash:
      return {"下载的文件与其签名中的指纹不符（传输中损坏或被篡改），已被丢弃并将重新下载；展台继续展示现有内容。若持续出现，请检查网络及服务器前的代理或缓存。",
              "A downloaded file did not match its signed fingerprint (damaged in transit or tampered with); it was "
              "discarded and will be fetched again, and the kiosk keeps showing what it has. If this persists, check "
              "the network and any proxy or cache in front of the hub."};
    case RefusalKind::signature:
      return {"更新服务器的信息没有本机信任的密钥签名（文件被篡改，或使用了中心馆已吊销的密钥），更新已被拒绝；展台继续展示现有内容。请联系中心馆检查其服务器的签名密钥。",
              "The update server's information is not signed by keys this kiosk trusts (a tampered file, or a key "
              "the central library has revoked), so the update was refused; the kiosk keeps showing what it has. Ask "
              "the central library to check its hub's signing keys."};
    case RefusalKind::malformed:
      return {"更新服务器发送的信息本机无法读取，更新已被拒绝；展台继续展示现有内容。请联系中心馆检查其服务器，并确认展台与服务器的软件版本相互兼容。",
              "The update server sent information this kiosk cannot read, so the update was refused; the kiosk keeps "
              "showing what it has. Ask the central library to check its hub, and that the kiosk's and the hub's "
              "software versions match."};
    case RefusalKind::unreachable:
      return {"展台无法连接更新服务器，将继续展示现有内容并稍后重试。请检查网络以及 kiosk.json 中的服务器地址。",
              "The kiosk cannot reach its update server; it keeps showing what it has and will try again. Check the "
              "network and the hub address in kiosk.json."};
    case RefusalKind::storage:
      return {"展台无法保存已验证的更新信息（磁盘可能已满或出现故障），展台继续展示现有内容。请检查本机磁盘。",
              "The kiosk could not save the update information it verified (its disk may be full or failing); it "
              "keeps showing what it has. Check this kiosk's disk."};
    case RefusalKind::missing:
      return {"更新服务器缺少其自身清单中列出的文件，可能正在更新中；展台继续展示现有内容，并将稍后重试。若持续数小时，请联系中心馆或分馆检查其服务器。",
              "The update server lacks a file its own list names; it is probably being updated. The kiosk keeps "
              "showing what it has and tries again later. If this lasts for hours, ask the central library or the "
              "branch to check its hub."};
  }
  return {};
}

RoleKeys& Root::keys_for(Role role) { return const_cast<RoleKeys&>(std::as_const(*this).keys_for(role)); }

const RoleKeys& Root::keys_for(Role role) const {
  switch (role) {
    case Role::root: return root;
    case Role::targets: return targets;
    case Role::snapshot: return snapshot;
    case Role::timestamp: return timestamp;
  }
  return root;
}

Checked<Root> read_root(std::string_view file) {
  auto parsed = parse_document(file, Role::root);
  if (auto* refusal = std::get_if<Refusal>(&parsed)) return std::move(*refusal);
  const json& signed_part = std::get<Document>(parsed).signed_part();
  Fields fields(Role::root);
  Root root;
  read_common(fields, signed_part, root);

  std::map<std::string, package::PublicKey, std::less<>> known;
  if (const json* keys = fields.object(&signed_part, "signed", "keys")) {
    for (const auto& [keyid, entry] : keys->items()) {
      if (fields.failed()) break;
      const std::string path = "signed.keys." + path_key(keyid);
      if (!entry.is_object()) {
        fields.fail(path, "must be an object {\"keytype\": \"ed25519\", \"public\": …}");
        break;
      }
      if (fields.text(&entry, path, "keytype") != "ed25519" && !fields.failed()) {
        fields.fail(path + ".keytype", "must be \"ed25519\"");
      }
      package::PublicKey key{};
      const bool is_key = from_hex(fields.text(&entry, path, "public"), key, HexLetters::lower_case_only);
      if (fields.failed()) break;
      if (!is_key) {
        fields.fail(path + ".public", "must be an Ed25519 public key (64 lower-case hexadecimal digits)");
      } else if (package::to_hex(key) != keyid) {
        fields.fail(path, "a key's id must be the hex of its public key");
      } else {
        known.emplace(keyid, key);
      }
    }
  }

  const json* roles = fields.object(&signed_part, "signed", "roles");
  for (const Role role : all_roles) {
    const std::string path = fmt::format("signed.roles.{}", to_string(role));
    const json* entry = fields.object(roles, "signed.roles", to_string(role));
    const json* keyids = fields.array(entry, path, "keyids");
    if (fields.failed()) break;
    RoleKeys& role_keys = root.keys_for(role);
    if (keyids->empty()) fields.fail(path + ".keyids", "must name at least one key");
    for (size_t index = 0; index < keyids->size() && !fields.failed(); ++index) {
      const std::string at = fmt::format("{}.keyids[{}]", path, index);
      const std::string keyid = fields.text(&(*keyids)[index], at);
      if (fields.failed()) break;
      const auto found = known.find(keyid);
      if (found == known.end()) {
        fields.fail(at, fmt::format("{} is not among signed.keys", path_key(keyid)));
      } else if (std::ranges::find(role_keys.keys, found->second) != role_keys.keys.end()) {
        fields.fail(at, fmt::format("{} is listed twice; a key counts once towards a threshold", path_key(keyid)));
      } else {
        role_keys.keys.push_back(found->second);
      }
    }
    const uint64_t threshold = fields.whole(entry, path, "threshold", 1);
    if (fields.failed()) break;
    if (threshold > role_keys.keys.size()) {
      fields.fail(path + ".threshold", fmt::format("{} is more than the role's {} keys; it could never be met",
                                                   threshold, role_keys.keys.size()));
    }
    role_keys.threshold = static_cast<uint32_t>(std::min<uint64_t>(threshold, UINT32_MAX));
  }
  if (fields.failed()) return fields.refusal();
  return root;
}

Checked<Timestamp> read_timestamp(std::string_view file) {
  auto parsed = parse_document(file, Role::timestamp);
  if (auto* refusal = std::get_if<Refusal>(&parsed)) return std::move(*refusal);
  const json& signed_part = std::get<Document>(parsed).signed_part();
  Fields fields(Role::timestamp);
  Timestamp timestamp;
  read_common(fields, signed_part, timestamp);
  timestamp.snapshot = fields.pin(fields.object(&signed_part, "signed", "meta"), "signed.meta", "snapshot.json");
  if (fields.failed()) return fields.refusal();
  return timestamp;
}

Checked<Snapshot> read_snapshot(std::string_view file) {
  auto parsed = parse_document(file, Role::snapshot);
  if (auto* refusal = std::get_if<Refusal>(&parsed)) return std::move(*refusal);
  const json& signed_part = std::get<Document>(parsed).signed_part();
  Fields fields(Role::snapshot);
  Snapshot snapshot;
  read_common(fields, signed_part, snapshot);
  snapshot.targets = fields.pin(fields.object(&signed_part, "signed", "meta"), "signed.meta", "targets.json");
  if (fields.failed()) return fields.refusal();
  return snapshot;
}

Checked<Targets> read_targets(std::string_view file) {
  auto parsed = parse_document(file, Role::targets);
  if (auto* refusal = std::get_if<Refusal>(&parsed)) return std::move(*refusal);
  const json& signed_part = std::get<Document>(parsed).signed_part();
  Fields fields(Role::targets);
  Targets targets;
  read_common(fields, signed_part, targets);

  if (const json* packages = fields.object(&signed_part, "signed", "packages")) {
    for (const auto& [key, entry] : packages->items()) {
      const std::string path = "signed.packages." + path_key(key);
      if (!entry.is_object()) fields.fail(path, "must be an object { … }");
      if (fields.failed()) break;
      PackageTarget target;
      target.id = fields.name(&entry, path, "id", "a package id");
      target.version = fields.name(&entry, path, "version", "a package version");
      const json* head = fields.object(&entry, path, "head");
      target.head_length = fields.whole(head, path + ".head", "length", 1);
      target.head_hash = fields.hash(head, path + ".head", "hash");
      target.size = fields.whole(&entry, path, "size", 1);
      target.blob_count = static_cast<uint32_t>(fields.whole(&entry, path, "blobs", 0, UINT32_MAX));
      if (fields.failed()) break;
      if (target.key() != key) {
        fields.fail(path, fmt::format("must be named \"{}\", its own id and version", target.key()));
      } else if (target.size < target.head_length) {
        fields.fail(path + ".size", fmt::format("{} is less than its head's {} bytes", target.size, target.head_length));
      } else {
        targets.packages.emplace(key, std::move(target));
      }
    }
  }

  if (const json* channels = fields.object(&signed_part, "signed", "channels")) {
    for (const auto& [name, entry] : channels->items()) {
      const std::string path = "signed.channels." + path_key(name);
      if (!is_repository_name(name)) fields.fail(path, fmt::format("a channel's name must be {}", repository_name_rule));
      if (!entry.is_object()) fields.fail(path, "must be an object {\"packages\": [ … ]}");
      const json* list = fields.array(&entry, path, "packages");
      if (fields.failed()) break;
      std::vector<std::string> keys;
      for (size_t index = 0; index < list->size() && !fields.failed(); ++index) {
        const std::string at = fmt::format("{}.packages[{}]", path, index);
        std::string key = fields.text(&(*list)[index], at);
        if (fields.failed()) break;
        if (!targets.packages.contains(key)) {
          fields.fail(at, fmt::format("{} is not among signed.packages", path_key(key)));
        } else if (std::ranges::find(keys, key) != keys.end()) {
          fields.fail(at, fmt::format("{} is listed twice", path_key(key)));
        } else {
          keys.push_back(std::move(key));
        }
      }
      targets.channels.emplace(name, std::move(keys));
    }
  }

  if (const json* campaigns = fields.object(&signed_part, "signed", "campaigns")) {
    for (const auto& [name, entry] : campaigns->items()) {
      const std::string path = "signed.campaigns." + path_key(name);
      if (!is_repository_name(name)) fields.fail(path, fmt::format("a campaign's name must be {}", repository_name_rule));
      if (!entry.is_object()) fields.fail(path, "must be an object { … }");
      if (fields.failed()) break;
      Campaign campaign;
      campaign.name = name;
      campaign.channel = fields.text(&entry, path, "channel");
      if (!fields.failed() && !targets.channels.contains(campaign.channel)) {
        fields.fail(path + ".channel", fmt::format("{} is not among signed.channels", path_key(campaign.channel)));
      }
      if (const json* branches = fields.array(&entry, path, "branches")) {
        for (size_t index = 0; index < branches->size() && !fields.failed(); ++index) {
          const std::string at = fmt::format("{}.branches[{}]", path, index);
          std::string branch = fields.name(&(*branches)[index], at, "a branch");
          if (fields.failed()) break;
          if (std::ranges::find(campaign.branches, branch) != campaign.branches.end()) {
            fields.fail(at, fmt::format("{} is listed twice", branch));
          }
          campaign.branches.push_back(std::move(branch));
        }
      }
      campaign.starts = fields.local_time(&entry, path, "starts");
      campaign.ends = fields.local_time(&entry, path, "ends");
      campaign.stage_days = static_cast<uint32_t>(fields.whole(&entry, path, "stage_days", 0, 365));
      // The fixed format orders as text does.
      if (!fields.failed() && campaign.ends <= campaign.starts) {
        fields.fail(path + ".ends", fmt::format("\"{}\" is not after its start \"{}\"", campaign.ends, campaign.starts));
      }
      if (fields.failed()) break;
      targets.campaigns.emplace(name, std::move(campaign));
    }
  }
  if (fields.failed()) return fields.refusal();
  return targets;
}

std::string write_root(const Root& root, std::span<const package::KeyPair> keys) {
  json signed_part = common_json(Role::root, root.version, root.expires);
  json key_objects = json::object();
  json roles = json::object();
  for (const Role role : all_roles) {
    const RoleKeys& role_keys = root.keys_for(role);
    json keyids = json::array();
    for (const auto& key : role_keys.keys) {
      const std::string keyid = package::to_hex(key);
      key_objects[keyid] = {{"keytype", "ed25519"}, {"public", keyid}};
      keyids.push_back(keyid);
    }
    roles[std::string(to_string(role))] = {{"keyids", std::move(keyids)}, {"threshold", role_keys.threshold}};
  }
  signed_part["keys"] = std::move(key_objects);
  signed_part["roles"] = std::move(roles);
  return signed_file(signed_part, keys);
}

std::string write_timestamp(const Timestamp& timestamp, std::span<const package::KeyPair> keys) {
  json signed_part = common_json(Role::timestamp, timestamp.version, timestamp.expires);
  signed_part["meta"] = {{"snapshot.json", pin_json(timestamp.snapshot)}};
  return signed_file(signed_part, keys);
}

std::string write_snapshot(const Snapshot& snapshot, std::span<const package::KeyPair> keys) {
  json signed_part = common_json(Role::snapshot, snapshot.version, snapshot.expires);
  signed_part["meta"] = {{"targets.json", pin_json(snapshot.targets)}};
  return signed_file(signed_part, keys);
}

std::string write_targets(const Targets& targets, std::span<const package::KeyPair> keys) {
  json signed_part = common_json(Role::targets, targets.version, targets.expires);
  json packages = json::object();
  for (const auto& [key, target] : targets.packages) {
    packages[key] = {{"id", target.id},
                     {"version", target.version},
                     {"head", {{"length", target.head_length}, {"hash", target.head_hash.to_hex()}}},
                     {"size", target.size},
                     {"blobs", target.blob_count}};
  }
  json channels = json::object();
  for (const auto& [name, keys_of_channel] : targets.channels) channels[name] = {{"packages", keys_of_channel}};
  json campaigns = json::object();
  for (const auto& [name, campaign] : targets.campaigns) {
    campaigns[name] = {{"channel", campaign.channel},
                       {"branches", campaign.branches},
                       {"starts", campaign.starts},
                       {"ends", campaign.ends},
                       {"stage_days", campaign.stage_days}};
  }
  signed_part["packages"] = std::move(packages);
  signed_part["channels"] = std::move(channels);
  signed_part["campaigns"] = std::move(campaigns);
  return signed_file(signed_part, keys);
}

Checked<std::monostate> check_signatures(std::string_view file, Role role, const RoleKeys& keys) {
  auto parsed = parse_document(file, role);
  if (auto* refusal = std::get_if<Refusal>(&parsed)) return std::move(*refusal);
  const Document& document = std::get<Document>(parsed);
  const std::string canonical = canonical_bytes(document.signed_part());

  std::vector<package::PublicKey> valid;
  std::vector<package::PublicKey> invalid;
  std::vector<package::PublicKey> outsiders;  // not (or no longer) among the role's keys
  for (const SignatureEntry& entry : document.signatures) {
    if (std::ranges::find(keys.keys, entry.key) == keys.keys.end()) {
      // Never verified: a key the role does not list counts for nothing, valid or not.
      if (std::ranges::find(outsiders, entry.key) == outsiders.end()) outsiders.push_back(entry.key);
      continue;
    }
    if (std::ranges::find(valid, entry.key) != valid.end()) continue;  // a key counts once
    if (package::verify_signature(entry.key, entry.signature, bytes_of(canonical))) {
      valid.push_back(entry.key);
      std::erase(invalid, entry.key);
    } else if (std::ranges::find(invalid, entry.key) == invalid.end()) {
      invalid.push_back(entry.key);
    }
  }
  if (valid.size() >= keys.threshold) return std::monostate{};

  std::string detail = fmt::format("{}: {} valid signature{} of the {} required", to_string(role), valid.size(),
                                   valid.size() == 1 ? "" : "s", keys.threshold);
  if (!valid.empty()) detail += fmt::format(" (by {})", key_names(valid));
  if (!invalid.empty()) detail += fmt::format("; a signature that does not match the file by {}", key_names(invalid));
  if (!outsiders.empty()) {
    detail += fmt::format("; signed by {}, which is not a {} key of the trusted root (revoked, or never one), and "
                          "counts for nothing",
                          key_names(outsiders), to_string(role));
  }
  return Refusal{RefusalKind::signature, role, std::move(detail)};
}

FilePin pin_of(std::string_view file, uint64_t version) {
  return FilePin{version, file.size(), hash_content(bytes_of(file))};
}

bool is_repository_name(std::string_view text) {
  if (text.empty() || text.size() > 64 || text.front() == '.') return false;
  return std::ranges::all_of(text, [](char character) {
    return (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') ||
           (character >= '0' && character <= '9') || character == '.' || character == '_' || character == '-';
  });
}

std::string format_utc(Seconds time) {
  const auto days = std::chrono::floor<std::chrono::days>(std::chrono::sys_seconds(std::chrono::seconds(time)));
  const std::chrono::year_month_day date(days);
  const Seconds of_day = time - static_cast<Seconds>(days.time_since_epoch().count()) * 86400;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), of_day / 3600,
                     of_day / 60 % 60, of_day % 60);
}

std::optional<Seconds> parse_utc(std::string_view text) { return parse_civil_time(text, true); }

}  // namespace pavilion::distribution

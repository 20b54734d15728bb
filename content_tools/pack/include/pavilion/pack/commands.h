// The pavilion-pack subcommands, callable from main and from tests.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/pack/builder.h"
#include "pavilion/pack/export_iiif.h"

#include <cstdio>
#include <filesystem>
#include <vector>

namespace pavilion::pack {

// Exit codes that say what failed.
inline constexpr int exit_findings = 1;      // lint found problems
inline constexpr int exit_usage = 2;         // a malformed command line
inline constexpr int exit_damaged = 3;       // verify: not a package, or its structure is damaged
inline constexpr int exit_signature = 4;     // verify: unsigned, untrusted or tampered
inline constexpr int exit_blob_damaged = 5;  // verify: a blob does not match its hash

struct CommandContext {
  std::FILE* out = stdout;
  std::FILE* err = stderr;
  bool terminal = false;  // progress bars instead of lines
  bool quiet = false;
  bool verbose = false;
  bool chinese = false;   // findings and summaries in Chinese
};

struct BuildCommand {
  std::filesystem::path scene_directory;
  std::filesystem::path output;
  Target target = Target::kiosk_pc;
  uint32_t jobs = 0;
  std::filesystem::path key_file;
  std::filesystem::path cache_directory;
  std::filesystem::path ca_file;  // as BuildOptions'; check_ca_file before a build
  uint32_t flash_check_size = default_flash_check_size;
  // Leaves the show unchecked for flashes: a quick lint while editing. The package then records no
  // check, and a kiosk limits its flashes at run time (kiosk.json's flash_limit "unchecked").
  bool check_show_flashes = true;
};

// Whether `file` can serve as --ca-file: it exists, can be read and holds a PEM certificate. Asked
// when the command line is read, so that a mistyped path is a sentence naming it, in English and
// Chinese (the error's why), before anything is fetched, rather than every HTTPS page refused later.
Result<void> check_ca_file(const std::filesystem::path& file);

Result<void> command_keygen(const CommandContext& context, const std::filesystem::path& secret_path);
Result<int> command_build(const CommandContext& context, const BuildCommand& command);
Result<int> command_inspect(const CommandContext& context, const std::filesystem::path& path);
Result<int> command_verify(const CommandContext& context, const std::filesystem::path& path,
                           const std::vector<std::filesystem::path>& trusted_key_files);
Result<int> command_diff(const CommandContext& context, const std::filesystem::path& old_path,
                         const std::filesystem::path& new_path);
Result<int> command_lint(const CommandContext& context, const BuildCommand& command);
// Writes a book of the package as a IIIF manifest and tile sets (export_iiif.h); the package's
// signature is reported, not required: exporting shows nothing to a visitor.
Result<int> command_export_iiif(const CommandContext& context, const std::filesystem::path& path,
                                const std::filesystem::path& out_folder, const BookExportOptions& options);

}  // namespace pavilion::pack

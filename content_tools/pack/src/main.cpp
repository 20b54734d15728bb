// pavilion-pack: turns a curator's scene folder into a signed scene package, and makes packages
// readable to people.
#include "pavilion/core/log.h"
#include "pavilion/pack/commands.h"

#include <fmt/format.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <string_view>

namespace {

using namespace pavilion;

constexpr std::string_view usage = R"(Usage:
  pavilion-pack build <scene-folder> -o <file>.pvpkg [--key <secret-key>] [--target kiosk-pc|headset]
                      [--jobs N] [--cache <folder>] [--ca-file <PEM>] [--flash-size N | --no-flash-check]
                      [--quiet | --verbose]
  pavilion-pack lint <scene-folder> [--target kiosk-pc|headset] [--ca-file <PEM>] [--flash-size N | --no-flash-check]
  pavilion-pack inspect <file>.pvpkg
  pavilion-pack verify <file>.pvpkg [--trust <public-key>]...
  pavilion-pack diff <old>.pvpkg <new>.pvpkg
  pavilion-pack keygen <secret-key-file>     (writes the public key beside it, as .pub)
  pavilion-pack export-iiif <file>.pvpkg <out-folder> --base-url <URL> [--exhibit <book-id>] [--jobs N]

Options for every command: --lang zh-CN|en (default: from LANG).
build and lint play the scene's show as a headset shows it (90 frames a second, 90° of view) and
fail when it could provoke seizures, with a picture of the worst frame; --flash-size sets the
side of its square frames in pixels (16 to 1024, default 128). --no-flash-check skips it (a quick
lint while editing): the package then says it was not checked, and kiosks limit its flashes.
verify exits 0 when intact and signed, 3 when the file is not a sound package, 4 when it is
unsigned, untrusted or tampered, 5 when a blob is damaged. lint exits 1 when it finds problems.
--ca-file names the certificate authorities (PEM) that sign the HTTPS certificate of a book's IIIF
server, such as a library's own; without it, the system's store is trusted.
export-iiif writes a book of the package as a IIIF Presentation 3 manifest and Image API level-0
tile sets, for any web server to serve at --base-url to web viewers (Mirador, Universal Viewer).
)";

int fail_usage(std::string_view problem) {
  fmt::print(stderr, "pavilion-pack: {}\n\n{}", problem, usage);
  return pack::exit_usage;
}

}  // namespace

int main(int argc, char** argv) {
  if (auto problem = log::configure_from_environment()) fmt::print(stderr, "pavilion-pack: {}\n", *problem);
  std::vector<std::string_view> arguments(argv + 1, argv + argc);
  if (arguments.empty() || arguments[0] == "--help" || arguments[0] == "-h") {
    fmt::print(arguments.empty() ? stderr : stdout, "{}", usage);
    return arguments.empty() ? pack::exit_usage : 0;
  }
  pack::CommandContext context;
  context.terminal = ::isatty(STDOUT_FILENO);
  const char* language = std::getenv("LC_ALL") ? std::getenv("LC_ALL") : std::getenv("LANG");
  context.chinese = language && std::string_view(language).starts_with("zh");

  const std::string_view command = arguments[0];
  std::vector<std::string_view> positional;
  pack::BuildCommand build;
  std::vector<std::filesystem::path> trusted;
  pack::BookExportOptions book_export;
  for (size_t index = 1; index < arguments.size(); ++index) {
    const std::string_view argument = arguments[index];
    auto value = [&]() -> std::optional<std::string_view> {
      if (index + 1 >= arguments.size()) return std::nullopt;
      return arguments[++index];
    };
    if (argument == "--quiet" || argument == "-q") {
      context.quiet = true;
    } else if (argument == "--verbose" || argument == "-v") {
      context.verbose = true;
    } else if (argument == "--no-flash-check") {
      build.check_show_flashes = false;
    } else if (argument == "-o" || argument == "--output" || argument == "--key" || argument == "--target" ||
               argument == "--jobs" || argument == "--cache" || argument == "--ca-file" || argument == "--trust" ||
               argument == "--lang" || argument == "--flash-size" || argument == "--base-url" || argument == "--exhibit") {
      const auto text = value();
      if (!text) return fail_usage(fmt::format("{} needs a value", argument));
      if (argument == "-o" || argument == "--output") {
        build.output = *text;
      } else if (argument == "--key") {
        build.key_file = *text;
      } else if (argument == "--cache") {
        build.cache_directory = *text;
      } else if (argument == "--ca-file") {
        build.ca_file = *text;
        if (auto usable = pack::check_ca_file(build.ca_file); !usable) return fail_usage(usable.error().why());
      } else if (argument == "--base-url") {
        book_export.base_url = *text;
        while (!book_export.base_url.empty() && book_export.base_url.back() == '/') book_export.base_url.pop_back();
        if (!book_export.base_url.starts_with("http://") && !book_export.base_url.starts_with("https://")) {
          return fail_usage(fmt::format("'{}' is not a web address (http:// or https://) for --base-url", *text));
        }
      } else if (argument == "--exhibit") {
        book_export.exhibit = *text;
      } else if (argument == "--trust") {
        trusted.emplace_back(*text);
      } else if (argument == "--lang") {
        if (*text != "zh-CN" && *text != "en") return fail_usage("--lang takes zh-CN or en");
        context.chinese = *text == "zh-CN";
      } else if (argument == "--target") {
        const auto target = pack::parse_target(*text);
        if (!target) return fail_usage(fmt::format("'{}' is not a target; use kiosk-pc or headset", *text));
        build.target = *target;
      } else if (argument == "--flash-size" || argument == "--base-url" || argument == "--exhibit") {
        if (std::from_chars(text->data(), text->data() + text->size(), build.flash_check_size).ec != std::errc() ||
            build.flash_check_size < 16 || build.flash_check_size > 1024) {
          return fail_usage(fmt::format("'{}' is not a frame size for the flash check (16 to 1024 pixels)", *text));
        }
      } else if (std::from_chars(text->data(), text->data() + text->size(), build.jobs).ec != std::errc() ||
                 build.jobs == 0 || build.jobs > 256) {
        return fail_usage(fmt::format("'{}' is not a number of jobs (1 to 256)", *text));
      }
    } else if (argument.starts_with("-")) {
      return fail_usage(fmt::format("unknown option '{}'", argument));
    } else {
      positional.push_back(argument);
    }
  }

  Result<int> outcome = 0;
  if (command == "build" || command == "lint") {
    if (positional.size() != 1) return fail_usage(fmt::format("{} takes one scene folder", command));
    build.scene_directory = positional[0];
    if (command == "build") {
      if (build.output.empty()) return fail_usage("build needs -o <file>.pvpkg");
      if (build.cache_directory.empty()) build.cache_directory = build.output.string() + ".cache";
      outcome = pack::command_build(context, build);
    } else {
      outcome = pack::command_lint(context, build);
    }
  } else if (command == "inspect") {
    if (positional.size() != 1) return fail_usage("inspect takes one package");
    outcome = pack::command_inspect(context, positional[0]);
  } else if (command == "verify") {
    if (positional.size() != 1) return fail_usage("verify takes one package");
    outcome = pack::command_verify(context, positional[0], trusted);
  } else if (command == "diff") {
    if (positional.size() != 2) return fail_usage("diff takes two packages: the old and the new");
    outcome = pack::command_diff(context, positional[0], positional[1]);
  } else if (command == "export-iiif") {
    if (positional.size() != 2) return fail_usage("export-iiif takes a package and the folder to write the book to");
    if (book_export.base_url.empty()) return fail_usage("export-iiif needs --base-url <URL>, where the folder will be served");
    book_export.jobs = build.jobs;
    outcome = pack::command_export_iiif(context, positional[0], positional[1], book_export);
  } else if (command == "keygen") {
    if (positional.size() != 1) return fail_usage("keygen takes the file to write the secret key to");
    auto made = pack::command_keygen(context, positional[0]);
    outcome = made ? Result<int>(0) : Result<int>(std::move(made).error());
  } else {
    return fail_usage(fmt::format("unknown command '{}'", command));
  }
  if (!outcome) {
    fmt::print(stderr, "pavilion-pack: {}\n", outcome.error().describe());
    return command == "verify" ? pack::exit_damaged : 1;
  }
  return *outcome;
}

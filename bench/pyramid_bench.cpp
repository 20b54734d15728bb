// pyramid_bench: page-scan pyramids (content_tools/pyramid), in one run:
//
//   1. Tile encodings on 256 × 256 tiles of a synthetic page (paper grain, brush strokes, red
//      rules and a seal): bytes a tile (as stored, and after the package's zstd), PSNR against the
//      source pixels, encode and decode milliseconds a tile on one thread, and the bytes a tile
//      puts through upload. The reference is rgba8, the pixels as they are.
//   2. Whole pyramids of a W × H JPEG scan (254 px tiles, 1 px overlap, down to one tile) on every
//      processor: wall time and peak resident memory for each encoding, and with JPEG tiles
//      written to files as a deep-zoom folder. The reference is `vips dzsave` (Debian's
//      libvips-tools) on the same scan with the same tile size, overlap, depth and JPEG quality,
//      when it is installed; rgba8 (no encoding) otherwise.
//
//   pyramid_bench [--width W] [--height H] [--tiles N] [--runs R] [--tiff] [--jpeg-only]
//   (defaults: a 10000 × 10000 JPEG scan, 48 tiles, 3 runs; --tiff: a tiled TIFF scan;
//   --jpeg-only: no BC1 and WebP pyramids, for the largest scans)
#include "pavilion/core/parallel.h"
#include "pavilion/pyramid/pyramid.h"
#include "pavilion/pyramid/tile_codec.h"
#include "pavilion/support/synthetic_scan.h"
#include "process_memory.h"

#include <fmt/format.h>
#include <squish.h>
#include <zstd.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using namespace pavilion;
using namespace pavilion::pyramid;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

void squish_bc1(const ImageRgba8& tile, std::vector<std::byte>& blocks, int fit) {
  squish::CompressImage(tile.pixels.data(), static_cast<int>(tile.width), static_cast<int>(tile.height), blocks.data(),
                        squish::kDxt1 | fit);
}

struct Codec {
  std::string name;
  TileEncoding encoding;
  int quality;
};

void compare_encodings(uint32_t tile_count) {
  // Tiles spread over a 10 000 px page, so text, rules, seal and margins all take part.
  std::vector<ImageRgba8> tiles;
  for (uint32_t index = 0; index < tile_count; ++index) {
    tiles.push_back(support::synthetic_page(7, (index * 1733) % 9500, (index * 2897) % 9500, 256, 256));
  }
  const std::vector<Codec> codecs{{"rgba8 (reference)", TileEncoding::rgba8, 90}, {"bc1 (pavilion)", TileEncoding::bc1, 90},
                                  {"jpeg q90 4:2:0", TileEncoding::jpeg, 90}, {"jpeg q80 4:2:0", TileEncoding::jpeg, 80},
                                  {"webp q90", TileEncoding::webp, 90}, {"webp q80", TileEncoding::webp, 80}};
  fmt::print("1. Tile encodings: {} tiles of 256 x 256, one thread\n", tile_count);
  fmt::print("{:<26} {:>10} {:>10} {:>8} {:>10} {:>10} {:>12} {:>9}\n", "encoding", "bytes", "zstd", "PSNR dB", "encode ms",
             "decode ms", "upload bytes", "x bytes");
  double reference_bytes = 0.0;
  for (const Codec& codec : codecs) {
    size_t bytes = 0;
    size_t compressed = 0;
    double squared_error = 0.0;
    double encode_s = 0.0;
    double decode_s = 0.0;
    for (const ImageRgba8& tile : tiles) {
      auto start = Clock::now();
      const auto encoded = encode_tile(tile, codec.encoding, codec.quality);
      encode_s += seconds_since(start);
      start = Clock::now();
      const auto decoded = decode_tile(*encoded, codec.encoding, 256, 256);
      decode_s += seconds_since(start);
      bytes += encoded->size();
      std::vector<char> packed(ZSTD_compressBound(encoded->size()));
      compressed += ZSTD_compress(packed.data(), packed.size(), encoded->data(), encoded->size(), 19);
      const double tile_psnr = psnr(*decoded, tile);
      squared_error += std::isinf(tile_psnr) ? 0.0 : 255.0 * 255.0 / std::pow(10.0, tile_psnr / 10.0);
    }
    const double count = tile_count;
    const double mean_squared = squared_error / count;
    const double db = mean_squared == 0.0 ? INFINITY : 10.0 * std::log10(255.0 * 255.0 / mean_squared);
    if (codec.encoding == TileEncoding::rgba8) reference_bytes = static_cast<double>(compressed) / count;
    // BC1's blocks go to the GPU as they are; the others are decoded to RGBA8 on a worker first.
    const bool gpu_native = codec.encoding == TileEncoding::bc1;
    fmt::print("{:<26} {:>10.0f} {:>10.0f} {:>8.2f} {:>10.3f} {:>10} {:>12.0f} {:>9.3f}\n", codec.name,
               static_cast<double>(bytes) / count, static_cast<double>(compressed) / count, db, encode_s * 1000.0 / count,
               gpu_native ? fmt::format("0 ({:.3f})", decode_s * 1000.0 / count) : fmt::format("{:.3f}", decode_s * 1000.0 / count),
               gpu_native ? static_cast<double>(bytes) / count : 256.0 * 256.0 * 4.0,
               static_cast<double>(compressed) / count / reference_bytes);
  }
  // libsquish's two fits for the same blocks: range fit, what tiles were encoded with before, and
  // cluster fit, its better and much slower search.
  for (const auto& [name, fit] : {std::pair{"bc1 (squish, range fit)", squish::kColourRangeFit},
                                  std::pair{"bc1 (squish, cluster fit)", squish::kColourClusterFit}}) {
    double squish_s = 0.0;
    double squish_squared = 0.0;
    for (const ImageRgba8& tile : tiles) {
      std::vector<std::byte> blocks(256 * 256 / 2);
      const auto start = Clock::now();
      squish_bc1(tile, blocks, fit);
      squish_s += seconds_since(start);
      const auto decoded = decode_tile(blocks, TileEncoding::bc1, 256, 256);
      squish_squared += 255.0 * 255.0 / std::pow(10.0, psnr(*decoded, tile) / 10.0);
    }
    fmt::print("{:<26} {:>10} {:>10} {:>8.2f} {:>10.3f}\n", name, 256 * 128, "",
               10.0 * std::log10(255.0 * 255.0 / (squish_squared / tile_count)), squish_s * 1000.0 / tile_count);
  }
  fmt::print("\n");
}

struct Build {
  double seconds = 0.0;
  double peak_mb = 0.0;
  size_t tiles = 0;
  size_t bytes = 0;
};

// One pyramid in this process; `folder` set: each tile written as a file, as dzsave does.
Build build(const fs::path& scan_path, TileEncoding encoding, const std::optional<fs::path>& folder) {
  bench::reset_peak_resident();
  const double resident = bench::resident_mb();
  const auto start = Clock::now();
  auto scan = open_scan(scan_path);
  if (!scan) {
    fmt::print(stderr, "{}\n", scan.error().describe());
    std::exit(1);
  }
  Build result;
  const PyramidOptions options{.tile_size = 254, .overlap = 1, .encoding = encoding, .quality = 90, .threads = 0};
  const auto built = build_pyramid(**scan, options, [&](EncodedTile&& tile) -> Result<void> {
    ++result.tiles;
    result.bytes += tile.bytes.size();
    if (folder) {
      const fs::path level = *folder / std::to_string(tile.id.level);
      if (tile.id.column == 0 && tile.id.row == 0) fs::create_directories(level);
      std::ofstream(level / fmt::format("{}_{}.jpeg", tile.id.column, tile.id.row), std::ios::binary)
          .write(reinterpret_cast<const char*>(tile.bytes.data()), static_cast<std::streamsize>(tile.bytes.size()));
    }
    return {};
  });
  if (!built) {
    fmt::print(stderr, "{}\n", built.error().describe());
    std::exit(1);
  }
  result.seconds = seconds_since(start);
  result.peak_mb = bench::peak_resident_mb() - resident;
  return result;
}

// `vips dzsave` in a child process: wall time and the child's peak resident memory.
std::optional<Build> vips_dzsave(const fs::path& scan, const fs::path& out) {
  if (std::system("command -v vips > /dev/null 2>&1") != 0) return std::nullopt;
  const auto start = Clock::now();
  const pid_t child = fork();
  if (child == 0) {
    const std::string target = out.string();
    execlp("vips", "vips", "dzsave", scan.c_str(), target.c_str(), "--tile-size", "254", "--overlap", "1", "--depth",
           "onetile", "--suffix", ".jpeg[Q=90]", static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(child, &status, 0, &usage);
  Build result;
  result.seconds = seconds_since(start);
  result.peak_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  for (const auto& entry : fs::recursive_directory_iterator(out.string() + "_files")) {
    if (entry.is_regular_file() && entry.path().extension() == ".jpeg") {
      ++result.tiles;
      result.bytes += entry.file_size();
    }
  }
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  uint32_t width = 10000;
  uint32_t height = 10000;
  uint32_t tile_count = 48;
  uint32_t runs = 3;
  bool tiff = false;          // a tiled TIFF scan (deflate) instead of a JPEG one
  bool slow_encodings = true;  // BC1 and WebP pyramids too
  for (int index = 1; index < argc; ++index) {
    const std::string_view flag = argv[index];
    if (flag == "--tiff") tiff = true;
    if (flag == "--jpeg-only") slow_encodings = false;
    if (index + 1 == argc || flag == "--tiff" || flag == "--jpeg-only") continue;
    const auto value = static_cast<uint32_t>(std::strtoul(argv[index + 1], nullptr, 10));
    if (flag == "--width") width = value;
    if (flag == "--height") height = value;
    if (flag == "--tiles") tile_count = value;
    if (flag == "--runs") runs = std::max(1u, value);
    ++index;
  }
  compare_encodings(tile_count);

  const fs::path folder = fs::temp_directory_path() / "pavilion_pyramid_bench";
  fs::remove_all(folder);
  fs::create_directories(folder);
  const fs::path scan = folder / (tiff ? "scan.tif" : "scan.jpg");
  if (!support::write_synthetic_scan(scan, tiff ? support::ScanFile::tiff_tiles : support::ScanFile::jpeg, width, height,
                                     7, 92).ok()) {
    return 1;
  }
  fmt::print("2. Pyramids of a {} x {} {} scan ({:.1f} MB; {:.0f} MB as RGBA), 254 px tiles + 1 px overlap, "
             "{} threads\n", width, height, tiff ? "tiled TIFF" : "JPEG", static_cast<double>(fs::file_size(scan)) / 1e6,
             static_cast<double>(width) * height * 4.0 / 1e6, processor_count());

  // vips and JPEG, the pair the goal compares, alternate `runs` times (medians printed, as the
  // machine's load changes under them); the slower encodings run once.
  std::vector<std::vector<Build>> runs_of(5);
  bool have_vips = true;
  for (uint32_t run = 0; run < runs; ++run) {
    fs::remove_all(folder / "vips_files");
    const auto vips = vips_dzsave(scan, folder / "vips");
    have_vips = have_vips && vips.has_value();
    if (vips) runs_of[0].push_back(*vips);
    runs_of[1].push_back(build(scan, TileEncoding::rgba8, std::nullopt));
    runs_of[2].push_back(build(scan, TileEncoding::jpeg, std::nullopt));
    fs::remove_all(folder / "pavilion_files");
    runs_of[3].push_back(build(scan, TileEncoding::jpeg, folder / "pavilion_files"));
  }
  const auto median = [](std::vector<Build> builds) {
    std::sort(builds.begin(), builds.end(), [](const Build& a, const Build& b) { return a.seconds < b.seconds; });
    return builds[builds.size() / 2];
  };
  const Build reference = have_vips ? median(runs_of[0]) : median(runs_of[1]);
  fmt::print("{:<34} {:>8} {:>8} {:>10} {:>12} {:>8} {:>8}   (medians of {} runs; wall s of each)\n", "", "wall s",
             "peak MB", "tiles", "MB of tiles", "x time", "x memory", runs);
  const auto row = [&](std::string_view name, const std::vector<Build>& builds) {
    const Build result = median(builds);
    std::string each;
    for (const Build& one : builds) each += fmt::format(" {:.2f}", one.seconds);
    fmt::print("{:<34} {:>8.2f} {:>8.1f} {:>10} {:>12.1f} {:>8.2f} {:>8.2f}  {}\n", name, result.seconds, result.peak_mb,
               result.tiles, static_cast<double>(result.bytes) / 1e6, result.seconds / reference.seconds,
               result.peak_mb / reference.peak_mb, each);
  };
  if (have_vips) {
    row("vips dzsave (reference)", runs_of[0]);
  } else {
    fmt::print("(vips is not installed: apt-get install libvips-tools for the reference; rgba8 stands in)\n");
  }
  row("pavilion rgba8 (no encoding)", runs_of[1]);
  row("pavilion jpeg q90", runs_of[2]);
  row("pavilion jpeg q90, files written", runs_of[3]);
  if (slow_encodings) {
    row("pavilion bc1", {build(scan, TileEncoding::bc1, std::nullopt)});
    row("pavilion webp q90", {build(scan, TileEncoding::webp, std::nullopt)});
  }
  fs::remove_all(folder);
  return 0;
}

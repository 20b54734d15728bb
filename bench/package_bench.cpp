// Package loading and building, measured:
//  - load: a generated package of about 200 MB, from opening it to every blob resident (median
//    and spread of several runs) against `zstd -d` (the command), single-threaded
//    ZSTD_decompress over the same compressed bytes and fresh memory made resident alone, timed
//    in each run; to the first frame; and the peak resident memory;
//  - build: pavilion-pack on scenes/gallery, cold and from its cache, and the MB/s of texture
//    processing.
//
//   package_bench [--megabytes 200] [--runs 5] [--scene scenes/gallery]
#include "pavilion/core/file.h"
#include "pavilion/core/log.h"
#include "pavilion/core/parallel.h"
#include "pavilion/core/png.h"
#include "pavilion/core/resident_bytes.h"
#include "pavilion/pack/builder.h"
#include "pavilion/package/reader.h"
#include "pavilion/package/writer.h"
#include "pavilion/procedural/primitives.h"
#include "pavilion/procedural/textures.h"
#include "pavilion/render/context.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/renderer.h"
#include "pavilion/scene/loader.h"
#include "pavilion/scene/scene_tables.h"
#include "process_memory.h"

#include <malloc.h>
#include <zstd.h>

#include <fmt/format.h>

#include <glm/gtc/matrix_transform.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <filesystem>
#include <numeric>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using namespace pavilion;
using namespace pavilion::bench;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

[[noreturn]] void fail(const Error& error) {
  std::fprintf(stderr, "package_bench: %s\n", error.describe().c_str());
  std::exit(1);
}

template <class T>
T check(Result<T> result) {
  if (!result) fail(result.error());
  return std::move(*result);
}

void check(Result<void> result) {
  if (!result) fail(result.error());
}

// Photographic-looking texture data (smooth noise with grain) compresses like real scans do:
// far from free, far from incompressible.
scene::TextureData scan_texture(uint32_t seed, uint32_t size) {
  const ImageRgba8 image = procedural::generate_image(size, [&](float u, float v) {
    const float coarse = procedural::tiling_noise(u, v, 16, seed);
    const float fine = procedural::tiling_noise(u, v, 256, seed + 1);
    return glm::vec4(0.3f + 0.5f * coarse, 0.25f + 0.4f * coarse * fine, 0.2f + 0.3f * fine, 1.0f);
  });
  return procedural::make_texture(fmt::format("scan {}", seed), image, scene::TextureFormat::rgba8_srgb);
}

// A package of `megabytes` of textures on panels, and the stored size of its blobs.
uint64_t write_large_package(const std::filesystem::path& path, uint64_t megabytes, const package::KeyPair& key) {
  package::PackageWriter writer;
  scene::SceneTables tables;
  tables.id = "bench";
  tables.version = "1";
  scene::MeshData quad = procedural::make_plane(1.0f);
  const auto quad_blob = writer.add(package::prepare_blob(package::BlobKind::mesh, scene::encode_mesh(quad), 3));
  tables.meshes.push_back({quad_blob, "panel"});
  uint64_t stored = 0;
  for (uint32_t index = 0; stored < megabytes * 1'000'000; ++index) {
    const scene::TextureData texture = scan_texture(index * 7 + 1, 2048);
    scene::TextureBlobs blobs = scene::prepare_texture_blobs(texture, 3);
    tables.textures.push_back(blobs.reference);
    for (auto& blob : blobs.blobs) {
      stored += blob.entry.stored_size;
      writer.add(std::move(blob));
    }
    scene::MaterialData material;
    material.base_color_texture = static_cast<int32_t>(index);
    material.metallic_factor = 0.0f;
    tables.materials.push_back(material);
    // Each panel hangs from a node of its own, as pavilion-pack places exhibits.
    const scene::NodeTransform placed{.translation = glm::vec3(static_cast<float>(index % 8) * 1.2f - 4.0f, 0.0f,
                                                               -static_cast<float>(index / 8) * 1.2f)};
    tables.tree.nodes.push_back({texture.name, scene::no_parent, placed});
    tables.tree.instances.push_back({index, scene::no_skin});
    tables.instances.push_back({placed.matrix(), 0, index});
  }
  tables.viewpoints.push_back({{"概览", "Overview"}, {0, 6, 5}, {0, 0, -2}, 60});
  writer.add(package::prepare_blob(package::BlobKind::scene, scene::encode_scene_tables(tables), 3));
  writer.set_manifest(R"({"id":"bench"})");
  check(writer.write(path, &key));
  return stored;
}

struct Spread {
  double median = 0, min = 0, max = 0;
};

Spread spread(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t middle = values.size() / 2;
  const double median = values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  return {median, values.front(), values.back()};
}

void load_bench(uint64_t megabytes, uint32_t runs) {
  const auto folder = std::filesystem::temp_directory_path() / fmt::format("pavilion-bench-{}", ::getpid());
  std::filesystem::create_directories(folder);
  const auto path = folder / "large.pvpkg";
  const package::KeyPair key = package::generate_key_pair();
  fmt::print("generating a package of about {} MB…\n", megabytes);
  const uint64_t stored = write_large_package(path, megabytes, key);
  const double file_mb = static_cast<double>(std::filesystem::file_size(path)) / 1e6;

  // The zstd command's input: the same compressed frames, back to back in one file.
  const auto frames = folder / "frames.zst";
  {
    auto reader = check(package::PackageReader::open(path, {{key.public_key}, false, false}));
    auto out = check(AtomicFileWriter::create(frames));
    const auto bytes = check(MappedFile::open(path));
    for (const auto& entry : reader->index()) {
      if (entry.compression == package::Compression::zstd) check(out.write(bytes.bytes().subspan(entry.offset, entry.stored_size)));
    }
    check(out.commit());
  }
  const double frames_mb = static_cast<double>(std::filesystem::file_size(frames)) / 1e6;
  const double stored_mb = static_cast<double>(stored) / 1e6;
  std::vector<uint64_t> texture_blob_sizes;
  for (const auto& entry : check(package::PackageReader::open(path, {{key.public_key}, false, false}))->index()) {
    if (entry.kind == package::BlobKind::texture) texture_blob_sizes.push_back(entry.raw_size);
  }
  const double texture_mb =
      static_cast<double>(std::accumulate(texture_blob_sizes.begin(), texture_blob_sizes.end(), uint64_t{0})) / 1e6;

  // A virtual machine may hand memory a process frees back to its host within seconds, and
  // memory taken afresh costs far more than memory used again: a pause before each step that
  // grows memory gives every run the footing of a first load on a fresh machine.
  auto settle = [] {
    malloc_trim(0);
    std::this_thread::sleep_for(std::chrono::seconds(3));
  };

  // Each run times the references and our load back to back, so that whatever else the machine
  // does at the time weighs on all of them; the ratios are taken run by run.
  std::vector<double> zstd_seconds, library_seconds, resident_seconds, memory_seconds, ratio_command, ratio_library;
  bool zstd_ok = true;
  size_t texture_count = 0;
  for (uint32_t run = 0; run < runs; ++run) {
    // Reference 1: the zstd command over the same compressed frames, back to back in one file.
    const auto zstd_start = Clock::now();
    zstd_ok = std::system(fmt::format("zstd -q -d -c '{}' > /dev/null", frames.string()).c_str()) == 0 && zstd_ok;
    zstd_seconds.push_back(seconds_since(zstd_start));

    // Reference 2: ZSTD_decompress on one thread, in memory, into one buffer used again and again.
    {
      auto reader = check(package::PackageReader::open(path, {{key.public_key}, false, false}));
      const auto bytes = check(MappedFile::open(path));
      std::vector<std::byte> out;
      const auto start = Clock::now();
      for (const auto& entry : reader->index()) {
        if (entry.compression != package::Compression::zstd) continue;
        out.resize(entry.raw_size);
        ZSTD_decompress(out.data(), out.size(), bytes.bytes().data() + entry.offset, entry.stored_size);
      }
      library_seconds.push_back(seconds_since(start));
    }

    // Ours: open (map, check the signature) and load (every blob read, checked and decompressed
    // on worker threads) into memory that the scene keeps.
    settle();
    {
      const auto start = Clock::now();
      auto reader = check(package::PackageReader::open(path, {{key.public_key}, false, false}));
      const scene::Scene loaded = check(scene::load_scene(*reader, {}));
      resident_seconds.push_back(seconds_since(start));
      texture_count = loaded.render.textures.size();
    }

    // What memory alone costs: as many bytes as the textures hold made resident on the worker
    // threads, and nothing written into them. The zstd command needs no more than a few buffers.
    settle();
    {
      std::vector<std::vector<std::byte>> memory(texture_blob_sizes.size());
      const auto start = Clock::now();
      check(parallel_for(memory.size(), 0, [&](size_t blob) -> Result<void> {
        memory[blob] = resident_bytes(texture_blob_sizes[blob]);
        return {};
      }));
      memory_seconds.push_back(seconds_since(start));
    }
    malloc_trim(0);

    ratio_command.push_back((stored_mb / resident_seconds.back()) / (frames_mb / zstd_seconds.back()));
    ratio_library.push_back(library_seconds.back() / resident_seconds.back());
    fmt::print("  run {}: ours {:.3f} s, zstd -d {:.3f} s, ZSTD_decompress {:.3f} s, memory alone {:.3f} s\n", run + 1,
               resident_seconds.back(), zstd_seconds.back(), library_seconds.back(), memory_seconds.back());
  }

  auto context = check(render::GpuContext::create({}));
  auto renderer = check(render::Renderer::create(*context, {.shadow_map_size = 1024}));
  auto target = check(render::OffscreenTarget::create(*context, {640, 360}));
  const bool bc = context->capabilities().bc_texture_compression;
  reset_peak_resident();
  const double memory_start_mb = resident_mb();

  // In memory, then on the GPU: open, load, upload, first frame.
  const auto start = Clock::now();
  auto reader = check(package::PackageReader::open(path, {{key.public_key}, false, false}));
  const double opened = seconds_since(start);
  scene::Scene loaded = check(scene::load_scene(*reader, {.bc_textures_supported = bc}));
  check(renderer->load_scene(loaded.render));
  const scene::Viewpoint& viewpoint = loaded.viewpoints[0];
  const render::View view = render::look_at_view(viewpoint.position, viewpoint.target,
                                                 render::symmetric_field_of_view(glm::radians(60.0f), 640.0f / 360.0f));
  check(renderer->render(*target, {&view, 1}));
  check(renderer->wait_idle());
  const double first_frame = seconds_since(start);
  const double whole_load_peak_mb = peak_resident_mb();
  // The loads below start from the same footing: nothing loaded, on the CPU or the GPU.
  loaded = {};
  check(renderer->load_scene({}));
  reset_peak_resident();
  const double deferred_start_mb = resident_mb();

  // Deferred: textures decompressed straight into upload memory while uploading.
  const auto deferred_start = Clock::now();
  double deferred_first_frame = 0;
  {
    auto deferred_reader = check(package::PackageReader::open(path, {{key.public_key}, false, false}));
    const scene::Scene deferred = check(scene::load_scene(*deferred_reader, {.bc_textures_supported = bc, .defer_texture_bytes = true}));
    const scene::PackageTextureReader texture_reader(*deferred_reader, deferred);
    check(renderer->load_scene(deferred.render, &texture_reader));
    check(renderer->render(*target, {&view, 1}));
    check(renderer->wait_idle());
    deferred_first_frame = seconds_since(deferred_start);
  }
  const double deferred_peak_mb = peak_resident_mb();
  check(renderer->load_scene({}));
  reset_peak_resident();
  const double progressive_start_mb = resident_mb();

  // Progressive: the small levels first, a frame drawn from them, then the large levels.
  const auto progressive_start = Clock::now();
  auto progressive_reader = check(package::PackageReader::open(path, {{key.public_key}, false, false}));
  const scene::LoadOptions progressive_options{.progressive = true, .bc_textures_supported = bc};
  const scene::Scene partial = check(scene::load_scene(*progressive_reader, progressive_options));
  check(renderer->load_scene(partial.render));
  check(renderer->render(*target, {&view, 1}));
  check(renderer->wait_idle());
  const double progressive_first_frame = seconds_since(progressive_start);
  const auto rest = check(scene::load_pending_textures(*progressive_reader, partial, progressive_options));
  check(renderer->update_textures(rest));
  check(renderer->render(*target, {&view, 1}));
  check(renderer->wait_idle());
  const double progressive_complete = seconds_since(progressive_start);

  const Spread resident = spread(resident_seconds);
  const Spread command = spread(zstd_seconds);
  const Spread library = spread(library_seconds);
  const Spread memory = spread(memory_seconds);
  fmt::print("\nload: {:.0f} MB package ({:.0f} MB of compressed blobs, {} textures) on {} worker threads; "
             "median [min – max] of {} runs\n",
             file_mb, stored_mb, texture_count, std::thread::hardware_concurrency(), runs);
  fmt::print("  open + signature check     {:8.3f} s\n", opened);
  fmt::print("  every blob resident        {:8.3f} s  [{:.3f} – {:.3f}]  {:.0f} MB/s of compressed input\n",
             resident.median, resident.min, resident.max, stored_mb / resident.median);
  fmt::print("  first frame (upload+draw)  {:8.3f} s  (lavapipe or the GPU in use: {})\n", first_frame,
             context->device_choice().name);
  fmt::print("  deferred, first frame      {:8.3f} s  (textures read straight into upload memory)\n", deferred_first_frame);
  fmt::print("  progressive first frame    {:8.3f} s  (small levels only; ratio to a whole load's first frame {:.2f})\n",
             progressive_first_frame, progressive_first_frame / first_frame);
  fmt::print("  progressive, all levels    {:8.3f} s\n", progressive_complete);
  fmt::print("  zstd -d (command)          {:8.3f} s  [{:.3f} – {:.3f}]  {:.0f} MB/s{}\n", command.median, command.min,
             command.max, frames_mb / command.median, zstd_ok ? "" : "  (the zstd command failed)");
  fmt::print("  ZSTD_decompress, 1 thread  {:8.3f} s  [{:.3f} – {:.3f}]  {:.0f} MB/s\n", library.median, library.min,
             library.max, stored_mb / library.median);
  const Spread versus_command = spread(ratio_command);
  const Spread versus_library = spread(ratio_library);
  fmt::print("  ratio, ours / zstd -d      {:8.2f}   [{:.2f} – {:.2f}]  (goal ≥ 1.0; ours also checks every blob's hash)\n",
             versus_command.median, versus_command.min, versus_command.max);
  fmt::print("  ratio, ours / 1 thread     {:8.2f}   [{:.2f} – {:.2f}]  (ZSTD_decompress)\n", versus_library.median,
             versus_library.min, versus_library.max);
  fmt::print("  memory alone               {:8.3f} s  [{:.3f} – {:.3f}]  ({:.0f} MB made resident, nothing written)\n",
             memory.median, memory.min, memory.max, texture_mb);
  fmt::print("  resident memory, start → peak: in memory {:.0f} → {:.0f} MB, deferred {:.0f} → {:.0f} MB, "
             "progressive {:.0f} → {:.0f} MB\n",
             memory_start_mb, whole_load_peak_mb, deferred_start_mb, deferred_peak_mb, progressive_start_mb,
             peak_resident_mb());
  std::filesystem::remove_all(folder);
}

void build_bench(const std::filesystem::path& scene_directory) {
  const auto folder = std::filesystem::temp_directory_path() / fmt::format("pavilion-build-bench-{}", ::getpid());
  std::filesystem::create_directories(folder);
  pack::BuildOptions options;
  options.scene_directory = scene_directory;
  options.output = folder / "scene.pvpkg";
  options.cache_directory = folder / "cache";
  auto start = Clock::now();
  const pack::BuildReport cold = check(pack::build_package(options));
  const double cold_seconds = seconds_since(start);
  start = Clock::now();
  const pack::BuildReport warm = check(pack::build_package(options));
  const double warm_seconds = seconds_since(start);
  uint64_t source_texels = 0;
  for (const auto& file : cold.used_files) {
    if (file.extension() != ".png") continue;
    if (auto image = read_png(file)) source_texels += image->pixels.size();
  }
  fmt::print("\nbuild: {}\n", scene_directory.string());
  fmt::print("  cold                      {:8.3f} s  ({} assets processed)\n", cold_seconds, cold.assets_processed);
  fmt::print("  unchanged, from the cache {:8.3f} s  ({} assets from the cache)\n", warm_seconds, warm.assets_from_cache);
  fmt::print("  texture processing        {:8.1f} MB/s of decoded RGBA (upper bound: the cold build's whole time)\n",
             static_cast<double>(source_texels) / 1e6 / cold_seconds);
  std::filesystem::remove_all(folder);
}

}  // namespace

int main(int argc, char** argv) {
  log::configure(log::Level::warn, log::Format::text);
  uint64_t megabytes = 200;
  uint32_t runs = 5;
  std::filesystem::path scene = "scenes/gallery";
  for (int index = 1; index + 1 < argc; index += 2) {
    const std::string_view name = argv[index];
    if (name == "--megabytes") megabytes = std::strtoull(argv[index + 1], nullptr, 10);
    if (name == "--runs") runs = std::max(1u, static_cast<uint32_t>(std::strtoul(argv[index + 1], nullptr, 10)));
    if (name == "--scene") scene = argv[index + 1];
  }
  build_bench(scene);
  load_bench(megabytes, runs);
  return 0;
}

// Package loading and building, measured:
//  - load: a generated package of about 200 MB, from opening it to the first frame and to every
//    blob resident, against `zstd -d` (the command) and single-threaded ZSTD_decompress over the
//    same compressed bytes, measured in the same run; and the peak resident memory;
//  - build: pavilion-pack on scenes/gallery, cold and from its cache, and the MB/s of texture
//    processing.
//
//   package_bench [--megabytes 200] [--scene scenes/gallery]
#include "pavilion/core/file.h"
#include "pavilion/core/png.h"
#include "pavilion/core/log.h"
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

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <filesystem>
#include <string>
#include <string_view>
#include <thread>

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

void load_bench(uint64_t megabytes) {
  const auto folder = std::filesystem::temp_directory_path() / fmt::format("pavilion-bench-{}", ::getpid());
  std::filesystem::create_directories(folder);
  const auto path = folder / "large.pvpkg";
  const package::KeyPair key = package::generate_key_pair();
  fmt::print("generating a package of about {} MB…\n", megabytes);
  const uint64_t stored = write_large_package(path, megabytes, key);
  const double file_mb = static_cast<double>(std::filesystem::file_size(path)) / 1e6;

  // Reference 1: the zstd command over the same compressed frames, back to back in one file.
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
  const auto zstd_start = Clock::now();
  const int zstd_status = std::system(fmt::format("zstd -q -d -c '{}' > /dev/null", frames.string()).c_str());
  const double zstd_seconds = seconds_since(zstd_start);
  const double frames_mb = static_cast<double>(std::filesystem::file_size(frames)) / 1e6;

  // Reference 2: ZSTD_decompress on one thread, in memory.
  double library_seconds = 0;
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
    library_seconds = seconds_since(start);
  }

  auto context = check(render::GpuContext::create({}));
  auto renderer = check(render::Renderer::create(*context, {.shadow_map_size = 1024}));
  auto target = check(render::OffscreenTarget::create(*context, {640, 360}));
  const bool bc = context->capabilities().bc_texture_compression;
  reset_peak_resident();
  const double memory_start_mb = resident_mb();

  // In memory: open (map, check the signature), load (every blob decompressed and hash-checked on
  // worker threads), upload, first frame.
  const auto start = Clock::now();
  auto reader = check(package::PackageReader::open(path, {{key.public_key}, false, false}));
  const double opened = seconds_since(start);
  scene::Scene loaded = check(scene::load_scene(*reader, {.bc_textures_supported = bc}));
  const double resident = seconds_since(start);
  check(renderer->load_scene(loaded.render));
  const scene::Viewpoint& viewpoint = loaded.viewpoints[0];
  const render::View view = render::look_at_view(viewpoint.position, viewpoint.target,
                                                 render::symmetric_field_of_view(glm::radians(60.0f), 640.0f / 360.0f));
  check(renderer->render(*target, {&view, 1}));
  check(renderer->wait_idle());
  const double first_frame = seconds_since(start);
  const double whole_load_peak_mb = peak_resident_mb();
  const size_t texture_count = loaded.render.textures.size();
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

  const double stored_mb = static_cast<double>(stored) / 1e6;
  const double ours = stored_mb / resident;
  const double command = frames_mb / zstd_seconds;
  const double library = stored_mb / library_seconds;
  fmt::print("\nload: {:.0f} MB package ({:.0f} MB of compressed blobs, {} textures) on {} worker threads\n", file_mb,
             stored_mb, texture_count, std::thread::hardware_concurrency());
  fmt::print("  open + signature check     {:8.3f} s\n", opened);
  fmt::print("  every blob resident        {:8.3f} s  {:7.0f} MB/s of compressed input\n", resident, ours);
  fmt::print("  first frame (upload+draw)  {:8.3f} s  (lavapipe or the GPU in use: {})\n", first_frame,
             context->device_choice().name);
  fmt::print("  deferred, first frame      {:8.3f} s  (textures read straight into upload memory)\n", deferred_first_frame);
  fmt::print("  progressive first frame    {:8.3f} s  (small levels only; ratio to a whole load's first frame {:.2f})\n",
             progressive_first_frame, progressive_first_frame / first_frame);
  fmt::print("  progressive, all levels    {:8.3f} s\n", progressive_complete);
  fmt::print("  zstd -d (command)          {:8.3f} s  {:7.0f} MB/s{}\n", zstd_seconds, command,
             zstd_status == 0 ? "" : "  (the zstd command failed)");
  fmt::print("  ZSTD_decompress, 1 thread  {:8.3f} s  {:7.0f} MB/s\n", library_seconds, library);
  fmt::print("  ratio, ours / zstd -d      {:8.2f}   (goal ≥ 0.8; ours also hashes every byte)\n", ours / command);
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
  std::filesystem::path scene = "scenes/gallery";
  for (int index = 1; index + 1 < argc; index += 2) {
    const std::string_view name = argv[index];
    if (name == "--megabytes") megabytes = std::strtoull(argv[index + 1], nullptr, 10);
    if (name == "--scene") scene = argv[index + 1];
  }
  build_bench(scene);
  load_bench(megabytes);
  return 0;
}

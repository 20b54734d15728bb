#include "pavilion/iiif/page_images.h"

#include <fmt/format.h>
#include <stb_image.h>
#include <tiffio.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <system_error>

#include "pavilion/core/file.h"
#include "pavilion/core/image.h"
#include "pavilion/iiif/image_service.h"

namespace pavilion::iiif {
namespace fs = std::filesystem;

namespace {


bool is_image_file(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".jpg" || extension == ".jpeg" || extension == ".png" || extension == ".tif" ||
         extension == ".tiff" || extension == ".jp2" || extension == ".webp";
}

// An Image API request's last segment is its quality and format ("default.jpg"), which names no page.
bool is_image_api_request(std::string_view segment) {
  const std::string_view quality = segment.substr(0, segment.find('.'));
  return quality == "default" || quality == "color" || quality == "gray" || quality == "bitonal" || quality == "native";
}

class FolderIndex {
 public:
  explicit FolderIndex(const fs::path& folder) {
    if (folder.empty()) return;
    std::error_code failure;
    for (const fs::directory_entry& entry : fs::directory_iterator(folder, failure)) {
      if (!entry.is_regular_file() || !is_image_file(entry.path())) continue;
      by_name_.emplace(entry.path().filename().string(), entry.path());
      by_stem_[entry.path().stem().string()].push_back(entry.path());
    }
    for (auto& [stem, paths] : by_stem_) std::sort(paths.begin(), paths.end());
  }
  // The scan for an image: the identifier in its service URL (some servers name an image by its
  // file, "page-007.tif", most by a bare identifier), else the last segment of its own URL.
  std::optional<fs::path> match(const Image& image) const {
    for (const ImageService& service : image.services) {
      const std::string identifier = last_segment(service.id);
      if (auto found = by_name(identifier)) return found;
      if (auto found = by_stem(identifier)) return found;
      if (auto found = by_stem(fs::path(identifier).stem().string())) return found;
    }
    const std::string segment = last_segment(image.id);
    if (is_image_api_request(segment)) return std::nullopt;
    if (auto found = by_name(segment)) return found;
    return by_stem(fs::path(segment).stem().string());
  }

 private:
  std::optional<fs::path> by_name(const std::string& name) const {
    const auto found = by_name_.find(name);
    return found == by_name_.end() ? std::nullopt : std::optional(found->second);
  }
  // The first by name when several files share a stem (page-007.jpg before page-007.tif).
  std::optional<fs::path> by_stem(const std::string& stem) const {
    const auto found = by_stem_.find(stem);
    return found == by_stem_.end() ? std::nullopt : std::optional(found->second.front());
  }

  std::map<std::string, fs::path> by_name_;
  std::map<std::string, std::vector<fs::path>> by_stem_;
};

struct Attempt {
  std::optional<PageImage> image;
  std::optional<Problem> problem;  // why it failed, or (with an image) a warning
};

// A local scan, hashed as it is read a piece at a time and never held: the pyramid reads it again
// from its file, a band of rows at a time.
Attempt local_file(const fs::path& path, PageImage::Source source) {
  const auto unreadable = [&](const std::string& why) {
    Problem problem{Problem::Kind::unreachable, path.string(), {}};
    problem.sentence.en = fmt::format("Could not read {} ({}): check the file named for the page.", path.string(), why);
    problem.sentence.zh_cn = fmt::format("无法读取 {}（{}）：请检查为该页指定的文件。", path.string(), why);
    return Attempt{std::nullopt, std::move(problem)};
  };
  std::ifstream file(path, std::ios::binary);
  if (!file) return unreadable(std::error_code(errno, std::generic_category()).message());
  ContentHasher hasher;
  std::vector<std::byte> piece(size_t{1} << 20);
  std::array<std::byte, 16> signature{};
  size_t signature_bytes = 0;
  while (file) {
    file.read(reinterpret_cast<char*>(piece.data()), static_cast<std::streamsize>(piece.size()));
    const auto got = static_cast<size_t>(file.gcount());
    if (got == 0) break;
    if (signature_bytes < signature.size()) {
      const size_t taken = std::min(got, signature.size() - signature_bytes);
      std::copy_n(piece.begin(), taken, signature.begin() + static_cast<ptrdiff_t>(signature_bytes));
      signature_bytes += taken;
    }
    hasher.update(std::span(piece).first(got));
  }
  if (file.bad()) return unreadable("a read failed part way");
  const std::string type = image_media_type(std::span(signature).first(signature_bytes));
  if (type.empty()) {
    return {std::nullopt,
            make_problem(Problem::Kind::not_an_image, path.string(), "not JPEG, PNG, TIFF, JPEG 2000 or WebP",
                         "不是 JPEG、PNG、TIFF、JPEG 2000 或 WebP")};
  }
  return {PageImage{source, path.string(), {}, type, hasher.finish()}, std::nullopt};
}

// A fetched body that must be a picture.
Attempt fetched_image(HttpCache& cache, const std::string& url, PageImage::Source source) {
  FetchResult result = cache.get(url);
  if (!result.ok()) return {std::nullopt, std::move(result.problem)};
  const std::string type = image_media_type(result.fetched->body);
  if (type.empty()) {
    const std::string said =
        result.fetched->content_type.empty() ? std::string("no type") : result.fetched->content_type;
    return {std::nullopt, make_problem(Problem::Kind::not_an_image, url, fmt::format("the server sent {}", said),
                                       fmt::format("服务器发送的是 {}", said))};
  }
  const ContentHash hash = hash_content(result.fetched->body);
  return {PageImage{source, url, std::move(result.fetched->body), type, hash}, std::move(result.fetched->warning)};
}

void append_chunk(std::vector<std::byte>& png, const char (&type)[5], std::span<const std::byte> data) {
  const auto append_u32 = [&](uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) png.push_back(static_cast<std::byte>(value >> shift));
  };
  append_u32(static_cast<uint32_t>(data.size()));
  const size_t start = png.size();
  for (int i = 0; i < 4; ++i) png.push_back(static_cast<std::byte>(type[i]));
  png.insert(png.end(), data.begin(), data.end());
  append_u32(static_cast<uint32_t>(crc32(crc32(0, nullptr, 0), reinterpret_cast<const Bytef*>(png.data() + start),
                                         static_cast<uInt>(png.size() - start))));
}

// Stitched tiles as one PNG, unfiltered and deflated at zlib's fastest level: the picture is
// decoded once more by the pyramid and never kept, and stb's and libpng's default compression took
// most of 10 s for a page of 24 Mpixel.
std::vector<std::byte> encode_png(const ImageRgba8& image) {
  std::vector<std::byte> png;
  for (const int byte : {0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A}) png.push_back(static_cast<std::byte>(byte));
  std::array<std::byte, 13> header{};
  for (int i = 0; i < 4; ++i) {
    header[static_cast<size_t>(i)] = static_cast<std::byte>(image.width >> (24 - 8 * i));
    header[static_cast<size_t>(4 + i)] = static_cast<std::byte>(image.height >> (24 - 8 * i));
  }
  header[8] = std::byte{8};  // bits per channel
  header[9] = std::byte{6};  // RGBA
  append_chunk(png, "IHDR", header);

  z_stream stream{};
  if (deflateInit(&stream, Z_BEST_SPEED) != Z_OK) return {};
  const size_t row_bytes = size_t{image.width} * 4;
  std::vector<std::byte> compressed(deflateBound(&stream, static_cast<uLong>((row_bytes + 1) * image.height)));
  stream.next_out = reinterpret_cast<Bytef*>(compressed.data());
  stream.avail_out = static_cast<uInt>(compressed.size());
  const Bytef no_filter = 0;
  bool ok = true;
  for (uint32_t y = 0; y < image.height && ok; ++y) {
    stream.next_in = const_cast<Bytef*>(&no_filter);  // zlib's API is not const; it only reads
    stream.avail_in = 1;
    ok = deflate(&stream, Z_NO_FLUSH) == Z_OK;
    stream.next_in = const_cast<Bytef*>(image.at(0, y));
    stream.avail_in = static_cast<uInt>(row_bytes);
    ok = ok && deflate(&stream, Z_NO_FLUSH) == Z_OK;
  }
  ok = ok && deflate(&stream, Z_FINISH) == Z_STREAM_END;
  compressed.resize(stream.total_out);
  deflateEnd(&stream);
  if (!ok) return {};
  // IDAT chunks of at most 1 GiB: a chunk's length must fit in 31 bits.
  constexpr size_t max_chunk = size_t{1} << 30;
  for (size_t offset = 0; offset < compressed.size(); offset += max_chunk) {
    append_chunk(
        png, "IDAT",
        std::span<const std::byte>(compressed).subspan(offset, std::min(max_chunk, compressed.size() - offset)));
  }
  append_chunk(png, "IEND", {});
  return png;
}

// The tiles of `request` whose rows begin in [top, top + rows), fetched, checked against the size
// their info.json promises, decoded and copied into `band` (request.width × rows RGBA8, row `top`
// first); `warning` keeps the first the cache gave (a tile served while the server was away).
std::optional<Problem> stitch_rows(HttpCache& cache, const ImageRequest& request, int top, int rows, std::span<uint8_t> band,
                                   std::optional<Problem>& warning) {
  for (const ImageRequest::Piece& piece : request.pieces) {
    if (piece.y < top || piece.y >= top + rows) continue;
    Attempt tile = fetched_image(cache, piece.url, PageImage::Source::image_service);
    if (!tile.image) return std::move(tile.problem);
    if (tile.problem && !warning) warning = std::move(tile.problem);
    int width = 0, height = 0, channels = 0;
    const auto* encoded = reinterpret_cast<const stbi_uc*>(tile.image->bytes.data());
    const auto encoded_size = static_cast<int>(tile.image->bytes.size());
    // The size its header claims is checked before decoding: a small file may claim gigapixels.
    if (!stbi_info_from_memory(encoded, encoded_size, &width, &height, &channels)) {
      return make_problem(Problem::Kind::not_an_image, piece.url, stbi_failure_reason(), fmt::format("无法解码：{}", stbi_failure_reason()));
    }
    // Servers round a scaled tile's size either way: one pixel more or less is the same tile.
    if (std::abs(width - piece.width) > 1 || std::abs(height - piece.height) > 1) {
      return make_problem(Problem::Kind::malformed, piece.url,
                          fmt::format("the tile is {} × {} pixels where its info.json promises {} × {}", width, height,
                                      piece.width, piece.height),
                          fmt::format("该图块为 {} × {} 像素，而 info.json 说应为 {} × {}", width, height, piece.width,
                                      piece.height));
    }
    const std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
        stbi_load_from_memory(encoded, encoded_size, &width, &height, &channels, 4), &stbi_image_free);
    if (!pixels) {
      return make_problem(Problem::Kind::not_an_image, piece.url, stbi_failure_reason(), fmt::format("无法解码：{}", stbi_failure_reason()));
    }
    const int tile_rows = std::min({height, request.height - piece.y, top + rows - piece.y});
    const int columns = std::min(width, request.width - piece.x);
    for (int row = 0; row < tile_rows; ++row) {
      std::memcpy(band.data() + (static_cast<size_t>(piece.y - top + row) * static_cast<size_t>(request.width) +
                                 static_cast<size_t>(piece.x)) * 4,
                  pixels.get() + static_cast<size_t>(row) * static_cast<size_t>(width) * 4, static_cast<size_t>(columns) * 4);
    }
  }
  return std::nullopt;
}

// The tiles of `request` stitched into `file`, a TIFF in strips (BigTIFF, deflated at zlib's
// fastest: written once and read once) a row of tiles at a time, so that only one row of tiles
// is ever held; on failure the file is removed.
std::optional<Problem> stitch_to_tiff(HttpCache& cache, const ImageRequest& request, const fs::path& file,
                                      std::optional<Problem>& warning) {
  const auto unwritable = [&](const std::string& why) {
    std::error_code ignored;
    fs::remove(file, ignored);
    Problem problem{Problem::Kind::too_large, file.string(), {}};
    problem.sentence.en = fmt::format("The tiles of {} ({} × {} pixels) could not be stitched into {} ({}): check the free space "
                                      "of the build's cache folder.", request.pieces.front().url, request.width, request.height,
                                      file.string(), why);
    problem.sentence.zh_cn = fmt::format("无法将 {} 的图块（{} × {} 像素）拼接写入 {}（{}）：请检查构建缓存文件夹的剩余空间。",
                                         request.pieces.front().url, request.width, request.height, file.string(), why);
    return problem;
  };
  std::error_code made;
  fs::create_directories(file.parent_path(), made);
  const std::unique_ptr<TIFF, void (*)(TIFF*)> tiff(TIFFOpen(file.c_str(), "w8"), &TIFFClose);
  if (!tiff) return unwritable("libtiff could not create it");
  const int band_rows = std::max(1, request.pieces.front().height);
  const uint16_t alpha = EXTRASAMPLE_UNASSALPHA;
  TIFFSetField(tiff.get(), TIFFTAG_IMAGEWIDTH, static_cast<uint32_t>(request.width));
  TIFFSetField(tiff.get(), TIFFTAG_IMAGELENGTH, static_cast<uint32_t>(request.height));
  TIFFSetField(tiff.get(), TIFFTAG_SAMPLESPERPIXEL, uint16_t{4});
  TIFFSetField(tiff.get(), TIFFTAG_EXTRASAMPLES, uint16_t{1}, &alpha);
  TIFFSetField(tiff.get(), TIFFTAG_BITSPERSAMPLE, uint16_t{8});
  TIFFSetField(tiff.get(), TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
  TIFFSetField(tiff.get(), TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(tiff.get(), TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
  TIFFSetField(tiff.get(), TIFFTAG_ZIPQUALITY, 1);
  TIFFSetField(tiff.get(), TIFFTAG_ROWSPERSTRIP, static_cast<uint32_t>(band_rows));
  std::vector<uint8_t> band(static_cast<size_t>(request.width) * static_cast<size_t>(band_rows) * 4);
  for (int top = 0; top < request.height; top += band_rows) {
    const int rows = std::min(band_rows, request.height - top);
    if (std::optional<Problem> failed = stitch_rows(cache, request, top, rows, band, warning)) {
      std::error_code ignored;
      fs::remove(file, ignored);
      return failed;
    }
    for (int row = 0; row < rows; ++row) {
      if (TIFFWriteScanline(tiff.get(), band.data() + static_cast<size_t>(row) * static_cast<size_t>(request.width) * 4,
                            static_cast<uint32_t>(top + row), 0) < 0) {
        return unwritable("a write failed");
      }
    }
  }
  if (TIFFFlush(tiff.get()) != 1) return unwritable("a write failed");
  return std::nullopt;
}

Attempt from_service(HttpCache& cache, const ImageService& service, const PageImageOptions& options) {
  std::string base = service.id;
  while (base.ends_with('/')) base.pop_back();
  const std::string info_url = base + "/info.json";
  FetchResult info_body = cache.get(info_url);
  if (!info_body.ok()) return {std::nullopt, std::move(info_body.problem)};
  std::optional<Problem> warning = std::move(info_body.fetched->warning);
  const auto& body = info_body.fetched->body;
  auto info = parse_image_info(std::string_view(reinterpret_cast<const char*>(body.data()), body.size()), info_url);
  if (!info.ok()) {
    return {std::nullopt, make_problem(Problem::Kind::malformed, info_url, info.error().why(),
                                       fmt::format("这不是可读的 IIIF 图像服务信息（info.json）：{}", info.error().why()))};
  }
  const ImageRequest request = plan_full_image(*info, options.max_width, options.max_height);
  if (request.pieces.size() == 1) {
    Attempt single = fetched_image(cache, request.pieces.front().url, PageImage::Source::image_service);
    if (!single.problem) single.problem = std::move(warning);
    return single;
  }
  const bool held = int64_t{request.width} * request.height <= options.max_held_pixels;
  if (!held && options.scratch.empty()) {
    return {std::nullopt,
            make_problem(Problem::Kind::too_large, info_url,
                         fmt::format("{} × {} pixels to stitch from tiles", request.width, request.height),
                         fmt::format("需要由图块拼接 {} × {} 像素", request.width, request.height))};
  }
  if (!held) {
    // Too many pixels to hold: stitched a row of tiles at a time into a TIFF file the pyramid
    // then reads a band at a time, named by the service so a second build writes the same file.
    const fs::path file = options.scratch / fmt::format("{}.tiff", hash_content(std::as_bytes(std::span(info_url))).to_hex());
    if (std::optional<Problem> failed = stitch_to_tiff(cache, request, file, warning)) return {std::nullopt, std::move(failed)};
    Attempt stitched = local_file(file, PageImage::Source::image_service);
    if (!stitched.image) return stitched;
    stitched.image->origin = info_url;
    stitched.image->stitched_file = file;
    return {std::move(stitched.image), std::move(warning)};
  }
  ImageRgba8 stitched(static_cast<uint32_t>(request.width), static_cast<uint32_t>(request.height));
  const std::span<uint8_t> whole(stitched.pixels);
  if (std::optional<Problem> failed = stitch_rows(cache, request, 0, request.height, whole, warning)) {
    return {std::nullopt, std::move(failed)};
  }
  std::vector<std::byte> png = encode_png(stitched);
  if (png.empty()) {
    return {std::nullopt, make_problem(Problem::Kind::too_large, info_url, "zlib could not compress the stitched tiles",
                                       "zlib 无法压缩拼接后的图块")};
  }
  const ContentHash hash = hash_content(png);
  return {PageImage{PageImage::Source::image_service, info_url, std::move(png), "image/png", hash}, std::move(warning)};
}

std::string page_name(const Canvas& canvas, size_t index) {
  const std::string label = canvas.label.best("en");
  if (!label.empty()) return fmt::format("\"{}\" ({})", label, canvas.id);
  return fmt::format("{} ({})", index + 1, canvas.id);
}

// The file the map names for a canvas: by its id, else by any value of its label.
std::optional<fs::path> mapped_file(const Canvas& canvas, const PageImageOptions& options) {
  if (const auto by_id = options.files.find(canvas.id); by_id != options.files.end()) return by_id->second;
  for (const LanguageMap::Entry& entry : canvas.label.entries) {
    for (const std::string& value : entry.values) {
      if (const auto by_label = options.files.find(value); by_label != options.files.end()) return by_label->second;
    }
  }
  return std::nullopt;
}

// A page left blank: what was tried and why each way failed, or why nothing could be tried.
checking::Finding placeholder_warning(const Canvas& canvas, size_t index, const std::string& location,
                                      const std::vector<Problem>& failures, const PageImageOptions& options) {
  std::string reasons_en, reasons_zh;
  for (const Problem& failure : failures) {
    reasons_en += " " + failure.sentence.en;
    reasons_zh += failure.sentence.zh_cn;
  }
  if (failures.empty() && options.cache) {
    reasons_en = " It names no image service or web address to fetch it from.";
    reasons_zh = "它没有可供下载的图像服务或网址。";
  } else if (failures.empty() && options.folder.empty()) {
    reasons_en = " No local file was named for it, and fetching is off.";
    reasons_zh = "没有为它指定本地文件，且未开启下载。";
  } else if (failures.empty()) {
    reasons_en = fmt::format(" No file in {} matches its name, and fetching is off.", options.folder.string());
    reasons_zh = fmt::format("{} 中没有与其名称相符的文件，且未开启下载。", options.folder.string());
  }
  return {checking::Finding::Severity::warning,
          {},
          location,
          fmt::format("Page {} has no picture; it is shown as a blank placeholder.{}", page_name(canvas, index),
                      reasons_en),
          fmt::format("书页 {} 没有图像，将显示为空白占位页。{}", page_name(canvas, index), reasons_zh)};
}

}  // namespace

std::string image_media_type(std::span<const std::byte> bytes) {
  const auto starts = [&](std::initializer_list<uint8_t> signature, size_t offset = 0) {
    if (bytes.size() < offset + signature.size()) return false;
    size_t at = offset;
    for (const uint8_t byte : signature) {
      if (static_cast<uint8_t>(bytes[at++]) != byte) return false;
    }
    return true;
  };
  if (starts({0xFF, 0xD8, 0xFF})) return "image/jpeg";
  if (starts({0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) return "image/png";
  // Classic TIFF (42) or BigTIFF (43), in either byte order.
  if (starts({'I', 'I', 42, 0}) || starts({'M', 'M', 0, 42}) || starts({'I', 'I', 43, 0}) || starts({'M', 'M', 0, 43})) {
    return "image/tiff";
  }
  if (starts({0, 0, 0, 0x0C, 'j', 'P', ' ', ' '}) || starts({0xFF, 0x4F, 0xFF, 0x51})) return "image/jp2";
  if (starts({'R', 'I', 'F', 'F'}) && starts({'W', 'E', 'B', 'P'}, 8)) return "image/webp";
  return {};
}

std::string last_segment(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  while (url.ends_with('/')) url.remove_suffix(1);
  const std::string_view segment = url.substr(url.rfind('/') + 1);
  std::string decoded;
  for (size_t i = 0; i < segment.size(); ++i) {
    const auto hex = [](char c) {
      return c >= '0' && c <= '9'   ? c - '0'
             : c >= 'a' && c <= 'f' ? c - 'a' + 10
             : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                    : -1;
    };
    if (segment[i] == '%' && i + 2 < segment.size() + 0 && hex(segment[i + 1]) >= 0 && hex(segment[i + 2]) >= 0) {
      decoded.push_back(static_cast<char>(hex(segment[i + 1]) * 16 + hex(segment[i + 2])));
      i += 2;
    } else {
      decoded.push_back(segment[i]);
    }
  }
  // An identifier may hold encoded slashes ("books%2Fpage-7"): the file is named by its last part.
  return decoded.substr(decoded.rfind('/') + 1);
}

PageImages resolve_page_images(const Manifest& manifest, const PageImageOptions& options) {
  const FolderIndex folder(options.folder);
  PageImages result;
  result.canvases.resize(manifest.canvases.size());
  for (size_t index = 0; index < manifest.canvases.size(); ++index) {
    const Canvas& canvas = manifest.canvases[index];
    const std::string location = fmt::format("canvases[{}]", index);
    for (size_t painting = 0; painting < canvas.paintings.size(); ++painting) {
      const Image& image = canvas.paintings[painting].options.front();
      std::vector<Problem> failures;
      Attempt found;
      const auto try_attempt = [&](Attempt attempt) {
        if (attempt.image) {
          found = std::move(attempt);
          return true;
        }
        if (attempt.problem) failures.push_back(std::move(*attempt.problem));
        return false;
      };
      // The map names a page's picture: its first painting's (others are matched by name).
      const std::optional<fs::path> mapped = painting == 0 ? mapped_file(canvas, options) : std::nullopt;
      bool done = mapped && try_attempt(local_file(*mapped, PageImage::Source::mapped));
      if (!done) {
        const std::optional<fs::path> match = folder.match(image);
        done = match && try_attempt(local_file(*match, PageImage::Source::folder));
      }
      if (!done && options.cache) {
        for (const ImageService& service : image.services) {
          if (!done) done = try_attempt(from_service(*options.cache, service, options));
        }
        if (!done && (image.id.starts_with("http://") || image.id.starts_with("https://"))) {
          done = try_attempt(fetched_image(*options.cache, image.id, PageImage::Source::url));
        }
      }
      if (found.problem) {
        result.warnings.push_back({checking::Finding::Severity::warning,
                                   {},
                                   location,
                                   found.problem->sentence.en,
                                   found.problem->sentence.zh_cn});
      }
      if (!done) result.warnings.push_back(placeholder_warning(canvas, index, location, failures, options));
      result.canvases[index].paintings.push_back(std::move(found.image));
    }
  }
  return result;
}

}  // namespace pavilion::iiif

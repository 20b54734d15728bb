// The IIIF Image API (2.1 and 3.0) as a client needs it to take one whole page image: its
// info.json read into ImageInfo, and the requests that give the full image at most a given size.
//
// A server at level 1 or 2 scales on request: one request, `full/w,h/0/default.jpg` (3.0, whose
// level 1 has sizeByWh) or `full/w,/0/default.jpg` (2.1, sizeByW). A level 0 server (a static
// tile set on any web server) has only the sizes and tiles it lists, so the full image is either
// the largest listed size that fits, or the tiles of one scale factor stitched together,
// whichever is larger; with neither listed, the whole image (`full/max`, 2.1's `full/full`).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pavilion/core/error.h"

namespace pavilion::iiif {

struct ImageInfo {
  int api_version = 3;  // 2 or 3, from @context
  std::string id;       // the service's base URI, without a trailing slash
  int level = 0;        // compliance level from the profile; 0 when it names none we know
  int width = 0, height = 0;
  int max_width = 0, max_height = 0;  // 3.0's maxWidth/maxHeight (2.1's in its profile); 0: none
  struct Size {
    int width = 0, height = 0;
  };
  std::vector<Size> sizes;
  struct Tiles {
    int width = 0, height = 0;  // height defaults to width
    std::vector<int> scale_factors;
  };
  std::vector<Tiles> tiles;
  std::vector<std::string> formats;  // preferred or extra formats offered, in the server's order
};

// `text` is the info.json fetched from `url` (named in errors).
Result<ImageInfo> parse_image_info(std::string_view text, std::string_view url);

// What to request for the full image no larger than max_width × max_height (0: no bound).
struct ImageRequest {
  int width = 0, height = 0;  // of the image these requests give, once stitched
  struct Piece {
    std::string url;
    int x = 0, y = 0;  // where it goes in the result, in its pixels
    int width = 0, height = 0;
  };
  std::vector<Piece> pieces;  // one, or the tiles of one scale factor in rows, top left first
  std::string format;         // "jpg" or "png"
};
ImageRequest plan_full_image(const ImageInfo& info, int max_width, int max_height);

}  // namespace pavilion::iiif

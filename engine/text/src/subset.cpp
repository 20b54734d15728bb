#include "pavilion/text/subset.h"

#include "font_handles.h"

#include <fmt/format.h>
#include <hb-subset.h>

#include <memory>

namespace pavilion::text {

Result<std::vector<std::byte>> subset_font(const Font& font, std::u32string_view characters) {
  const std::string step = fmt::format("subsetting the font {}", font.name());
  std::unique_ptr<hb_subset_input_t, decltype(&hb_subset_input_destroy)> input(hb_subset_input_create_or_fail(),
                                                                               &hb_subset_input_destroy);
  if (!input) return Error(ErrorCode::out_of_memory, step, "hb_subset_input_create_or_fail failed");
  hb_set_t* unicodes = hb_subset_input_unicode_set(input.get());
  for (const char32_t c : characters) hb_set_add(unicodes, c);
  // The default keeps name IDs 0–6; the licence (13) and its URL (14) must travel with the font.
  hb_set_t* names = hb_subset_input_set(input.get(), HB_SUBSET_SETS_NAME_ID);
  hb_set_add(names, HB_OT_NAME_ID_LICENSE);
  hb_set_add(names, HB_OT_NAME_ID_LICENSE_URL);

  std::unique_ptr<hb_face_t, decltype(&hb_face_destroy)> subset(hb_subset_or_fail(font.handles().hb_face, input.get()),
                                                                &hb_face_destroy);
  if (!subset) {
    return Error(ErrorCode::unsupported, step,
                 "HarfBuzz could not subset it; use an OpenType or TrueType font (fonts-noto-cjk and "
                 "fonts-lxgw-wenkai are known to work)");
  }
  std::unique_ptr<hb_blob_t, decltype(&hb_blob_destroy)> blob(hb_face_reference_blob(subset.get()), &hb_blob_destroy);
  unsigned length = 0;
  const char* data = hb_blob_get_data(blob.get(), &length);
  if (length == 0) return Error(ErrorCode::internal, step, "the subset font came out empty");
  const auto* bytes = reinterpret_cast<const std::byte*>(data);
  return std::vector<std::byte>(bytes, bytes + length);
}

}  // namespace pavilion::text

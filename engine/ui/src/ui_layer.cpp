#include "pavilion/ui/ui_layer.h"

#include "pavilion/ui/fonts.h"

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace pavilion::ui {
namespace {

// ImGui's vertices are copied into the overlay as they are: the layouts must match.
static_assert(sizeof(ImDrawVert) == sizeof(render::OverlayVertex));
static_assert(offsetof(ImDrawVert, pos) == offsetof(render::OverlayVertex, x));
static_assert(offsetof(ImDrawVert, uv) == offsetof(render::OverlayVertex, u));
static_assert(offsetof(ImDrawVert, col) == offsetof(render::OverlayVertex, rgba));
static_assert(sizeof(ImDrawIdx) == sizeof(uint16_t));

// Makes `context` current for the lifetime of the guard, and restores the previous one after.
class ContextGuard {
 public:
  explicit ContextGuard(ImGuiContext* context) : previous_(ImGui::GetCurrentContext()) { ImGui::SetCurrentContext(context); }
  ~ContextGuard() { ImGui::SetCurrentContext(previous_); }
  ContextGuard(const ContextGuard&) = delete;
  ContextGuard& operator=(const ContextGuard&) = delete;

 private:
  ImGuiContext* previous_;
};

// Marks where draw_text() text goes in a draw list; never called (end_frame() splices instead).
void text_mark(const ImDrawList*, const ImDrawCmd*) {}

}  // namespace

UiLayer::UiLayer(render::Renderer& renderer) : renderer_(renderer) {}

Result<std::unique_ptr<UiLayer>> UiLayer::create(render::Renderer& renderer) {
  PV_TRY(check_face(body_face()));
  PV_TRY(check_face(title_face()));
  std::unique_ptr<UiLayer> layer(new UiLayer(renderer));
  layer->context_ = ImGui::CreateContext();
  ContextGuard guard(layer->context_);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // a kiosk starts the same way every time
  io.LogFilename = nullptr;
  io.BackendRendererName = "pavilion::render overlay";
  io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
  configure_atlas(*io.Fonts);
  return layer;
}

UiLayer::~UiLayer() {
  if (atlas_uploaded_) static_cast<void>(renderer_.remove_overlay_texture(atlas_texture_));
  if (context_ != nullptr) ImGui::DestroyContext(context_);
}

ImTextureID UiLayer::texture_id(render::OverlayTextureId texture) {
  return reinterpret_cast<ImTextureID>(static_cast<uintptr_t>(texture));
}

Result<void> UiLayer::set_fonts(std::string_view text, const FontSizes& sizes) {
  if (atlas_uploaded_ && text == font_text_ && sizes == font_sizes_) return {};
  ContextGuard guard(context_);
  ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
  atlas.Clear();
  ImFontGlyphRangesBuilder ranges;
  ranges.AddRanges(atlas.GetGlyphRangesDefault());  // Latin-1, for anything typed by an operator
  ranges.AddText(text.data(), text.data() + text.size());
  glyph_ranges_.clear();
  ranges.BuildRanges(&glyph_ranges_);

  PV_TRY_ASSIGN(body_font_, add_face(atlas, body_face(), sizes.body_pixels, glyph_ranges_.Data));
  PV_TRY_ASSIGN(title_font_, add_face(atlas, title_face(), sizes.title_pixels, glyph_ranges_.Data));
  if (!atlas.Build()) {
    return Error(ErrorCode::invalid_input, "building the interface's font atlas", "FreeType could not rasterize the fonts");
  }
  unsigned char* pixels = nullptr;
  int width = 0;
  int height = 0;
  atlas.GetTexDataAsRGBA32(&pixels, &width, &height);
  ImageRgba8 image(static_cast<uint32_t>(width), static_cast<uint32_t>(height));
  std::memcpy(image.pixels.data(), pixels, image.pixels.size());
  PV_TRY_ASSIGN(const render::OverlayTextureId texture,
                renderer_.add_overlay_texture(image).add_context("uploading the interface's font atlas"));
  if (atlas_uploaded_) PV_TRY(renderer_.remove_overlay_texture(atlas_texture_));
  atlas_texture_ = texture;
  atlas_uploaded_ = true;
  atlas_width_ = image.width;
  atlas_height_ = image.height;
  atlas.SetTexID(texture_id(texture));
  atlas.ClearTexData();  // the GPU has it now
  font_text_.assign(text);
  font_sizes_ = sizes;
  return {};
}

void UiLayer::begin_frame(float width, float height, float seconds, const Pointer& pointer) {
  ImGui::SetCurrentContext(context_);
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(width, height);
  io.DeltaTime = seconds > 0.0f ? seconds : 1.0f / 60.0f;
  io.MousePos = pointer.present ? ImVec2(pointer.x, pointer.y) : ImVec2(-FLT_MAX, -FLT_MAX);
  io.MouseDown[0] = pointer.present && pointer.down;
  text_.clear();
  text_runs_.clear();
  ImGui::NewFrame();
}

void UiLayer::draw_text(ImDrawList& list, const text::TextLayout& layout, const text::GlyphAtlas& atlas,
                        render::OverlayTextureId atlas_texture, const TextPaint& paint) {
  const size_t first_draw = text_.draws.size();
  append_text(layout, atlas, atlas_texture, paint, text_);
  // The run's number rides in the callback's pointer: ImGui hands it back untouched.
  list.AddCallback(text_mark, reinterpret_cast<void*>(static_cast<uintptr_t>(text_runs_.size())));
  text_runs_.push_back({first_draw, text_.draws.size()});
}

const render::Overlay& UiLayer::end_frame() {
  ImGui::SetCurrentContext(context_);
  ImGui::Render();
  const ImDrawData& data = *ImGui::GetDrawData();
  // ImGui's lists first, then the text they mark, all in one buffer.
  const auto text_vertex_base = static_cast<size_t>(data.TotalVtxCount);
  const auto text_index_base = static_cast<size_t>(data.TotalIdxCount);
  frame_.vertices.resize(text_vertex_base + text_.vertices.size());
  frame_.indices.resize(text_index_base + text_.indices.size());
  std::copy(text_.vertices.begin(), text_.vertices.end(), frame_.vertices.begin() + static_cast<ptrdiff_t>(text_vertex_base));
  std::copy(text_.indices.begin(), text_.indices.end(), frame_.indices.begin() + static_cast<ptrdiff_t>(text_index_base));
  frame_.draws.clear();
  size_t vertex_base = 0;
  size_t index_base = 0;
  for (int list_index = 0; list_index < data.CmdListsCount; ++list_index) {
    const ImDrawList& list = *data.CmdLists[list_index];
    // An empty list has no buffers to copy (but may still mark text).
    if (list.VtxBuffer.Size > 0) {
      std::memcpy(static_cast<void*>(frame_.vertices.data() + vertex_base), list.VtxBuffer.Data, list.VtxBuffer.size_in_bytes());
    }
    if (list.IdxBuffer.Size > 0) std::memcpy(frame_.indices.data() + index_base, list.IdxBuffer.Data, list.IdxBuffer.size_in_bytes());
    for (const ImDrawCmd& command : list.CmdBuffer) {
      if (command.UserCallback == text_mark) {
        const TextRun& run = text_runs_[reinterpret_cast<uintptr_t>(command.UserCallbackData)];
        for (size_t index = run.first_draw; index < run.end_draw; ++index) {
          render::OverlayDraw draw = text_.draws[index];
          draw.first_index += static_cast<uint32_t>(text_index_base);
          draw.vertex_offset += static_cast<int32_t>(text_vertex_base);
          frame_.draws.push_back(draw);
        }
        continue;
      }
      if (command.UserCallback != nullptr || command.ElemCount == 0) continue;
      render::OverlayDraw draw;
      draw.first_index = static_cast<uint32_t>(index_base + command.IdxOffset);
      draw.index_count = command.ElemCount;
      draw.vertex_offset = static_cast<int32_t>(vertex_base + command.VtxOffset);
      draw.texture = static_cast<render::OverlayTextureId>(reinterpret_cast<uintptr_t>(command.TextureId));
      draw.clip_min_x = command.ClipRect.x - data.DisplayPos.x;
      draw.clip_min_y = command.ClipRect.y - data.DisplayPos.y;
      draw.clip_max_x = command.ClipRect.z - data.DisplayPos.x;
      draw.clip_max_y = command.ClipRect.w - data.DisplayPos.y;
      frame_.draws.push_back(draw);
    }
    vertex_base += static_cast<size_t>(list.VtxBuffer.Size);
    index_base += static_cast<size_t>(list.IdxBuffer.Size);
  }
  overlay_ = frame_.view();
  return overlay_;
}

}  // namespace pavilion::ui

// The festival's courtyard and lantern: read back through Assimp as pavilion-pack imports them
// (materials, glowing textures, no texture missing), the couplet's characters inked where they
// are set and nowhere else, the lanterns' light warm on the ground beneath them and not far off,
// and the same bytes as the build's.
#include "pavilion/core/file.h"
#include "pavilion/core/png.h"
#include "pavilion/pack/model_import.h"
#include "pavilion/procedural/festival_courtyard.h"
#include "pavilion/text/faces.h"
#include "temporary_folder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

namespace pavilion::procedural {
namespace {

std::filesystem::path calligraphy() { return text::kai_face().file.parent_path() / "LXGWWenKai-Bold.ttf"; }

// Mean of a channel (0 R … 2 B) over a rectangle of texels.
double mean(const ImageRgba8& image, uint32_t channel, uint32_t left, uint32_t top, uint32_t width, uint32_t height) {
  double sum = 0.0;
  for (uint32_t y = top; y < top + height; ++y) {
    for (uint32_t x = left; x < left + width; ++x) sum += image.at(x, y)[channel];
  }
  return sum / (double{1.0} * width * height);
}

// Texels darker than the red paper's darkest: ink.
size_t inked(const ImageRgba8& image, uint32_t left, uint32_t top, uint32_t width, uint32_t height) {
  size_t count = 0;
  for (uint32_t y = top; y < top + height; ++y) {
    for (uint32_t x = left; x < left + width; ++x) count += image.at(x, y)[0] < 60 ? 1 : 0;
  }
  return count;
}

const StaticMaterial& material_named(const StaticModel& model, const std::string& name) {
  const auto found = std::find_if(model.materials.begin(), model.materials.end(),
      [&](const StaticMaterial& m) { return m.name == name; });
  EXPECT_NE(found, model.materials.end()) << name;
  return *found;
}

TEST(ProceduralFestivalCourtyard, AssimpReadsTheCourtyardWithItsGlowingMaterials) {
  const auto courtyard = make_courtyard(calligraphy());
  ASSERT_TRUE(courtyard.ok()) << courtyard.error().describe();
  testing::TemporaryFolder folder;
  ASSERT_TRUE(write_static_gltf(*courtyard, folder.path()).ok());
  const auto imported = pack::import_model(folder / "courtyard.gltf");
  ASSERT_TRUE(imported.ok()) << imported.error().describe();
  EXPECT_TRUE(imported->missing_textures.empty());
  std::set<std::string> glowing;
  for (const scene::MaterialData& material : imported->materials) {
    if (material.emissive_texture != scene::no_texture) glowing.insert(material.name);
  }
  EXPECT_EQ(glowing, (std::set<std::string>{"ground", "back_wall", "windows", "couplet"}));
  size_t triangles = 0;
  for (const scene::MeshData& mesh : imported->meshes) triangles += mesh.indices.size() / 3;
  EXPECT_GT(triangles, 1000u);
  EXPECT_LT(triangles, 50'000u) << "a backdrop, well inside a headset's budget";
}

TEST(ProceduralFestivalCourtyard, TheLanternGlowsRedAndHangsBelowItsHook) {
  const auto lantern = make_lantern(calligraphy());
  ASSERT_TRUE(lantern.ok()) << lantern.error().describe();
  const ImageRgba8& glow = material_named(*lantern, "silk").emissive_texture;
  ASSERT_FALSE(glow.pixels.empty());
  // The middle of the silk glows, red above green above blue; the band by the cap far less.
  const double red = mean(glow, 0, 0, glow.height / 2 - 8, glow.width, 16);
  EXPECT_GT(red, 200.0);
  EXPECT_GT(red, mean(glow, 1, 0, glow.height / 2 - 8, glow.width, 16) + 80.0);
  EXPECT_GT(red, mean(glow, 0, 0, 0, glow.width, 4) + 30.0);
  float highest = -1.0f;
  float lowest = 0.0f;
  for (const StaticPart& part : lantern->parts) {
    for (const StaticVertex& vertex : part.vertices) {
      highest = std::max(highest, vertex.position.y);
      lowest = std::min(lowest, vertex.position.y);
    }
  }
  EXPECT_NEAR(highest, 0.0f, 1e-5f) << "the cord ends at the hook";
  EXPECT_LT(lowest, -1.0f) << "the tassel hangs below the body";
}

// The couplet's texture (couplet_texture's layout): each strip's seven cells and the scroll's four
// carry ink; the margins above and below the strips carry none.
TEST(ProceduralFestivalCourtyard, TheCoupletIsInkedWhereItsCharactersAreSet) {
  const auto courtyard = make_courtyard(calligraphy());
  ASSERT_TRUE(courtyard.ok()) << courtyard.error().describe();
  const ImageRgba8& couplet = material_named(*courtyard, "couplet").base_color_texture;
  ASSERT_EQ(couplet.width, 1024u);
  for (uint32_t strip = 0; strip < 2; ++strip) {
    for (uint32_t cell = 0; cell < 7; ++cell) {
      EXPECT_GT(inked(couplet, strip * 128 + 16, 64 + cell * 128 + 16, 96, 96),
          600u) << "strip " << strip << " character " << cell;
    }
    EXPECT_EQ(inked(couplet, strip * 128 + 16, 16, 96, 40), 0u) << "strip " << strip << " top margin";
    EXPECT_EQ(inked(couplet, strip * 128 + 16, 968, 96, 40), 0u) << "strip " << strip << " bottom margin";
  }
  for (uint32_t cell = 0; cell < 4; ++cell) {
    EXPECT_GT(inked(couplet, 384 + cell * 128 + 16, 32, 96, 128), 600u) << "scroll character " << cell;
  }
}

// Under the central lanterns the bricks glow warm; at the court's front corner, far from any, they
// hardly glow at all.
TEST(ProceduralFestivalCourtyard, TheLanternsLightIsBakedBeneathThem) {
  const auto courtyard = make_courtyard(calligraphy());
  ASSERT_TRUE(courtyard.ok()) << courtyard.error().describe();
  const ImageRgba8& glow = material_named(*courtyard, "ground").emissive_texture;
  ASSERT_EQ(glow.width, 1024u);
  ASSERT_EQ(glow.height, 768u);
  // The ground spans x -8…8 (columns) and z -4.4…7.6 (rows, the far side first): 64 texels a metre.
  const auto column = [](float x) { return static_cast<uint32_t>((x + 8.0f) * 64.0f); };
  const auto row = [](float z) { return static_cast<uint32_t>((z + 4.4f) * 64.0f); };
  const double beneath = mean(glow, 0, column(0.72f) - 16, row(-2.8f) - 16, 32, 32);
  const double far_off = mean(glow, 0, column(7.5f) - 16, row(7.0f) - 16, 32, 32);
  EXPECT_GT(beneath, 40.0);
  EXPECT_LT(far_off, 12.0);
  EXPECT_GT(beneath, mean(glow, 2, column(0.72f) - 16, row(-2.8f) - 16, 32, 32) + 15.0) << "warm: more red than blue";
}

// The build's files came from the generator CMake runs, in another process: a fresh run here
// writes the same bytes (no time stamps, no unseeded noise, keys in a fixed order).
TEST(ProceduralFestivalCourtyard, AFreshRunMatchesTheBuildsFiles) {
  testing::TemporaryFolder folder;
  const auto courtyard = make_courtyard(calligraphy());
  const auto lantern = make_lantern(calligraphy());
  ASSERT_TRUE(courtyard.ok() && lantern.ok());
  ASSERT_TRUE(write_static_gltf(*courtyard, folder.path()).ok());
  ASSERT_TRUE(write_static_gltf(*lantern, folder.path()).ok());
  ASSERT_TRUE(write_static_gltf(make_stone_drum(), folder.path()).ok());
  size_t compared = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder.path())) {
    const auto fresh = read_file(entry.path());
    const auto built = read_file(std::filesystem::path(PAVILION_FESTIVAL_ASSETS_DIR) / entry.path().filename());
    ASSERT_TRUE(fresh.ok());
    ASSERT_TRUE(built.ok()) << built.error().describe();
    EXPECT_TRUE(*fresh == *built) << entry.path().filename() << " differs from the build's";
    ++compared;
  }
  EXPECT_EQ(compared, 20u);
}

}  // namespace
}  // namespace pavilion::procedural

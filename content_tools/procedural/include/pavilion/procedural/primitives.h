// Meshes made from formulas, with normals, tangents (glTF handedness) and texture coordinates:
// test scenes, sample rooms and stand-ins until a curator's model arrives.
#pragma once

#include "pavilion/scene/render_scene.h"

#include <glm/glm.hpp>

#include <cstdint>

namespace pavilion::procedural {

// A sphere of radius 1 around the origin; u runs around the equator, v from the north pole down.
scene::MeshData make_sphere(uint32_t segments = 48, uint32_t rings = 24);

// A box centred on the origin; each face maps the whole texture.
scene::MeshData make_box(const glm::vec3& half_extents);

// A square in the XZ plane facing +Y, centred on the origin; the texture repeats `uv_repeat` times.
scene::MeshData make_plane(float size, float uv_repeat = 1.0f);

}  // namespace pavilion::procedural

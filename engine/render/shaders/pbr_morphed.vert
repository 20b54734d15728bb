#version 460
#extension GL_EXT_multiview : require
#extension GL_GOOGLE_include_directive : require
#define PAVILION_MORPHED
#include "pbr_vertex.glsl"

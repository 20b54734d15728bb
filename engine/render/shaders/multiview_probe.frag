#version 460
#extension GL_EXT_multiview : require
// Marks each layer with the view that drew it, so the renderer can check at start-up that the
// driver's multiview reaches every layer.
layout(location = 0) out vec4 out_color;

void main() { out_color = vec4(float(gl_ViewIndex), 1.0, 0.0, 1.0); }

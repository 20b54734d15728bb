#version 460
// One triangle that covers the viewport; no vertex buffer.
void main() {
  vec2 corner = vec2((gl_VertexIndex << 1) & 2, gl_VertexIndex & 2);
  // Depth 0 is infinitely far with reverse-Z: the sky is drawn only where nothing else is.
  gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
}

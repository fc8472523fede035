// shaders/tests/mrt_init.glsl — test probe init (not part of any stage): writes a = 0 and b = 0.
// Writes a: zeros.  b: zeros.

void pass_main(ivec2 cell) {
    o_a = vec4(0.0);
    o_b = vec4(0.0);
}

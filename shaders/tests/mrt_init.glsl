// shaders/tests/mrt_init.glsl — test probe init (not part of any stage): writes a = 0 and b = 0.
// Writes a: every channel 0.  b: every channel 0.

void pass_main(ivec2 cell) {
    o_a = a_unpack(vec4(0.0));
    o_b = b_unpack(vec4(0.0));
}

// shaders/tests/fill_a.glsl — test probe init (not part of any stage). Writes a: 1 in every channel.

void pass_main(ivec2 cell) {
    o_a = a_unpack(vec4(1.0));
}

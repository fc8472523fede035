// shaders/tests/optional_probe.glsl — test probe (not part of any stage): a pass with an optional read.
// Reads a {x, y, z, w}; and b {x, y, z, w} only when some stage declares it (HAVE_B = 1).
// Writes a: a + b + 100 (each channel) when b is present, a unchanged when it is absent.

void pass_main(ivec2 cell) {
    A a = a_at(cell);
#if HAVE_B
    B b = b_at(cell);
    a = A(a.x + b.x + 100.0, a.y + b.y + 100.0, a.z + b.z + 100.0, a.w + b.w + 100.0);
#endif
    o_a = a;
}

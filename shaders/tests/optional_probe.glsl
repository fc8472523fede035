// shaders/tests/optional_probe.glsl — test probe (not part of any stage): a pass with an optional read.
// Reads a; and b only when some stage declares it (HAVE_B = 1).
// Writes a: a + b + 100 when b is present, a unchanged when it is absent.

uniform sampler2D t_a;
#if HAVE_B
uniform sampler2D t_b;
#endif

void pass_main(ivec2 cell) {
    vec4 a = texelFetch(t_a, cell, 0);
#if HAVE_B
    a += texelFetch(t_b, cell, 0) + 100.0;
#endif
    o_a = a;
}

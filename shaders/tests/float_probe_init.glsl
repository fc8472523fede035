// shaders/tests/float_probe_init.glsl — test probe init (not part of any stage): zero operands and results.
// Writes probe_in {x, y, a, one} = 0 (float bit patterns), probe_out {r} = 0, probe_bits {ftz_x} = 0.

void pass_main(ivec2 cell) {
    o_probe_in = ProbeIn(0, 0, 0, 0);
    o_probe_out = ProbeOut(0.0);
    o_probe_bits = ProbeBits(0);
}

// shaders/tests/scalar_probe.glsl — test probe (not part of any stage): a pass reading planet-wide
// scalars (planet/reduce.py) as they were at the end of the previous tick.
// Reads  ids {id, link} (ints, unused but for the kinds), the scalars a_mean and a_max.
// Writes reals {x}: x = a_mean + 1000 * a_max.

void pass_main(ivec2 cell) {
    o_reals = Reals(scalar_a_mean() + 1000.0 * scalar_a_max());
}

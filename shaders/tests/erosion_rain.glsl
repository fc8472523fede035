// shaders/tests/erosion_rain.glsl — test only (tests/test_erosion.py): a stand-in climate that rains
// P = 200 + 1800 * (i + 0.5) / W mm/yr, growing from west to east, so the erosion stage's discharge
// must follow it (HAVE_PRECIPITATION) rather than the uniform rain param.
// Writes precipitation: annual = P [mm/yr].

void pass_main(ivec2 cell) {
    o_precipitation = Precipitation(200.0 + 1800.0 * (float(cell.x) + 0.5) / float(u_grid.x));
}

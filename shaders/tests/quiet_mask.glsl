// shaders/tests/quiet_mask.glsl — test probe (not part of any stage): a mask pass (Pass.mask).
// Quiet cells: a.x < u_gain - 2 (with the test's u_gain = 2: the negative cells).
// Reads a {x, y, z, w}: any values.
uniform float u_gain;   // [1] the threshold is u_gain - 2

bool pass_mask(ivec2 cell) { return a_at(cell).x < u_gain - 2.0; }

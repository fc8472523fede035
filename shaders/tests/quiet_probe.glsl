// shaders/tests/quiet_probe.glsl — test probe (not part of any stage): a pass with quiet cells
// (Pass.quiet) whose two programs differ ON PURPOSE (a real pass_quiet must write what pass_main
// would), so the test sees which one ran where.
// Reads  a {x, y, z, w}: any values.
// Writes b: x = 1 where pass_main ran, 2 where pass_quiet ran; y = a.x; z = w = 0.

void pass_quiet(ivec2 cell) { o_b = B(2.0, a_at(cell).x, 0.0, 0.0); }

void pass_main(ivec2 cell) { o_b = B(1.0, a_at(cell).x, 0.0, 0.0); }

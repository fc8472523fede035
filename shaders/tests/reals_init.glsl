// shaders/tests/reals_init.glsl — test probe init (not part of any stage).
// Writes reals {x}: x = column + 2 * row; ids {id, link}: id = j * W + i, link = -1.

void pass_main(ivec2 cell) {
    o_reals = Reals(float(cell.x + 2 * cell.y));
    o_ids = Ids(grid_index(cell), -1);
}

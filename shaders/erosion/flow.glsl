// shaders/erosion/flow.glsl — helpers of the erosion passes (no pass of its own): pointers to cells,
// and offsets that move with the plates.
// Pointers: a cell index j * W + i in a float channel (exact below 2^24 cells); NONE = -1 for "none".
// The flow tree: a land cell's receiver is its D8 steepest-descent neighbour, or, for a pit whose
// lake spills, the cell b across the lake's pass; the pass cell a = b + GRID_D8[k] is b's neighbour.
// Reads no field itself (the samplers are the caller's).
#include "common/grid.glsl"
#include "common/constants.glsl"

const float NONE = -1.0;
const float BIG = 1.0e30;

float cell_ptr(ivec2 c) { return float(grid_index(c)); }
ivec2 ptr_cell(float p) { return grid_cell(int(p)); }

// Offset from cell `from` to cell `to` as one exact float, (dy + 2048) * 4096 + dx + 2048, with dx
// wrapped into [-W/2, W/2) (grids up to 4096 x 2048). Unlike an index it stays right when the plates
// carry both cells along (lakes is a carried field).
float offset_code(ivec2 from, ivec2 to) {
    int dx = to.x - from.x;
    dx += dx < -u_grid.x / 2 ? u_grid.x : 0;
    dx -= dx >= u_grid.x / 2 ? u_grid.x : 0;
    return float((to.y - from.y + 2048) * 4096 + dx + 2048);
}
ivec2 offset_target(ivec2 from, float code) {
    int c = int(code);
    int q = c / 4096;
    return grid_wrap_near(from + ivec2(c - q * 4096 - 2048, q - 2048));
}

// Does the spill record `rec` (lakes r, g) of pit `pit` name `cell` as its pass cell?
bool passes_over(ivec2 pit, vec2 rec, ivec2 cell) {
    return rec.x >= 0.0 && rec.y >= 0.0 && grid_wrap_near(offset_target(pit, rec.x) + GRID_D8[int(rec.y)]) == cell;
}

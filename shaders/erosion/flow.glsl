// shaders/erosion/flow.glsl — helpers of the erosion passes (no pass of its own): sentinels, and
// offsets that move with the plates.
// Cell pointers are int cell indices j * W + i (grid_index / grid_cell in common/grid.glsl), exact on
// every grid; NONE = -1 for "no cell" (and for "no code" or "no direction"). BIG_INDEX = 2^31 - 1 is
// "none" in a minimum over cell indices (above every index); BIG = 1e30 [m] the same for heights.
// The flow tree: a land cell's receiver is its Rho8 (stochastic steepest-descent) neighbour, or, for a
// pit whose lake spills, the cell b across the lake's pass; the pass cell a = b + GRID_D8[k] is b's neighbour.
// Reads no field itself (the accessors are the caller's).
#include "common/grid.glsl"
#include "common/constants.glsl"

const int NONE = -1;
const int BIG_INDEX = 0x7fffffff;
const float BIG = 1.0e30;

// Offset from cell `from` to cell `to` as one int code, (dy + 16384) * 65536 + dx + 32768 (>= 0), with
// dx wrapped into [-W/2, W/2): dy in 15 bits and dx in 16, so grids up to 65536 x 16384 (the stage
// checks it). Unlike an index it stays right when the plates carry both cells along (lakes is carried).
int offset_code(ivec2 from, ivec2 to) {
    int dx = to.x - from.x;
    dx += dx < -u_grid.x / 2 ? u_grid.x : 0;
    dx -= dx >= u_grid.x / 2 ? u_grid.x : 0;
    return ((to.y - from.y + 16384) << 16) + dx + 32768;
}
ivec2 offset_target(ivec2 from, int code) {
    return grid_wrap_near(from + ivec2((code & 0xFFFF) - 32768, (code >> 16) - 16384));
}

// Does the spill record (target, direction) of pit `pit` name `cell` as its pass cell?
bool passes_over(ivec2 pit, int target, int direction, ivec2 cell) {
    return target >= 0 && direction >= 0 && grid_wrap_near(offset_target(pit, target) + GRID_D8[direction]) == cell;
}

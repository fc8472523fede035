// shaders/bench/stencil9.glsl — bench only (bench/bench.py): a realistic 9-tap stencil.
// D8 steepest descent (O'Callaghan & Mark 1984): for the cell and its 8 neighbours, the downhill
// slope to neighbour n is S_n = (z_c - z_n) / d_n with metric spacings d_n [km] (east spacing
// shrinks with cos lat, diagonals sqrt(dx^2 + dy^2)); the steepest positive S_n wins (0 in a pit).
// Neighbours are wrapped with grid_wrap, so the ±180° seam wraps and the pole rows cross onto the
// opposite meridian exactly as physics passes do. Not part of any stage.
// Reads  terrain: bedrock = bedrock elevation z [m above datum], sea_level [m], glow [0..1].
// Writes terrain: every channel unchanged. Terrain has no channel for a slope, so the result only
// decides a select that never fires (slopes stay far below 1e30 m/km): the compiler cannot drop
// the 8 taps, and the pass keeps the arithmetic and memory traffic of a stencil that stores it.
#include "common/grid.glsl"

const ivec2 D8[8] = ivec2[8](ivec2(1, 0), ivec2(1, 1), ivec2(0, 1), ivec2(-1, 1),
                             ivec2(-1, 0), ivec2(-1, -1), ivec2(0, -1), ivec2(1, -1));

void pass_main(ivec2 cell) {
    Terrain c = terrain_at(cell);
    vec2 spacing = vec2(cell_dx_km(cell.y), cell_dy_km());   // [km] east, north
    float steepest = 0.0;                                      // [m/km]
    for (int k = 0; k < 8; ++k) {
        float z = terrain_at(grid_wrap(cell + D8[k])).bedrock;
        float s = (c.bedrock - z) / length(vec2(D8[k]) * spacing);  // [m/km]
        steepest = max(steepest, s);
    }
    if (steepest > 1e30) c.glow = steepest;  // never: keeps the taps live
    o_terrain = c;
}

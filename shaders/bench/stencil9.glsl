// shaders/bench/stencil9.glsl — bench only (bench/bench.py): a realistic 9-tap stencil.
// D8 steepest descent (O'Callaghan & Mark 1984): for the cell and its 8 neighbours, the downhill
// slope to neighbour n is S_n = (z_c - z_n) / d_n with metric spacings d_n [km] (east spacing
// shrinks with cos lat, diagonals sqrt(dx^2 + dy^2)); the steepest positive S_n wins (0 in a pit).
// Neighbours come through grid_fetch, so the ±180° seam wraps and the pole rows cross onto the
// opposite meridian exactly as physics passes do. Not part of any stage.
// Reads  terrain: r = bedrock elevation z [m above datum], g = sea level [m], b = lava glow [0..1].
// Writes terrain: r, g, b unchanged; a = steepest-descent slope [m/km] (>= 0; 0 in pits).
#include "common/grid.glsl"

uniform sampler2D t_terrain;

const ivec2 D8[8] = ivec2[8](ivec2(1, 0), ivec2(1, 1), ivec2(0, 1), ivec2(-1, 1),
                             ivec2(-1, 0), ivec2(-1, -1), ivec2(0, -1), ivec2(1, -1));

void pass_main(ivec2 cell) {
    vec4 c = texelFetch(t_terrain, cell, 0);
    vec2 spacing = vec2(cell_dx_km(cell.y), cell_dy_km());   // [km] east, north
    float steepest = 0.0;
    for (int k = 0; k < 8; ++k) {
        float z = grid_fetch(t_terrain, cell + D8[k]).r;
        float s = (c.r - z) / length(vec2(D8[k]) * spacing);  // [m/km]
        steepest = max(steepest, s);
    }
    o_terrain = vec4(c.rgb, steepest);
}

// shaders/erosion/receivers.glsl — step 1 of the flow routing (MODEL.md §3): each land cell's receiver.
// D8 steepest descent (O'Callaghan & Mark 1984): the neighbour n with the largest (z_c - z_n) / d > 0,
// d = great-circle distance between the cell centres [km] (grid.glsl: seam, poles, east steps that
// shrink with cos(lat), longer diagonals); ties go to the first in GRID_D8 order. Sea cells are roots:
// the ocean resets the flow. A land pit (no lower neighbour) drains over its lake's pass while the
// spill record it keeps is consistent — the pass cell a = b + GRID_D8[k] still carries the mark naming
// this pit — else it is a root: a lake with no outlet yet (erosion.collect finds one).
// Starts the pointer jumping of erosion.jump at each cell's receiver.
// Reads  terrain: r = bedrock z [m above datum], g = sea level [m].
//        lakes: r = spill target b (offset code from this pit, -1 none), g = pass direction k (b -> a),
//               b, a = marks (offset codes to the pits whose lakes spill over this cell, -1 none).
// Writes route: r = receiver (cell index, -1 at a root), g = pass direction k of a spill (-1 for a D8
//               step or a root), b = a = 0 (erosion.roots fills them).
//        jump:  r = pointer (the receiver; the cell itself at a root), g = smallest index of a spilling
//               pit on the segment [cell, pointer) (BIG none: the pit itself for a spill), b = highest
//               pass on the segment [m above datum] (-BIG none), a = 1 at sea, 0 on land.
#include "erosion/flow.glsl"

uniform sampler2D t_terrain;
uniform sampler2D t_lakes;

void pass_main(ivec2 cell) {
    vec2 t = texelFetch(t_terrain, cell, 0).rg;
    float self = cell_ptr(cell);
    o_route = vec4(NONE, -1.0, 0.0, 0.0);
    o_jump = vec4(self, BIG, -BIG, 1.0);
    if (t.r <= t.g) return;
    o_jump.a = 0.0;
    // Steepest descent: metric slope [m/km] to each of the 8 neighbours.
    float steepest = 0.0;
    for (int k = 0; k < 8; ++k) {
        ivec2 n = grid_wrap_near(cell + GRID_D8[k]);
        float s = (t.r - texelFetch(t_terrain, n, 0).r) / cell_distance_km(cell, n);
        if (s > steepest) { steepest = s; o_route.r = cell_ptr(n); }
    }
    if (steepest > 0.0) { o_jump.r = o_route.r; return; }
    // A pit: its lake spills over the recorded pass if the pass cell still names this pit.
    vec4 rec = texelFetch(t_lakes, cell, 0);
    if (rec.r < 0.0 || rec.g < 0.0) return;
    ivec2 b = offset_target(cell, rec.r);
    ivec2 a = grid_wrap_near(b + GRID_D8[int(rec.g)]);
    vec2 marks = texelFetch(t_lakes, a, 0).ba;
    bool named = (marks.x >= 0.0 && offset_target(a, marks.x) == cell) || (marks.y >= 0.0 && offset_target(a, marks.y) == cell);
    if (b == cell || !named) return;
    float pass_height = max(texelFetch(t_terrain, a, 0).r, texelFetch(t_terrain, b, 0).r);
    o_route.rg = vec2(cell_ptr(b), rec.g);
    o_jump.rgb = vec3(o_route.r, self, pass_height);
}

// shaders/erosion/receivers.glsl — step 1 of the flow routing (MODEL.md §3): each land cell's receiver.
// D8 steepest descent (O'Callaghan & Mark 1984): the neighbour n with the largest (z_c - z_n) / d > 0,
// d = great-circle distance between the cell centres [km] (grid.glsl: seam, poles, east steps that
// shrink with cos(lat), longer diagonals); ties go to the first in GRID_D8 order. Sea cells are roots:
// the ocean resets the flow. A land pit (no lower neighbour) drains over its lake's pass while the
// spill record it keeps is consistent — the pass cell a = b + GRID_D8[k] still carries the mark naming
// this pit — else it is a root: a lake with no outlet yet (erosion.collect finds one).
// Starts the pointer jumping of erosion.jump at each cell's receiver.
// Reads  terrain: bedrock z [m above datum], sea_level [m].
//        lakes: target (spill target b, offset code from this pit, -1 none), direction (k, b -> a),
//               mark1, mark2 (offset codes to the pits whose lakes spill over this cell, -1 none).
// Writes route: receiver (cell index, -1 at a root), spill (pass direction k of a spill, -1 for a D8
//               step or a root), root = -1 (erosion.roots finds it).
//        jump: pointer (the receiver; the cell itself at a root), min_pit (smallest index of a spilling
//              pit on the segment [cell, pointer): the pit itself for a spill, BIG_INDEX none).
//        jump_pass: max_pass (highest pass on that segment [m above datum], -BIG none).
#include "erosion/flow.glsl"

void pass_main(ivec2 cell) {
    Terrain t = terrain_at(cell);
    int self = grid_index(cell);
    o_route = Route(NONE, NONE, NONE);
    o_jump = Jump(self, BIG_INDEX);
    o_jump_pass = JumpPass(-BIG);
    if (t.bedrock <= t.sea_level) return;
    // Steepest descent: metric slope [m/km] to each of the 8 neighbours; the distance is grid.glsl's
    // cell_distance_km, written out for a neighbour that is already on the grid (no integer wrap).
    float steepest = 0.0;
    vec3 here = cell_pos(cell);
    for (int k = 0; k < 8; ++k) {
        ivec2 n = grid_wrap_near(cell + GRID_D8[k]);
        float d = 2.0 * u_radius * asin(min(0.5 * length(here - cell_pos(n)), 1.0));
        float s = (t.bedrock - terrain_at(n).bedrock) / d;
        if (s > steepest) { steepest = s; o_route.receiver = grid_index(n); }
    }
    if (steepest > 0.0) { o_jump.pointer = o_route.receiver; return; }
    // A pit: its lake spills over the recorded pass if the pass cell still names this pit.
    Lakes rec = lakes_at(cell);
    if (rec.target < 0 || rec.direction < 0) return;
    ivec2 b = offset_target(cell, rec.target);
    ivec2 a = grid_wrap_near(b + GRID_D8[rec.direction]);
    Lakes at_a = lakes_at(a);
    bool named = (at_a.mark1 >= 0 && offset_target(a, at_a.mark1) == cell)
              || (at_a.mark2 >= 0 && offset_target(a, at_a.mark2) == cell);
    if (b == cell || !named) return;
    o_route.receiver = grid_index(b);
    o_route.spill = rec.direction;
    o_jump = Jump(o_route.receiver, self);
    o_jump_pass.max_pass = max(terrain_at(a).bedrock, terrain_at(b).bedrock);
}

// shaders/erosion/roots.glsl — step 3: every cell's root, with loops cut. After erosion.jump a cell's
// pointer is the root of its tree (receiver -1) unless its path runs into a loop of stale spill edges
// (only spill edges can close one: D8 steps always go down). All N >= loop length steps after reaching
// the loop, the pointer state at any loop cell covers the whole loop, so its smallest spilling-pit
// index names the same pit for every cell that leads into that loop: that pit drops its spill (it is
// a lake with no outlet this tick) and is their root. The flow graph is then a forest (no cycles).
// Reads  route (erosion.receivers: receiver, spill), jump (erosion.jump: pointer, min_pit),
//        jump_pass (max_pass [m above datum]).
// Writes route: receiver (-1 at a root; a cut pit becomes one), spill (-1 none), root (cell index: the
//               river mouth at sea, or the lake's pit).
//        route_pass: pass_height = highest pass on the way to the root [m above datum] (-BIG none;
//               left unknown, -BIG, behind a cut).
// Sea cells (erosion.sea's mask) run pass_quiet alone (Pass.quiet, issue 16): a sea cell is a root, its
// pointer the cell itself.
#include "erosion/flow.glsl"

// A cell whose pointer has reached a root: that root, and the highest pass on the way.
void pass_quiet(ivec2 cell) {
    Route r = route_at(cell);
    o_route = Route(r.receiver, r.spill, jump_at(cell).pointer);
    o_route_pass = RoutePass(jump_pass_at(cell).max_pass);
}

void pass_main(ivec2 cell) {
    Route r = route_at(cell);
    Jump s = jump_at(cell);
    ivec2 end = grid_cell(s.pointer);
    if (route_at(end).receiver == NONE) {                     // reached a root
        pass_quiet(cell);
        return;
    }
    int cut = jump_at(end).min_pit;                           // the loop's smallest spilling pit
    if (cut == grid_index(cell)) { r.receiver = NONE; r.spill = NONE; }
    o_route = Route(r.receiver, r.spill, cut);
    o_route_pass = RoutePass(-BIG);
}

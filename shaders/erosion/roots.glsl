// shaders/erosion/roots.glsl — step 3: every cell's root, with loops cut. After erosion.jump a cell's
// pointer is the root of its tree (receiver -1) unless its path runs into a loop of stale spill edges
// (only spill edges can close one: D8 steps always go down). All N >= loop length steps after reaching
// the loop, the pointer state at any loop cell covers the whole loop, so its smallest spilling-pit
// index names the same pit for every cell that leads into that loop: that pit drops its spill (it is
// a lake with no outlet this tick) and is their root. The flow graph is then a forest (no cycles).
// Whether the pointer's end e is a root is read off e's jump state, the texel the cut needs anyway:
// a root points at itself with min_pit BIG_INDEX (erosion.receivers, kept by every jump), while a loop
// cell that points at itself has gone round its loop, which holds a spill edge, so min_pit < BIG_INDEX.
// Reads  route (erosion.receivers: receiver, spill), jump (erosion.jump: pointer, min_pit,
//        max_pass_bits: the bits of max_pass [m above datum]).
// Writes route: receiver (-1 at a root; a cut pit becomes one), spill (-1 none), root (cell index: the
//               river mouth at sea, or the lake's pit).
//        route_pass: pass_height = highest pass on the way to the root [m above datum] (-BIG none;
//               left unknown, -BIG, behind a cut).
// Sea cells (erosion.sea's mask) run pass_quiet alone (Pass.quiet, issue 16): a sea cell is a root
// (erosion.receivers: no receiver, jump (cell, BIG_INDEX, -BIG)), so its outputs need no texel.
#include "erosion/flow.glsl"

void pass_quiet(ivec2 cell) {
    o_route = Route(NONE, NONE, grid_index(cell));
    o_route_pass = RoutePass(-BIG);
}

void pass_main(ivec2 cell) {
    Route r = route_at(cell);
    Jump s = jump_at(cell);
    Jump e = jump_at(grid_cell(s.pointer));
    if (e.pointer == s.pointer && e.min_pit == BIG_INDEX) {   // reached a root: it, and the highest pass
        o_route = Route(r.receiver, r.spill, s.pointer);
        o_route_pass = RoutePass(intBitsToFloat(s.max_pass_bits));
        return;
    }
    int cut = e.min_pit;                                      // the loop's smallest spilling pit
    if (cut == grid_index(cell)) { r.receiver = NONE; r.spill = NONE; }
    o_route = Route(r.receiver, r.spill, cut);
    o_route_pass = RoutePass(-BIG);
}

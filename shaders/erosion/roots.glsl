// shaders/erosion/roots.glsl — step 3: every cell's root, with loops cut. After erosion.jump a cell's
// pointer is the root of its tree (receiver -1) unless its path runs into a loop of spill edges
// (stale records of changed terrain, or two lakes that picked the same pass; only spill edges can
// close one: D8 steps always go down). Then its pointer p is a loop cell whose segment covers the whole
// loop (N >= loop length steps after reaching it), or a cell that erosion.jump stopped on the loop (it
// points at itself with the loop's smallest spilling pit as min_pit; the cell itself, if stopped), so
// p's min_pit names the same pit for every cell that leads into that loop: that pit drops its spill (it
// is a lake with no outlet this tick) and is their root. The flow graph is then a forest (no cycles).
// Whether the pointer's end e is a root is read off e's jump state, the texel the cut needs anyway:
// a root points at itself with min_pit BIG_INDEX (erosion.receivers, kept by every jump), while a loop
// cell that points at itself has gone round its loop, which holds a spill edge, or was stopped on it,
// so min_pit < BIG_INDEX.
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

// shaders/erosion/jump.glsl — step 2, repeated ceil(log4(cells)) times: pointer jumping down the flow
// paths (Wyllie 1979; Hillis & Steele 1986). A run follows three pointers from the previous run's
// state, so a pointer that spanned L steps spans 4L: after ceil(log4 N) runs every pointer is at the
// root of its tree (a river mouth at sea, or a lake) — or, on a loop of spill edges (stale records of
// changed terrain, or two lakes that picked the same pass), somewhere on the loop, having gone round it
// at least once, or at a cell that stopped on the loop (below). Along the way the segment's smallest
// spilling-pit index (min) and highest pass (max) combine; both are associative.
// Loops stop early: a cell c whose first two segments ahead, [p, p') and [p', p'') for its pointer p,
// have the same smallest spilling pit q < BIG_INDEX points at itself from then on, with min_pit q and
// no pass (c, q, -BIG): what erosion.roots reads as "on a loop, cut at q" (a root has BIG_INDEX).
// On a path without a loop the two segments hold different cells, so that never happens there (those
// cells hop exactly as without the rule). Otherwise q lies on both, so the walk from p comes round to
// q again, and q is below every pit between its two visits, a whole turn of the loop: q is the smallest
// spilling pit of the loop that c leads into. (Where p' is such a stopped cell, its q is that loop's
// too.) A cell that hops onto a stopped cell stops there, as at a root: the pointers stop on loops.
// Reads/Writes jump: pointer (cell index), min_pit (smallest spilling-pit index on [cell, pointer),
//              BIG_INDEX none; at a cell stopped on a loop, the loop's), max_pass_bits (highest pass on
//              that segment [m above datum], -BIG none, as a float's bits: one texel fetch per hop; the
//              max is taken on the floats).
#include "erosion/flow.glsl"

void pass_main(ivec2 cell) {
    Jump s = jump_at(cell);
    int self = grid_index(cell);
    float max_pass = intBitsToFloat(s.max_pass_bits);
    // Hops stop early where they change nothing: a cell that points at itself (a root, with
    // (BIG_INDEX, -BIG), or a cell stopped on a loop) is a fixed point, and once a hop lands on a cell
    // p that points at itself, every further hop takes min and max with p's same values again. A loop
    // with a lane-varying count, not a fixed one: llvmpipe (the CPU backend) leaves a loop once no lane
    // is in it, so groups of roots (the sea) and of cells that have reached theirs skip all hops but
    // the first (a loop's first iteration runs even where no lane enters it: common/math.glsl).
    int hops = s.pointer == self ? 0 : 3;
    int first = NONE, second = BIG_INDEX;   // min_pit of the two segments ahead (as read; the loop test)
    for (int hop = 0; hop < hops; ++hop) {
        Jump next = jump_at(grid_cell(s.pointer));
        first = hop == 0 ? next.min_pit : first;
        second = hop == 1 ? next.min_pit : second;
        bool at_end = next.pointer == s.pointer;
        s = Jump(next.pointer, min(s.min_pit, next.min_pit), 0);
        max_pass = max(max_pass, intBitsToFloat(next.max_pass_bits));
        if (at_end) break;
    }
    // The loop rule (after the hops, not in them: a select, not a second way out of the loop): both
    // segments ahead were read and share their smallest spilling pit q.
    if (second == first && first != BIG_INDEX) {
        s = Jump(self, first, 0);
        max_pass = -BIG;
    }
    s.max_pass_bits = floatBitsToInt(max_pass);
    o_jump = s;
}

// Convergence stop (Pass.until): a cell is done when hopping on from its pointer p changes nothing:
// p points at itself (a root, a loop cell whose segment came round to it, or a cell stopped on a loop)
// and p's segment neither lowers min_pit nor raises max_pass. When every cell is done, every run is
// the identity (a fixed point), so the pipeline may stop there with the same bits as after all
// jump_runs(N) runs; the stopped cells make it come also where spill edges close a loop.
bool jump_done(ivec2 cell) {
    Jump s = jump_at(cell);
    Jump next = jump_at(grid_cell(s.pointer));
    return next.pointer == s.pointer && next.min_pit >= s.min_pit
        && intBitsToFloat(next.max_pass_bits) <= intBitsToFloat(s.max_pass_bits);
}

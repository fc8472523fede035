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

// One flat loop over the cells a run reads: the cell itself (the first iteration, which every cell needs:
// a do-while), then up to three hops from its pointer, one cell's texel an iteration. Hops stop early
// where they change nothing: a cell that points at itself (a root, with (BIG_INDEX, -BIG), or a cell
// stopped on a loop) is a fixed point, and once a hop lands on a cell p that points at itself, every
// further hop takes min and max with p's same values again. llvmpipe (the CPU backend) leaves a loop
// once no lane is in it, after its first iteration even where no lane enters (common/math.glsl): so a
// SIMD group of roots fetches its own cells only, and one of cells that have reached theirs one hop more.
// The kinds of iteration share the one fetch and differ in selects only. Issue 16: runs ~0.95x at
// 1024x512 against a fetch before a for loop with a break; Pass.redraw_done measured a wash here (a
// done cell still reads its own cell and its root: two fetches), so it stays off.
void pass_main(ivec2 cell) {
    int self = grid_index(cell);
    Jump s = Jump(self, BIG_INDEX, 0);      // before the first iteration: so it reads the cell itself
    float max_pass = -BIG;
    int first = NONE, second = BIG_INDEX;   // min_pit of the two segments ahead (as read; the loop test)
    int hop = 0;                            // 0: the cell itself; else the hop's number
    ivec2 at = cell;                        // the cell this iteration reads
    bool more;
    do {
        Jump next = jump_at(at);
        bool own = hop == 0;
        first = hop == 1 ? next.min_pit : first;
        second = hop == 2 ? next.min_pit : second;
        // On unless the cell read points at itself (s.pointer: the cell itself first), or was the third hop.
        more = next.pointer != s.pointer && hop < 3;
        s = Jump(next.pointer, min(s.min_pit, next.min_pit), 0);   // first: min with BIG_INDEX, its own
        float top = intBitsToFloat(next.max_pass_bits);
        max_pass = own ? top : max(max_pass, top);
        at = grid_cell(next.pointer);
        ++hop;
    } while (more);
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

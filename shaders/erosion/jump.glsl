// shaders/erosion/jump.glsl — step 2, repeated ceil(log4(cells)) times: pointer jumping down the flow
// paths (Wyllie 1979; Hillis & Steele 1986). A run follows three pointers from the previous run's
// state, so a pointer that spanned L steps spans 4L: after ceil(log4 N) runs every pointer is at the
// root of its tree (a river mouth at sea, or a lake) — or, on a loop of spill edges that changed
// terrain left behind, somewhere on the loop, having gone round it at least once. Along the way the
// segment's smallest spilling-pit index (min) and highest pass (max) combine; both are associative.
// Reads/Writes jump: pointer (cell index), min_pit (smallest spilling-pit index on [cell, pointer),
//              BIG_INDEX none), max_pass_bits (highest pass on that segment [m above datum], -BIG
//              none, as a float's bits: one texel fetch per hop; the max is taken on the floats).
#include "erosion/flow.glsl"

void pass_main(ivec2 cell) {
    Jump s = jump_at(cell);
    float max_pass = intBitsToFloat(s.max_pass_bits);
    // Hops stop early where they change nothing: a cell that points at itself (a root, with
    // (BIG_INDEX, -BIG)) is a fixed point, and once a hop lands on a cell p that points at itself,
    // every further hop takes min and max with p's same values again. A loop with a lane-varying
    // count, not a fixed one: llvmpipe (the CPU backend) leaves a loop once no lane is in it, so groups
    // of roots (the sea) and of cells that have reached theirs skip all hops but the first (a loop's
    // first iteration runs even where no lane enters it: common/math.glsl). Same bits.
    int hops = s.pointer == grid_index(cell) ? 0 : 3;
    for (int hop = 0; hop < hops; ++hop) {
        Jump next = jump_at(grid_cell(s.pointer));
        bool at_end = next.pointer == s.pointer;
        s = Jump(next.pointer, min(s.min_pit, next.min_pit), 0);
        max_pass = max(max_pass, intBitsToFloat(next.max_pass_bits));
        if (at_end) break;
    }
    s.max_pass_bits = floatBitsToInt(max_pass);
    o_jump = s;
}

// Convergence stop (Pass.until): a cell is done when hopping on from its pointer p changes nothing:
// p points at itself (a root, or a loop cell whose segment came round to it) and p's segment neither
// lowers min_pit nor raises max_pass. When every cell is done, every run is the identity (a fixed
// point), so the pipeline may stop there with the same bits as after all jump_runs(N) runs.
bool jump_done(ivec2 cell) {
    Jump s = jump_at(cell);
    Jump next = jump_at(grid_cell(s.pointer));
    return next.pointer == s.pointer && next.min_pit >= s.min_pit
        && intBitsToFloat(next.max_pass_bits) <= intBitsToFloat(s.max_pass_bits);
}

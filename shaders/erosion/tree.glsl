// shaders/erosion/tree.glsl — step 4: the flow forest as binary trees for tree contraction, and what
// each cell puts in. The children of a cell x, in slot order s = 3k + i (k = 0..7): i = 0 is the
// neighbour n_k = x + GRID_D8[k] when its receiver is x by a D8 step; i = 1, 2 is the pit named by
// n_k's mark1 / mark2 when that pit's lake spills into x over n_k (its route: receiver x, spill k).
// (A cell can be the pass of two spills: a lake spilling into its neighbour, and the merged lake
// spilling on.) With up to 24 children, each tree is written in left-child / right-sibling form
// (Knuth, TAOCP vol. 1, §2.3.2): the binary tree's two children are the first child and the next
// sibling, and F(v) = r(v) + F(first child) + F(next sibling) sums r over v's own subtree and its
// later siblings' subtrees; the drainage of v is A(v) = r(v) + F(first child of v) (erosion.collect).
// erosion.contract evaluates F with pending pointers, which start at those two children.
// r(v) (erosion/inputs.glsl): area [km²] and rain discharge [m³/s] on land (0 at sea), released
// sediment [km³]; and the Borůvka candidate for the lakes: the lowest pass max(z_v, z_n) from v to a
// neighbour n in another tree, tagged with v's index (the contraction keeps the lowest such pair).
// Reads  route (erosion.roots: receiver, spill, root), lakes (mark1, mark2), terrain (bedrock z [m],
//        sea_level [m]), sediment, precipitation (optional: erosion/inputs.glsl).
// Writes tree_sums: area [km²], discharge [m³/s], sediment [km³] = r(v); low_pass = candidate pass
//        [m above datum] (BIG none).
//        tree_links: pending1 = first child, pending2 = next sibling (cell indices, NONE = -1);
//        low_cell = the candidate's cell index (BIG_INDEX none); first_child (for erosion.collect).
// Cost (llvmpipe, the CPU backend, runs both sides of every if in a SIMD group, but leaves a loop once
// no lane is in it): each cell fetches its neighbours' routes and lakes once, its receiver's
// neighbours' up to the next D8 sibling in one loop, and the rare look-ups (a neighbour's height at a
// tree's edge, a marked neighbour's pit, from the marks' codes kept) are loops over set bits.
// Open sea (erosion.quiet's mask: sea here and at the 8 neighbours, no lake's mark among them) runs
// pass_quiet (Pass.quiet, issue 16): no child, no receiver, no pass; only the sediment it releases.
#include "erosion/inputs.glsl"

// The first child of x (index xp) among the marked spill slots m (bits 2k + i - 1 for slot 3k + i,
// i = 1, 2: mark i of n_k = x + GRID_D8[k] is set, its offset code codes[2k + i - 1]), in slot
// order, or NONE: the pit named by mark i of n_k when that pit's lake spills into x over n_k (its
// route: receiver x, spill k). A loop over the set bits, not a test of every slot: llvmpipe (the CPU
// backend) runs both sides of every if, but leaves a loop that no lane of a SIMD group is still in,
// so the groups without a marked neighbour (nearly all) fetch one pit's route (the first iteration).
int spill_child(ivec2 x, int xp, int m, int codes[16]) {
    int c = NONE;
    for (; m != 0 && c == NONE; m &= m - 1) {
        int bit = lowest_bit(m), k = bit >> 1;
        ivec2 pit = offset_target(grid_wrap_near(x + GRID_D8[k]), codes[bit]);
        Route rp = route_at(pit);
        if (rp.receiver == xp && rp.spill == k) c = grid_index(pit);
    }
    return c;
}

// The next sibling of a cell: the first child of its receiver x (index xp) in a slot after the
// cell's own s0 = 3k + i there, or NONE. la: the lakes of n_k, x's neighbour k (the cell itself, or
// the pass cell of its spill). The first D8 child n_k' (slot 3k' > s0) unless a spill child comes
// before it (the same child as a search through the slots in order). One loop fetches both the route
// and the lakes of each n_k' in turn (llvmpipe, the CPU backend, leaves a loop once no lane of a SIMD
// group is still in it, so a group fetches as many as its widest range needs), keeping the marked
// spill slots (bits 2k' + i - 1) and their codes; then only the lanes with marked slots look at pits.
int next_sibling(ivec2 x, int xp, int k, int i, Lakes la, bool has) {
    int codes[16];
    int m = 0, d8 = 8;                      // d8: k' of the first D8 child after slot s0 (8: none)
    codes[2 * k] = la.mark1;
    codes[2 * k + 1] = la.mark2;
    if (la.mark1 >= 0 && i == 0) m |= 1 << (2 * k);
    if (la.mark2 >= 0 && i <= 1) m |= 2 << (2 * k);
    for (int kk = k + 1; kk < (has ? 8 : 0) && d8 == 8; ++kk) {
        ivec2 n = grid_wrap_near(x + GRID_D8[kk]);
        Route rn = route_at(n);
        Lakes ln = lakes_at(n);
        codes[2 * kk] = ln.mark1;
        codes[2 * kk + 1] = ln.mark2;
        if (rn.receiver == xp && rn.spill < 0) d8 = kk;
        else m |= (ln.mark1 >= 0 ? 1 << (2 * kk) : 0) | (ln.mark2 >= 0 ? 2 << (2 * kk) : 0);
    }
    int c = spill_child(x, xp, m, codes);
    return c != NONE || d8 == 8 ? c : grid_index(grid_wrap_near(x + GRID_D8[d8]));
}

// An open-sea cell: a root without children (erosion.quiet), so F(v) = r(v) = its released sediment.
void pass_quiet(ivec2 cell) {
    o_tree_sums = TreeSums(0.0, 0.0, own_inputs(cell, false).z, BIG);
    o_tree_links = TreeLinks(NONE, NONE, BIG_INDEX, NONE);
}

void pass_main(ivec2 cell) {
    Terrain t = terrain_at(cell);
    Route r = route_at(cell);
    bool land = t.bedrock > t.sea_level;
    vec3 own = own_inputs(cell, land);
    int self = grid_index(cell);
    // One look at each neighbour's route and lakes: this cell's first D8 child, the neighbours in
    // another tree (bits k), and the marked spill slots.
    int other = 0, d8 = 8;              // d8: k of the first D8 child (8: none)
    int marked = 0, codes[16];          // marks set at n_k: bits 2k + i - 1, codes as in spill_child
    for (int k = 0; k < 8; ++k) {
        ivec2 n = grid_wrap_near(cell + GRID_D8[k]);
        Route rn = route_at(n);
        Lakes ln = lakes_at(n);
        if (rn.root != r.root) other |= 1 << k;
        if (d8 == 8 && rn.receiver == self && rn.spill < 0) d8 = k;
        codes[2 * k] = ln.mark1;
        codes[2 * k + 1] = ln.mark2;
        marked |= (ln.mark1 >= 0 ? 1 << (2 * k) : 0) | (ln.mark2 >= 0 ? 2 << (2 * k) : 0);
    }
    // The lowest way out of this cell's tree through this cell (on land): the min over the neighbours
    // in another tree of max(z_v, z_n), in k order (a loop over the set bits, as in spill_child).
    float pass_height = BIG;
    for (int m = land ? other : 0; m != 0; m &= m - 1) {
        int k = lowest_bit(m);
        pass_height = min(pass_height, max(t.bedrock, terrain_at(grid_wrap_near(cell + GRID_D8[k])).bedrock));
    }
    // First child: a spill child in a slot before the first D8 child's, else that D8 child.
    int first = spill_child(cell, self, marked & ((1 << (2 * d8)) - 1), codes);
    if (first == NONE && d8 < 8) first = grid_index(grid_wrap_near(cell + GRID_D8[d8]));
    // Next sibling: the next child of this cell's receiver x after this cell's own slot 3k + i there.
    bool has = r.receiver != NONE;
    ivec2 x = grid_cell(has ? r.receiver : self);
    int k = max(r.spill < 0 ? grid_step_to(x, cell) : r.spill, 0);
    ivec2 a = grid_wrap_near(x + GRID_D8[k]);
    Lakes la = lakes_at(a);
    int i = r.spill >= 0 ? (la.mark1 >= 0 && offset_target(a, la.mark1) == cell ? 1 : 2) : 0;
    int next = has ? next_sibling(x, r.receiver, k, i, la, has) : NONE;
    o_tree_sums = TreeSums(own.x, own.y, own.z, pass_height);
    o_tree_links = TreeLinks(first, next, pass_height < BIG ? self : BIG_INDEX, first);
}

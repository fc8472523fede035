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
#include "erosion/inputs.glsl"

// The child of x (index xp) in slot 3k + i, or NONE; rn = route(n_k), ln = lakes(n_k).
int child_in_slot(int xp, ivec2 n, int k, int i, Route rn, Lakes ln) {
    if (i == 0) return (rn.receiver == xp && rn.spill < 0) ? grid_index(n) : NONE;
    int mark = i == 1 ? ln.mark1 : ln.mark2;
    if (mark < 0) return NONE;
    ivec2 pit = offset_target(n, mark);
    Route rp = route_at(pit);
    return (rp.receiver == xp && rp.spill == k) ? grid_index(pit) : NONE;
}

const Lakes NO_LAKES = Lakes(NONE, NONE, NONE, NONE);   // slot i = 0 does not read n_k's lakes

// The first child of x in a slot after s0, or NONE. (n_k's lakes are fetched only when a spill slot,
// i = 1 or 2, is still to be looked at: most cells find their D8 child first.)
int child_after(ivec2 x, int s0) {
    int xp = grid_index(x);
    for (int k = (s0 + 1) / 3; k < 8; ++k) {
        ivec2 n = grid_wrap_near(x + GRID_D8[k]);
        Route rn = route_at(n);
        int i0 = max(s0 + 1 - 3 * k, 0);
        if (i0 == 0) {
            int c = child_in_slot(xp, n, k, 0, rn, NO_LAKES);
            if (c != NONE) return c;
            i0 = 1;
        }
        Lakes ln = lakes_at(n);
        for (int i = i0; i < 3; ++i) {
            int c = child_in_slot(xp, n, k, i, rn, ln);
            if (c != NONE) return c;
        }
    }
    return NONE;
}

void pass_main(ivec2 cell) {
    Terrain t = terrain_at(cell);
    Route r = route_at(cell);
    bool land = t.bedrock > t.sea_level;
    vec3 own = own_inputs(cell, land);
    // One look at each neighbour: the lowest way out of this cell's tree through this cell, and this
    // cell's first child.
    float pass_height = BIG;
    int first = NONE, self = grid_index(cell);
    for (int k = 0; k < 8; ++k) {
        ivec2 n = grid_wrap_near(cell + GRID_D8[k]);
        Route rn = route_at(n);
        if (land && rn.root != r.root) pass_height = min(pass_height, max(t.bedrock, terrain_at(n).bedrock));
        if (first != NONE) continue;
        first = child_in_slot(self, n, k, 0, rn, NO_LAKES);
        if (first != NONE) continue;
        Lakes ln = lakes_at(n);
        for (int i = 1; i < 3 && first == NONE; ++i) first = child_in_slot(self, n, k, i, rn, ln);
    }
    // Next sibling: the next child of this cell's receiver x after this cell's own slot there.
    int next = NONE;
    if (r.receiver != NONE) {
        ivec2 x = grid_cell(r.receiver);
        int k = r.spill < 0 ? grid_step_to(x, cell) : r.spill, i = 0;
        if (r.spill >= 0) {
            ivec2 a = grid_wrap_near(x + GRID_D8[k]);
            int mark1 = lakes_at(a).mark1;
            i = mark1 >= 0 && offset_target(a, mark1) == cell ? 1 : 2;
        }
        next = child_after(x, 3 * k + i);
    }
    o_tree_sums = TreeSums(own.x, own.y, own.z, pass_height);
    o_tree_links = TreeLinks(first, next, pass_height < BIG ? self : BIG_INDEX, first);
}

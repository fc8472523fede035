// shaders/erosion/tree.glsl — step 4: the flow forest as binary trees for tree contraction, and what
// each cell puts in. The children of a cell x, in slot order s = 3k + i (k = 0..7): i = 0 is the
// neighbour n_k = x + GRID_D8[k] when its receiver is x by a D8 step; i = 1, 2 is the pit named by
// n_k's first / second mark when that pit's lake spills into x over n_k (its route: receiver x, pass
// direction k). (A cell can be the pass of two spills: a lake spilling into its neighbour, and the
// merged lake spilling on.) With up to 24 children, each tree is written in left-child /
// right-sibling form (Knuth, TAOCP vol. 1, §2.3.2): t1 = first child, t2 = next sibling. In that
// binary tree F(v) = r(v) + F(t1) + F(t2) sums r over v's own subtree and its later siblings'
// subtrees, and the drainage of v is A(v) = r(v) + F(first child of v) (erosion.collect).
// r(v) (erosion/inputs.glsl): area [km²] and rain discharge [m³/s] on land (0 at sea), released
// sediment [km³]; and the Borůvka candidate for the lakes: the lowest pass max(z_v, z_n) from v to a
// neighbour n in another tree, tagged with v's index (the contraction keeps the lowest such pair).
// Reads  route (erosion.roots: r = receiver, g = spill direction, b = root), lakes (b, a = marks),
//        terrain (r = z [m], g = sea level [m]), sediment, precipitation (optional: erosion/inputs.glsl).
// Writes tree_a: r = area [km²], g = discharge [m³/s], b = t1, a = t2 (cell indices, NONE = -1).
//        tree_b: r = sediment [km³], g = candidate pass [m above datum] (BIG none), b = its cell index
//        (BIG none), a = first child (kept unchanged for erosion.collect).
#include "erosion/inputs.glsl"

uniform sampler2D t_route;
uniform sampler2D t_lakes;
uniform sampler2D t_terrain;

// The child of x (index xp) in slot 3k + i, or NONE; rn = route(n_k).rg, marks = lakes(n_k).ba.
float child_in_slot(float xp, ivec2 n, int k, int i, vec2 rn, vec2 marks) {
    if (i == 0) return (rn.x == xp && rn.y < 0.0) ? cell_ptr(n) : NONE;
    float mark = marks[i - 1];
    if (mark < 0.0) return NONE;
    ivec2 pit = offset_target(n, mark);
    vec2 rp = texelFetch(t_route, pit, 0).rg;
    return (rp.x == xp && int(rp.y) == k) ? cell_ptr(pit) : NONE;
}

// The first child of x in a slot after s0, or NONE.
float child_after(ivec2 x, int s0) {
    float xp = cell_ptr(x);
    for (int k = (s0 + 1) / 3; k < 8; ++k) {
        ivec2 n = grid_wrap_near(x + GRID_D8[k]);
        vec2 rn = texelFetch(t_route, n, 0).rg, marks = texelFetch(t_lakes, n, 0).ba;
        for (int i = max(s0 + 1 - 3 * k, 0); i < 3; ++i) {
            float c = child_in_slot(xp, n, k, i, rn, marks);
            if (c != NONE) return c;
        }
    }
    return NONE;
}

void pass_main(ivec2 cell) {
    vec2 t = texelFetch(t_terrain, cell, 0).rg;
    vec4 r = texelFetch(t_route, cell, 0);
    bool land = t.r > t.g;
    vec3 own = own_inputs(cell, land);
    // One look at each neighbour: the lowest way out of this cell's tree through this cell, and this
    // cell's first child.
    float pass_height = BIG, first = NONE, self = cell_ptr(cell);
    for (int k = 0; k < 8; ++k) {
        ivec2 n = grid_wrap_near(cell + GRID_D8[k]);
        vec4 rn = texelFetch(t_route, n, 0);
        if (land && rn.b != r.b) pass_height = min(pass_height, max(t.r, texelFetch(t_terrain, n, 0).r));
        vec2 marks = texelFetch(t_lakes, n, 0).ba;
        for (int i = 0; i < 3 && first == NONE; ++i) first = child_in_slot(self, n, k, i, rn.rg, marks);
    }
    // Right sibling: the next child of this cell's receiver x after this cell's own slot there.
    float next = NONE;
    if (r.r != NONE) {
        ivec2 x = ptr_cell(r.r);
        int k = r.g < 0.0 ? grid_step_to(x, cell) : int(r.g), i = 0;
        if (r.g >= 0.0) {
            float first_mark = texelFetch(t_lakes, grid_wrap_near(x + GRID_D8[k]), 0).b;
            i = first_mark >= 0.0 && offset_target(grid_wrap_near(x + GRID_D8[k]), first_mark) == cell ? 1 : 2;
        }
        next = child_after(x, 3 * k + i);
    }
    o_tree_a = vec4(own.x, own.y, first, next);
    o_tree_b = vec4(own.z, pass_height, pass_height < BIG ? self : BIG, first);
}

// shaders/erosion/collect.glsl — step 6: drainage, basins and lakes from the contracted trees.
// Drainage A(v) = r(v) + F(first child): upstream area [km²] and discharge [m³/s] including the cell,
// and the sediment [km³] arriving at a root. Basin: the root of the cell's tree (its river mouth at
// sea, or a lake's pit). Fill and spill: a cell lies under a lake when it is below the highest pass
// on its way to the root, or below its root lake's own spill height (the lowest pass out of the tree).
// Each land root then records that lowest pass (a, b) — one step of Borůvka's minimum spanning tree
// over the basins, as in the depression routing of Cordonnier, Bovy & Braun, "A versatile, linear
// complexity algorithm for flow routing in topographies with depressions" (ESurf 7, 2019): from the
// next tick its lake spills into b, trees merge, and merged trees pick again until all reach the sea.
// Reads  tree_a, tree_b (contracted), route (erosion.roots), terrain (r = z, g = sea level), lakes,
//        sediment, precipitation (optional: erosion/inputs.glsl).
// Writes drainage: r = drainage area [km²], g = discharge [m³/s], b = basin (root cell index),
//                  a = lake depth [m] (0 where dry, and at sea).
//        lakes: r = spill target b (offset code, -1 none), g = pass direction b -> a; b, a = marks,
//               unchanged (erosion.incise sets them).
//        sediment: r unchanged, g = b = 0, a = sediment arriving here if this cell is a root [km³].
#include "erosion/inputs.glsl"

uniform sampler2D t_tree_a;
uniform sampler2D t_tree_b;
uniform sampler2D t_route;
uniform sampler2D t_terrain;
uniform sampler2D t_lakes;

float z_at(ivec2 c) { return texelFetch(t_terrain, c, 0).r; }

void pass_main(ivec2 cell) {
    vec2 t = texelFetch(t_terrain, cell, 0).rg;
    vec4 r = texelFetch(t_route, cell, 0);
    vec4 b = texelFetch(t_tree_b, cell, 0);
    bool land = t.r > t.g;
    vec3 drained = own_inputs(cell, land);
    if (b.a != NONE)
        drained += vec3(texelFetch(t_tree_a, ptr_cell(b.a), 0).rg, texelFetch(t_tree_b, ptr_cell(b.a), 0).r);
    // Lake surface: the highest pass on the way down, and a land root's own spill height.
    ivec2 root = ptr_cell(r.b);
    vec2 tr = texelFetch(t_terrain, root, 0).rg;
    float surface = r.a;
    float spill = texelFetch(t_tree_b, root, 0).g;
    if (tr.r > tr.g && spill < BIG) surface = max(surface, spill);
    o_drainage = vec4(drained.xy, r.b, land ? max(surface - t.r, 0.0) : 0.0);
    // Spill records.
    vec4 lk = texelFetch(t_lakes, cell, 0);
    o_lakes = vec4(NONE, -1.0, lk.ba);
    if (land && r.r == NONE && b.g < BIG) {
        // A lake with no outlet: record its tree's lowest pass, from cell a to its lowest neighbour
        // across the tree's edge (the rule of erosion.tree, so the same b).
        ivec2 a = ptr_cell(b.b);
        float root_a = texelFetch(t_route, a, 0).b, best = BIG;
        ivec2 out_b = a;
        for (int k = 0; k < 8; ++k) {
            ivec2 n = grid_wrap_near(a + GRID_D8[k]);
            float h = max(z_at(a), z_at(n));
            if (texelFetch(t_route, n, 0).b != root_a && h < best) { best = h; out_b = n; }
        }
        o_lakes.rg = vec2(offset_code(cell, out_b), float(grid_step_to(out_b, a)));
    } else if (r.g >= 0.0) {
        o_lakes.rg = lk.rg;   // a lake that spills keeps its record
    }
    o_sediment = vec4(texelFetch(t_sediment, cell, 0).r, 0.0, 0.0, r.r == NONE ? drained.z : 0.0);
}

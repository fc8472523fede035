// shaders/erosion/collect.glsl — step 6: drainage, basins and lakes from the contracted trees.
// Drainage A(v) = r(v) + F(first child): upstream area [km²] and discharge [m³/s] including the cell,
// and the sediment [km³] arriving at a root. Basin: the root of the cell's tree (its river mouth at
// sea, or a lake's pit). Fill and spill: a cell lies under a lake when it is below the highest pass
// on its way to the root, or below its root lake's own spill height (the lowest pass out of the tree).
// Each land root then records that lowest pass (a, b) — one step of Borůvka's minimum spanning tree
// over the basins, as in the depression routing of Cordonnier, Bovy & Braun, "A versatile, linear
// complexity algorithm for flow routing in topographies with depressions" (ESurf 7, 2019): from the
// next tick its lake spills into b, trees merge, and merged trees pick again until all reach the sea.
// Reads  tree_sums, tree_links (contracted), route (erosion.roots: receiver, spill, root), route_pass
//        (pass_height [m]), terrain (bedrock z, sea_level), lakes, sediment, precipitation (optional:
//        erosion/inputs.glsl).
// Writes drainage: area = drainage area [km²], discharge [m³/s], lake_depth [m] (0 where dry, at sea),
//               arrived = sediment arriving here if this cell is a root [km³] (0 elsewhere; erosion.incise
//               copies it to sediment.arrived: sediment is not an output here, one colour attachment
//               less per cell on llvmpipe, issue 16).
//        basins: basin = the root's cell index.
//        lakes: target (spill target b, offset code, -1 none), direction (b -> a, -1 none); mark1,
//               mark2 unchanged (erosion.incise sets them).
// Open sea (erosion.quiet's mask) runs pass_quiet (Pass.quiet, issue 16): a root without children.
#include "erosion/inputs.glsl"

// An open-sea cell (erosion.quiet: sea, no children, no mark): no drainage, no lake, its own basin;
// its released sediment arrives at itself. One fetch (issue 16): its marks are -1 (the mask's test),
// and its root is itself (a sea cell points at itself from erosion.receivers on, so erosion.roots
// gives it itself).
void pass_quiet(ivec2 cell) {
    o_drainage = Drainage(0.0, 0.0, 0.0, own_inputs(cell, false).z);
    o_basins = Basins(grid_index(cell));
    o_lakes = Lakes(NONE, NONE, NONE, NONE);
}

void pass_main(ivec2 cell) {
    Terrain t = terrain_at(cell);
    Route r = route_at(cell);
    TreeLinks links = tree_links_at(cell);
    bool land = t.bedrock > t.sea_level;
    vec3 drained = own_inputs(cell, land);
    if (links.first_child != NONE) {
        TreeSums f = tree_sums_at(grid_cell(links.first_child));
        drained += vec3(f.area, f.discharge, f.sediment);
    }
    // The root's lowest pass out of its tree, its spill height.
    ivec2 root = grid_cell(r.root);
    float spill_low = tree_sums_at(root).low_pass;
    // Spill records.
    Lakes lk = lakes_at(cell);
    o_lakes = Lakes(NONE, NONE, lk.mark1, lk.mark2);
    if (r.spill >= 0) {
        o_lakes.target = lk.target;   // a lake that spills keeps its record
        o_lakes.direction = lk.direction;
    }
    // A lake with no outlet (a land root: its root is itself, so spill_low is its own low_pass):
    // record its tree's lowest pass, from cell a to its lowest neighbour across the tree's edge (the
    // rule of erosion.tree, so the same b). One flat loop: first (k = -1) the terrain at a, or at the
    // root for the other cells (the lake surface needs it; a record's root is the cell itself), then
    // a's 8 neighbours: llvmpipe runs an if's body in every SIMD group, but a loop only while a lane
    // is in it (its first iteration always), so the groups without such a lake fetch one cell.
    bool record = land && r.receiver == NONE && spill_low < BIG;
    ivec2 a = record ? grid_cell(links.low_cell) : root;
    Terrain tr = t;
    int root_a = NONE;
    float z_a = 0.0, best = BIG;
    ivec2 out_b = a;
    int k = -1;
    do {
        ivec2 n = k < 0 ? a : grid_wrap_near(a + GRID_D8[k]);
        Terrain tn = terrain_at(n);
        int root_n = route_at(n).root;
        if (k < 0) { z_a = tn.bedrock; root_a = root_n; tr = record ? t : tn; }
        float h = max(z_a, tn.bedrock);
        if (k >= 0 && root_n != root_a && h < best) { best = h; out_b = n; }
    } while (++k < (record ? 8 : 0));
    if (record) {
        o_lakes.target = offset_code(cell, out_b);
        o_lakes.direction = grid_step_to(out_b, a);
    }
    // Lake surface (on land; no lake at sea): the highest pass on the way down, and a land root's own
    // spill height.
    float lake_depth = 0.0;
    if (land) {
        float surface = route_pass_at(cell).pass_height;
        if (tr.bedrock > tr.sea_level && spill_low < BIG) surface = max(surface, spill_low);
        lake_depth = max(surface - t.bedrock, 0.0);
    }
    o_drainage = Drainage(drained.x, drained.y, lake_depth, r.receiver == NONE ? drained.z : 0.0);
    o_basins = Basins(r.root);
}

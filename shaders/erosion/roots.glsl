// shaders/erosion/roots.glsl — step 3: every cell's root, with loops cut. After erosion.jump a cell's
// pointer is the root of its tree (receiver -1) unless its path runs into a loop of stale spill edges
// (only spill edges can close one: D8 steps always go down). All N >= loop length steps after reaching
// the loop, the pointer state at any loop cell covers the whole loop, so its smallest spilling-pit
// index names the same pit for every cell that leads into that loop: that pit drops its spill (it is
// a lake with no outlet this tick) and is their root. The flow graph is then a forest (no cycles).
// Reads  route (erosion.receivers), jump (erosion.jump).
// Writes route: r = receiver (-1 at a root; a cut pit becomes one), g = pass direction of a spill (-1
//               none), b = root (cell index: the river mouth at sea, or the lake's pit), a = highest pass
//               on the way to the root [m above datum] (-BIG none; left unknown, -BIG, behind a cut).
#include "erosion/flow.glsl"

uniform sampler2D t_route;
uniform sampler2D t_jump;

void pass_main(ivec2 cell) {
    vec4 r = texelFetch(t_route, cell, 0);
    vec4 s = texelFetch(t_jump, cell, 0);
    if (texelFetch(t_route, ptr_cell(s.r), 0).r == NONE) {     // reached a root
        o_route = vec4(r.rg, s.r, s.b);
        return;
    }
    float cut = texelFetch(t_jump, ptr_cell(s.r), 0).g;       // the loop's smallest spilling pit
    if (cut == cell_ptr(cell)) r.rg = vec2(NONE, -1.0);
    o_route = vec4(r.rg, cut, -BIG);
}

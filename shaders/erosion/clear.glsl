// shaders/erosion/clear.glsl — init: the erosion fields before the first routing. No lake has a spill
// record or a mark yet (every pit starts as a lake with no outlet), no sediment is on its way, and the
// scratch fields of the routing hold "no pointer" (erosion.receivers and the passes after it rebuild
// them every tick).
// Writes route, jump, tree_a, tree_b: no pointers (-1) and zero sums; drainage: 0;
//        sediment: 0 [km³]; lakes: r = g = -1 (no spill record), b = a = -1 (no marks).
#include "erosion/flow.glsl"

void pass_main(ivec2 cell) {
    o_route = vec4(NONE, -1.0, cell_ptr(cell), -BIG);
    o_jump = vec4(cell_ptr(cell), BIG, -BIG, 0.0);
    o_tree_a = vec4(0.0, 0.0, NONE, NONE);
    o_tree_b = vec4(0.0, BIG, BIG, NONE);
    o_drainage = vec4(0.0, 0.0, cell_ptr(cell), 0.0);
    o_sediment = vec4(0.0);
    o_lakes = vec4(NONE, -1.0, NONE, NONE);
}

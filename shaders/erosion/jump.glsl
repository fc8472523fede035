// shaders/erosion/jump.glsl — step 2, repeated ceil(log4(cells)) times: pointer jumping down the flow
// paths (Wyllie 1979; Hillis & Steele 1986). A run follows three pointers from the previous run's
// state, so a pointer that spanned L steps spans 4L: after ceil(log4 N) runs every pointer is at the
// root of its tree (a river mouth at sea, or a lake) — or, on a loop of spill edges that changed
// terrain left behind, somewhere on the loop, having gone round it at least once. Along the way the
// segment's smallest spilling-pit index (min) and highest pass (max) combine; both are associative.
// Reads/Writes jump: r = pointer (cell index), g = smallest spilling-pit index on [cell, pointer)
//              (BIG none), b = highest pass on that segment [m above datum] (-BIG none), a = 1 at sea.
#include "erosion/flow.glsl"

uniform sampler2D t_jump;

void pass_main(ivec2 cell) {
    vec4 s = texelFetch(t_jump, cell, 0);
    for (int hop = 0; hop < 3; ++hop) {
        // A root points at itself with (BIG, -BIG), so hopping on from it changes nothing.
        vec4 next = texelFetch(t_jump, ptr_cell(s.r), 0);
        s = vec4(next.r, min(s.g, next.g), max(s.b, next.b), s.a);
    }
    o_jump = s;
}

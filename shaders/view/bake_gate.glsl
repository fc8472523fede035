// shaders/view/bake_gate.glsl — vertex stage of a gated bake-alpha pass (planet.view; Overlay.bake_gate).
// One instanced quad (a 4-vertex triangle strip) per block of BAKE_BLOCK x BAKE_BLOCK grid cells, in the
// bake's own coordinates (the whole bake spans the grid: NDC x = 2 i / W - 1, y = 2 j / H - 1). The quad
// is drawn only if BAKE_GATE(c) > 0 in some cell c of the block or of the one-cell ring around it (the
// cells a bilinear sample anywhere in the block reads, poles crossed by grid_wrap_near); else it
// collapses to a point outside the viewport and no fragment runs there. The overlay promises its bake
// function is 0 where every cell of the stencil has gate <= 0, which is exactly what the main bake pass
// left in the alpha there (view/map.glsl, BAKE_ALPHA_GATED): the picture is the same, minus the work.
// Reads the overlay's fields through BAKE_GATE (a generated #define). Outputs gl_Position only.
#include "common/grid.glsl"

void main() {
    int blocks_x = (u_grid.x + BAKE_BLOCK - 1) / BAKE_BLOCK;
    ivec2 c0 = BAKE_BLOCK * ivec2(gl_InstanceID % blocks_x, gl_InstanceID / blocks_x);
    // Some cell of the block or its ring has gate > 0: the bake function may be non-zero in the block.
    bool open = false;
    for (int j = -1; j <= BAKE_BLOCK; ++j) {
        for (int i = -1; i <= BAKE_BLOCK; ++i) {
            ivec2 c = grid_wrap_near(c0 + ivec2(i, j));
            open = open || BAKE_GATE(c) > 0.0;
        }
    }
    // Strip corners 0..3: (0, 0), (1, 0), (0, 1), (1, 1) of the block, clipped to the grid.
    vec2 corner = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
    vec2 cell = min(vec2(c0) + corner * float(BAKE_BLOCK), vec2(u_grid));
    gl_Position = open ? vec4(2.0 * cell / vec2(u_grid) - 1.0, 0.0, 1.0) : vec4(-2.0, -2.0, 0.0, 1.0);
}

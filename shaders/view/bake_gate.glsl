// shaders/view/bake_gate.glsl — vertex stage of a gated bake-alpha pass (planet.view; Overlay.bake_gate).
// One point (instanced) per block of BAKE_BLOCK x BAKE_BLOCK grid cells, in the bake's own coordinates (the
// whole bake spans the grid: NDC x = 2 i / W - 1, y = 2 j / H - 1; W and H multiples of BAKE_BLOCK). The point
// is drawn only if BAKE_GATE(c) > 0 in some cell c of the block or of the one-cell ring around it (the
// cells a bilinear sample anywhere in the block reads, poles crossed by grid_wrap_near); else it
// sits outside the viewport and no fragment runs there. The overlay promises its bake
// function is 0 where every cell of the stencil has gate <= 0, which is exactly what the main bake pass
// left in the alpha there (view/map.glsl, BAKE_ALPHA_GATED): the picture is the same, minus the work.
// With BAKE_GATE_CLOSED it draws the complement, the blocks the gate keeps closed (a layer's cold blocks,
// Layer.cold_gate, drawn with its cheaper BAKE_COLD program; the open ones with the whole one): each texel
// is drawn by exactly one of the two. BAKE_RING (default 1) widens the ring the gate reads.
// Reads the fields of BAKE_GATE (a generated #define). Outputs gl_Position only.
#include "common/grid.glsl"

#ifndef BAKE_RING
#define BAKE_RING 1   // [cells] the ring around a block whose cells the gate reads (2: a cubic stencil's reach)
#endif

uniform vec2 u_size;   // the bake's size [texels]

void main() {
    int blocks_x = (u_grid.x + BAKE_BLOCK - 1) / BAKE_BLOCK;
    ivec2 c0 = BAKE_BLOCK * ivec2(gl_InstanceID % blocks_x, gl_InstanceID / blocks_x);
    // Some cell of the block or its ring has gate > 0: the bake function may be non-zero in the block.
    bool open = false;
    for (int j = -BAKE_RING; j < BAKE_BLOCK + BAKE_RING; ++j) {
        for (int i = -BAKE_RING; i < BAKE_BLOCK + BAKE_RING; ++i) {
            ivec2 c = grid_wrap_near(c0 + ivec2(i, j));
            open = open || BAKE_GATE(c) > 0.0;
        }
    }
    // One square point per block, BAKE_BLOCK cells (k BAKE_BLOCK texels) wide, centred on the block: a CPU
    // rasterizer draws a point as one rectangle (two triangles would shade the 4 x 4 pixel tiles along
    // their shared diagonal twice: 25 % more time). Its centre sits on a texel corner, so it covers exactly
    // the block's texels.
    vec2 centre = vec2(c0) + 0.5 * float(BAKE_BLOCK);
    gl_PointSize = float(BAKE_BLOCK) * u_size.x / float(u_grid.x);
#ifdef BAKE_GATE_CLOSED
    bool drawn = !open;   // the complement: the blocks the gate keeps closed (a layer's cold blocks)
#else
    bool drawn = open;
#endif
    gl_Position = drawn ? vec4(2.0 * centre / vec2(u_grid) - 1.0, 0.0, 1.0) : vec4(-2.0, -2.0, 0.0, 1.0);
}

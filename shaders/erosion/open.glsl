// shaders/erosion/open.glsl — the open sea's cells, one value each, for erosion.quiet's mask (issue 16).
// A cell counts when it is sea (bedrock <= sea_level) and carries no lake's mark (mark1 = mark2 = -1,
// offset codes that erosion.incise sets on a lake's pass cell); erosion.quiet then takes the minimum
// over the 3 x 3 cells around each cell. On llvmpipe (the CPU backend) texel fetches dominate: the
// mask reading these 9 one-channel values (~10 ms at 1024x512) and this pass (2 fetches, ~5 ms) cost
// less than the mask fetching terrain and lakes at all 9 cells (18 fetches, ~24 ms). Drawn from the
// terrain and lakes as they are when the routing starts (right before erosion.quiet).
// Reads  terrain: bedrock, sea_level [m above the bedrock datum]; lakes: mark1, mark2 (-1 none).
// Writes open_sea: open = 1 where the cell is sea and unmarked, else 0.
#include "erosion/flow.glsl"

void pass_main(ivec2 cell) {
    Terrain t = terrain_at(cell);
    Lakes l = lakes_at(cell);
    // Both marks are -1 exactly where their bitwise and is negative (codes are >= 0).
    o_open_sea = OpenSea(t.bedrock <= t.sea_level && (l.mark1 & l.mark2) < 0 ? 1 : 0);
}

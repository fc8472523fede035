// shaders/erosion/sea.glsl — mask (Pass.mask): the sea cells, where the routing and incision are trivial.
// A sea cell is a root of the flow forest (the ocean resets the flow): erosion.receivers gives it no
// receiver, erosion.roots makes it its own root, and erosion.incise only lays a river mouth's delta
// there. Those passes run their pass_quiet on these cells (planet/passes.py, Pass.quiet): on a CPU
// rasterizer their land code costs as much in a sea SIMD group as on land (issue 16), and ~70 % of the
// planet is sea.
// Reads terrain: bedrock, sea_level [m above the bedrock datum] (sea where bedrock <= sea_level).
#include "erosion/flow.glsl"

bool pass_mask(ivec2 cell) {
    Terrain t = terrain_at(cell);
    return t.bedrock <= t.sea_level;
}

// shaders/common/sea_mask.glsl — mask (Pass.mask, planet/passes.py): the sea cells, for the stages whose
// processes live on land (erosion's routing and incision, life, people's growth). Their passes with
// quiet= this mask run a short pass_quiet on these cells, what pass_main writes at sea: on a CPU
// rasterizer the land code costs as much in a sea SIMD group as on land (issue 16), and ~70 % of the
// planet is sea. Each stage draws its own (after the stages before it changed the terrain).
// Reads terrain: bedrock, sea_level [m above the bedrock datum] (sea where bedrock <= sea_level).

bool pass_mask(ivec2 cell) {
    Terrain t = terrain_at(cell);
    return t.bedrock <= t.sea_level;
}

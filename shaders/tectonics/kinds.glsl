// shaders/tectonics/kinds.glsl — step: each cell's kind of crust for this tick's thermal erosion
// (tectonics/crust.glsl: continental or oceanic, counting a cell enclosed by the other kind as that
// kind), computed once per cell for tectonics.talus, which needs the kinds of every cell and its 4
// neighbours. Before tectonics starts the pipeline skips it (as talus).
// Cost (issue 16): talus judged each of its 4 neighbours' kinds itself from 13 bedrock values within 2
// steps and 8 more near the poles (at every cell on llvmpipe, which runs masked code too): 6 fetches
// here and 5 there instead. The kinds use each cell's own shelf level; talus used the centre cell's
// for a neighbour: the same, as sea level is one value in every cell (terrain.cool writes it).
// Reads  terrain: bedrock = bedrock elevation [m above datum], sea_level = sea level [m above datum].
// Writes crust_kind: continental = 1 where the crust counts as continental, 0 oceanic [1].
#include "tectonics/crust.glsl"

uniform float u_shelf_depth;       // [m] below sea level: shallower crust is continental

void pass_main(ivec2 cell) {
    Terrain t = terrain_at(cell);
    float shelf = t.sea_level - u_shelf_depth;  // [m above datum] continental crust stands above this
    vec4 around = vec4(terrain_near(cell + ivec2(1, 0)).bedrock, terrain_near(cell + ivec2(-1, 0)).bedrock,
                       terrain_near(cell + ivec2(0, 1)).bedrock, terrain_near(cell + ivec2(0, -1)).bedrock);
    o_crust_kind = CrustKind(crust_kind(cell, polar_width(cell.y), t.bedrock, around, shelf) ? 1 : 0);
}

// shaders/erosion/quiet.glsl — mask (Pass.mask): the open sea, where the flow trees and lakes are trivial.
// A sea cell whose 8 neighbours are sea too, and none of the 9 carries a lake's mark (lakes.mark1/mark2,
// which erosion.incise sets on a lake's pass cell), has no child in the flow forest: no neighbour drains
// into it (sea cells have no receiver) and no lake spills into it (a spill into x goes over a marked
// neighbour of x). So erosion.tree gives it no links and only its own released sediment, and
// erosion.collect no drainage and no lake; both run their pass_quiet on these cells (Pass.quiet).
// Reads terrain: bedrock, sea_level [m above the bedrock datum]; lakes: mark1, mark2 (offset codes, -1 none).
#include "erosion/flow.glsl"

bool pass_mask(ivec2 cell) {
    bool quiet = true;
    for (int k = 0; k < 9; ++k) {
        ivec2 n = k == 8 ? cell : grid_wrap_near(cell + GRID_D8[k]);
        Terrain t = terrain_at(n);
        Lakes l = lakes_at(n);
        quiet = quiet && t.bedrock <= t.sea_level && l.mark1 < 0 && l.mark2 < 0;
    }
    return quiet;
}

// shaders/terrain/protoplanet.glsl — init: the cratered, molten protoplanet (MODEL.md §1,
// after D. A. Roberts, "Simulating worlds on the GPU", 2021).
//   p = 1.5 * unit-sphere position of the cell (evaluated in 3-D: no seams at +-180 deg or the poles)
//   for i = 0..4:  c = craters(0.4 * 2.2^i * p);  n = 0.4 * exp(-3c) * fbm(10 p)
//                  h += clamp(3 * 0.4^i, 0, 1) * (c + n)
//   h = h^3;  z = u_height_scale * h   [m above the bedrock datum]
// Beyond the reference (issue #15): impact basins with a size-frequency distribution N(>D) ~ D^-2 and
// Pike's (1977) depth and rim height for each diameter (common/craters.glsl, impact_basins) are added:
//   bedrock elevation = max(z + basins(unit-sphere position), MELT_LEVEL_M)   [m above the bedrock datum]
// (a bowl deeper than the magma ocean's surface, 100 m above the datum, fills with melt to a flat floor
// there: dry land, drawn clear of the coast (view/coast.glsl's 100 m scale), until the sea rises past it)
// so the largest basins (u_basin_diameter, thousands of km) span many cells at any grid and their rims
// stand kilometres above their floors and surroundings, where the reference's craters are at most a
// couple of cells across at 128x64 and its blend and cube leave only broad highs.
// Writes terrain:  bedrock = bedrock elevation z [m above datum]   sea_level = sea level [m above datum]
//                  glow = lava glow [0..1] (1 molten, 0 solid crust)   ice_sheet = 0 (none)
#include "common/grid.glsl"
#include "common/craters.glsl"
#include "common/fbm.glsl"

const float MELT_LEVEL_M = 100.0;  // [m above datum] the magma ocean's surface: the basins' melt floors

uniform float u_height_scale;   // [m] per unit of the dimensionless crater height h^3
uniform float u_sea_level_now;  // [m above datum] sea level at this simulated time (derived)
uniform int u_fbm_octaves;      // octaves of the fBm detail
uniform float u_basin_diameter; // [km] the largest impact basins' diameter
uniform int u_basin_octaves;    // [-] octaves (halvings) of basin diameter
uniform float u_basin_spacing;  // [-] basin lattice spacing / diameter (>= 1)

void pass_main(ivec2 cell) {
    vec3 p = 1.5 * cell_pos(cell);
    // The fBm detail is the same at every level of detail; craters damp it inside bowls.
    float detail = fbm(10.0 * p, u_fbm_octaves, u_seed ^ 0xA511E9B3u);
    float h = 0.0;
    for (int i = 0; i < 5; ++i) {
        // Each level has more, smaller craters (2.2x denser) with less weight (0.4x).
        float c = craters(0.4 * pow(2.2, float(i)) * p, u_seed + uint(i) * 0x9E3779B9u);
        float n = 0.4 * exp(-3.0 * c) * detail;
        h += clamp(3.0 * pow(0.4, float(i)), 0.0, 1.0) * (c + n);
    }
    // Cubing sharpens peaks and flattens lowlands into basins.
    float z = u_height_scale * h * h * h;
    // The impact basins: bowls below, rims and ejecta above the surroundings [m].
    z += impact_basins(cell_pos(cell), u_basin_diameter, u_basin_octaves, u_basin_spacing, u_radius,
                       u_seed ^ 0x1B873593u);
    // Bowls below the magma ocean's level fill with melt up to it (flat lava floors at the datum).
    z = max(z, MELT_LEVEL_M);
    // The whole surface starts molten (glow 1); cooling differentiates it by height.
    o_terrain = Terrain(z, u_sea_level_now, 1.0, 0.0);
}

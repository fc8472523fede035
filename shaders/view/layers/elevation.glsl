// shaders/view/layers/elevation.glsl — layer: height above / depth below sea level [m] through the
// `elevation` colormap over [-20000, 20000] m (the protoplanet's crater rims and peaks reach 19 km) (legend: planet.stages.terrain, Legend "elevation"),
// lightly hillshaded so landforms stay readable. Land and sea meet where the views' one coast says
// (view/coast.glsl: the smooth coast height, anti-aliased over a pixel); the land's colour takes the
// smooth (cubic B-spline) height (at least sea level), the sea's its depth from the same
// (view/coast.glsl, sea_depth_smooth): the ocean floor steps from shelf to abyss between cells, and the
// protoplanet's flat melt floors meet their basins' steep walls within a cell: a bilinear colour there is
// cell-aligned blocks with stair-step edges (issue #15).
// Reads terrain: bedrock [m above datum], sea_level [m above datum].
#include "view/relief.glsl"
#include "view/coast.glsl"
#include "common/colormap.glsl"

const float ELEVATION_RANGE_M = 20000.0;   // keep equal to the Legend's vmax in stages/terrain.py

vec3 layer_color(vec2 ll, vec3 light) {
    Terrain t = terrain_sample_smooth(ll);
    float land = coast_land(coast_height(ll));                  // [0..1] the land's share of the pixel
    float e_land = max(t.bedrock - t.sea_level, 0.0);           // [m] above sea level
    float e_sea = -max(sea_depth_smooth(ll), 1.0e-3);           // [m] below it (smooth depth)
    vec3 c = mix(cmap_elevation(0.5 + 0.5 * e_sea / ELEVATION_RANGE_M),
                 cmap_elevation(0.5 + 0.5 * e_land / ELEVATION_RANGE_M), land);
    return c * (0.45 + 0.55 * relief_shade(ll, light));
}

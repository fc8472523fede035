// shaders/view/layers/elevation.glsl — layer: height above / depth below sea level [m] through the
// `elevation` colormap over [-16000, 16000] m (the protoplanet's peaks reach 15 km) (legend: planet.stages.terrain, Legend "elevation"),
// lightly hillshaded so landforms stay readable. Land or sea is decided by the bilinear height (the
// coastline stays where the cells put it); the sea's colour takes its depth from the smooth (cubic
// B-spline) height, grid_sample_smooth, kept at or below sea level: the ocean floor steps from shelf to
// abyss between cells, and bilinear colour there is cell-aligned blocks with stair-step edges (issue #15).
// Reads terrain: bedrock [m above datum], sea_level [m above datum].
#include "view/relief.glsl"
#include "common/colormap.glsl"

const float ELEVATION_RANGE_M = 16000.0;   // keep equal to the Legend's vmax in stages/terrain.py

vec3 layer_color(vec2 ll, vec3 light) {
    Terrain t = terrain_sample(ll);
    float e = t.bedrock - t.sea_level;                    // [m] relative to sea level
    if (e < 0.0) {                                         // the sea: its depth from the smooth height
        Terrain smooth_t = terrain_unpack(grid_sample_smooth(t_terrain, ll));
        e = min(smooth_t.bedrock - smooth_t.sea_level, -1.0e-3);
    }
    vec3 c = cmap_elevation(0.5 + 0.5 * e / ELEVATION_RANGE_M);
    return c * (0.45 + 0.55 * relief_shade(ll, light));
}

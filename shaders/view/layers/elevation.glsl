// shaders/view/layers/elevation.glsl — layer: height above / depth below sea level [m] through the
// `elevation` colormap over [-16000, 16000] m (the protoplanet's peaks reach 15 km) (legend: planet.stages.terrain, Legend "elevation"),
// lightly hillshaded so landforms stay readable.
// Reads terrain: bedrock [m above datum], sea_level [m above datum].
#include "view/relief.glsl"
#include "common/colormap.glsl"

const float ELEVATION_RANGE_M = 16000.0;   // keep equal to the Legend's vmax in stages/terrain.py

vec3 layer_color(vec2 ll, vec3 light) {
    Terrain t = terrain_sample(ll);
    float e = t.bedrock - t.sea_level;                    // [m] relative to sea level
    vec3 c = cmap_elevation(0.5 + 0.5 * e / ELEVATION_RANGE_M);
    return c * (0.45 + 0.55 * relief_shade(ll, light));
}

// shaders/view/layers/precipitation.glsl — layer: precipitation, running annual mean [mm/yr], through
// the `precipitation` colormap over [0, 3000] mm/yr (legend: planet.stages.climate, Legend
// "precipitation"), lightly hillshaded, with coastlines.
// Reads precipitation: r = annual-mean precipitation [mm/yr].
//       terrain: r = bedrock elevation [m above datum], g = sea level [m above datum].
#include "view/relief.glsl"
#include "view/contour.glsl"
#include "common/colormap.glsl"

uniform sampler2D t_precipitation;
uniform sampler2D t_terrain;

const float PRECIPITATION_MAX = 3000.0;   // [mm/yr] keep equal to the Legend's vmax in stages/climate.py

vec3 layer_color(vec2 ll, vec3 light) {
    float rain = grid_sample(t_precipitation, ll).r;
    vec3 c = cmap_precipitation(rain / PRECIPITATION_MAX);
    c *= 0.8 + 0.2 * relief_shade(t_terrain, ll, light);
    return with_coastline(c, t_terrain, ll);
}

// shaders/view/layers/precipitation.glsl — layer: precipitation, running annual mean [mm/yr], through
// the `precipitation` colormap over [0, 3000] mm/yr (legend: planet.stages.climate, Legend
// "precipitation"), lightly hillshaded, with coastlines.
// Reads precipitation: annual = annual-mean precipitation [mm/yr].
//       terrain: bedrock [m above datum], sea_level [m above datum].
#include "view/relief.glsl"
#include "view/contour.glsl"
#include "common/colormap.glsl"

const float PRECIPITATION_MAX = 3000.0;   // [mm/yr] keep equal to the Legend's vmax in stages/climate.py

vec3 layer_color(vec2 ll, vec3 light) {
    float rain = precipitation_sample(ll).annual;
    vec3 c = cmap_precipitation(rain / PRECIPITATION_MAX);
    c *= 0.8 + 0.2 * relief_shade(ll, light);
    return with_coastline(c, ll);
}

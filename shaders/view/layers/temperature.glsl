// shaders/view/layers/temperature.glsl — layer: surface air temperature [°C] through the `temperature`
// colormap over [-40, 40] °C (legend: planet.stages.climate, Legend "temperature"), lightly hillshaded,
// with coastlines.
// Reads atmosphere: temperature = surface air temperature [°C].
//       terrain: bedrock [m above datum], sea_level [m above datum].
#include "view/relief.glsl"
#include "view/contour.glsl"
#include "common/colormap.glsl"

const vec2 TEMPERATURE_RANGE = vec2(-40.0, 40.0);   // keep equal to the Legend in stages/climate.py

vec3 layer_color(vec2 ll, vec3 light) {
    float temp = atmosphere_sample(ll).temperature;
    vec3 c = cmap_temperature((temp - TEMPERATURE_RANGE.x) / (TEMPERATURE_RANGE.y - TEMPERATURE_RANGE.x));
    c *= 0.8 + 0.2 * relief_shade(ll, light);
    return with_coastline(c, ll);
}

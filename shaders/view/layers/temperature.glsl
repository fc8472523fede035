// shaders/view/layers/temperature.glsl — layer: surface air temperature [°C] through the `temperature`
// colormap over [-40, 40] °C (legend: planet.stages.climate, Legend "temperature"), lightly hillshaded,
// with coastlines.
// Reads atmosphere: g = surface air temperature [°C].
//       terrain: r = bedrock elevation [m above datum], g = sea level [m above datum].
#include "view/relief.glsl"
#include "view/contour.glsl"
#include "common/colormap.glsl"

uniform sampler2D t_atmosphere;
uniform sampler2D t_terrain;

const vec2 TEMPERATURE_RANGE = vec2(-40.0, 40.0);   // keep equal to the Legend in stages/climate.py

vec3 layer_color(vec2 ll, vec3 light) {
    float temp = grid_sample(t_atmosphere, ll).g;
    vec3 c = cmap_temperature((temp - TEMPERATURE_RANGE.x) / (TEMPERATURE_RANGE.y - TEMPERATURE_RANGE.x));
    c *= 0.8 + 0.2 * relief_shade(t_terrain, ll, light);
    return with_coastline(c, t_terrain, ll);
}

// shaders/view/layers/pressure.glsl — layer: sea-level pressure [hPa] through the `pressure` colormap
// over [980, 1040] hPa (legend: planet.stages.climate, Legend "pressure"), isobars every 4 hPa (every
// 20 hPa a bolder one), coastlines, and the surface wind as short dark arrows (view/arrows.glsl) that
// point and drift downwind as the tick advances, longer where the wind is faster; the isobars carry
// their value in hPa (view/isobar_labels.glsl) on pale boxes, under the arrows.
// Reads atmosphere: pressure = sea-level pressure [hPa].
//       flow: x, y, z = the surface wind as a 3-D vector [m/s], speed = wind speed [m/s].
//       terrain: bedrock [m above datum], sea_level [m above datum].
#include "view/contour.glsl"
#include "view/arrows.glsl"
#include "view/isobar_labels.glsl"
#include "common/colormap.glsl"

const vec2 PRESSURE_RANGE = vec2(980.0, 1040.0);   // keep equal to the Legend in stages/climate.py
const float ISOBAR_SPACING = 4.0;                   // [hPa]

vec3 layer_color(vec2 ll, vec3 light) {
    float p = atmosphere_sample(ll).pressure;
    vec3 c = cmap_pressure((p - PRESSURE_RANGE.x) / (PRESSURE_RANGE.y - PRESSURE_RANGE.x));
    c = mix(c, vec3(0.15, 0.15, 0.2), 0.35 * contour_line(p, ISOBAR_SPACING));
    c = mix(c, vec3(0.10, 0.10, 0.14), 0.45 * contour_line(p, 5.0 * ISOBAR_SPACING));
    c = with_coastline(c, ll);
    vec2 label = isobar_label(ll, ISOBAR_SPACING);
    c = mix(c, vec3(0.94, 0.94, 0.92), 0.85 * label.x);
    c = mix(c, vec3(0.08, 0.08, 0.12), label.y);
    return mix(c, vec3(0.06, 0.06, 0.08), 0.85 * wind_arrows(ll));
}

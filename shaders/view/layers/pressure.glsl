// shaders/view/layers/pressure.glsl — layer: sea-level pressure [hPa] through the `pressure` colormap
// over [980, 1040] hPa (legend: planet.stages.climate, Legend "pressure"), isobars every 4 hPa,
// coastlines, and the surface wind as animated streaks (view/streaks.glsl) whose brightness grows with
// speed (full at 15 m/s); the streaks move downwind as the tick advances.
// Reads atmosphere: pressure = sea-level pressure [hPa].
//       flow: x, y, z = the surface wind as a 3-D vector [m/s], speed = wind speed [m/s].
//       terrain: bedrock [m above datum], sea_level [m above datum].
#include "view/contour.glsl"
#include "view/streaks.glsl"
#include "common/colormap.glsl"

const vec2 PRESSURE_RANGE = vec2(980.0, 1040.0);   // keep equal to the Legend in stages/climate.py
const float ISOBAR_SPACING = 4.0;                   // [hPa]
const float FULL_SPEED = 15.0;                      // [m/s] speed of the brightest streaks

vec3 layer_color(vec2 ll, vec3 light) {
    float p = atmosphere_sample(ll).pressure;
    vec3 c = cmap_pressure((p - PRESSURE_RANGE.x) / (PRESSURE_RANGE.y - PRESSURE_RANGE.x));
    c = mix(c, vec3(0.15, 0.15, 0.2), 0.45 * contour_line(p, ISOBAR_SPACING));
    c = with_coastline(c, ll);
    float speed = flow_sample(ll).speed;
    float streak = wind_streaks(ll) * (0.25 + 0.75 * smoothstep(0.0, FULL_SPEED, speed));
    return mix(c, vec3(1.0), streak);
}

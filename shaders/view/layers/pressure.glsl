// shaders/view/layers/pressure.glsl — layer: sea-level pressure [hPa] through the `pressure` colormap
// over [980, 1040] hPa (legend: planet.stages.climate, Legend "pressure"), isobars every 4 hPa,
// coastlines, and the surface wind as animated streaks (view/streaks.glsl) whose brightness grows with
// speed (full at 15 m/s); the streaks move downwind as the tick advances.
// Reads atmosphere: r = sea-level pressure [hPa].
//       flow: rgb = the surface wind as a 3-D vector [m/s], a = wind speed [m/s].
//       terrain: r = bedrock elevation [m above datum], g = sea level [m above datum].
#include "view/contour.glsl"
#include "view/streaks.glsl"
#include "common/colormap.glsl"

uniform sampler2D t_atmosphere;
uniform sampler2D t_flow;
uniform sampler2D t_terrain;

const vec2 PRESSURE_RANGE = vec2(980.0, 1040.0);   // keep equal to the Legend in stages/climate.py
const float ISOBAR_SPACING = 4.0;                   // [hPa]
const float FULL_SPEED = 15.0;                      // [m/s] speed of the brightest streaks

vec3 layer_color(vec2 ll, vec3 light) {
    vec4 a = grid_sample(t_atmosphere, ll);
    vec3 c = cmap_pressure((a.r - PRESSURE_RANGE.x) / (PRESSURE_RANGE.y - PRESSURE_RANGE.x));
    c = mix(c, vec3(0.15, 0.15, 0.2), 0.45 * contour_line(a.r, ISOBAR_SPACING));
    c = with_coastline(c, t_terrain, ll);
    float speed = grid_sample(t_flow, ll).a;
    float streak = wind_streaks(t_flow, ll) * (0.25 + 0.75 * smoothstep(0.0, FULL_SPEED, speed));
    return mix(c, vec3(1.0), streak);
}

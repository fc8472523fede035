// shaders/view/night.glsl — day and night over the satellite layer, and the night side's city lights and
// roads where people live (MODEL.md §6-§7). The people stage's "night" overlay, drawn per frame over the
// bake (the sun moves with the camera and the globe's spin): the lights themselves are drawn once per tick
// into the bake's alpha (view/lights.glsl, this overlay's `bake`), read back here by baked_value.
// Sun: u_sun, a unit vector in the planet's frame (planet.view.Camera.sun: the season's declination, the
// camera's sun_azimuth and the globe's spin). At a point p the sine of the sun's elevation is e = p . u_sun;
// day = smoothstep(-TWILIGHT, TWILIGHT, e) is a soft terminator about 9 degrees wide, and the night side
// keeps 1 - u_night of its light (u_night = 0: no day and night, the colour passes through unchanged).
// The lights glow on the night side, whiter where cool, sodium orange where hot (people_habitat
// temperature_mean 10..30 °C).
// Reads people_habitat: temperature_mean [°C]; the bake's alpha: the lights' brightness 0..1.
#include "common/grid.glsl"

uniform vec3 u_sun;      // unit vector towards the sun, planet frame (z = north pole, x = lon 0)
uniform float u_night;   // how dark the night side is, 0..1

const float TWILIGHT = 0.08;       // half-width of the terminator in sin(sun elevation)

float baked_value(vec2 ll);   // the bake's alpha at ll (view/baked.glsl)

vec3 overlay_night(vec3 color, vec2 ll, vec3 light) {
    if (u_night <= 0.0) return color;
    float day = smoothstep(-TWILIGHT, TWILIGHT, dot(lonlat_pos(ll), u_sun));
    vec3 lit = color * mix(1.0 - u_night, 1.0, day);
    vec3 tint = mix(vec3(1.0, 0.92, 0.74), vec3(1.0, 0.60, 0.26), smoothstep(10.0, 30.0, people_habitat_sample(ll).temperature_mean));
    return lit + (1.0 - day) * u_night * baked_value(ll) * tint;
}

// shaders/view/night.glsl — day and night over the satellite layer, and the night side's city lights and
// roads where people live (MODEL.md §6-§7). The people stage's "sky" overlay, drawn last (over the clouds).
// Sun: u_sun, a unit vector in the planet's frame (planet.view.Camera.sun: the season's declination, the
// camera's sun_azimuth and the globe's spin). At a point p the sine of the sun's elevation is e = p . u_sun;
// day = smoothstep(-TWILIGHT, TWILIGHT, e) is a soft terminator about 9 degrees wide, and the night side
// keeps 1 - u_night of its light (u_night = 0: no day and night, the colour passes through unchanged).
// Lights: a lattice LIGHT_CELLS times finer than the grid holds one settlement point per lattice cell,
// jittered by an integer hash of the lattice cell (common/hash.glsl: nothing depends on time, so frames at
// one tick agree), lit with probability clamp(D / DENSE, 0, 1) for the people density D there. A lit
// point glows as exp(-(d / r)^2), most small, a few big and bright (by a hash), brighter where D is
// higher; neighbouring lit points (east, north and one diagonal per square) are joined by roads (a
// share ROADS of them, by a hash), thin lines fainter than the towns; dense land glows faintly all over;
// the sum saturates softly (1 - e^(-1.5 L)). People cluster by coasts and rivers (people/habitat.glsl), so the
// lights do too. Colour: whiter where cool, sodium orange where hot (people_habitat temperature_mean 10..30 °C).
// Distances are metric on the sphere (the lattice's east spacing shrinks with cos(lat)), and lines and
// points are at least about a pixel wide (fwidth of the lattice coordinate).
// Reads people: density [1/km²];  people_habitat: temperature_mean [°C].
#include "common/grid.glsl"
#include "common/hash.glsl"

uniform vec3 u_sun;      // unit vector towards the sun, planet frame (z = north pole, x = lon 0)
uniform float u_night;   // how dark the night side is, 0..1

const float TWILIGHT = 0.08;       // half-width of the terminator in sin(sun elevation)
const int LIGHT_CELLS = 4;         // lattice cells per grid cell along each axis
const float DENSE = 40.0;          // [1/km²] density at which every lattice cell holds a lit town
const float ROADS = 0.6;           // share of neighbouring lit towns joined by a road
const uint LIGHT_SEED = 0x11647u;

// The town of lattice cell c: its point (lattice coordinates, unwrapped like c), brightness (0: none) and
// radius (lattice units). Most towns are small; a few (the cube of a uniform draw) are big, bright cities.
vec4 town(ivec2 c) {
    ivec2 size = u_grid * LIGHT_CELLS;
    ivec2 w = ivec2(c.x - size.x * int(floor(float(c.x) / float(size.x))), clamp(c.y, 0, size.y - 1));
    vec3 h = hash3(ivec3(w, 0), LIGHT_SEED);
    float big = hash3(ivec3(w, 2), LIGHT_SEED).x;
    big *= big * big;
    vec2 pt = vec2(c) + 0.2 + 0.6 * h.xy;
    vec2 ll = vec2(-PI + pt.x * 2.0 * PI / float(size.x), -0.5 * PI + pt.y * PI / float(size.y));
    float d = clamp(people_sample(ll).density / DENSE, 0.0, 1.0);
    float b = h.z < d ? (0.5 + 2.0 * big) * (0.3 + 0.7 * d) : 0.0;
    return vec4(pt, b, 0.06 + 0.24 * big);
}

// Distance from p to the segment a-b, with east offsets scaled by `sx` (metric on the sphere).
float segment(vec2 p, vec2 a, vec2 b, float sx) {
    vec2 s = vec2(sx, 1.0);
    vec2 ab = (b - a) * s, ap = (p - a) * s;
    float t = clamp(dot(ap, ab) / max(dot(ab, ab), 1e-12), 0.0, 1.0);
    return length(ap - t * ab);
}

// A road between towns a and b (lattice cells ca, cb) where both are lit and the link's hash keeps it.
float road(vec2 g, vec4 a, vec4 b, ivec2 link, int kind, float width, float sx) {
    if (a.z <= 0.0 || b.z <= 0.0 || hash3(ivec3(link, 3 + kind), LIGHT_SEED).x > ROADS) return 0.0;
    return min(a.z, b.z) * (1.0 - smoothstep(width, 2.0 * width, segment(g, a.xy, b.xy, sx)));
}

float city_lights(vec2 g, float px, float sx, float density) {
    ivec2 c = ivec2(floor(g));
    vec4 t[9];
    for (int k = 0; k < 9; ++k) t[k] = town(c + ivec2(k % 3 - 1, k / 3 - 1));
    float light = 0.15 * clamp(density / DENSE, 0.0, 1.0);   // sprawl
    for (int k = 0; k < 9; ++k) {
        float r = max(t[k].w, px);
        vec2 d = (g - t[k].xy) * vec2(sx, 1.0);
        light += t[k].z * sqrt(t[k].w / r) * exp(-dot(d, d) / (r * r));   // sub-pixel towns dimmer
    }
    // Roads: to the east and north neighbours, and one diagonal per square of four towns.
    float width = max(0.015, 0.5 * px), roads = 0.0;
    for (int k = 0; k < 9; ++k) {
        int i = k % 3, j = k / 3;
        ivec2 at = c + ivec2(i - 1, j - 1);
        if (i < 2) roads = max(roads, road(g, t[k], t[k + 1], at, 0, width, sx));
        if (j < 2) roads = max(roads, road(g, t[k], t[k + 3], at, 1, width, sx));
        if (i < 2 && j < 2) {
            bool rising = hash3(ivec3(at, 6), LIGHT_SEED).x < 0.5;
            roads = max(roads, rising ? road(g, t[k], t[k + 4], at, 2, width, sx)
                                      : road(g, t[k + 1], t[k + 3], at, 2, width, sx));
        }
    }
    return light + 0.4 * roads;
}

vec3 overlay_night(vec3 color, vec2 ll, vec3 light) {
    if (u_night <= 0.0) return color;
    vec2 g = lonlat_to_grid(ll) * float(LIGHT_CELLS);   // lattice coordinates
    float px = max(fwidth(g.y), 1.0e-4);                // lattice units per pixel (before any branch)
    float day = smoothstep(-TWILIGHT, TWILIGHT, dot(lonlat_pos(ll), u_sun));
    vec3 lit = color * mix(1.0 - u_night, 1.0, day);
    if (day >= 1.0) return lit;
    float density = people_sample(ll).density;
    if (density <= 0.0) return lit;
    float lights = city_lights(g, px, max(cos(ll.y), 0.05), density);
    vec3 tint = mix(vec3(1.0, 0.92, 0.74), vec3(1.0, 0.60, 0.26), smoothstep(10.0, 30.0, people_habitat_sample(ll).temperature_mean));
    return lit + (1.0 - day) * u_night * (1.0 - exp(-1.5 * lights)) * tint;   // soft saturation
}

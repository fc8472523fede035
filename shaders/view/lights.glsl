// shaders/view/lights.glsl — the night side's city lights and roads where people live (MODEL.md §6-§7),
// as a brightness 0..1 that the satellite bake stores in its alpha once per tick (planet.view: the
// people stage's night overlay's `bake`), so the frames' night side (view/night.glsl) reads one texel
// instead of drawing ~9 towns and ~27 roads per pixel every frame (issue 16: 55 ms of a 1280x720 frame
// on a CPU rasterizer). Nothing here depends on the sun or the camera.
// Lights: a lattice LIGHT_CELLS times finer than the grid holds one settlement point per lattice cell,
// jittered by an integer hash of the lattice cell (common/hash.glsl: nothing depends on time, so frames at
// one tick agree), lit with probability clamp(D / DENSE, 0, 1) for the people density D there. A lit
// point glows as exp(-(d / r)^2), most small, a few big and bright (by a hash), brighter where D is
// higher; neighbouring lit points (east, north and one diagonal per square) are joined by roads (a
// share ROADS of them, by a hash), thin lines fainter than the towns; dense land glows faintly all over;
// the sum saturates softly (1 - e^(-1.5 L)). People cluster by coasts and rivers (people/habitat.glsl), so the
// lights do too. Distances are metric on the sphere (the lattice's east spacing shrinks with cos(lat)),
// and lines and points are at least about a texel of the bake wide (fwidth of the lattice coordinate).
// Reads people: density [1/km²].
#include "common/grid.glsl"
#include "common/hash.glsl"

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

// The lights' brightness at ll, 0..1 (0 where nobody lives): what the bake keeps in its alpha.
float night_lights(vec2 ll) {
    vec2 g = lonlat_to_grid(ll) * float(LIGHT_CELLS);   // lattice coordinates
    float px = max(fwidth(g.y), 1.0e-4);                // lattice units per texel (before any branch)
    float density = people_sample(ll).density;
    if (density <= 0.0) return 0.0;
    return 1.0 - exp(-1.5 * city_lights(g, px, max(cos(ll.y), 0.05), density));   // soft saturation
}

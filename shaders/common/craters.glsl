// shaders/common/craters.glsl — a crater field on 3-D positions (MODEL.md §1, after Roberts 2021).
// Space is cut into unit cells; each cell holds one crater centre jittered by 0.8 * hash3(cell).
// Over the 5x5x5 cells around p, with d the distance from p to each centre:
//   w = exp(-4 d),  profile = sin(2 pi sqrt(d)),  craters(p) = | sum w * profile / sum w |
// so each centre sits in a bowl with a raised rim, blended smoothly with its neighbours.
// Output in [0, 1]. Reads and writes no fields.
#include "common/math.glsl"
#include "common/hash.glsl"

float craters(vec3 p, uint seed) {
    ivec3 base = ivec3(floor(p));
    float sum_wp = 0.0, sum_w = 0.0;
    for (int dz = -2; dz <= 2; ++dz)
    for (int dy = -2; dy <= 2; ++dy)
    for (int dx = -2; dx <= 2; ++dx) {
        ivec3 c = base + ivec3(dx, dy, dz);
        // Crater centre: the cell corner plus a seeded jitter inside the cell.
        vec3 centre = vec3(c) + 0.8 * hash3(c, seed);
        float d = length(p - centre);
        // Nearby craters dominate; the profile is a bowl (0 at the centre) with a rim at sqrt(d) = 1/4.
        float w = exp(-4.0 * d);
        sum_wp += w * sin(2.0 * PI * sqrt(d));
        sum_w += w;
    }
    return abs(sum_wp / sum_w);
}

// shaders/common/noise.glsl — 3-D value noise on sphere positions (no uv seams).
// Value noise: random values at integer lattice points, blended with the quintic fade
// 6t^5 - 15t^4 + 10t^3 (Perlin, "Improving Noise", SIGGRAPH 2002) so the gradient is continuous.
// Output in [-1, 1]. Reads and writes no fields.
#include "common/hash.glsl"

float lattice(ivec3 p, uint seed) { return hash3(p, seed).x * 2.0 - 1.0; }

float value_noise(vec3 p, uint seed) {
    ivec3 i = ivec3(floor(p));
    vec3 f = p - floor(p);
    vec3 u = f * f * f * (f * (f * 6.0 - 15.0) + 10.0);
    // Trilinear blend of the eight corner values with the fade weights.
    float x00 = mix(lattice(i + ivec3(0, 0, 0), seed), lattice(i + ivec3(1, 0, 0), seed), u.x);
    float x10 = mix(lattice(i + ivec3(0, 1, 0), seed), lattice(i + ivec3(1, 1, 0), seed), u.x);
    float x01 = mix(lattice(i + ivec3(0, 0, 1), seed), lattice(i + ivec3(1, 0, 1), seed), u.x);
    float x11 = mix(lattice(i + ivec3(0, 1, 1), seed), lattice(i + ivec3(1, 1, 1), seed), u.x);
    return mix(mix(x00, x10, u.y), mix(x01, x11, u.y), u.z);
}

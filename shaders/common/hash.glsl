// shaders/common/hash.glsl — integer hashes for reproducible randomness on every GPU.
// pcg3d from Jarzynski & Olano, "Hash Functions for GPU Rendering", JCGT 9(3), 2020: a 3-D
// permuted-congruential step mixed twice. Pure 32-bit integer arithmetic, so every GPU and llvmpipe
// agree bit for bit (unlike sine-based float hashes, which depend on the driver's sin()).
// Reads and writes no fields.

uvec3 pcg3d(uvec3 v) {
    v = v * 1664525u + 1013904223u;
    v.x += v.y * v.z; v.y += v.z * v.x; v.z += v.x * v.y;
    v ^= v >> 16u;
    v.x += v.y * v.z; v.y += v.z * v.x; v.z += v.x * v.y;
    return v;
}

// Top 24 bits -> float in [0, 1), exactly representable.
vec3 u01(uvec3 h) { return vec3(h >> 8u) * (1.0 / 16777216.0); }

// Uniform [0,1)^3 for an integer lattice point and a seed (signed lattice coordinates allowed).
vec3 hash3(ivec3 p, uint seed) { return u01(pcg3d(uvec3(p) ^ uvec3(seed, seed * 0x9E3779B9u, seed * 0x85EBCA6Bu))); }

// Uniform [0,1)^3 for a grid cell at a tick: the per-cell, per-tick random draw of a stochastic pass.
vec3 hash_cell(ivec2 cell, uint tick, uint seed) { return u01(pcg3d(uvec3(uvec2(cell), tick) ^ uvec3(seed, seed * 0x9E3779B9u, 0u))); }

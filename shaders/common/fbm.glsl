// shaders/common/fbm.glsl — fractional Brownian motion: a sum of value-noise octaves,
// fbm(p) = sum_k gain^k * noise(R^k * lacunarity^k * p) / sum_k gain^k, lacunarity 2, gain 1/2,
// with a fixed rotation R between octaves so lattice axes do not line up (MODEL.md §1).
// Output in about [-1, 1]. Reads and writes no fields.
#include "common/noise.glsl"

// A fixed orthonormal rotation (R R^T = I, det R = 1).
const mat3 FBM_ROT = mat3( 0.8535534,  0.1464466, -0.5000000,
                           0.1464466,  0.8535534,  0.5000000,
                           0.5000000, -0.5000000,  0.7071068);

float fbm(vec3 p, int octaves, uint seed) {
    float sum = 0.0, amp = 1.0, norm = 0.0;
    for (int k = 0; k < octaves; ++k) {
        sum += amp * value_noise(p, seed + uint(k) * 0x632BE5ABu);
        norm += amp;
        amp *= 0.5;
        p = FBM_ROT * p * 2.0;
    }
    return sum / norm;
}

// shaders/common/math.glsl — shared constants and the project's floating-point policy. Reads and
// writes no fields.
const float PI = 3.14159265358979;

// ---- Floating-point policy: both backends give the same bits (README "Backends agree") ------------
// A GPU or CPU rasterizer may flush subnormal floats (|x| < 2^-126) to zero, or not, and not alike in
// every shader stage: Mesa llvmpipe runs fragment shaders with flush-to-zero and denormals-are-zero
// and compute shaders without, so any arithmetic that meets a subnormal (exp(-1e-39) = 1 or
// 0.99999994, x * 1e20, log, sqrt, a comparison) gives other bits on the two backends. Rule:
//  * State never holds a magnitude below FTZ_BELOW = 2^-100 (~7.9e-31): every float a pass writes goes
//    through ftz() in the generated pack() (planet/fields.py), and every float the CPU writes into a
//    field is flushed alike (planet/fields.py flush_tiny). Such values mean nothing in any unit of
//    this model; a decaying tail (stress diffusion, soil drying, populations) ends there, the same way
//    on every backend.
//  * So a product of state with factors >= 2^-26 stays normal, and a subnormal term added to state
//    (>= 2^-100) is absorbed. An intermediate that can still become subnormal and then be scaled up
//    or fed to exp/log/pow/sqrt/division must go through ftz() where it is made (keep that local).
// ftz keeps the sign of zero, as hardware flush-to-zero does, and tests the exponent bits instead of
// comparing floats, so it flushes alike whether or not the driver treats subnormal inputs as zero.
const float FTZ_BELOW = 7.8886090522101181e-31;  // 2^-100
float ftz(float x) {
    uint b = floatBitsToUint(x);
    return (b & 0x7f800000u) < (27u << 23) ? uintBitsToFloat(b & 0x80000000u) : x;  // biased exponent 27 = 2^-100
}
vec2 ftz(vec2 v) { return vec2(ftz(v.x), ftz(v.y)); }
vec3 ftz(vec3 v) { return vec3(ftz(v.x), ftz(v.y), ftz(v.z)); }
vec4 ftz(vec4 v) { return vec4(ftz(v.x), ftz(v.y), ftz(v.z), ftz(v.w)); }

// Index of the lowest set bit of m (0 < m < 2^16): GLSL 3.30 has no findLSB. Loops over the set bits of
// a mask (for (; m != 0; m &= m - 1) { int k = lowest_bit(m); ... }) are how a pass does rare work on a
// CPU rasterizer: only the lanes with bits left stay in the loop (erosion/tree.glsl, erosion/incise.glsl).
// llvmpipe leaves a loop once no lane of a SIMD group is in it, but only after its first iteration:
// measured (issue 16), a loop that no lane enters costs one iteration, as an if no lane takes costs
// its body. A loop saves the further iterations; to skip work on whole regions of the grid, use quiet
// cells (planet/passes.py Pass.quiet: a mask and a second program, split by the early depth test).
int lowest_bit(int m) {
    int b = m & -m;
    return ((b & 0xAAAA) != 0 ? 1 : 0) + ((b & 0xCCCC) != 0 ? 2 : 0) + ((b & 0xF0F0) != 0 ? 4 : 0)
         + ((b & 0xFF00) != 0 ? 8 : 0);
}

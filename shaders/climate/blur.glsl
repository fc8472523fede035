// shaders/climate/blur.glsl — the pressure blur's two-stage Gaussian along one axis (included by
// climate/land_east.glsl, climate/mslp_east.glsl and climate/mslp_north.glsl; not a pass).
// A Gaussian of standard deviation sigma [cells] is two Gaussians in a row, sigma1^2 + sigma2^2 =
// sigma^2. Stage 1 is sigma1 = sqrt(sigma) at unit stride; stage 2 is sigma2 = sqrt(sigma^2 - sigma1^2)
// sampled every s = floor(sigma1) cells only: stage 1 has already removed the detail finer than s
// (its response at the stride's Nyquist frequency pi/s is exp(-(pi sigma1 / s)^2 / 2) < 1 %), so the
// sparse taps do not alias. Cost per cell ~ 6 sqrt(sigma) + 6 sigma / s instead of 6 sigma taps.
// Taps |k s| <= min(3 std, limit), weights by the incremental Gaussian (Turkowski, "Incremental
// computation of the Gaussian", GPU Gems 3 ch. 40, 2007): w_{k+1} = w_k r_k, r_{k+1} = r_k g^2 with
// g = exp(-s^2 / (2 std^2)), normalised by their sum.
// The including pass #defines BLUR_T (float or vec2: what is blurred) and defines
// `BLUR_T blur_tap(ivec2 c)`, the value at a cell less than one grid away (from the generated
// <field>_near accessor). Reads and writes no fields itself.
#include "common/grid.glsl"

BLUR_T blur_tap(ivec2 c);

// (std [cells], stride [cells]) of stage 1 or 2 for a total sigma [cells] (sigma < 2: two equal halves).
vec2 blur_stage(float sigma, int stage) {
    float s1 = sigma < 2.0 ? sigma * sqrt(0.5) : sqrt(sigma);
    if (stage == 1) return vec2(s1, 1.0);
    return vec2(sqrt(max(sigma * sigma - s1 * s1, 1e-6)), max(1.0, floor(s1)));
}

// The number of taps on each side for a stage plan (std, stride), at most `limit` cells away.
int blur_reach(vec2 plan, int limit) { return int(min(ceil(3.0 * plan.x), float(limit)) / plan.y); }

// Gaussian mean of blur_tap along `axis` through the cell: (1, 0) east-west, taps less than half the
// ring away; (0, 1) north-south along the meridian, running on across the poles.
BLUR_T blur_line(ivec2 cell, vec2 plan, ivec2 axis) {
    int limit = axis.x != 0 ? u_grid.x / 2 - 1 : u_grid.y - 1;
    int reach = blur_reach(plan, limit), stride = int(plan.y);
    float g = exp(-0.5 * plan.y * plan.y / (plan.x * plan.x)), total = 1.0, w = 1.0, r = g;
    BLUR_T sum = blur_tap(cell);
    for (int k = 1; k <= reach; ++k) {
        w *= r;
        r *= g * g;
        sum += w * (blur_tap(cell + k * stride * axis) + blur_tap(cell - k * stride * axis));
        total += 2.0 * w;
    }
    return sum / total;
}

// Blur width [cells] east-west in row j: the kernel is as wide in km everywhere, so in cells it widens
// with 1/cos(lat); capped at W (then flat: a mean over the whole ring, as near the poles it should be).
float blur_sigma_east(float sigma_deg, int j) {
    return min(sigma_deg / (360.0 / float(u_grid.x)) / cos(cell_lonlat(ivec2(0, j)).y), float(u_grid.x));
}

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
// Cost (issue 16; a CPU rasterizer spends most of the blur on its taps): a tap lies less than half a
// ring east or west of the cell, or less than a meridian north or south, so it can pass one end of the
// ring or one pole only; blur_wrap tests just that one (grid_wrap_near tests both poles and both ends:
// the same cells, ~12 % of the east-west stages' time at 512x256).
// The including pass #defines BLUR_T (float or vec2: what is blurred) and defines
// `BLUR_T blur_tap(ivec2 c)`, the value at a cell on the grid (wrapped already; from the generated
// <field>_at accessor). Reads and writes no fields itself.
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

// The grid cell of the tap c = cell + d (sign +1) or cell - d (sign -1), d = k stride axis, as
// grid_wrap_near would wrap it: east-west (axis (1, 0), |d| < W / 2) only one end of the ring can be
// passed; north-south (axis (0, 1), |d| < H) only one pole, onto the opposite meridian.
ivec2 blur_wrap(ivec2 c, ivec2 axis, int sign) {
    int W = u_grid.x, H = u_grid.y;
    if (axis.x != 0) {
        if (sign > 0) c.x -= c.x >= W ? W : 0;
        else          c.x += c.x < 0 ? W : 0;
        return c;
    }
    bool over = sign > 0 ? c.y >= H : c.y < 0;
    c.y = over ? (sign > 0 ? 2 * H - 1 - c.y : -1 - c.y) : c.y;
    c.x += over ? W / 2 : 0;
    c.x -= c.x >= W ? W : 0;
    return c;
}

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
        ivec2 d = k * stride * axis;
        sum += w * (blur_tap(blur_wrap(cell + d, axis, 1)) + blur_tap(blur_wrap(cell - d, axis, -1)));
        total += 2.0 * w;
    }
    return sum / total;
}

// Blur width [cells] east-west in row j: the kernel is as wide in km everywhere, so in cells it widens
// with 1/cos(lat); capped at W (then flat: a mean over the whole ring, as near the poles it should be).
float blur_sigma_east(float sigma_deg, int j) {
    return min(sigma_deg / (360.0 / float(u_grid.x)) / cos(cell_lonlat(ivec2(0, j)).y), float(u_grid.x));
}

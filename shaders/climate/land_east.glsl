// shaders/climate/land_east.glsl — sea-level pressure, blur step 1 of 4: the first stage (climate/
// blur.glsl) of the east-west Gaussian, applied to the land mask. The Climate Cookbook's pressure fits
// are per latitude for land and for ocean, and linear in the land fraction, so along a row blurring
// the pressure is blurring the land mask (climate/mslp_east.glsl turns it into pressure).
// East-west the kernel is as wide in km everywhere: sigma_cells = u_blur_sigma / (360° / W) / cos(lat)
// (capped at W near the poles, where it becomes a ring mean); taps stay less than half a ring away.
// Reads  terrain: r = bedrock elevation [m above datum], g = sea level [m above datum] (land where r > g).
// Writes mslp: r = land fraction after the first east-west stage [0..1]; g, b, a = 0.
#include "climate/blur.glsl"

uniform sampler2D t_terrain;
uniform float u_blur_sigma;   // [degrees of arc] standard deviation of the Gaussian

float land_at(ivec2 c) { vec4 t = grid_fetch_near(t_terrain, c); return t.r > t.g ? 1.0 : 0.0; }

void pass_main(ivec2 cell) {
    vec2 plan = blur_stage(blur_sigma_east(u_blur_sigma, cell.y), 1);
    int reach = blur_reach(plan, u_grid.x / 2 - 1);
    float g = exp(-0.5 / (plan.x * plan.x)), total = 1.0, w = 1.0, r = g;
    float land = land_at(cell);
    for (int k = 1; k <= reach; ++k) {
        w *= r;
        r *= g * g;
        land += w * (land_at(cell + ivec2(k, 0)) + land_at(cell - ivec2(k, 0)));
        total += 2.0 * w;
    }
    o_mslp = vec4(land / total, 0.0, 0.0, 0.0);
}

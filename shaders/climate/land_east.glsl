// shaders/climate/land_east.glsl — sea-level pressure, blur step 1 of 4: the first stage (climate/
// blur.glsl) of the east-west Gaussian, applied to the land mask. The Climate Cookbook's pressure fits
// are per latitude for land and for ocean, and linear in the land fraction, so along a row blurring
// the pressure is blurring the land mask (climate/mslp_east.glsl turns it into pressure).
// East-west the kernel is as wide in km everywhere: sigma_cells = u_blur_sigma / (360° / W) / cos(lat)
// (capped at W near the poles, where it becomes a ring mean); taps stay less than half a ring away.
// Reads  terrain: bedrock [m above datum], sea_level [m above datum] (land where bedrock > sea_level).
// Writes land_blur: land = land fraction after the first east-west stage [0..1].
#define BLUR_T float
#include "climate/blur.glsl"

uniform float u_blur_sigma;   // [degrees of arc] standard deviation of the Gaussian

float blur_tap(ivec2 c) { Terrain t = terrain_at(c); return t.bedrock > t.sea_level ? 1.0 : 0.0; }

void pass_main(ivec2 cell) {
    vec2 plan = blur_stage(blur_sigma_east(u_blur_sigma, cell.y), 1);
    o_land_blur = LandBlur(blur_line(cell, plan, ivec2(1, 0)));
}

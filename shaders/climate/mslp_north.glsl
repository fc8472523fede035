// shaders/climate/mslp_north.glsl — sea-level pressure, blur steps 3 and 4 of 4: the north-south half of
// the separable Gaussian (climate/land_east.glsl has the east-west half), in the two stages of
// climate/blur.glsl (BLUR_STAGE = 1, then 2). Along a meridian the cells are equally spaced,
//   sigma_cells = u_blur_sigma / (180° / H),
// and the kernel runs on across a pole onto the opposite meridian (grid_fetch_near), so the pole rows
// are blurred like any other. Blurring the whole map this way also smooths the fits' latitude
// profile, as the Cookbook's recipe does (its equatorial trough ends near 1005 hPa, not 995).
// Reads  mslp: stage 1: r, g = annual mean, Jan - Jul difference blurred east-west [hPa];
//              stage 2: b, a = stage 1's result [hPa].
// Writes mslp: r, g unchanged; b = annual-mean sea-level pressure [hPa], a = January - July
//              sea-level pressure difference [hPa] (after stage 1: its first stage only).
#include "climate/blur.glsl"

uniform sampler2D t_mslp;
uniform float u_blur_sigma;   // [degrees of arc] standard deviation of the Gaussian

void pass_main(ivec2 cell) {
    vec2 plan = blur_stage(u_blur_sigma / (180.0 / float(u_grid.y)), BLUR_STAGE);
    vec4 mean = blur_column(t_mslp, cell, plan);
    o_mslp = vec4(texelFetch(t_mslp, cell, 0).rg, BLUR_STAGE == 1 ? mean.rg : mean.ba);
}

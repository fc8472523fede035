// shaders/climate/mslp_north.glsl — sea-level pressure, blur steps 3 and 4 of 4: the north-south half of
// the separable Gaussian (climate/land_east.glsl has the east-west half), in the two stages of
// climate/blur.glsl (BLUR_STAGE = 1, then 2). Along a meridian the cells are equally spaced,
//   sigma_cells = u_blur_sigma / (180° / H),
// and the kernel runs on across a pole onto the opposite meridian (the _near accessors), so the pole
// rows are blurred like any other. Blurring the whole map this way also smooths the fits' latitude
// profile, as the Cookbook's recipe does (its equatorial trough ends near 1005 hPa, not 995).
// Stage 1 reads  mslp: annual_east, swing_east = annual mean, Jan - Jul difference blurred east-west [hPa].
//         writes mslp_north: annual, swing = the same after the first north-south stage [hPa].
// Stage 2 reads  mslp_north: annual, swing (stage 1's result) [hPa]; mslp (kept but for annual, swing).
//         writes mslp: annual_east, swing_east unchanged; annual = annual-mean sea-level pressure [hPa],
//                      swing = January - July sea-level pressure difference [hPa].
#define BLUR_T vec2
#include "climate/blur.glsl"

uniform float u_blur_sigma;   // [degrees of arc] standard deviation of the Gaussian

#if BLUR_STAGE == 1
vec2 blur_tap(ivec2 c) { Mslp m = mslp_at(c); return vec2(m.annual_east, m.swing_east); }
#else
vec2 blur_tap(ivec2 c) { MslpNorth m = mslp_north_at(c); return vec2(m.annual, m.swing); }
#endif

void pass_main(ivec2 cell) {
    vec2 plan = blur_stage(u_blur_sigma / (180.0 / float(u_grid.y)), BLUR_STAGE);
    vec2 mean = blur_line(cell, plan, ivec2(0, 1));
#if BLUR_STAGE == 1
    o_mslp_north = MslpNorth(mean.x, mean.y);
#else
    Mslp m = mslp_at(cell);
    m.annual = mean.x;
    m.swing = mean.y;
    o_mslp = m;
#endif
}

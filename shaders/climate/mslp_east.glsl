// shaders/climate/mslp_east.glsl — sea-level pressure, blur step 2 of 4: the second stage (climate/
// blur.glsl) of the east-west Gaussian on the land fraction L, then the Climate Cookbook's fits
// (climate/physics.glsl, with the ocean trough's seasonal shift and the land's trough and heat lows) for this latitude: pressure = P_ocean(lat) + L (P_land(lat) - P_ocean(lat)),
// for the annual mean and for the January - July difference (MODEL.md §4).
// Reads  land_blur: land = land fraction after the first east-west stage [0..1].
// Writes mslp: annual_east = annual-mean sea-level pressure blurred east-west [hPa],
//              swing_east = January - July pressure difference blurred east-west [hPa];
//              annual, swing = 0 (climate.mslp_north_2 fills them in).
#define BLUR_T float
#include "climate/physics.glsl"
#include "climate/blur.glsl"

uniform float u_blur_sigma;   // [degrees of arc] standard deviation of the Gaussian
uniform float u_trough_shift; // [degrees] seasonal swing of the ocean's equatorial trough (climate/physics.glsl)
uniform float u_land_trough;  // [hPa] depth of the land's equatorial trough (climate/physics.glsl)
uniform float u_heat_low;     // [hPa] amplitude of the land's subtropical heat lows (climate/physics.glsl)

float blur_tap(ivec2 c) { return land_blur_at(c).land; }

void pass_main(ivec2 cell) {
    vec2 plan = blur_stage(blur_sigma_east(u_blur_sigma, cell.y), 2);
    float land = blur_line(cell, plan, ivec2(1, 0));
    float lat = degrees(cell_lonlat(cell).y);
    vec2 annual = mslp_annual(lat, u_land_trough), swing = mslp_swing(lat, u_trough_shift, u_heat_low);
    o_mslp = Mslp(mix(annual.x, annual.y, land), mix(swing.x, swing.y, land), 0.0, 0.0);
}

// shaders/climate/physics.glsl — shared climate formulas (included by the climate passes; not a pass).
// - The season clock: the climate state after `tick` ticks is at year fraction f = (tick mod N) / N
//   (N = u_steps_per_year, 0 = start of January; tick mod N is the derived u_year_step, or
//   u_year_step_next for tick + 1) and season s = cos(2 pi f): +1 at the start of January (northern
//   winter), -1 at the start of July (planet.stages.climate explains the clock).
// - The mean sea-level pressure fits of "The Climate Cookbook" (MODEL.md §4), lat in degrees, [hPa]:
//     annual   land 1012.5 - 6 cos(lat pi/45)     ocean 1014.5 - 20 cos(lat pi/30)
//     Jan-Jul  land 15 sin(lat pi/90)             ocean 20 sin(lat pi/35) |lat| / 90
//   and the season's pressure p = annual + s * (Jan - Jul difference), both blurred first.
//   Beyond the Cookbook (issue 15): its ocean fits keep the equatorial trough on the equator all year,
//   so the rain band (the trough's convergence) did not move. On Earth the trough and its ITCZ follow
//   the thermal equator into the summer hemisphere (zonal mean ~2° S in boreal winter to ~9° N in
//   summer: Schneider, Bischoff & Haug, "Migrations and dynamics of the intertropical convergence
//   zone", Nature 513, 2014). So the ocean's annual fit A(lat) is shifted by d = u_trough_shift degrees
//   towards the summer hemisphere, A(lat + d s), to first order in s (exact for the trough's parabolic
//   bottom; linear in s, so it stays in the Jan - Jul difference): the ocean Jan - Jul difference gains
//     d A'(lat) cos^2(lat pi/60) = d 20 (pi/30) sin(lat pi/30) cos^2(lat pi/60)   for |lat| < 30°
//   (A' in hPa per degree; the taper keeps the subtropical highs at ~30°, where A' = 0, in place).
//   Beyond the Cookbook (issue 18, checked against today's Earth by `planet earth-check`), two land terms:
//   - the equatorial land trough: tropical land's annual mean lowered by D exp(-(lat/10)^2 / 2),
//     D = u_land_trough. The Cookbook's land fit (1006.5 hPa at the equator) sits 12 hPa above its ocean
//     fit, so the Amazon and Congo were relative highs that the surface air left (dry rain forests);
//     on Earth the heated tropical continents hold the deepest convection and the lowest pressure of
//     their latitude (e.g. Hartmann 2016, Global Physical Climatology, ch. 6).
//   - the heat lows: the land's January - July difference gains H sign(lat) exp(-((|lat| - 25)/10)^2/2),
//     H = u_heat_low: the summer continents' thermal lows (Thar, Sahara, Arabia, Arizona, Australia) and
//     their winter highs, at 20-30° where the summer heating is strongest (Rodwell & Hoskins, "Monsoons
//     and the dynamics of deserts", Q. J. R. Meteorol. Soc. 122, 1996). With H = 14 hPa the July low over
//     South Asia is deeper than the equatorial ocean and the July wind over the Arabian Sea and India
//     turns south-westerly: the monsoon reverses (MODEL.md: "It reproduces monsoon reversal over a
//     large continent"; with the Cookbook's fits alone it did not).
// - The water-vapour column at saturation [mm = kg/m^2]: saturation vapour pressure by the Magnus form
//   of Alduchov & Eskridge (1996), e_s = 6.1094 exp(17.625 T / (T + 243.04)) hPa (T in °C), in an
//   exponential vapour profile of scale height Hv:  W_s = e_s Hv / (R_v T_K), R_v = 461.5 J/(kg K).
// - The sea-ice fraction that air at t_c [°C] freezes (climate/ice.glsl explains it).
// Reads and writes no fields.
#include "common/grid.glsl"
#include "common/constants.glsl"

uniform int u_steps_per_year;   // climate steps per simulated year (one per tick)
uniform uint u_year_step;        // tick mod steps_per_year: the year step of the state at this tick
uniform uint u_year_step_next;   // (tick + 1) mod steps_per_year: that of the state after this tick

// Year fraction and season of the state after `ahead` (0 or 1) ticks from this one. The tick mod N comes
// from the CPU (derived uniforms; issue 16: a CPU rasterizer divides integers by a uniform lane by lane).
float year_fraction(int ahead) { return float(ahead == 0 ? u_year_step : u_year_step_next) / float(u_steps_per_year); }
float season(int ahead) { return cos(2.0 * PI * year_fraction(ahead)); }

// Annual mean and January - July difference of sea-level pressure [hPa] over ocean (x) and land (y).
// land_trough, heat_low [hPa]: the amplitudes of the land's equatorial trough and heat lows (header).
vec2 mslp_annual(float lat_deg, float land_trough) {
    // Beyond the Cookbook: tropical land is as low as the ocean's trough (see the header).
    float g = lat_deg / 10.0;
    return vec2(1014.5 - 20.0 * cos(lat_deg * PI / 30.0),
                1012.5 - 6.0 * cos(lat_deg * PI / 45.0) - land_trough * exp(-0.5 * g * g));
}
vec2 mslp_swing(float lat_deg, float trough_shift, float heat_low) {
    // Beyond the Cookbook: the ocean's equatorial trough follows the thermal equator (see the header).
    float c = cos(lat_deg * PI / 60.0);
    float trough = abs(lat_deg) < 30.0 ? trough_shift * 20.0 * PI / 30.0 * sin(lat_deg * PI / 30.0) * c * c : 0.0;
    // Beyond the Cookbook: the subtropical continents' summer heat lows and winter highs (header).
    float h = (abs(lat_deg) - 25.0) / 10.0;
    return vec2(20.0 * sin(lat_deg * PI / 35.0) * abs(lat_deg) / 90.0 + trough,
                15.0 * sin(lat_deg * PI / 90.0) + heat_low * sign(lat_deg) * exp(-0.5 * h * h));
}

// Water-vapour column at saturation [mm] for air at t_c [°C] and vapour scale height hv [m]. The Magnus
// form is fitted for -80..+50 °C; colder air (e.g. on absurdly high ground) is treated as -100 °C.
float saturation_column(float t_c, float hv) {
    t_c = max(t_c, -100.0);
    float es = 610.94 * exp(17.625 * t_c / (t_c + 243.04));   // [Pa]
    return es * hv / (R_VAPOUR * (t_c + ZERO_CELSIUS_K));
}

// Sea ice: the fraction of a sea cell that air at t_c [°C] freezes over, sea water freezing at -1.8 °C
// and the cell fully frozen ramp [K] below it (climate/ice.glsl).
const float SEA_FREEZING = -1.8;   // [°C]
float sea_ice_target(float t_c, float ramp) { return clamp((SEA_FREEZING - t_c) / ramp, 0.0, 1.0); }

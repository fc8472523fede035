// shaders/climate/clouds.glsl — cloud cover (included by climate/vapour.glsl, whose pass writes it; not a
// pass of its own): formed by humid and rising air, carried by the wind, cleared
// by sinking air (beyond the reference, whose clouds are drawn from the vapour where it stands; issue 15).
// The cover C [0..1] is a tracer of the air: following the air it relaxes towards the cover the local
// conditions form, C_eq, over the clouds' lifetime tau_c:
//   dC/dt = (C_eq - C) / tau_c,   semi-Lagrangian: C' = (C_d + k C_eq) / (1 + k),  k = h / tau_c
// with C_d the cover at the departure point of the air that arrives at the cell centre after the climate
// step h (the trajectory climate/vapour.glsl traces back along great circles in the 3-D wind for the
// vapour, so it runs through the poles), implicit so any step is stable and C stays in [0, 1]. A cloud therefore moves with
// the wind from one tick to the next, fading by 1 / (1 + k) where nothing renews it.
// The cover the local conditions form (a simple diagnostic scheme of this project):
//   C_eq = max(1 - exp(-P / P_c), C_h) * S
//   - condensation: the precipitation rate P [mm/yr] (rain-out of rising and converging air); P_c =
//     u_cloud_rain, the rate at which 63 % of the cell is overcast;
//   - humidity: C_h = 0.5 (1 - sqrt((1 - r) / (1 - r_c)))+ with r = min(RH / rh, 1) the column's relative
//     humidity over the humidity at which it rains, r_c = 0.8: the relative-humidity cover of Sundqvist,
//     Berge & Kristjansson ("Condensation and cloud parameterization studies with a mesoscale numerical
//     weather prediction model", Mon. Wea. Rev. 117, 1989), at most half a cell (thin layer cloud);
//   - subsidence: S = 1 / (1 + max(-w, 0) / w_s), w_s = 3 mm/s: sinking air warms and dries adiabatically
//     and dissolves cloud, which clears the subtropical highs.
// Also written, for drawing (shaders/view/clouds.glsl): C_eq, and how far the air moves in one step (the
// wind times h) east and north, so the clouds' detail can drift with it.
// Reads  clouds (previous step): cover = cloud cover C [0..1].
//        flow: x, y, z = wind as a 3-D vector [m/s] (the drift).
//        lift: rise = rising air w [m/s] (< 0 sinking).
//        from the including pass (this step): the departure point, the precipitation rate P [mm/yr] and
//        relative humidity RH [1] of the column that arrives.
// The including pass declares u_step_seconds [s] (one climate step h) and u_rain_humidity [1].
// Returns clouds: cover = cloud cover C [0..1], formation = C_eq [0..1], drift_east, drift_north = the
//                air's displacement over one climate step towards the east, the north [km].

uniform float u_cloud_rain;        // [mm/yr] P_c
uniform float u_cloud_lifetime;    // [h] tau_c

const float CLOUD_CRITICAL = 0.8;         // r_c: humidity (over the rain humidity) where layer cloud starts
const float CLOUD_SINKING = 3.0e-3;       // [m/s] w_s: sinking speed that halves the cover

// How far the air at `cell` moves in a step east and north [km], for the view's drifting detail (the
// including pass calls it before its trajectory: issue 16, on a CPU rasterizer the two numbers held
// through the trace cost less than the wind and the cell's frame they come from).
vec2 clouds_drift(ivec2 cell) {
    Flow here = flow_at(cell);
    return en_from_3d(cell_lonlat(cell), vec3(here.x, here.y, here.z)) * u_step_seconds / 1000.0;   // [km]
}

// The clouds after this step at `cell`, whose arriving air left `departure` (lon, lat [rad]) one step
// ago; rain [mm/yr] and humidity [1] of the arriving column; drift = clouds_drift(cell).
Clouds clouds_step(ivec2 cell, vec2 departure, float rain, float humidity, vec2 drift) {
    float carried = clamp(clouds_sample(departure).cover, 0.0, 1.0);
    // The cover the conditions here form: condensation, humid air, less where the air sinks.
    float condensing = 1.0 - exp(-max(rain, 0.0) / u_cloud_rain);
    float r = min(humidity / u_rain_humidity, 1.0);
    float layer = 0.5 * max(1.0 - sqrt(max(1.0 - r, 0.0) / (1.0 - CLOUD_CRITICAL)), 0.0);
    float sinking = max(-lift_at(cell).rise, 0.0);
    float formed = max(condensing, layer) / (1.0 + sinking / CLOUD_SINKING);
    // Relax the carried cover towards it over the lifetime (implicit).
    float k = u_step_seconds / (u_cloud_lifetime * 3600.0);
    float cover = (carried + k * formed) / (1.0 + k);
    return Clouds(cover, formed, drift.x, drift.y);
}

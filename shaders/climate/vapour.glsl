// shaders/climate/vapour.glsl — water vapour: carried by the wind, evaporated, rained out (MODEL.md §4).
// The column water vapour W [mm] obeys, following the air,
//   dW/dt = beta g (W_s - W) / tau_e  -  (W - rh W_s)+ / tau_r  -  W |w| / Hv  -  a W (div u)-
// evaporation towards saturation (W_s grows ~7 %/K, so warm sea evaporates most; above saturation the
// term turns to dew), faster in more wind: g = max(|u|, U_g) / U_ref, the wind speed of the bulk
// aerodynamic formula E = rho C_E |u| (q_s - q_a) (e.g. Fairall et al., "Bulk parameterization of air-sea
// fluxes: updates and verification for the COARE algorithm", J. Climate 16, 2003) with a gustiness floor
// U_g = 4 m/s (calm convecting air still evaporates) and tau_e = evaporation_time at U_ref = 6 m/s, about
// this model's mean wind over the sea (beyond the reference, issue 15: the calm, damped air of the rain
// band evaporates less, which gives it an Earth-like peak); large-scale rain relaxing the column to the relative humidity rh (as the
// simplified Betts-Miller scheme of Frierson, "The dynamics of idealized convection schemes...",
// J. Atmos. Sci. 64, 2007, does with 0.7 and 2 h); rising air condensing its vapour at the rate it is
// lifted through the vapour's scale height Hv (the upslope source C_w w of Smith, "A linear upslope-
// time-delay model for orographic precipitation", J. Hydrology 282, 2003, with C_w = W / Hv); sinking
// air drying the column at the same rate W |w| / Hv, as it brings the drier air from above down (the
// vertical advection of the exponential vapour profile; beyond the reference, issue 18: it replaces the
// export of the surface layer's vapour by diverging wind, a (W div u)+, which is the same descent
// counted once, and it adds the Hadley cells' subsidence of climate/lift.glsl and lee slopes' descent);
// and converging air piling vapour up (div u < 0): only the share a = 1 - exp(-h_bl / Hv) of the column that
// lies in the surface layer of depth h_bl (the exponential vapour profile), as the free troposphere above
// it is taken as non-divergent (beyond the reference, issue 15: the whole column converging had made the
// equatorial rain band twice as wet); and (beyond the reference, issue 18) the storm tracks' cyclones
// raining the column out at a rate e W / Hv, e = w_S exp(-((|lat + 5 s| - 45) / 8)^2 / 2): the
// recipe's smooth pressure has no mid-latitude cyclones, yet their fronts bring 50-90 % of the rain
// there (Catto et al., "Relating global precipitation to atmospheric fronts", GRL 39, 2012). Their
// warm conveyor belts' ascent and the dry slots' descent cancel in the mean wind, but only the ascent
// condenses, so it is counted on top of the mean rise and sinking's drying, as a speed w_S =
// u_storm_track of a few mm/s (of the order of the storm tracks' mean ascent at 500 hPa, ~0.02-0.05
// Pa/s: Peixoto & Oort, "Physics of Climate", 1992, ch. 7), 45° from the thermal equator (lat_t = -5 s),
// 8° wide (a wider band reaches the subtropics, where it dried the trades feeding the rain forests).
// Semi-Lagrangian on the sphere: the trajectory ending at the cell centre is traced back over the
// climate step along great circles, in n sub-steps (n = |u| step / L, L = max(trajectory_step, a row's
// spacing) since finer than the grid gains nothing; at most MAX_SUBSTEPS), with the wind sampled as
// 3-D vectors (the flow field), so it runs through the poles like anywhere else. W is taken at the
// departure point and integrated forward along the path under the conditions (lift field) met there,
// implicitly (so W >= 0 and any step length is stable; a long step lands on the equilibrium of the
// terms together, not of the last one). The rain and potential evaporation written are the arriving
// column's rates.
// The same pass carries the clouds (climate/clouds.glsl, included): they ride the same air, so the
// departure point traced once serves both (issue 16: the trajectory was traced twice, ~3 ms a tick at
// 256x128 on a CPU rasterizer), and their formation reads the vapour and rain computed here.
// What this step's weather does to the surface (sea ice, snow, the soil's bucket) is the next pass,
// climate.surface (climate/surface.glsl): as two more outputs of this one they cost more than a pass of
// their own (issue 16; its header has the numbers).
// Cost (issue 16; a CPU rasterizer spends most of this pass on texel fetches and transcendentals): the
// first point of the path is the cell centre, whose conditions are the cell's own (a bilinear sample
// there has zero weights up to float rounding, ~3e-5 of a cell: the same values but for that rounding,
// at 2 fetches instead of 8); and a sub-step moves along the great circle by the angle a = |u| dt / R
// as p + tan(a) u/|u| (normalized) with tan(a) / a = 1 + a^2/3 + 2 a^4/15, whose neglected 17 a^6/315
// is below float rounding for a < 0.2 (a 300 km sub-step is a = 0.05; 0.2 is a 30 m/s wind over a
// quarter of a climate step) and 8e-4 of the step at a = 0.5; for any a the point stays less than a
// quarter circle away, as tan's did (no sqrt, division or tan per sub-step).
// Reads  vapour: column = water-vapour column W [mm] (previous step).
//        flow: x, y, z = wind as a 3-D vector [m/s], speed = wind speed |u| [m/s].
//        lift: rise = rising air w [m/s], divergence [1/s], saturation = saturation column W_s [mm],
//              evaporation = evaporation efficiency beta [0..1].
//        clouds: cover = cloud cover C [0..1] (previous step; climate/clouds.glsl).
// Writes vapour: column = water-vapour column W [mm], rain = precipitation rate [mm/yr],
//                evaporation = potential evaporation rate g (W_s - W)+ / tau_e [mm/yr],
//                humidity = relative humidity W / W_s [1].
//        clouds: cover, formation, drift_east, drift_north (climate/clouds.glsl).
#include "climate/physics.glsl"

uniform float u_step_seconds;      // [s] one climate step (derived: a year / steps_per_year)
uniform float u_trajectory_step;   // [km] longest distance of one trajectory sub-step
uniform float u_vapour_height;     // [m] scale height of water vapour
uniform float u_evaporation_seconds;   // [s] tau_e (derived from evaporation_time)
uniform float u_rain_seconds;          // [s] tau_r (derived from rain_time)
uniform float u_rain_humidity;     // [-] relative humidity above which the column rains
uniform float u_boundary_layer;    // [m] depth of the surface layer whose wind converges / diverges
uniform float u_storm_track;       // [mm/s] w_S: the storm tracks' condensing ascent at 45° from the thermal equator
// The clouds' step (after the uniforms above, which it uses).
#include "climate/clouds.glsl"

// The share of the column's vapour in the surface layer, 1 - exp(-h_bl / Hv): the part that the surface
// wind's convergence gathers (the free troposphere above it is taken as non-divergent).
float surface_share() { return 1.0 - exp(-u_boundary_layer / u_vapour_height); }

const float GUSTINESS = 4.0;           // [m/s] U_g
const float EVAPORATION_WIND = 6.0;    // [m/s] U_ref
const int MAX_SUBSTEPS = 4;   // the most sub-steps (the path arrays' length; pass_main stores points 1..3 by name)

// The storm tracks' rain-out rate e / Hv [1/s] at a latitude [radians], in the season of the lift field
// (the state after this tick, as weather.glsl's).
float storm_rate(float lat) {
    float z = (abs(degrees(lat) + 5.0 * season(1)) - 45.0) / 8.0;
    return 0.001 * u_storm_track * exp(-0.5 * z * z) / u_vapour_height;
}

// The evaporation's wind factor g for a wind speed [m/s].
float wind_factor(float speed) { return max(speed, GUSTINESS) / EVAPORATION_WIND; }

// The terms of dW/dt = a - b W at one point of the path, under the conditions c (the lift field), wind
// factor g and storm-track rate e [1/s], for sub-steps of dt: computed where the point is sampled, so the
// path holds four numbers a point, not the six they come from (issue 16: on a CPU rasterizer, whose
// SIMD registers hold the path, fewer live values spill less).
//   gather = exp(clamp(-a_bl div dt, 0, 1)), the converging air's concentration (at most by exp(1));
//   wet = rh W_s, where rain starts; a, b: the dry regime's source and rate (the rain term adds
//   rh W_s / tau_r and 1 / tau_r; evaporation is linear, negative above saturation = dew).
struct Terms { float gather; float wet; float a; float b; };
Terms terms(Lift c, float g, float e, float dt) {
    float tau_e = u_evaporation_seconds / g;
    return Terms(exp(clamp(-surface_share() * c.divergence * dt, 0.0, 1.0)), u_rain_humidity * c.saturation,
                 c.evaporation * c.saturation / tau_e,
                 c.evaporation / tau_e + abs(c.rise) / u_vapour_height   // rain-out by ascent, drying by descent
                 + e);                                                    // the storm tracks' cyclones
}

// One sub-step of dt seconds under the terms t. Converging air concentrates the column first; then the
// backward Euler step (w + dt a) / (1 + dt b), implicit so W >= 0 at any dt, in the regime (raining above
// rh W_s or not) where it ends: where the step crosses rh W_s, the column ends at rh W_s unless the other
// regime carries it past.
float integrate(float w, Terms t, float dt) {
    w *= t.gather;
    float tau_r = u_rain_seconds;
    float dry = (w + dt * t.a) / (1.0 + dt * t.b);
    float moist = (w + dt * (t.a + t.wet / tau_r)) / (1.0 + dt * (t.b + 1.0 / tau_r));
    if (w <= t.wet) return dry <= t.wet ? dry : max(moist, t.wet);
    return moist >= t.wet ? moist : min(dry, t.wet);
}

// One sub-step upwind from q (unit position; ll its longitude/latitude) in the wind f, k = dt / R [s/m]:
// along the great circle by a = |v| dt / R, q - tan(a) v / |v| = q - k v tan(a) / a (header); calm air
// stays exactly where it is.
void upwind(inout vec3 q, inout vec2 ll, Flow f, float k) {
    vec3 v = vec3(f.x, f.y, f.z);
    v -= dot(v, q) * q;
    float v2 = dot(v, v);
    if (v2 > 1e-12) {
        float a2 = v2 * k * k;
        q = normalize(q - (k * (1.0 + a2 * (1.0 / 3.0 + a2 * (2.0 / 15.0)))) * v);
        ll = pos_lonlat(q);
    }
}

void pass_main(ivec2 cell) {
    float radius_m = 1000.0 * u_radius;
    float speed = flow_at(cell).speed;
    float reach = 1000.0 * max(u_trajectory_step, cell_dy_km());   // [m] longest sub-step
    int n = clamp(int(ceil(speed * u_step_seconds / reach)), 1, MAX_SUBSTEPS);
    float dt = u_step_seconds / float(n);
    vec2 drift = clouds_drift(cell);   // for the clouds (climate/clouds.glsl)
    // Trace back: path[m] holds the integration's terms at the m-th point (0 = the cell), going upwind.
    Terms path[MAX_SUBSTEPS];
    vec3 q = cell_pos(cell);
    vec2 ll = cell_lonlat(cell);
    float k = dt / radius_m;   // [s/m] the angle a sub-step turns per unit of wind speed
    // The first point is the cell centre: the cell's own conditions (see the header).
    Lift here = lift_at(cell);
    Flow f = flow_at(cell);
    float gust = wind_factor(f.speed), storm = storm_rate(ll.y);   // g and e at the cell
    path[0] = terms(here, gust, storm, dt);
    upwind(q, ll, f, k);
    // The others, sampled where the trace has got to. A loop that runs n - 1 times, not an unrolled
    // MAX_SUBSTEPS - 1 (a CPU rasterizer runs every branch of unrolled code, but leaves a loop once all
    // its cells are done; issue 16), storing by constant indices (a variable index into a local array is
    // slow there too).
    for (int m = 1; m < n; ++m) {
        Lift c = lift_sample(ll);
        f = flow_sample(ll);
        Terms t = terms(c, wind_factor(f.speed), storm_rate(ll.y), dt);
        if (m == 1)      path[1] = t;
        else if (m == 2) path[2] = t;
        else             path[3] = t;
        upwind(q, ll, f, k);
    }
    // Forward from the departure point along the path (unrolled: constant indices).
    float w = max(vapour_sample(ll).column, 0.0);
    for (int m = MAX_SUBSTEPS - 1; m >= 0; --m)
        if (m < n) w = integrate(w, path[m], dt);
    // Local rates of the arriving column [mm/s -> mm/yr].
    float rain = max(w - u_rain_humidity * here.saturation, 0.0) / u_rain_seconds
               + w * max(here.rise, 0.0) / u_vapour_height + w * storm;
    float evap = gust * max(here.saturation - w, 0.0) / u_evaporation_seconds;
    float humidity = w / max(here.saturation, 1e-6);
    o_vapour = Vapour(w, rain * SECONDS_PER_YEAR, evap * SECONDS_PER_YEAR, humidity);
    // The clouds of the air that arrives: carried from the same departure point, formed by this column.
    o_clouds = clouds_step(cell, ll, rain * SECONDS_PER_YEAR, humidity, drift);
}

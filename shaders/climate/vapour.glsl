// shaders/climate/vapour.glsl — water vapour: carried by the wind, evaporated, rained out (MODEL.md §4).
// The column water vapour W [mm] obeys, following the air,
//   dW/dt = beta (W_s - W) / tau_e  -  (W - rh W_s)+ / tau_r  -  W w+ / Hv  -  W div u
// evaporation towards saturation (W_s grows ~7 %/K, so warm sea evaporates most; above saturation the
// term turns to dew); large-scale rain relaxing the column to the relative humidity rh (as the
// simplified Betts-Miller scheme of Frierson, "The dynamics of idealized convection schemes...",
// J. Atmos. Sci. 64, 2007, does with 0.7 and 2 h); rising air condensing its vapour at the rate it is
// lifted through the vapour's scale height Hv (the upslope source C_w w of Smith, "A linear upslope-
// time-delay model for orographic precipitation", J. Hydrology 282, 2003, with C_w = W / Hv); and
// converging air piling vapour up (div u < 0).
// Semi-Lagrangian on the sphere: the trajectory ending at the cell centre is traced back over the
// climate step along great circles, in n sub-steps (n = |u| step / L, L = max(trajectory_step, a row's
// spacing) since finer than the grid gains nothing; at most MAX_SUBSTEPS), with the wind sampled as
// 3-D vectors (the flow field), so it runs through the poles like anywhere else. W is taken at the
// departure point and integrated forward along the path under the conditions (lift field) met there,
// implicitly (so W >= 0 and any step length is stable; a long step lands on the equilibrium of the
// terms together, not of the last one). The rain and potential evaporation written are the arriving
// column's rates.
// Reads  vapour: r = water-vapour column W [mm] (previous step).
//        flow: rgb = wind as a 3-D vector [m/s], a = wind speed [m/s].
//        lift: r = rising air w [m/s], g = divergence [1/s], b = saturation column W_s [mm], a = beta [0..1].
// Writes vapour: r = water-vapour column W [mm], g = precipitation rate [mm/yr],
//                b = potential evaporation rate (W_s - W)+ / tau_e [mm/yr], a = relative humidity W / W_s.
#include "climate/physics.glsl"

uniform sampler2D t_vapour;
uniform sampler2D t_flow;
uniform sampler2D t_lift;
uniform float u_step_seconds;      // [s] one climate step (derived: a year / steps_per_year)
uniform float u_trajectory_step;   // [km] longest distance of one trajectory sub-step
uniform float u_vapour_height;     // [m] scale height of water vapour
uniform float u_evaporation_time;  // [days] tau_e
uniform float u_rain_time;         // [hours] tau_r
uniform float u_rain_humidity;     // [-] relative humidity above which the column rains

const int MAX_SUBSTEPS = 4;   // small, so that compilers unroll the loops (software renderers run rolled loops slowly)

// Backward Euler of dW/dt = a - b W over dt under the conditions c = lift (w, div, W_s, beta), with the
// rain term on or off (the only one-sided term: evaporation is linear, negative above saturation = dew).
float euler(float w, vec4 c, float dt, bool raining) {
    float tau_e = u_evaporation_time * SECONDS_PER_DAY, tau_r = u_rain_time * SECONDS_PER_HOUR;
    float a = c.a * c.b / tau_e, b = c.a / tau_e + max(c.r, 0.0) / u_vapour_height + max(c.g, 0.0);
    if (raining) { a += u_rain_humidity * c.b / tau_r; b += 1.0 / tau_r; }
    return (w + dt * a) / (1.0 + dt * b);
}

// One sub-step of dt seconds. Converging air (div < 0) concentrates the column first (at most by e);
// then the implicit step, in the regime (raining above rh W_s or not) where it ends: where the step
// crosses rh W_s, the column ends at rh W_s unless the other regime carries it past.
float integrate(float w, vec4 c, float dt) {
    w *= exp(clamp(-c.g * dt, 0.0, 1.0));
    float wet = u_rain_humidity * c.b;
    float dry = euler(w, c, dt, false), moist = euler(w, c, dt, true);
    if (w <= wet) return dry <= wet ? dry : max(moist, wet);
    return moist >= wet ? moist : min(dry, wet);
}

void pass_main(ivec2 cell) {
    float radius_m = 1000.0 * u_radius;
    float speed = texelFetch(t_flow, cell, 0).a;
    float reach = 1000.0 * max(u_trajectory_step, cell_dy_km());   // [m] longest sub-step
    int n = clamp(int(ceil(speed * u_step_seconds / reach)), 1, MAX_SUBSTEPS);
    float dt = u_step_seconds / float(n);
    // Trace back: path[m] holds the conditions at the m-th point (0 = the cell), going upwind.
    vec4 path[MAX_SUBSTEPS];
    vec3 q = cell_pos(cell);
    vec2 ll = cell_lonlat(cell);
    for (int m = 0; m < n; ++m) {
        path[m] = grid_sample(t_lift, ll);
        vec3 v = grid_sample(t_flow, ll).xyz;
        v -= dot(v, q) * q;
        float sp = length(v);
        if (sp > 1e-6) {   // upwind along the great circle
            q = sphere_step(q, -v / sp, min(sp * dt / radius_m, 1.5));
            ll = pos_lonlat(q);
        }
    }
    // Forward from the departure point along the path.
    float w = max(grid_sample(t_vapour, ll).r, 0.0);
    for (int m = n - 1; m >= 0; --m) w = integrate(w, path[m], dt);
    // Local rates of the arriving column [mm/s -> mm/yr].
    vec4 here = path[0];
    float rain = max(w - u_rain_humidity * here.b, 0.0) / (u_rain_time * SECONDS_PER_HOUR)
               + w * max(here.r, 0.0) / u_vapour_height;
    float evap = max(here.b - w, 0.0) / (u_evaporation_time * SECONDS_PER_DAY);
    o_vapour = vec4(w, rain * SECONDS_PER_YEAR, evap * SECONDS_PER_YEAR, w / max(here.b, 1e-6));
}

// shaders/people/carbon.glsl — people burn fossil carbon; the air's CO2 is carried by the wind, mixed, fed
// by them and taken up by plants (planet.stages.people, step 2). With C [ppm], over the tick's dt [years]:
//   emit     E = per_capita P share [tC/(km² yr)]: the people P of the previous tick, the share of the
//            planet's demand the fossil reserve meets this tick (people/reserve.glsl)
//   wind     C_a = C at the point the air comes from: traced back along great circles over
//            min(dt, advection_step) in <= MAX_SUBSTEPS sub-steps of the climate's 3-D surface wind (the
//            flow field, so it runs through the poles), as the climate's water vapour (climate/vapour.glsl)
//   mix      for the rest of the tick the atmosphere mixes: with the global mean G and the anomaly
//            A = C - G, dA/dt = (S - <S>) - A / tau (tau = mixing_time, S = E / CARBON_PER_PPM [ppm/yr],
//            <S> its area mean), dG/dt = <S>; over dt with m = e^(-dt/tau):
//              C' = G0 + (C_a - M) m + S tau (1 - m) + <S> (dt - tau (1 - m))
//            G0 = the budget's mean co2_initial + (emitted - uptake) / (CARBON_PER_PPM area) and M the
//            field's own mean (co2_ppm), both of the previous tick, so transport never adds or loses
//            carbon for more than one tick (a global mass fixer); <S> = per_capita population share /
//            (CARBON_PER_PPM area) exactly, the population being the previous tick's scalar.
//   uptake   plants take up the excess over co2_initial at the rate plants / uptake_time, exactly
//            over dt: removed = (C' - co2_initial)+ (1 - e^(-dt plants / uptake_time))
//   ledgers  emitted += E dt,  uptake += removed CARBON_PER_PPM   [tC/km²]
// Reads  carbon: co2 [ppm], emitted, uptake [tC/km²] (previous tick).
//        flow: x, y, z = surface wind as a 3-D vector [m/s], speed [m/s].
//        people: density P [1/km²] (previous tick).   people_habitat: plants [1].
//        scalars: co2_ppm [ppm], emitted, uptake [tC], population [people] (end of the previous tick).
// Writes carbon: co2 [ppm], emitted [tC/km²], uptake [tC/km²], emission E [tC/(km² yr)].
// Cost (issue 16): no quiet cells: the wind carries the CO2 over the sea and empty land as anywhere. At
// 512x256 in the people era ~1/3 of the pass is the wind's bilinear fetches along the trace (4 a sub-step,
// ~2.7 sub-steps a cell), ~1/10 the departure point's; emission and uptake are a few % (less than a mask's
// draw would cost).
#include "common/constants.glsl"
#include "people/reserve.glsl"

uniform float u_co2_initial;      // [ppm] CO2 at reset; plants take up the excess over it
uniform float u_uptake_time;      // [years] e-folding time of the excess over plant density 1
uniform float u_mixing_time;      // [years] tau
uniform float u_advection_step;   // [days] most time traced back along the wind per tick

const int MAX_SUBSTEPS = 4;
const float TRAJECTORY_STEP_KM = 300.0;   // longest sub-step (the climate's default trajectory_step)

// 1 - e^(-x) without cancellation for small x.
float one_minus_exp(float x) { return x < 1.0e-3 ? x * (1.0 - 0.5 * x * (1.0 - x / 3.0)) : 1.0 - exp(-x); }

void pass_main(ivec2 cell) {
    Carbon here = carbon_at(cell);
    // Wind: where this cell's air was at the start of the traced span.
    float span = min(u_dt * SECONDS_PER_YEAR, u_advection_step * SECONDS_PER_DAY);   // [s]
    float radius_m = 1000.0 * u_radius;
    float reach = 1000.0 * max(TRAJECTORY_STEP_KM, cell_dy_km());
    int n = clamp(int(ceil(flow_at(cell).speed * span / reach)), 1, MAX_SUBSTEPS);
    float h = span / float(n);
    vec3 q = cell_pos(cell);
    vec2 ll = cell_lonlat(cell);
    for (int k = 0; k < n; ++k) {
        Flow f = flow_sample(ll);
        vec3 v = vec3(f.x, f.y, f.z);
        v -= dot(v, q) * q;
        float sp = length(v);
        if (sp > 1.0e-6) {
            q = sphere_step(q, -v / sp, min(sp * h / radius_m, 1.5));
            ll = pos_lonlat(q);
        }
    }
    float c_wind = carbon_sample(ll).co2;
    // Mix around the planet, starting from the carbon budget's mean.
    float area = 4.0 * PI * u_radius * u_radius;                                        // [km²]
    float budget = u_co2_initial + (scalar_emitted() - scalar_uptake()) / (CARBON_PER_PPM * area);
    float share = reserve_share();
    float emission = u_per_capita * people_at(cell).density * share;                   // [tC/(km² yr)]
    float s_here = emission / CARBON_PER_PPM;                                           // [ppm/yr]
    float s_mean = reserve_demand() * share / (CARBON_PER_PPM * area);                 // [ppm/yr]
    float mixed = u_mixing_time * one_minus_exp(u_dt / u_mixing_time);                  // tau (1 - m) [yr]
    float m = exp(-u_dt / u_mixing_time);
    float c = budget + (c_wind - scalar_co2_ppm()) * m + s_here * mixed + s_mean * max(u_dt - mixed, 0.0);
    c = max(c, 0.0);
    // Plants take up the excess.
    float removed = max(c - u_co2_initial, 0.0) * one_minus_exp(u_dt * people_habitat_at(cell).plants / u_uptake_time);
    c -= removed;
    o_carbon = Carbon(c, here.emitted + emission * u_dt, here.uptake + removed * CARBON_PER_PPM, emission);
}

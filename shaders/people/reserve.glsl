// shaders/people/reserve.glsl — how much of the planet's demand for fossil carbon the reserve meets this
// tick (included by people/grow.glsl, which emits, and people/carbon.glsl, which mixes what is emitted).
//   R = reserve - emitted  [tC, what is left],   Q = per_capita x population  [tC/yr, the demand]
//   share = min(1, R / (Q max(dt, TAPER_YEARS)))   (0 once R = 0; 1 while nobody emits)
// so the reserve is burnt at the rate asked until less than TAPER_YEARS of it remain, then ever more
// slowly (R falls by e^(-dt / TAPER_YEARS) a tick), and no tick, however long, burns more than is left.
// Reads the scalars population [people] and emitted [tC] (end of the previous tick); no fields.
uniform float u_per_capita;     // [tC/yr] per person
uniform float u_reserve;        // [GtC] fossil carbon there is to burn

const float TAPER_YEARS = 10.0;   // [years]

float reserve_left() { return max(u_reserve * 1.0e9 - scalar_emitted(), 0.0); }          // [tC]
float reserve_demand() { return u_per_capita * scalar_population(); }                    // [tC/yr]

float reserve_share() {
    float left = reserve_left(), demand = reserve_demand();
    if (left <= 0.0) return 0.0;
    return demand > 0.0 ? min(1.0, left / (demand * max(u_dt, TAPER_YEARS))) : 1.0;
}

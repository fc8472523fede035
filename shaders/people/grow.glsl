// shaders/people/grow.glsl — people spread, settle, grow and leave (planet.stages.people, step 3).
// Over the tick's dt [years], in this order:
//   spread   P += a (P_n - P),  P_n = sum_k w_k P_k / sum_k w_k over the 4 land neighbours k,
//            w_k = 1 / (spacing to k)^2,  a = 1 - exp(-dt D sum_k w_k): diffusion dP/dt = D lap P, which
//            at long dt relaxes to the neighbours' mean instead of overshooting (stable at any dt)
//   settle   where nobody lives yet, from `start` on (u_settling): P = seed_density with probability
//            1 - exp(-seed_rate habitability area dt) (area in Mkm²; an integer hash of cell, tick, seed)
//   grow     towards K = capacity x habitability: exact logistic solution over dt when P < K,
//              P' = K P / (K e^(-r dt) + P (1 - e^(-r dt))),
//   leave    or, when P > K, P' = K + (P - K) e^(-dt / leave_time)
//   vanish   0 at sea, on frozen ground (habitability 0 and T_mean <= 0) and below 1e-3 people/km²
// Reads  people: density [1/km²] (previous tick).
//        people_habitat: habitability [0..1], temperature_mean [°C].
//        terrain: bedrock, sea_level [m above datum].
// Writes people: density [1/km²], capacity K [1/km²].
// Sea cells (people.sea's mask) run pass_quiet: nobody, and the capacity (Pass.quiet, issue 16).
#include "common/hash.glsl"

uniform float u_settling;       // 1 once simulated time has reached `start` (derived), else 0
uniform float u_seed_rate;      // [1/(Mkm² yr)] settlements per Mkm² of fully habitable land per year
uniform float u_seed_density;   // [1/km²] density of a new settlement
uniform float u_growth_rate;    // [1/yr] r
uniform float u_capacity;       // [1/km²] what the best land supports
uniform float u_spread;         // [km²/yr] D
uniform float u_leave_time;     // [years]

const float GONE = 1.0e-3;        // [1/km²] a settlement thinner than this is gone

bool is_land(ivec2 c) { Terrain t = terrain_near(c); return t.bedrock > t.sea_level; }

// A sea cell (people.sea; Pass.quiet): nobody lives there; the capacity as on land.
void pass_quiet(ivec2 cell) {
    o_people = People(0.0, u_capacity * people_habitat_at(cell).habitability);
}

void pass_main(ivec2 cell) {
    PeopleHabitat hab = people_habitat_at(cell);
    float p = people_at(cell).density;
    // Spread: diffusion towards the land neighbours' mean (E, W: east spacing; N, S: north spacing).
    float dx = max(cell_dx_km(cell.y), 1.0), dy = cell_dy_km();
    ivec2 steps[4] = ivec2[4](ivec2(1, 0), ivec2(-1, 0), ivec2(0, 1), ivec2(0, -1));
    float wsum = 0.0, psum = 0.0;
    for (int k = 0; k < 4; ++k) {
        ivec2 n = cell + steps[k];
        if (!is_land(n)) continue;
        float wk = 1.0 / (k < 2 ? dx * dx : dy * dy);
        wsum += wk;
        psum += wk * people_near(n).density;
    }
    if (wsum > 0.0) p += (1.0 - exp(-u_dt * u_spread * wsum)) * (psum / wsum - p);
    // Settle: a rare new settlement on habitable, empty land.
    if (u_settling > 0.5 && p < GONE && hab.habitability > 0.0) {
        float chance = 1.0 - exp(-u_seed_rate * hab.habitability * cell_area_km2(cell.y) * 1.0e-6 * u_dt);
        if (hash_cell(cell, u_tick, u_seed).x < chance) p = u_seed_density;
    }
    // Grow towards what the land supports, or leave what it no longer does.
    float cap = u_capacity * hab.habitability;
    if (p < cap) {
        float e = exp(-u_growth_rate * u_dt);   // (p = 0 stays 0)
        p = p > 0.0 ? cap * p / (cap * e + p * (1.0 - e)) : 0.0;
    } else {
        p = cap + (p - cap) * exp(-u_dt / u_leave_time);
    }
    // Nobody at sea, on frozen ground, or in a settlement that has dwindled away.
    bool frozen = hab.habitability <= 0.0 && hab.temperature_mean <= 0.0;
    if (!is_land(cell) || frozen || p < GONE) p = 0.0;
    o_people = People(p, cap);
}

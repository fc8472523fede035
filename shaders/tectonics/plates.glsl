// shaders/tectonics/plates.glsl — step: plate ids and uplift stress after this tick's move (MODEL.md §2).
//  1. Ids and stress move with the crust (from the source cell in plate_motion); a collision sets
//     the stress to 1; a rift, or the start of a cycle (every plate dissolves), unassigns the cell.
//  2. Stress diffuses within its own plate (neighbours of other plates exchange nothing) and decays:
//       s += sum_n w_n (s_n - s),  w_n = (1 - exp(-4 kappa dt / d_n^2)) / 4,   then s *= exp(-dt / tau)
//     with d_n the metric spacing to neighbour n [km] (east-west R cos(lat) dlon, north-south R dlat):
//     explicit diffusion for small kappa dt / d^2, saturating at the neighbour mean (always stable,
//     also at the poles where the east-west spacing -> 0).
//  3. Seeding: plate k of the cycle nucleates in its seed cell in the tick of its birth, if that
//     cell is unassigned (tectonics/plate.glsl).
//  4. Growth by aggregation in metric units: an unassigned cell joins the first plate found upstream
//     along a flow shared by the whole globe this tick (rotation about a random axis), within the
//     distance a front grows this tick: growth_speed dt times a smooth fBm factor in [0.2, 1.8] so
//     that fronts are irregular, in steps of one cell spacing whose count is rounded with a per-tick
//     draw so the mean reach is exact. The shared direction keeps boundaries clean where fronts
//     meet; the reference's "join a random neighbour" is the case of a one-cell reach.
// Reads  plates: r = plate id, g = uplift stress [0..1].   plate_motion: r, g = source cell,
//        a = event (0 none, 1 collision, 2 rift).
// Writes plates: r = plate id (-1 unassigned)  g = uplift stress [0..1]
//                b, a = velocity of the cell's plate east, north [km/yr] (0 when unassigned).
#include "tectonics/plate.glsl"
#include "common/fbm.glsl"

uniform sampler2D t_plates;
uniform sampler2D t_plate_motion;
uniform float u_growth_speed;        // [km/yr] how fast a growing plate's front advances
uniform float u_stress_decay;        // [years] e-folding time of uplift stress
uniform float u_stress_diffusivity;  // [km^2/yr] (derived: belt_width^2 / stress_decay)

const int MAX_GROWTH_STEPS = 32;

// (plate id, uplift stress) that the cell whose plate_motion texel is m holds after the move.
vec2 moved(vec4 m) {
    int ev = int(m.a + 0.5);
    if (ev == int(EVENT_RIFT)) return vec2(NO_PLATE, 0.0);
    vec4 src = texelFetch(t_plates, ivec2(m.rg), 0);
    return vec2(tect_cycle_begins() ? NO_PLATE : src.r, ev == int(EVENT_COLLISION) ? 1.0 : src.g);
}

int moved_id(ivec2 c) { return plate_id(moved(texelFetch(t_plate_motion, c, 0)).x); }

int nucleate(ivec2 cell, int e) {
    for (int k = 0; k < u_plate_count; ++k) {
        vec4 seed = plate_seed(k, e);
        if (seed.w > u_time && seed.w <= u_time + u_dt && all(equal(pos_cell(seed.xyz), cell))) return k;
    }
    return -1;
}

int grow(ivec2 cell, int e) {
    vec3 h = hash3(ivec3(e, int(u_tick), 0x6772), u_seed);
    vec3 p = cell_pos(cell);
    vec3 flow = cross(sphere_point(h.xy), p);
    if (length(flow) < 1e-3) return -1;
    vec3 up = -normalize(flow);
    float reach = u_growth_speed * u_dt * clamp(1.0 + 0.8 * fbm(3.0 * p, 3, u_seed ^ (uint(e) * 0x9E3779B9u)), 0.2, 1.8);
    float n = reach / cell_dy_km();  // [cells]
    int steps = n <= float(MAX_GROWTH_STEPS) ? int(floor(n + h.z)) : MAX_GROWTH_STEPS;
    float ds = (n <= float(MAX_GROWTH_STEPS) ? cell_dy_km() : reach / float(MAX_GROWTH_STEPS)) / u_radius;
    for (int i = 1; i <= steps; ++i) {
        int id = moved_id(pos_cell(p * cos(float(i) * ds) + up * sin(float(i) * ds)));
        if (id >= 0) return id;
    }
    return -1;
}

void pass_main(ivec2 cell) {
    int e = tect_cycle();
    if (e < 0) {
        o_plates = texelFetch(t_plates, cell, 0);
        return;
    }
    vec2 here = moved(texelFetch(t_plate_motion, cell, 0));
    int id = plate_id(here.x);
    float s = here.y;
    if (id >= 0) {
        float ds = 0.0;
        for (int k = 0; k < 4; ++k) {
            ivec2 n = grid_neighbour(cell, k == 0 ? ivec2(1, 0) : k == 1 ? ivec2(-1, 0) : k == 2 ? ivec2(0, 1) : ivec2(0, -1));
            vec2 there = moved(texelFetch(t_plate_motion, n, 0));
            if (plate_id(there.x) != id) continue;
            float dn = k < 2 ? cell_dx_km(cell.y) : cell_dy_km();  // [km] (also across a pole)
            ds += 0.25 * (1.0 - exp(-4.0 * u_stress_diffusivity * u_dt / (dn * dn))) * (there.y - s);
        }
        s += ds;
    }
    s = clamp(s * exp(-u_dt / u_stress_decay), 0.0, 1.0);
    if (id < 0) id = nucleate(cell, e);
    if (id < 0) id = grow(cell, e);
    vec2 v = id >= 0 ? plate_velocity(plate_spin(id, e), cell) : vec2(0.0);
    o_plates = vec4(float(id), s, v);
}

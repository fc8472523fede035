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
//     along a flow shared by the whole globe this tick (rotation about a random axis, its direction
//     meandering in waves across the globe so that flow lines, and the sides of what grows along
//     them, are curves rather than great circles: issue 15's straight plate edges), within the
//     distance a front grows this tick: growth_speed dt times a smooth fBm factor in [0.2, 1.8] so
//     that fronts are irregular, in steps of one cell spacing whose count is rounded with a per-tick
//     draw so the mean reach is exact. The shared direction keeps boundaries clean where fronts
//     meet; the reference's "join a random neighbour" is the case of a one-cell reach.
// Reads  plates: plate = plate id.   plate_state: stress = uplift stress [0..1].
//        plate_motion: source_i, source_j = source cell, event (0 none, 1 collision, 2 rift).
// Writes plates: plate = plate id (-1 unassigned).
//        plate_state: stress = uplift stress [0..1]; velocity_east, velocity_north = velocity of the
//                     cell's plate [km/yr] (0 when unassigned).
#include "tectonics/plate.glsl"
#include "common/fbm.glsl"

uniform float u_growth_speed;        // [km/yr] how fast a growing plate's front advances
uniform float u_stress_decay;        // [years] e-folding time of uplift stress
uniform float u_stress_diffusivity;  // [km^2/yr] (derived: belt_width^2 / stress_decay)

const int MAX_GROWTH_STEPS = 32;
// The flow's meander: its direction turns about the vertical by MEANDER sin(MEANDER_WAVES x . a + phi)
// (a, phi drawn per tick), so flow lines are waves ~4,400 km long, not great circles: a growth sweep's
// side, which is a flow line, is a curve (issue 15: straight sides along a meridian printed stripes).
const float MEANDER = 0.6;         // [radians] largest turn
const float MEANDER_WAVES = 9.0;   // waves per radian of x . a

// What a cell holds after the move: its plate id and uplift stress [0..1].
struct Moved {
    int plate;
    float stress;
};

// The plate and stress that the cell whose move is m holds after it.
Moved moved(PlateMotion m) {
    if (m.event == EVENT_RIFT) return Moved(NO_PLATE, 0.0);
    ivec2 src = ivec2(m.source_i, m.source_j);
    return Moved(tect_cycle_begins() ? NO_PLATE : plates_at(src).plate,
                 m.event == EVENT_COLLISION ? 1.0 : plate_state_at(src).stress);
}

int moved_id(ivec2 c) { return moved(plate_motion_at(c)).plate; }

// The first plate (in increasing k) born this tick whose seed falls in `cell`, or -1. Births are the same
// for every cell, so they are gathered first (cheap: a hash and a log per plate) and only the plates
// born now compute their seed cell, in a loop over the set bits that is empty in almost every tick.
// (llvmpipe runs a masked if's body for every cell of its SIMD group, and a loop's body at least once
// even where no cell enters it: a loop saves only the trips that no cell of the group needs.)
// Late in a cycle no plate can be born any more: a birth is at most 16.7 u_seed_time after the cycle's
// start (1 - u >= 2^-24 in plate_birth), so past 17 u_seed_time (and a relative 1e-5 for the float
// rounding of the times) the births loop is cut to no trips (one masked trip instead of u_plate_count).
int nucleate(ivec2 cell, int e) {
    uvec2 born = uvec2(0u);
    float last_birth = (u_start + float(e) * u_cycle + 17.0 * u_seed_time) * 1.00001;  // [years] bound
    int count = u_time < last_birth ? u_plate_count : 0;
    for (int k = 0; k < count; ++k) {
        float birth = plate_birth(k, e);
        uint bit = birth > u_time && birth <= u_time + u_dt ? 1u << uint(k & 31) : 0u;
        born |= k < 32 ? uvec2(bit, 0u) : uvec2(0u, bit);
    }
    while (born.x != 0u || born.y != 0u) {
        int k = pop_lowest(born);
        if (all(equal(pos_cell(plate_seed(k, e).xyz), cell))) return k;
    }
    return -1;
}

int grow(ivec2 cell, int e) {
    vec3 h = hash3(ivec3(e, int(u_tick), 0x6772), u_seed);
    vec3 g = hash3(ivec3(e, int(u_tick), 0x7761), u_seed);   // this tick's meander: its axis and phase
    vec3 axis = sphere_point(h.xy), across = sphere_point(g.xy);
    vec3 p = cell_pos(cell);
    if (length(cross(axis, p)) < 1e-3) return -1;
    float reach = u_growth_speed * u_dt * clamp(1.0 + 0.8 * fbm(3.0 * p, 3, u_seed ^ (uint(e) * 0x9E3779B9u)), 0.2, 1.8);
    float n = reach / cell_dy_km();  // [cells]
    int steps = n <= float(MAX_GROWTH_STEPS) ? int(floor(n + h.z)) : MAX_GROWTH_STEPS;
    float ds = (n <= float(MAX_GROWTH_STEPS) ? cell_dy_km() : reach / float(MAX_GROWTH_STEPS)) / u_radius;
    float cs = cos(ds), sn = sin(ds);
    for (int i = 1; i <= steps; ++i) {
        // Upstream along the rotation's flow, turned about the vertical by the meander angle here.
        vec3 flow = cross(axis, p);
        if (dot(flow, flow) < 1e-6) return -1;   // at the rotation's pole
        vec3 up = -normalize(flow);
        float turn = MEANDER * sin(MEANDER_WAVES * dot(p, across) + 6.2831853 * g.z);
        vec3 dir = cos(turn) * up + sin(turn) * cross(p, up);
        p = normalize(p * cs + dir * sn);
        int id = moved_id(pos_cell(p));
        if (id >= 0) return id;
    }
    return -1;
}

void pass_main(ivec2 cell) {
    int e = tect_cycle();
    if (e < 0) {
        o_plates = plates_at(cell);
        o_plate_state = plate_state_at(cell);
        return;
    }
    Moved here = moved(plate_motion_at(cell));
    int id = here.plate;
    float s = here.stress;
    if (id >= 0) {
        float ds = 0.0;
        for (int k = 0; k < 4; ++k) {
            ivec2 n = grid_wrap_near(cell + (k == 0 ? ivec2(1, 0) : k == 1 ? ivec2(-1, 0) : k == 2 ? ivec2(0, 1) : ivec2(0, -1)));
            Moved there = moved(plate_motion_at(n));
            if (there.plate != id) continue;
            float dn = k < 2 ? cell_dx_km(cell.y) : cell_dy_km();  // [km] (also across a pole)
            ds += 0.25 * (1.0 - exp(-4.0 * u_stress_diffusivity * u_dt / (dn * dn))) * (there.stress - s);
        }
        s += ds;
    }
    s = clamp(s * exp(-u_dt / u_stress_decay), 0.0, 1.0);
    if (id < 0) id = nucleate(cell, e);
    if (id < 0) id = grow(cell, e);
    vec2 v = id >= 0 ? plate_velocity(plate_spin(id, e), cell) : vec2(0.0);
    o_plates = Plates(id);
    o_plate_state = PlateState(s, v.x, v.y);
}

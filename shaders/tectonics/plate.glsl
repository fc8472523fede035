// shaders/tectonics/plate.glsl — the plates of a supercontinent cycle (MODEL.md §2); not a pass but
// the helpers that every tectonics pass shares. Reads and writes no fields.
// Time: tectonics starts at u_start [years] and is cut into cycles of u_cycle [years]. A tick
// [u_time, u_time + u_dt) belongs to the cycle running at its end (tect_cycle, -1 before the
// start); in the tick in which a cycle begins every plate dissolves (the supercontinent cycle).
// Plate k (0 <= k < u_plate_count) of cycle e is a rigid cap of crust turning about a fixed Euler
// pole (Euler's fixed-point theorem; Cox & Hart, "Plate Tectonics: How It Works", 1986, ch. 4),
// drawn from integer hashes of (k, e) and the stage seed:
//   Euler pole        uniform on the sphere;
//   seed point n      on the pole's equator at a uniform azimuth (so n is uniform on the sphere
//                     too, and moves along a great circle in a random direction: the reference's
//                     "random direction of motion");
//   birth             cycle start + Exp(u_seed_time): the plate nucleates at n with probability
//                     dt / u_seed_time per tick (the reference's "tiny probability per tick");
//   speed at n        v = u_speed (1 + u_speed_spread (2u - 1)) [km/yr]; angular speed omega = v / R.
//   rank              uniform: which plate overrides where two collide.
// Every point p of the plate moves at omega R (pole x p) [km/yr]: the same km/yr at every latitude.
#include "common/grid.glsl"
#include "common/hash.glsl"

const float DITHER_CELLS = 2.0;  // [cells] span of the polar dither (see plate_source)

uniform float u_start;          // [years] simulated time when plate tectonics begins
uniform float u_cycle;          // [years] supercontinent cycle: plates dissolve and regrow this often
uniform float u_seed_time;      // [years] mean delay before a plate of a cycle nucleates
uniform float u_speed;          // [km/yr] mean plate speed at its seed point
uniform float u_speed_spread;   // [-] plate speeds are spread uniformly over speed (1 +- spread)
uniform int u_plate_count;      // plates per cycle (ids 0 .. u_plate_count - 1)

const int NO_PLATE = -1;        // plates.plate of an unassigned cell
const int EVENT_NONE = 0;       // plate_motion.event: no collision, no rift
const int EVENT_COLLISION = 1;  // two or more plates carried crust into the cell
const int EVENT_RIFT = 2;       // the cell's plate moved away and no plate moved in

// A uniform point on the unit sphere from two uniforms in [0, 1).
vec3 sphere_point(vec2 u) {
    float z = 2.0 * u.x - 1.0, phi = 2.0 * PI * u.y;
    return vec3(sqrt(max(1.0 - z * z, 0.0)) * vec2(cos(phi), sin(phi)), z);
}

// The cycle of this tick (-1 before tectonics starts).
int tect_cycle() {
    float end = u_time + u_dt - u_start;
    return end > 0.0 ? int(floor(end / u_cycle)) : -1;
}

// True in the tick in which a cycle (the first one included) begins.
bool tect_cycle_begins() {
    int e = tect_cycle();
    float t0 = u_time - u_start;
    return e >= 0 && (t0 < 0.0 || int(floor(t0 / u_cycle)) < e);
}

// Plate k's rotation in cycle e: xyz = Euler pole (unit vector), w = angular speed omega [rad/yr]
// (right-handed about the pole).
vec4 plate_spin(int k, int e) {
    vec3 a = hash3(ivec3(k, e, 0x504C), u_seed);
    return vec4(sphere_point(a.xy), u_speed * (1.0 + u_speed_spread * (2.0 * a.z - 1.0)) / u_radius);
}

// Plate k's birth time [years] (the w of plate_seed, without the seed point's trigonometry).
float plate_birth(int k, int e) {
    return u_start + float(e) * u_cycle - u_seed_time * log(1.0 - hash3(ivec3(k, e, 0x504D), u_seed).y);
}

// Plate k's seed: xyz = seed point n (unit vector, 90 deg from the pole), w = birth time [years].
vec4 plate_seed(int k, int e) {
    vec3 pole = plate_spin(k, e).xyz;
    vec3 b = hash3(ivec3(k, e, 0x504D), u_seed);
    vec3 t1 = normalize(cross(pole, abs(pole.z) < 0.9 ? vec3(0.0, 0.0, 1.0) : vec3(1.0, 0.0, 0.0)));
    vec3 t2 = cross(pole, t1);
    float az = 2.0 * PI * b.x;
    return vec4(cos(az) * t1 + sin(az) * t2, plate_birth(k, e));
}

// Plate k's rank in cycle e, in [0, 1): where two plates collide the higher rank overrides and the
// other subducts (as the older, denser slab sinks). One order for the whole boundary keeps plates whole.
float plate_rank(int k, int e) { return hash3(ivec3(k, e, 0x504D), u_seed).z; }

// This tick's random draws of plate k, shared by every cell of the plate: the rounding offset in
// [0,1)^2, and the two rotation angles of the polar dither in [0,1) (see plate_source).
vec2 plate_jitter(int k, int e) { return hash3(ivec3(k, e, int(u_tick)), u_seed ^ 0x7EC70000u).xy; }
vec2 plate_dither(int k, int e) { return hash3(ivec3(k, e, int(u_tick)), u_seed ^ 0xD1770000u).xy; }

// Rodrigues' rotation written as a displacement: rot(p, axis, angle) - p, accurate for tiny angles.
vec3 rotation_step(vec3 p, vec3 axis, float angle) {
    float h = sin(0.5 * angle);
    return sin(angle) * cross(axis, p) + 2.0 * h * h * (axis * dot(axis, p) - p);
}

// The cell whose crust a plate turning with `spin` carries into `cell` this tick: the pre-image of
// the cell centre under this tick's rotation (angle omega dt), rounded down or up per grid axis by
// the plate's offset j: floor(x + j) is x rounded up with probability frac(x), so on average the
// crust moves exactly the continuous rotation (the reference's random one-cell moves, generalised to
// any direction and speed), and with one j for the plate it moves as a rigid block.
// Towards the poles the grid's east/north frame turns across a plate, and one j would round a plate
// around a pole inwards on one side and outwards on the other (its area jumping by a whole ring of
// cells): from 17 deg to 44 deg of latitude j is progressively shifted by a rigid dither of the
// plate (two small rotations, up to DITHER_CELLS cells) measured in this cell's grid units.
// fract(j + x) is still uniform, so every cell's rounding stays unbiased.
// What plate_source needs to know about a cell, computed once per cell (not once per plate).
struct CellFrame {
    ivec2 cell;
    vec3 p;        // unit position
    vec3 east;     // unit east vector
    vec3 north;    // unit north vector
    vec2 per_rad;  // grid cells per radian of east and north displacement
    float w;       // weight of the polar dither (0 below 17 deg of latitude, 1 above 44 deg)
};

CellFrame cell_frame(ivec2 cell) {
    vec2 ll = cell_lonlat(cell);
    CellFrame f;
    f.cell = cell;
    f.p = lonlat_pos(ll);
    f.east = vec3(-sin(ll.x), cos(ll.x), 0.0);
    f.north = vec3(-sin(ll.y) * cos(ll.x), -sin(ll.y) * sin(ll.x), cos(ll.y));
    f.per_rad = vec2(float(u_grid.x) / (2.0 * PI * cos(ll.y)), float(u_grid.y) / PI);
    f.w = smoothstep(0.3, 0.7, abs(f.p.z));
    return f;
}

ivec2 plate_source(CellFrame f, int k, int e, vec4 spin) {
    vec2 j = plate_jitter(k, e);
    if (f.w > 0.0) {
        vec2 a = plate_dither(k, e);
        vec3 m = normalize(cross(spin.xyz, vec3(0.0, 0.0, 1.0)) + vec3(1e-7, 0.0, 0.0));
        vec3 d = (DITHER_CELLS * PI / float(u_grid.y)) * (a.x * cross(spin.xyz, f.p) + a.y * cross(m, f.p));
        j = fract(j + f.w * vec2(dot(d, f.east), dot(d, f.north)) * f.per_rad);
    }
    vec2 g = grid_offset(f.p, rotation_step(f.p, spin.xyz, -spin.w * u_dt)) + j;  // small: exact rounding
    return grid_wrap_near(f.cell + ivec2(floor(g)));  // offsets stay within a grid (W/2 at most across a pole)
}

// Sets of plates as bit pairs (bits 0-31 in x, 32-63 in y; plate_count <= 64): clear the lowest set bit
// of a non-empty set and return its index. Looping `while (set != 0) k = pop_lowest(set);` visits the
// plates in increasing k and ends when no cell of a SIMD group has one left (llvmpipe runs a masked
// `continue` for every cell, so a loop over all plates that skips most costs all of them).
int pop_lowest(inout uvec2 set) {
    bool low = set.x != 0u;
    uint w = low ? set.x : set.y;
    uint bit = w & (~w + 1u);                                                  // lowest set bit
    if (low) set.x ^= bit; else set.y ^= bit;
    return int(floatBitsToUint(float(bit)) >> 23) - 127 + (low ? 0 : 32);    // its index (exact)
}

// The cell a seed point falls in.
ivec2 pos_cell(vec3 n) { return grid_wrap_near(ivec2(floor(lonlat_to_grid(pos_lonlat(n))))); }

// Velocity [km/yr] (east, north) of the crust of a plate turning with `spin` at cell c.
vec2 plate_velocity(vec4 spin, ivec2 c) {
    vec2 ll = cell_lonlat(c);
    vec3 v = spin.w * u_radius * cross(spin.xyz, lonlat_pos(ll));
    vec3 east = vec3(-sin(ll.x), cos(ll.x), 0.0);
    vec3 north = vec3(-sin(ll.y) * cos(ll.x), -sin(ll.y) * sin(ll.x), cos(ll.y));
    return vec2(dot(v, east), dot(v, north));
}

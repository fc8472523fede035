// shaders/tectonics/move.glsl — step: where each cell's crust comes from this tick (MODEL.md §2).
// Plates move as rigid caps turning about their Euler poles (tectonics/plate.glsl), realised as
// whole-cell moves: a cell takes the crust of the cell that its plate's rotation carries into it,
// rounded with the plate's jitter (one random draw per plate and tick). Gathered, not scattered:
// for every plate k the pre-image cell src_k of this cell under k's rotation is looked up, and k
// claims the cell when src_k belongs to k. The pre-image is computed on the sphere, so plates cross
// the +-180 deg seam and the poles like any other line.
//   no claim:    the cell's plate moved away and nothing moved in => rift (tectonics.uplift makes
//                fresh ocean floor; the cell is unassigned until growth re-assigns it); an
//                unassigned cell that nobody claims just stays.
//   one claim:   the cell takes that plate's crust.
//   >= 2 claims: collision. Continental crust (shallower than shelf_depth below sea level: with
//                Airy isostasy the thick, light crust stands high) overrides oceanic crust; between
//                crust of one kind the plate of higher rank overrides; the rest subducts.
// Overridden continental crust (a subducting plate's, or an unassigned cell's) is not destroyed:
// its height above the shelf level piles onto the overriding crust (crustal thickening, isostatic:
// Turcotte & Schubert, "Geodynamics", 2014, sect. 2.2); oceanic crust sinks into the mantle.
// Before tectonics starts, and in the tick in which a cycle begins (all plates dissolve), nothing moves.
// Cost (issue 16): only a plate that holds a cell of the box around this cell that can contain its
// pre-images can claim it, so the plates are first gathered into a bit set from that box (at most
// MAX_BOX_CELLS cells) and the loop skips every other plate: exactly the claims of the loop over all
// plates, for a fraction of its trigonometry. The box's half-widths bound the pre-image offset: a
// rotation by at most A = speed (1 + speed_spread) dt / R moves a point at latitude phi by at most A in
// latitude and, while |phi| + A < 90 deg, by at most 2 asin(sin(A/2) / sqrt(cos phi cos(|phi| + A)))
// <= 2.0944 sin(A/2) / sqrt(...) in longitude (the haversine formula); the rounding floor(offset + j),
// 0 <= j <= 1, adds one cell. The bound is taken without trigonometry of A (llvmpipe evaluates an
// expression of uniforms at every cell): sin(A/2) <= A/2 and cos(|phi| + A) >= cos(phi) (1 - A^2/2) - |sin(phi)| A, so the
// box only grows (any box that contains the pre-images gives the same claims).
// Where that box is too large (next to the poles, long ticks) every plate is tried. On llvmpipe one
// more plate tried costs about as much as 30 more cells fetched, so the box may be wide (MAX_BOX_CELLS):
// at 256x128 (2 Myr updates) every row but the two next to the poles gathers (49 cells stopped at 85
// deg of latitude, where 6 % of the cells then tried all 12 plates: the pass took 1.13x as long).
// Reads  plates:  plate = plate id (-1 unassigned).
//        terrain: bedrock = bedrock elevation [m above datum], sea_level = sea level [m above datum].
// Writes plate_motion: source_i, source_j = source cell (column, row); event: 0 none, 1 collision, 2 rift.
//        plate_pile:   pile = continental crust piled onto the cell [m].
#include "tectonics/plate.glsl"

uniform float u_shelf_depth;    // [m] below sea level: shallower crust is continental

const int MAX_BOX_CELLS = 150;  // widest box of candidate cells gathered (else every plate is tried)
const float BOX_MARGIN = 1.01;  // relative margin on the offset bound (float rounding of the offsets)

// Bit k of the pair (bits 0-31 in x, 32-63 in y) is set when plate k may claim `cell` this tick: it
// holds a cell of the box that contains every pre-image (all bits where the box is too large).
void add_candidate(inout uvec2 bits, ivec2 c) {
    int id = plates_at(c).plate;
    uint bit = 1u << uint(id & 31);
    bits |= uvec2(id >= 0 && id < 32 ? bit : 0u, id >= 32 && id < 64 ? bit : 0u);
}

uvec2 candidate_plates(ivec2 cell) {
    float a = u_speed * (1.0 + u_speed_spread) * u_dt / u_radius;       // [rad] largest rotation angle
    float lat = cell_lonlat(cell).y;
    float c = cos(lat), c_far = c * (1.0 - 0.5 * a * a) - abs(sin(lat)) * a;  // cos(lat), <= cos(|lat| + a)
    if (c_far < 1e-3) return uvec2(0xFFFFFFFFu);
    // 2 asin(x) <= 2.0944 x for x <= 1/2 (asin(x) / x grows with x; asin(1/2) = pi/6)
    float s = 0.5 * a * inversesqrt(c * c_far);                           // >= sin(a/2) / sqrt(...)
    if (s > 0.5) return uvec2(0xFFFFFFFFu);
    vec2 bound = vec2(2.0944 * s * float(u_grid.x) / (2.0 * PI), a * float(u_grid.y) / PI);  // [cells]
    ivec2 r = ivec2(floor(BOX_MARGIN * bound + 0.01)) + 1;   // floor(offset + j) lies in [-r, r]
    // (also where the box is wider or taller than the grid: the wraps below step over it at most once)
    if ((2 * r.x + 1) * (2 * r.y + 1) > MAX_BOX_CELLS || 2 * r.x + 1 > u_grid.x || 2 * r.y + 3 > u_grid.y)
        return uvec2(0xFFFFFFFFu);
    // Rows in threes (when r.y > 1 the last three may reach past the box: more candidates, the same
    // claims), a column of 3 cells per trip: llvmpipe's loop trips cost about a fetch each. Each row is
    // wrapped once (grid_wrap_near: across a pole it is the row on the opposite meridian), then only
    // its columns: the cells grid_wrap_near(cell + (di, dj)).
    uvec2 bits = uvec2(0u);
    int W = u_grid.x;
    for (int dj = -r.y; dj <= r.y; dj += 3) {
        ivec2 r0 = grid_wrap_near(cell + ivec2(0, dj)), r1 = grid_wrap_near(cell + ivec2(0, dj + 1));
        ivec2 r2 = grid_wrap_near(cell + ivec2(0, dj + 2));
        for (int di = -r.x; di <= r.x; ++di) {
            int x0 = r0.x + di, x1 = r1.x + di, x2 = r2.x + di;     // within a grid of [0, W)
            x0 += x0 < 0 ? W : (x0 >= W ? -W : 0);
            x1 += x1 < 0 ? W : (x1 >= W ? -W : 0);
            x2 += x2 < 0 ? W : (x2 >= W ? -W : 0);
            add_candidate(bits, ivec2(x0, r0.y));
            add_candidate(bits, ivec2(x1, r1.y));
            add_candidate(bits, ivec2(x2, r2.y));
        }
    }
    return bits;
}

// Nothing moved into the cell: it keeps its own crust (a rift when its plate left it).
void stay(ivec2 cell, int event) {
    o_plate_motion = PlateMotion(cell.x, cell.y, event);
    o_plate_pile = PlatePile(0.0);
}

void pass_main(ivec2 cell) {
    int own = plates_at(cell).plate;
    int e = tect_cycle();
    if (e < 0 || tect_cycle_begins()) {
        stay(cell, EVENT_NONE);
        return;
    }
    Terrain here = terrain_at(cell);
    float shelf = here.sea_level - u_shelf_depth;  // [m above datum] continental crust stands above this
    int claims = 0;
    ivec2 best_src = cell;
    float best_key = -1.0, best_pile = 0.0, pile = 0.0;
    uvec2 left = candidate_plates(cell);
    CellFrame frame;
    if (left.x != 0u || left.y != 0u) frame = cell_frame(cell);   // (its trigonometry only where needed)
    // Over the candidates' set bits in increasing k (the order of the loop over all plates): the loop
    // ends when no cell of the SIMD group has a candidate left (a masked `continue` saves nothing there).
    while (left.x != 0u || left.y != 0u) {
        int k = pop_lowest(left);
        if (k >= u_plate_count) continue;
        ivec2 src = plate_source(frame, k, e, plate_spin(k, e));
        if (plates_at(src).plate != k) continue;
        // Plate k carries crust into this cell; on a collision the lightest crust, then rank, wins.
        float z = terrain_at(src).bedrock;
        float key = plate_rank(k, e) + (z > shelf ? 1.0 : 0.0);
        pile += max(z - shelf, 0.0);
        if (key > best_key) {
            best_src = src;
            best_key = key;
            best_pile = max(z - shelf, 0.0);
        }
        claims += 1;
    }
    if (claims == 0) {
        stay(cell, own >= 0 ? EVENT_RIFT : EVENT_NONE);
        return;
    }
    pile -= best_pile;                                       // the overriding crust's own height
    if (own < 0) pile += max(here.bedrock - shelf, 0.0);     // an unassigned cell's crust is overridden
    o_plate_motion = PlateMotion(best_src.x, best_src.y, claims > 1 ? EVENT_COLLISION : EVENT_NONE);
    o_plate_pile = PlatePile(pile);
}

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
// Reads  plates:  r = plate id (-1 unassigned).
//        terrain: r = bedrock elevation [m above datum], g = sea level [m above datum].
// Writes plate_motion: r, g = source cell (column, row)   b = crust piled onto the cell [m]
//                      a = event: 0 none, 1 collision, 2 rift.
#include "tectonics/plate.glsl"

uniform sampler2D t_plates;
uniform sampler2D t_terrain;
uniform float u_shelf_depth;    // [m] below sea level: shallower crust is continental

void pass_main(ivec2 cell) {
    int own = plate_id(texelFetch(t_plates, cell, 0).r);
    int e = tect_cycle();
    if (e < 0 || tect_cycle_begins()) {
        o_plate_motion = vec4(vec2(cell), 0.0, EVENT_NONE);
        return;
    }
    vec4 here = texelFetch(t_terrain, cell, 0);
    float shelf = here.g - u_shelf_depth;  // [m above datum] continental crust stands above this
    CellFrame frame = cell_frame(cell);
    int claims = 0;
    ivec2 best_src = cell;
    float best_key = -1.0, best_pile = 0.0, pile = 0.0;
    for (int k = 0; k < u_plate_count; ++k) {
        ivec2 src = plate_source(frame, k, e, plate_spin(k, e));
        if (plate_id(texelFetch(t_plates, src, 0).r) != k) continue;
        // Plate k carries crust into this cell; on a collision the lightest crust, then rank, wins.
        float z = texelFetch(t_terrain, src, 0).r;
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
        o_plate_motion = vec4(vec2(cell), 0.0, own >= 0 ? EVENT_RIFT : EVENT_NONE);
        return;
    }
    pile -= best_pile;                                  // the overriding crust's own height
    if (own < 0) pile += max(here.r - shelf, 0.0);      // an unassigned cell's crust is overridden
    o_plate_motion = vec4(vec2(best_src), pile, claims > 1 ? EVENT_COLLISION : EVENT_NONE);
}

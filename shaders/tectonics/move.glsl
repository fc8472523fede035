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
// pre-images can claim it (tectonics/box.glsl), so the plates are first gathered into a bit set from
// that box and the loop skips every other plate: exactly the claims of the loop over all plates, for a
// fraction of its trigonometry. The gather is separable: tectonics.candidates wrote the plates of each
// cell's row run, and this pass ORs the runs of the box's column (2 r_y + 1 fetches, more where the box
// is wider than a run). Next to the poles the box spans whole rows rather than trying every plate: on
// llvmpipe one more plate tried there costs about as much as 10 more cells fetched.
// Reads  plates:  plate = plate id (-1 unassigned).
//        plate_row: ids_low, ids_high = the plates of each cell's row run (tectonics.candidates) [bits].
//        terrain: bedrock = bedrock elevation [m above datum], sea_level = sea level [m above datum].
// Writes plate_motion: source_i, source_j = source cell (column, row); event: 0 none, 1 collision, 2 rift.
//        plate_pile:   pile = continental crust piled onto the cell [m].
#include "tectonics/box.glsl"

uniform float u_shelf_depth;    // [m] below sea level: shallower crust is continental

// Bit k of the pair (bits 0-31 in x, 32-63 in y) is set when plate k may claim `cell` this tick: it
// holds a cell of the box that contains every pre-image (all bits where the box is taller than the grid).
// Each row of the column is wrapped once (grid_wrap_near: across a pole it is the row on the opposite
// meridian, whose runs are centred on the cell's own column there). A run is as wide as the widest box
// that reads it, but at most MAX_RUN columns each side (tectonics.candidates), so a box wider than that
// meets runs of exactly MAX_RUN each side and ORs 2 m + 1 of them in each row, centred 2 MAX_RUN + 1
// columns apart (m = ceil((r_x - MAX_RUN) / (2 MAX_RUN + 1)), 0 where r_x <= MAX_RUN: the same in the
// whole row).
uvec2 candidate_plates(ivec2 cell) {
    int ry = box_rows(), rx = box_columns(cell.y);
    if (2 * ry + 1 > u_grid.y) return uvec2(0xFFFFFFFFu);
    const int STEP = 2 * MAX_RUN + 1;
    // (m > 0 only where MAX_RUN < r_x <= W/2: then |o STEP| <= r_x + MAX_RUN < W, within a grid)
    int W = u_grid.x, m = (rx + MAX_RUN) / STEP;
    uvec2 bits = uvec2(0u);
    for (int dj = -ry; dj <= ry; ++dj) {
        ivec2 c = grid_wrap_near(cell + ivec2(0, dj));
        for (int o = -m; o <= m; ++o) {
            int x = c.x + o * STEP;
            x += x < 0 ? W : (x >= W ? -W : 0);
            PlateRow run = plate_row_at(ivec2(x, c.y));
            bits |= uvec2(uint(run.ids_low), uint(run.ids_high));
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

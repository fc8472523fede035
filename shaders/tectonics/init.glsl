// shaders/tectonics/init.glsl — init: no plates yet; they seed and grow once tectonics starts.
// Writes plates:       plate = -1 (unassigned).
//        plate_state:  stress [1] = 0, velocity_east, velocity_north [km/yr] = 0.
//        plate_motion: source_i, source_j = the cell itself (nothing moved), event = 0 (none).
//        plate_pile:   pile [m] = 0.
//        plate_row:    ids_low, ids_high = 0 (no plates).
//        crust_kind:   continental = 0 (rebuilt before talus reads it).
#include "tectonics/plate.glsl"

void pass_main(ivec2 cell) {
    o_plates = Plates(NO_PLATE);
    o_plate_state = PlateState(0.0, 0.0, 0.0);
    o_plate_motion = PlateMotion(cell.x, cell.y, EVENT_NONE);
    o_plate_pile = PlatePile(0.0);
    o_plate_row = PlateRow(0, 0);
    o_crust_kind = CrustKind(0);
}

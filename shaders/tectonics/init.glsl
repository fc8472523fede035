// shaders/tectonics/init.glsl — init: no plates yet; they seed and grow once tectonics starts.
// Writes plates:       r = plate id (-1: unassigned)  g = uplift stress [0..1] = 0
//                      b, a = plate velocity east, north [km/yr] = 0
// Writes plate_motion: r, g = source cell (column, row) = the cell itself (nothing moved)
//                      b = crust piled onto the cell [m] = 0   a = event (0 none, 1 collision, 2 rift) = 0
#include "tectonics/plate.glsl"

void pass_main(ivec2 cell) {
    o_plates = vec4(NO_PLATE, 0.0, 0.0, 0.0);
    o_plate_motion = vec4(vec2(cell), 0.0, EVENT_NONE);
}

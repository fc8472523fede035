// shaders/erosion/clear.glsl — init: the erosion state that the first routing reads. No lake has a
// spill record or a mark yet (every pit starts as a lake with no outlet) and no sediment is on its
// way; erosion.receivers and the passes after it build every other erosion field from the terrain.
// Writes sediment: release = eroded = deposited = arrived = 0 [km³].
//        lakes: target = direction = -1 (no spill record), mark1 = mark2 = -1 (no marks).
#include "erosion/flow.glsl"

void pass_main(ivec2 cell) {
    o_sediment = Sediment(0.0, 0.0, 0.0, 0.0);
    o_lakes = Lakes(NONE, NONE, NONE, NONE);
}

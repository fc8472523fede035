// shaders/tests/int_probe.glsl — test probe (not part of any stage): an int field through both backends.
// Reads  ids {id, link}: any int32 values.
// Writes ids: id = id + 1, link = the id of the east neighbour (wrapping: ids_near).
//        reals {x}: float(id) * 0.5 — a float output beside the int one (mixed-kind MRT).

void pass_main(ivec2 cell) {
    Ids here = ids_at(cell);
    o_ids = Ids(here.id + 1, ids_near(cell + ivec2(1, 0)).id);
    o_reals = Reals(float(here.id) * 0.5);
}

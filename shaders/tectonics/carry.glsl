// shaders/tectonics/carry.glsl — step: the plates carry the crust (MODEL.md §2: "a cell takes the
// whole state of the neighbour whose plate moves into it"). A template pass (for_each = "carried"):
// it runs over every carried field of the scene, whichever stage owns it (terrain now, life later),
// so a new stage's crust-bound fields move with the plates without any change here. For field i
// (i < EACH_COUNT, bound by the generated prelude): o_each<i> = each<i>_at(source cell). At a
// rift the source is the cell itself (its old state stays until the owner stage renews it).
// Reads  plate_motion: source_i, source_j = source cell (column, row).   each carried field: all channels.
// Writes each carried field: all channels, unchanged in meaning and unit.

void pass_main(ivec2 cell) {
    PlateMotion m = plate_motion_at(cell);
    ivec2 src = ivec2(m.source_i, m.source_j);
#if EACH_COUNT > 0
    o_each0 = each0_at(src);
#endif
#if EACH_COUNT > 1
    o_each1 = each1_at(src);
#endif
#if EACH_COUNT > 2
    o_each2 = each2_at(src);
#endif
#if EACH_COUNT > 3
    o_each3 = each3_at(src);
#endif
#if EACH_COUNT > 4
    o_each4 = each4_at(src);
#endif
#if EACH_COUNT > 5
    o_each5 = each5_at(src);
#endif
#if EACH_COUNT > 6
    o_each6 = each6_at(src);
#endif
#if EACH_COUNT > 7
    o_each7 = each7_at(src);
#endif
}

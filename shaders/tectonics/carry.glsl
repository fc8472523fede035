// shaders/tectonics/carry.glsl — step: the plates carry the crust (MODEL.md §2: "a cell takes the
// whole state of the neighbour whose plate moves into it"). A template pass (for_each = "carried"):
// it runs over every carried field of the scene, whichever stage owns it (terrain now, life later),
// so a new stage's crust-bound fields move with the plates without any change here. For field i
// (i < EACH_COUNT, bound by the generated prelude): o_each<i> = t_each<i> at the source cell. At a
// rift the source is the cell itself (its old state stays until the owner stage renews it).
// Reads  plate_motion: r, g = source cell (column, row).   each carried field: all four channels.
// Writes each carried field: all four channels, unchanged in meaning and unit.

uniform sampler2D t_plate_motion;

void pass_main(ivec2 cell) {
    ivec2 src = ivec2(texelFetch(t_plate_motion, cell, 0).rg);
#if EACH_COUNT > 0
    o_each0 = texelFetch(t_each0, src, 0);
#endif
#if EACH_COUNT > 1
    o_each1 = texelFetch(t_each1, src, 0);
#endif
#if EACH_COUNT > 2
    o_each2 = texelFetch(t_each2, src, 0);
#endif
#if EACH_COUNT > 3
    o_each3 = texelFetch(t_each3, src, 0);
#endif
#if EACH_COUNT > 4
    o_each4 = texelFetch(t_each4, src, 0);
#endif
#if EACH_COUNT > 5
    o_each5 = texelFetch(t_each5, src, 0);
#endif
#if EACH_COUNT > 6
    o_each6 = texelFetch(t_each6, src, 0);
#endif
#if EACH_COUNT > 7
    o_each7 = texelFetch(t_each7, src, 0);
#endif
}

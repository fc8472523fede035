// shaders/tests/grid_probe.glsl — test probe (not part of any stage): exposes the grid helpers of
// common/grid.glsl so tests can compare them with a float64 NumPy reference.
// Writes terrain: r, g = column and row of grid_neighbour(cell, u_probe_dir) [cell index]
//                 b = cell_area_km2(row) [km^2]   a = cell_distance_km(cell, cell + u_probe_dir) [km]
#include "common/grid.glsl"

uniform ivec2 u_probe_dir;   // neighbour offset (east, north) [cells]

void pass_main(ivec2 cell) {
    ivec2 n = grid_neighbour(cell, u_probe_dir);
    o_terrain = vec4(float(n.x), float(n.y), cell_area_km2(cell.y), cell_distance_km(cell, cell + u_probe_dir));
}

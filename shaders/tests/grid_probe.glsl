// shaders/tests/grid_probe.glsl — test probe (not part of any stage): exposes the grid helpers of
// common/grid.glsl so tests can compare them with their float64 NumPy twin (planet/grid.py).
// Writes probe: column, row = grid_neighbour(cell, (u_dx, u_dy)) [cell]; area = cell_area_km2(row)
//               [km²]; distance = cell_distance_km(cell, cell + (u_dx, u_dy)) [km].
uniform int u_dx;   // probe offset east [cells]
uniform int u_dy;   // probe offset north [cells]

void pass_main(ivec2 cell) {
    ivec2 d = ivec2(u_dx, u_dy);
    ivec2 n = grid_neighbour(cell, d);
    o_probe = Probe(float(n.x), float(n.y), cell_area_km2(cell.y), cell_distance_km(cell, cell + d));
}

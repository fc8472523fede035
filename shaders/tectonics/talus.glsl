// shaders/tectonics/talus.glsl — step: thermal erosion, talus relaxation (Musgrave, Kolb & Mace,
// "The synthesis and rendering of eroded fractal terrains", SIGGRAPH 1989): where the slope to a
// neighbour exceeds the critical slope S_c, material slides down until it no longer does.
// For each of the 4 neighbours n at metric spacing d [m] (east-west R cos(lat) dlon, north-south R dlat):
//   excess e = |z - z_n| - S_c d  (when > 0),   volume moved Q = k e min(A, A_n),
//   z -= sign(z - z_n) Q / A,   k = (1 - exp(-dt / tau)) / 8,
// with A the cell areas: each pair moves the same volume both ways, so the area-weighted mean
// elevation is conserved exactly; k <= 1/8 keeps it stable (a cell never overshoots its neighbours).
// Before tectonics starts the terrain passes through unchanged.
// Reads  terrain: bedrock = bedrock elevation [m above datum]; sea_level, glow passed through.
// Writes terrain: same channels; bedrock relaxed.
#include "tectonics/plate.glsl"

uniform float u_talus_slope;    // [m/m] critical slope S_c
uniform float u_talus_time;     // [years] e-folding time of the excess slope (tau)

void pass_main(ivec2 cell) {
    Terrain t = terrain_at(cell);
    if (tect_cycle() < 0) {
        o_terrain = t;
        return;
    }
    float k = (1.0 - exp(-u_dt / u_talus_time)) / 8.0;
    float area = cell_area_km2(cell.y);
    float dz = 0.0;
    for (int i = 0; i < 4; ++i) {
        ivec2 d = i == 0 ? ivec2(1, 0) : i == 1 ? ivec2(-1, 0) : i == 2 ? ivec2(0, 1) : ivec2(0, -1);
        ivec2 n = grid_neighbour(cell, d);
        float zn = terrain_at(n).bedrock;
        float dm = 1000.0 * (i < 2 ? cell_dx_km(cell.y) : cell_dy_km());  // [m] (also across a pole)
        float excess = abs(t.bedrock - zn) - u_talus_slope * dm;
        if (excess > 0.0) dz -= sign(t.bedrock - zn) * k * excess * min(area, cell_area_km2(n.y)) / area;
    }
    t.bedrock += dz;
    o_terrain = t;
}

// shaders/tectonics/talus.glsl — step: thermal erosion and crustal flow, all conserving volume.
// 1. Talus relaxation (Musgrave, Kolb & Mace, "The synthesis and rendering of eroded fractal
//    terrains", SIGGRAPH 1989): where the slope to a neighbour exceeds the critical slope S_c,
//    material slides down until it no longer does.
// 2. Crustal flow (beyond; Bird, "Lateral extrusion of lower crust from under high topography in the
//    isostatic limit", JGR 96, 1991): thick continental crust spreads under its own weight, a
//    diffusion of the surface height with diffusivity kappa within the continent, so mountain
//    belts widen into plateaus and broad interiors instead of standing as thin ribbons. High crust
//    flows faster (its weight drives the flow: gravitational collapse of orogens, Dewey, "Extensional
//    collapse of orogens", Tectonics 7, 1988): kappa = kappa0 (1 + (h / h_c)^2), with h the pair's
//    mean height above sea level (>= 0) and h_c = collapse_height.
// 3. Polar box filter (beyond): near a pole the east-west spacing dx is far below the grid's
//    resolution dy and the whole-cell moves leave sub-resolution radial spokes there; crust of one
//    kind exchanges with the cells 2..m columns away in its row, m = min(floor(dy / dx), 16), each
//    pair Q = (z - z_o) A / (16 m) (same row: same area), a box filter about dy wide (the partners
//    add less than 1/8 to the weights, so k + c <= 1/4 per neighbour still bounds the update).
// For each of the 4 neighbours n at metric spacing d [m] (east-west R cos(lat) dlon, north-south R dlat):
//   talus:  excess e = |z - z_n| - S_c d  (when > 0),   Q = k e min(A, A_n) sign(z - z_n),
//           k = (1 - exp(-dt / tau)) / 8;
//   flow:   Q += c (z - z_n) min(A, A_n),  c = (1 - exp(-4 kappa dt / d^2)) / 8 (the same for both
//           cells of a pair),
//           only where both cells are continental crust (MODEL.md §2: continental crust is conserved);
//   floor:  Q += c_o (z - z_n) min(A, A_n), c_o as c with kappa_o = floor_diffusivity, where both
//           cells are oceanic: sediment drape and the lithosphere's flexure smooth the sea floor, so
//           the whole-cell moves leave no banded tiles of one age and no single-cell holes there;
//   margin: Q = c max(z - z_s, 0) min(A, A_n) from the continental cell to the oceanic one (z_s the
//           shelf level: the continent's crust spreads onto the ocean floor);
//   z -= Q / A,
// with A the cell areas: each pair moves the same volume both ways, so the area-weighted mean
// elevation is conserved exactly; k + c <= 1/4 keeps it stable (a cell never overshoots its neighbours).
// The continental margin is the isostatic step between thick, light continental crust and thin,
// dense oceanic crust (Airy isostasy: Turcotte & Schubert, "Geodynamics", 2014, sect. 2.2), not a
// slope to relax: a continental cell (shallower than shelf_depth below sea level) and an oceanic
// neighbour exchange no talus and no down-gradient flow, only the margin term above, so the
// continents do not pour down their slopes into the abyss, where the crust would
// subside and subduct. A single cell of one kind enclosed by its 4 neighbours of the other kind
// counts as their kind, and it and its neighbours level out at once (Q = (z - z_n) min(A, A_n) / 4
// per pair instead of the terms above): a hole in a continent (a one-cell rift) fills, a lone crust
// cell in the ocean melts in, so no single-cell hole or spike stands (with the crustal flow: not when
// crust_diffusivity = 0). Near the poles (m = floor(dy / dx) >= 2) a hole is judged at the grid's
// resolution dy, the scale the one-cell rule works at elsewhere: a cell also counts as enclosed when
// the 4 cells one resolution away (north and south, m columns east and west) are of the other kind, so
// a pocket of one kind narrower than dy east-west and one row tall (issue 15's polar pits: ocean
// floor carried, one row tall and a few dx long, in a polar continent; or a sliver of crust in a polar
// ocean) is a sub-resolution hole and levels out with its neighbours like a single cell.
// Before tectonics starts the terrain passes through unchanged.
// Cost (issue 16): the kinds of crust (continental or oceanic after the enclosure rule) of the cell and
// its 4 neighbours are read from tectonics.kinds, which judges each cell once, rather than judged here
// from the 13 bedrock values within 2 steps (and 10 more near the poles) at every cell; the wraps are
// division-free (grid_wrap_near: llvmpipe's integer modulo is slow); east and west neighbours share the
// cell's row (its area).
// Reads  terrain: bedrock = bedrock elevation [m above datum], sea_level = sea level [m above
//        datum]; glow passed through.
//        crust_kind: continental = 1 where the crust counts as continental, 0 oceanic (tectonics.kinds).
// Writes terrain: same channels; bedrock relaxed.
#include "tectonics/crust.glsl"

uniform float u_talus_slope;       // [m/m] critical slope S_c
uniform float u_talus_time;        // [years] e-folding time of the excess slope (tau)
uniform float u_shelf_depth;       // [m] below sea level: shallower crust is continental
uniform float u_crust_diffusivity; // [km^2/yr] diffusivity of continental crustal flow at sea level (kappa0)
uniform float u_collapse_height;   // [m] height above sea level at which the flow is twice as fast (h_c)
uniform float u_floor_diffusivity; // [km^2/yr] diffusivity of the ocean floor's smoothing (kappa_o)

ivec2 talus_dir(int i) { return i == 0 ? ivec2(1, 0) : i == 1 ? ivec2(-1, 0) : i == 2 ? ivec2(0, 1) : ivec2(0, -1); }

// Bedrock [m above datum] at cell + d, d within 2 cells.
float bedrock_near(ivec2 cell, ivec2 d) { return terrain_at(grid_wrap_near(cell + d)).bedrock; }

// The kind of crust of cell c (tectonics.kinds): true continental.
bool continental_at(ivec2 c) { return crust_kind_at(c).continental != 0; }

void pass_main(ivec2 cell) {
    Terrain t = terrain_at(cell);
    if (tect_cycle() < 0) {
        o_terrain = t;
        return;
    }
    float k = (1.0 - exp(-u_dt / u_talus_time)) / 8.0;
    float shelf = t.sea_level - u_shelf_depth;  // [m above datum] continental crust stands above this
    vec4 around = vec4(bedrock_near(cell, ivec2(1, 0)), bedrock_near(cell, ivec2(-1, 0)),
                       bedrock_near(cell, ivec2(0, 1)), bedrock_near(cell, ivec2(0, -1)));
    int m = polar_width(cell.y);
    bool continental = continental_at(cell);
    bool enclosed = continental != (t.bedrock > shelf);
    float area = cell_area_km2(cell.y);
    float dz = 0.0;
    for (int i = 0; i < 4; ++i) {
        ivec2 n = grid_wrap_near(cell + talus_dir(i));
        float zn = around[i];
        float dkm = i < 2 ? cell_dx_km(cell.y) : cell_dy_km();  // [km] (also across a pole)
        float share = min(area, i < 2 ? area : cell_area_km2(n.y)) / area;   // (east and west: the cell's row)
        float hc = max(0.5 * (t.bedrock + zn) - t.sea_level, 0.0) / u_collapse_height;
        float c = (1.0 - exp(-4.0 * u_crust_diffusivity * (1.0 + hc * hc) * u_dt / (dkm * dkm))) / 8.0;
        float c_ocean = (1.0 - exp(-4.0 * u_floor_diffusivity * u_dt / (dkm * dkm))) / 8.0;
        bool kind_n = continental_at(n);
        bool same = kind_n == continental;
        // An enclosed cell and its neighbours level out at once (each pair 1/4 of its difference).
        if (u_crust_diffusivity > 0.0 && (enclosed || kind_n != (zn > shelf))) {
            dz -= 0.25 * (t.bedrock - zn) * share;
            continue;
        }
        // Talus within one kind of crust: the slope in excess of S_c slides.
        float excess = abs(t.bedrock - zn) - u_talus_slope * 1000.0 * dkm;
        if (same && excess > 0.0) dz -= sign(t.bedrock - zn) * k * excess * share;
        // Crustal flow: within the continent down the height gradient; across the margin the
        // continent's crust above the shelf level spreads onto the ocean floor.
        if (same && continental) dz -= c * (t.bedrock - zn) * share;
        // Smoothing of the ocean floor between oceanic cells.
        else if (same) dz -= c_ocean * (t.bedrock - zn) * share;
        else if (!same) dz -= c * (continental ? max(t.bedrock - shelf, 0.0) : -max(zn - shelf, 0.0)) * share;
    }
    // Polar box filter within one kind of crust, along the row.
    for (int o = 2; o <= m; ++o) {
        for (int side = -1; side <= 1; side += 2) {
            float zn = terrain_at(grid_wrap_near(cell + ivec2(side * o, 0))).bedrock;
            if ((zn > shelf) == (t.bedrock > shelf)) dz -= (t.bedrock - zn) / (16.0 * float(m));
        }
    }
    t.bedrock += dz;
    o_terrain = t;
}

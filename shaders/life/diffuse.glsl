// shaders/life/diffuse.glsl — one Jacobi sweep of the implicit (backward Euler) diffusion of a life
// sub-step, on land, on the sphere: du/dt = D lap u for each population, D [km²/yr] per species
// (plants the least mobile, predators the most). Finite volumes with metric distances (DESIGN.md §4):
// a neighbour k across a face of length L_k at centre distance d_k couples with a_k = D tau L_k / (d_k A)
// (A the cell's area [km²], tau = u_step_years one sub-step [yr]); east-west faces are R pi / H long at
// R cos(lat) 2 pi / W (so the coupling grows as 1 / cos^2(lat)), north-south faces row_edge_dx_km long at
// R pi / H, 0 at the poles. Faces to a sea cell are closed (no flux at the coasts). Backward Euler
//   (1 + sum a_k) u - sum a_k u_k = u0    (u0 = life_reacted, after the first reaction half step)
// is solved by Jacobi sweeps (life.diffuse runs SWEEPS times per sub-step, each from the last):
//   u' = (u0 + sum a_k u_k) / (1 + sum a_k),
// a convex combination of u0 and the neighbours: positive and within their range for any step, even
// at the poles where the east-west coupling is huge (there the ring simply mixes). A fixed number of
// sweeps is a consistent first-order step that approaches backward Euler as sweeps grow.
// Reads  life_reacted: plants, herbivores, predators [1] (u0).
//        life: plants, herbivores, predators [1] (the last sweep's u; u0 before the first).
//        terrain: bedrock, sea_level [m above the bedrock datum] (land where bedrock > sea_level).
// Writes life: plants, herbivores, predators [1] after the sweep (0 at sea).

uniform float u_plant_diffusion;       // [km²/yr]
uniform float u_herbivore_diffusion;   // [km²/yr]
uniform float u_predator_diffusion;    // [km²/yr]
uniform float u_step_years;            // [yr] one sub-step

bool land_at(ivec2 c) { Terrain t = terrain_near(c); return t.bedrock > t.sea_level; }

void pass_main(ivec2 cell) {
    if (!land_at(cell)) { o_life = Life(0.0, 0.0, 0.0); return; }
    LifeReacted r = life_reacted_at(cell);
    vec3 acc = vec3(r.plants, r.herbivores, r.predators);
    vec3 dtau = vec3(u_plant_diffusion, u_herbivore_diffusion, u_predator_diffusion) * u_step_years;
    float area = cell_area_km2(cell.y), dy = cell_dy_km();
    // Face length / centre distance / area for the east, west, north and south neighbours [1/km²].
    float ew = dy / (cell_dx_km(cell.y) * area);
    float w[4] = float[4](ew, ew, max(row_edge_dx_km(cell.y + 1), 0.0) / (dy * area),
                          max(row_edge_dx_km(cell.y), 0.0) / (dy * area));
    const ivec2 STEPS[4] = ivec2[4](ivec2(1, 0), ivec2(-1, 0), ivec2(0, 1), ivec2(0, -1));
    vec3 diag = vec3(1.0);
    for (int k = 0; k < 4; ++k) {
        ivec2 n = cell + STEPS[k];
        if (!land_at(n)) continue;
        Life l = life_near(n);
        vec3 a = dtau * w[k];
        acc += a * vec3(l.plants, l.herbivores, l.predators);
        diag += a;
    }
    vec3 u = acc / diag;
    o_life = Life(u.x, u.y, u.z);
}

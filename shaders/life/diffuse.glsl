// shaders/life/diffuse.glsl — one Jacobi sweep of the implicit (backward Euler) diffusion of a life
// sub-step, on land, on the sphere: du/dt = D lap u for each population, D [km²/yr] per species
// (plants the least mobile, predators the most). Finite volumes with metric distances (DESIGN.md §4):
// a neighbour k across a face of length L_k at centre distance d_k couples with a_k = D tau L_k / (d_k A)
// (A the cell's area [km²], tau = u_step_years one sub-step [yr]); east-west faces are R pi / H long at
// R cos(lat) 2 pi / W (so the coupling grows as 1 / cos^2(lat)), north-south faces row_edge_dx_km long at
// R pi / H, 0 at the poles. Faces to a sea cell are closed (no flux at the coasts). Backward Euler
//   (1 + sum a_k) u - sum a_k u_k = u0    (u0 = life_reacted, after the first reaction half step)
// is solved by SWEEPS Jacobi sweeps, each from the last (the first from u0):
//   u' = (u0 + sum a_k u_k) / (1 + sum a_k),
// a convex combination of u0 and the neighbours: positive and within their range for any step, even
// at the poles where the east-west coupling is huge (there the ring simply mixes). A fixed number of
// sweeps is a consistent first-order step that approaches backward Euler as sweeps grow.
// FIRST = 1 (life.diffuse): the first sweep; its u0 is its input life (life.react_in wrote the same
//   densities into life and life_reacted). FIRST = 0, LAST = 0 (life.diffuse_more, SWEEPS - 2 runs where
//   SWEEPS > 2): a later sweep. Both write LIFE_SEA at sea (below).
// LAST = 1 (life.diffuse_out): the last sweep, then the second reaction half step of the sub-step's
//   Strang splitting R(h/2) D(h) R(h/2) (shaders/life/react.glsl: one life_react step of h/2 on the
//   sweep's densities as a field stores them, ftz'd), 0 at sea: the sub-step's end.
// Coasts: between life.react_in and life.diffuse_out the life field holds LIFE_SEA (< 0) at sea, where
// densities are never negative on land, so a cell's own and its neighbours' life tell land from sea.
// Cost (issue 16): the land test reads that mark instead of the 4-channel terrain texture at 5 cells per
// sweep, the first sweep takes u0 from the life it reads anyway, and the last sweep does the reaction
// half step itself (no separate pass through the field).
// Reads  life_reacted (not FIRST): plants, herbivores, predators [1] (u0).
//        life: plants, herbivores, predators [1] (the last sweep's u; u0 before the first; LIFE_SEA at sea).
//        habitat (LAST): growth, reproduction, predation [1/lifetime] (this tick's rates).
// Writes life: plants, herbivores, predators [1] after the sweep (LAST = 0: LIFE_SEA at sea), or after the
//        sweep and the half step (LAST = 1: 0 at sea).
#include "life/ecology.glsl"

uniform float u_plant_diffusion;       // [km²/yr]
uniform float u_herbivore_diffusion;   // [km²/yr]
uniform float u_predator_diffusion;    // [km²/yr]
uniform float u_step_years;            // [yr] one sub-step
uniform float u_life_step;             // h [lifetimes] one sub-step (LAST: the half step)

// A sea cell (life.sea's mask; Pass.quiet; its life holds LIFE_SEA since life.react_in): the mark, or
// after the last sweep 0.
void pass_quiet(ivec2 cell) {
    o_life = LAST == 1 ? Life(0.0, 0.0, 0.0) : Life(LIFE_SEA, LIFE_SEA, LIFE_SEA);
}

void pass_main(ivec2 cell) {
    Life here = life_at(cell);
    if (here.plants < 0.0) {   // sea (LIFE_SEA)
        pass_quiet(cell);
        return;
    }
#if FIRST
    Life r = here;                           // u0
#else
    LifeReacted r = life_reacted_at(cell);   // u0
#endif
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
        Life l = life_near(cell + STEPS[k]);
        if (l.plants < 0.0) continue;   // a sea neighbour: closed face
        vec3 a = dtau * w[k];
        acc += a * vec3(l.plants, l.herbivores, l.predators);
        diag += a;
    }
    vec3 u = acc / diag;
#if LAST
    // The second reaction half step, on the densities as the field would store them (pack: ftz).
    Life s = life_unpack(pack(Life(u.x, u.y, u.z)));
    Habitat h = habitat_at(cell);
    u = life_react(max(vec3(s.plants, s.herbivores, s.predators), vec3(0.0)), h.growth, h.reproduction,
                   h.predation, 0.5 * u_life_step);
#endif
    o_life = Life(u.x, u.y, u.z);
}

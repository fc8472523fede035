// shaders/life/react.glsl — life.react_in: the first reaction half step of the food chain in a life
// sub-step, before the diffusion. With life.diffuse and life.diffuse_out (the last sweep, which does the
// second half step, shaders/life/diffuse.glsl) the sub-step is the Strang splitting R(h/2) D(h) R(h/2)
// (G. Strang, "On the construction and comparison of difference schemes", SIAM J. Numer. Anal. 5, 1968),
// h = u_life_step lifetimes; each R is one life_react step of h/2 (shaders/life/ecology.glsl: exact,
// positive sub-flows). Populations live on land: at sea life_reacted is 0 and life holds LIFE_SEA, the
// mark by which the sweeps find the coasts (life.diffuse_out writes 0 there again).
// Seeding: life.seed, which runs just before life.react_in in the tick that reaches life's `start`.
// Cost (issue 16): the one pass of the sub-step that reads the terrain (the sweeps read the mark).
// Reads  life: plants, herbivores, predators [1] (densities >= 0).
//        habitat: growth, reproduction, predation [1/lifetime] (this tick's rates).
//        terrain: bedrock, sea_level [m above the bedrock datum] (land where bedrock > sea_level).
// Writes life: plants, herbivores, predators [1] after the half step (LIFE_SEA at sea).
//        life_reacted: the same densities (0 at sea), the right-hand side u0 of the diffusion.
#include "life/ecology.glsl"

uniform float u_life_step;     // h [lifetimes] one sub-step

// A sea cell (life.sea's mask; Pass.quiet): no populations, the sea's mark in life.
void pass_quiet(ivec2 cell) {
    o_life = Life(LIFE_SEA, LIFE_SEA, LIFE_SEA);
    o_life_reacted = LifeReacted(0.0, 0.0, 0.0);
}

void pass_main(ivec2 cell) {
    Terrain t = terrain_at(cell);
    Life l = life_at(cell);
    vec3 c = vec3(l.plants, l.herbivores, l.predators);
    Habitat h = habitat_at(cell);
    c = life_react(max(c, vec3(0.0)), h.growth, h.reproduction, h.predation, 0.5 * u_life_step);
    bool sea = t.bedrock <= t.sea_level;
    if (sea) c = vec3(0.0);
    o_life = sea ? Life(LIFE_SEA, LIFE_SEA, LIFE_SEA) : Life(c.x, c.y, c.z);
    o_life_reacted = LifeReacted(c.x, c.y, c.z);
}

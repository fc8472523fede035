// shaders/life/react.glsl — half a reaction step of the food chain: life.react_in (FIRST = 1) before
// the diffusion of a sub-step, life.react_out (FIRST = 0) after it. Together with life.diffuse the
// sub-step is the Strang splitting R(h/2) D(h) R(h/2) (G. Strang, "On the construction and comparison
// of difference schemes", SIAM J. Numer. Anal. 5, 1968), h = u_life_step lifetimes; each R is one
// life_react step of h/2 (shaders/life/ecology.glsl: exact, positive sub-flows). At sea every density
// is 0 (populations live on land).
// Seeding: life.seed, which runs just before life.react_in in the tick that reaches life's `start`.
// Reads  life: plants, herbivores, predators [1] (densities >= 0).
//        habitat: growth, reproduction, predation [1/lifetime] (this tick's rates).
//        terrain: bedrock, sea_level [m above the bedrock datum] (land where bedrock > sea_level).
// Writes life: plants, herbivores, predators [1] after the half step.
//        life_reacted (FIRST only): the same densities, the right-hand side of life.diffuse.
#include "life/ecology.glsl"

uniform float u_life_step;     // h [lifetimes] one sub-step

void pass_main(ivec2 cell) {
    Terrain t = terrain_at(cell);
    Life l = life_at(cell);
    vec3 c = vec3(l.plants, l.herbivores, l.predators);
    Habitat h = habitat_at(cell);
    c = life_react(max(c, vec3(0.0)), h.growth, h.reproduction, h.predation, 0.5 * u_life_step);
    if (t.bedrock <= t.sea_level) c = vec3(0.0);
    o_life = Life(c.x, c.y, c.z);
#if FIRST
    o_life_reacted = LifeReacted(c.x, c.y, c.z);
#endif
}

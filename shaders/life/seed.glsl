// shaders/life/seed.glsl — step: seeding (planet.stages.life). In the tick whose span [t, t + dt) holds
// life's `start` (u_since_start = t - start in (-dt, 0]) every cell is seeded: plants 1, herbivores 0.5,
// predators 0.25 [1], each times exp(0.7 n) for a smooth fBm n of the sphere position (blobs ~2000 km
// across), so fronts break into travelling and spiral waves; life.react_in then reacts them and zeroes
// the sea. The same seed gives the same populations. The pipeline runs this pass only in that tick (its
// Pass.when, evaluated on the same float32 uniforms), so the fBm costs nothing in the others; any other
// tick passes life through unchanged.
// Reads  life: plants, herbivores, predators [1].
// Writes life: plants, herbivores, predators [1] (seeded densities in the seeding tick).
#include "common/fbm.glsl"

uniform float u_since_start;   // [years] simulated time at the start of this tick minus life's start

void pass_main(ivec2 cell) {
    o_life = life_at(cell);
    if (u_since_start <= 0.0 && u_since_start > -u_dt) {
        // Smooth, independent noise per species from this stage's seed.
        vec3 p = 3.0 * cell_pos(cell);
        vec3 c = vec3(1.0, 0.5, 0.25) * exp(0.7 * vec3(fbm(p, 3, u_seed), fbm(p, 3, u_seed + 1u), fbm(p, 3, u_seed + 2u)));
        o_life = Life(c.x, c.y, c.z);
    }
}

// shaders/life/clear.glsl — init: no life yet (it is seeded at life's `start`, shaders/life/react.glsl).
// Reads no fields.
// Writes life: plants, herbivores, predators = 0 [1].
//        life_reacted: plants, herbivores, predators = 0 [1] (scratch of the diffusion).

void pass_main(ivec2 cell) {
    o_life = Life(0.0, 0.0, 0.0);
    o_life_reacted = LifeReacted(0.0, 0.0, 0.0);
}

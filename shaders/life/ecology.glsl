// shaders/life/ecology.glsl — the reaction step of the food chain (MODEL.md §5), shared by
// life.react_in and life.diffuse_out. Densities are dimensionless, rates per life time unit
// (the `lifetime`: a starving animal population falls by e in one), time t in lifetimes.
//   plants      x' = x (G - K x - y)                      G growth, K crowding
//   herbivores  y' = y (R x - P z / (1 + q y) - 1)        R reproduction, P predation, q satiation
//   predators   z' = z (P y / (1 + q y) - 1)
// With K = q = 0 these are the reference's dx = growth - y, dy = reproduction x - predation z - 1,
// dz = predation y - 1. Beyond the reference: instead of its explicit Euler step c += dt c d (which
// spirals out of the Lotka-Volterra cycles and must clamp), one step is the symmetric (Strang)
// composition A(t/2) B(t) A(t/2) of two sub-flows, each integrated in log space:
//   A: herbivores frozen. Plants follow the exact logistic flow of x' = x (a - K x), a = G - y:
//      x(t) = x e^(a t) / (1 + K x phi(a, t)), phi = (e^(a t) - 1) / a; predators the exact
//      exponential z(t) = z e^((P y / (1 + q y) - 1) t).
//   B: plants and predators frozen. Herbivores y(t) = y e^(r t) with r = R x - P z / (1 + q y) - 1,
//      exact for q = 0; for q > 0 the exponential midpoint y e^(t r(y e^(t r(y) / 2))).
// Every update multiplies by a positive factor, so densities stay >= 0 (and exactly 0 stays 0);
// the coexistence equilibrium is a fixed point of each sub-flow, hence of the step. For K = q = 0 the
// sub-flows are exact flows of the Lotka-Volterra Poisson system in log variables (odd and even trophic
// levels), so the composition is a second-order Poisson integrator (splitting methods and Lotka-Volterra
// as a Poisson system: Hairer, Lubich & Wanner, "Geometric Numerical Integration", 2nd ed., Springer
// 2006, chapters II and VII): the Lotka-Volterra invariant stays within O(t^2) of its start, no drift.
// Reads and writes no fields (the passes pass the habitat rates in). Uniforms: u_crowding [1/lifetime],
// u_satiation [1].

uniform float u_crowding;    // K [1/lifetime]
uniform float u_satiation;   // q [1]

const float LIFE_EXP_LIMIT = 50.0;   // |rate x time| is clamped here (never reached at sane params)

// The sea's mark in the life field between life.react_in and life.diffuse_out (densities on land are >= 0):
// the sweeps tell closed coasts from it without reading the terrain. Every sub-step ends with 0 at sea.
const float LIFE_SEA = -1.0;

float life_exp(float a) { return exp(clamp(a, -LIFE_EXP_LIMIT, LIFE_EXP_LIMIT)); }

// (e^(a t) - 1) / a, positive for every a and t > 0 (a series near a t = 0, where the quotient cancels).
float life_phi(float a, float t) {
    float at = clamp(a * t, -LIFE_EXP_LIMIT, LIFE_EXP_LIMIT);
    return abs(at) < 1e-3 ? t * (1.0 + at * (0.5 + at / 6.0)) : (exp(at) - 1.0) / a;
}

// Sub-flow A over t: plants (logistic, exact) and predators (exponential, exact), herbivores frozen.
vec3 life_flow_a(vec3 c, float growth, float predation, float t) {
    float a = growth - c.y;
    float x = c.x * life_exp(a * t) / (1.0 + u_crowding * c.x * life_phi(a, t));
    float z = c.z * life_exp((predation * c.y / (1.0 + u_satiation * c.y) - 1.0) * t);
    return vec3(x, c.y, z);
}

// Herbivores' per-capita rate r(y) with plants x and predators z frozen.
float life_herbivore_rate(vec3 c, float y, float reproduction, float predation) {
    return reproduction * c.x - predation * c.z / (1.0 + u_satiation * y) - 1.0;
}

// Sub-flow B over t: herbivores, plants and predators frozen (exponential midpoint; exact for q = 0).
vec3 life_flow_b(vec3 c, float reproduction, float predation, float t) {
    float mid = c.y * life_exp(0.5 * t * life_herbivore_rate(c, c.y, reproduction, predation));
    return vec3(c.x, c.y * life_exp(t * life_herbivore_rate(c, mid, reproduction, predation)), c.z);
}

// One reaction step of t lifetimes: A(t/2) B(t) A(t/2).
vec3 life_react(vec3 c, float growth, float reproduction, float predation, float t) {
    c = life_flow_a(c, growth, predation, 0.5 * t);
    c = life_flow_b(c, reproduction, predation, t);
    return life_flow_a(c, growth, predation, 0.5 * t);
}

// shaders/view/relief.glsl — hillshade of the bedrock relief at a longitude/latitude, for layers.
// Surface normal from the metric elevation gradient (central differences one cell apart):
//   n = normalize(-dz/dx_east, -dz/dy_north, 1) with dx = R cos(lat) dlon, dy = R dlat  [m / m]
// shade = ambient + (1 - ambient) * max(n . light, 0); `light` is in local (east, north, up).
// Reads terrain (the layer must read it; generated terrain_sample): bedrock [m above datum],
// sea_level [m above datum].
#include "common/grid.glsl"

// Exaggerate relief so that a 1 km/100 km slope is visible on a whole-planet map.
const float RELIEF_EXAGGERATION = 12.0;

// The height the light sees: the water surface over the sea, the bedrock on land.
float surface_height(vec2 ll) { Terrain s = terrain_sample(ll); return max(s.bedrock, s.sea_level); }

vec3 relief_normal(vec2 ll) {
    vec2 step_ll = vec2(2.0 * PI / float(u_grid.x), PI / float(u_grid.y));
    float ze = surface_height(ll + vec2(step_ll.x, 0.0)), zw = surface_height(ll - vec2(step_ll.x, 0.0));
    float zn = surface_height(ll + vec2(0.0, step_ll.y)), zs = surface_height(ll - vec2(0.0, step_ll.y));
    float dx = 2.0 * 1000.0 * u_radius * max(cos(ll.y), 0.05) * step_ll.x;   // [m]
    float dy = 2.0 * 1000.0 * u_radius * step_ll.y;                          // [m]
    return normalize(vec3(-(ze - zw) / dx * RELIEF_EXAGGERATION, -(zn - zs) / dy * RELIEF_EXAGGERATION, 1.0));
}

float relief_shade(vec2 ll, vec3 light) {
    return 0.25 + 0.75 * max(dot(relief_normal(ll), light), 0.0);
}

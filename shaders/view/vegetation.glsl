// shaders/view/vegetation.glsl — overlay on the satellite layer (life stage, "ground", order -1: under
// the rivers): land coloured by biome and vegetation (shaders/view/biome.glsl, biome_ground), sampled
// bilinearly at the pixel so coasts and biome edges are smooth. The sea keeps the layer's colour.
// Reads terrain: bedrock, sea_level [m above the bedrock datum] (land where bedrock > sea_level).
//       life: plants [1].
//       habitat: mean_temperature [°C] (running annual mean).
//       atmosphere: temperature [°C] (the season's, for snow).
//       precipitation: annual [mm/yr] (running annual mean).
#include "view/biome.glsl"
#include "view/relief.glsl"

vec3 overlay_vegetation(vec3 color, vec2 ll, vec3 light) {
    Terrain t = terrain_sample(ll);
    if (t.bedrock <= t.sea_level) return color;
    float shade = relief_shade(ll, light);
    return biome_ground(color, shade, habitat_sample(ll).mean_temperature, precipitation_sample(ll).annual,
                        life_sample(ll).plants, atmosphere_sample(ll).temperature);
}

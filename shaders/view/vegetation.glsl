// shaders/view/vegetation.glsl — overlay on the satellite layer (life stage, "ground", order -1: under
// the rivers): land coloured by biome and vegetation (shaders/view/biome.glsl, biome_ground), sampled
// bilinearly at the pixel so biome edges are smooth. The sea keeps the layer's colour; land and sea
// meet where the views' one coast says (view/coast.glsl: smooth, anti-aliased over a pixel). The land share
// and the hillshade are the satellite layer's, computed once per pixel (view/ground.glsl): an overlay of
// a layer that sets them.
// Reads terrain: bedrock, sea_level [m above the bedrock datum] (land where bedrock > sea_level).
//       life: plants [1].
//       habitat: mean_temperature [°C] (running annual mean).
//       atmosphere: temperature [°C] (the season's, for snow).
//       precipitation: annual [mm/yr] (running annual mean).
#include "view/biome.glsl"
#include "view/ground.glsl"

vec3 overlay_vegetation(vec3 color, vec2 ll, vec3 light) {
    float land = ground_land;     // the layer's own coast_land(coast_height(ll)) at this pixel
    if (land <= 0.0) return color;
    float shade = ground_shade;   // ... and relief_shade(ll, light) (view/ground.glsl)
    return mix(color, biome_ground(color, shade, habitat_sample(ll).mean_temperature, precipitation_sample(ll).annual,
                        life_sample(ll).plants, atmosphere_sample(ll).temperature), land);
}

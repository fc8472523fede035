// shaders/view/layers/biomes.glsl — layer: the biome class of the land (shaders/view/biome.glsl,
// biome_class; legend: planet.stages.life, Legend "biomes", classes in BIOMES order) from the bilinear
// annual-mean temperature and precipitation at the pixel, so class edges are smooth curves, not cells;
// hillshaded, with coastlines; the sea dark blue by depth. Land and sea meet where the views' one
// coast says (view/coast.glsl, anti-aliased over a pixel).
// Reads habitat: mean_temperature [°C] (running annual mean).
//       precipitation: annual [mm/yr] (running annual mean).
//       terrain: bedrock, sea_level [m above the bedrock datum] (land where bedrock > sea_level).
#include "view/biome.glsl"
#include "view/relief.glsl"
#include "view/contour.glsl"

vec3 layer_color(vec2 ll, vec3 light) {
    Terrain t = terrain_sample(ll);
    float s = coast_height(ll);
    float depth = max(t.sea_level - t.bedrock, 0.0);   // [m] water depth
    vec3 sea = mix(vec3(0.12, 0.22, 0.40), vec3(0.03, 0.06, 0.18), 1.0 - exp(-depth / 2000.0));
    int k = biome_class(habitat_sample(ll).mean_temperature, precipitation_sample(ll).annual);
    vec3 ground = biome_color(k) * (0.55 + 0.45 * relief_shade(ll, light));
    return with_coast_line(mix(sea, ground, coast_land(s)), s);
}

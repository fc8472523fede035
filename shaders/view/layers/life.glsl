// shaders/view/layers/life.glsl — layer: the three populations as colour channels (legend:
// planet.stages.life, Legend "life"): plants green, herbivores blue, predators red (life_color in
// common/colormap.glsl), each weighted 1 - exp(-density / scale) and added, over dark land; the sea
// dark, with coastlines; land and sea meet where the views' one coast says (view/coast.glsl). Scales: plants 0.7, herbivores 1.0, predators 0.5 (typical densities).
// Reads life: plants, herbivores, predators [1].
//       terrain: bedrock, sea_level [m above the bedrock datum] (land where bedrock > sea_level).
#include "common/colormap.glsl"
#include "view/contour.glsl"

const vec3 LIFE_SCALE = vec3(0.7, 1.0, 0.5);

vec3 layer_color(vec2 ll, vec3 light) {
    float s = coast_height(ll);
    Life l = life_sample(ll);
    vec3 w = 1.0 - exp(-max(vec3(l.plants, l.herbivores, l.predators), vec3(0.0)) / LIFE_SCALE);
    vec3 c = vec3(0.07, 0.07, 0.08) + w.x * life_color(0) + w.y * life_color(1) + w.z * life_color(2);
    c = mix(vec3(0.02, 0.03, 0.07), min(c, vec3(1.0)), coast_land(s));
    return with_coast_line(c, s);
}

// shaders/view/layers/population.glsl — layer: population density [people/km²] on land through the
// `population` colormap over [0, 200] (legend: planet.stages.people, Legend "population"), fading to
// grey-brown on empty land below 2 % of it; the sea dark blue; coastlines (view/people_base.glsl).
// Reads people: density [1/km²];  terrain: bedrock, sea_level [m above datum].
#include "view/people_base.glsl"
#include "common/colormap.glsl"

const float POPULATION_MAX = 200.0;   // [1/km²] keep equal to the Legend's vmax in stages/people.py

vec3 layer_color(vec2 ll, vec3 light) {
    float t = people_sample(ll).density / POPULATION_MAX;
    vec3 land = mix(vec3(0.32, 0.30, 0.27), cmap_population(t), smoothstep(0.0, 0.02, t));
    vec3 c = people_sea(ll) > 0.5 ? vec3(0.03, 0.06, 0.14) : land;
    return people_coastline(c, ll);
}

// shaders/view/layers/co2.glsl — layer: the CO2 of the air [ppm] through the `co2` colormap over
// [250, 3000] ppm (legend: planet.stages.people, Legend "co2"), a little darker at sea so the continents
// read; coastlines (view/people_base.glsl).
// Reads carbon: co2 [ppm];  terrain: bedrock, sea_level [m above datum].
#include "view/people_base.glsl"
#include "common/colormap.glsl"

const float CO2_MIN = 250.0;    // [ppm] keep equal to the Legend's vmin in stages/people.py
const float CO2_MAX = 3000.0;   // [ppm] keep equal to the Legend's vmax

vec3 layer_color(vec2 ll, vec3 light) {
    vec3 c = cmap_co2((carbon_sample(ll).co2 - CO2_MIN) / (CO2_MAX - CO2_MIN));
    c *= 1.0 - 0.2 * people_sea(ll);
    return people_coastline(c, ll);
}

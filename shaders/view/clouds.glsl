// shaders/view/clouds.glsl — clouds over the satellite view, drawn from the climate's water vapour
// (MODEL.md §7). Cloud cover grows with the column's relative humidity above 55 % and with the rain
// falling now, broken up by fBm detail on the 3-D sphere position (no seams); clouds are white, lit by
// the layer's light (local east, north, up), and cover at most 90 % of the ground's colour.
// The climate stage's "sky" overlay of the satellite layer (planet.stages.climate: Overlay), so it is
// drawn only where the scene has a climate, over everything else.
// Reads vapour: rain = precipitation rate [mm/yr], humidity = relative humidity of the column [0..1+].
#include "common/grid.glsl"
#include "common/fbm.glsl"

vec3 overlay_clouds(vec3 ground, vec2 ll, vec3 light) {
    Vapour v = vapour_sample(ll);
    float detail = fbm(7.0 * lonlat_pos(ll), 4, 0xC10D5u);                 // about [-1, 1]
    float humid = smoothstep(0.55, 0.95, v.humidity + 0.3 * detail);
    float raining = smoothstep(300.0, 3000.0, v.rain) * smoothstep(-0.6, 0.4, detail);   // convective clusters
    float cover = 0.9 * clamp(max(humid, raining), 0.0, 1.0);
    vec3 cloud = vec3(0.97, 0.97, 1.0) * (0.55 + 0.45 * clamp(light.z, 0.0, 1.0));
    return mix(ground, cloud, cover);
}

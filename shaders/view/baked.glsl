// shaders/view/baked.glsl — a layer as the frame views draw it: one bilinear fetch of the layer's bake
// (planet.view: the layer drawn under the map view into an RGBA8 texture of k x the grid, redone only
// when the simulation changes), instead of the layer's ~20 field fetches per pixel (issue #16).
// The bake is lit by the map's north-west hillshade light, whose height above the local horizon is
// MAP_LIGHT_Z; another view's light (the globe's: the camera light in local east, north, up) scales it
// by its day-side factor  (0.3 + 0.7 max(l_z, 0)) / (0.3 + 0.7 MAP_LIGHT_Z)  (at most DAY_MAX), so the
// globe's far side darkens as before while the relief keeps the map's hillshade. Then the layer's
// "night" overlays (planet.stages.Overlay, when = "night": day and night by the sun, the night side's
// city lights) run per pixel, while the camera shows a night side (else overlays_night passes through).
// Reads t_baked: the bake, RGBA8 (alpha: baked_value), u = (lon + pi) / 2pi (repeats), v = (lat + pi/2) / pi (clamped).
#include "common/grid.glsl"

uniform sampler2D t_baked;

const float MAP_LIGHT_Z = 0.707103;  // normalize(-0.5, 0.5, 0.7071).z: view/map.glsl's light
const float DAY_MAX = 1.15;

// The bake's texel at ll: rgb = the layer's colour, a = the per-tick part of its night overlay
// (Overlay.bake; 1 where none). The bake is a picture, not a field: it has no named channels.
vec4 baked_texel(vec2 ll) { return texture(t_baked, vec2((ll.x + PI) / (2.0 * PI), (ll.y + 0.5 * PI) / PI)); }

float baked_value(vec2 ll) { vec4 texel = baked_texel(ll); return texel.a; }

vec3 layer_color(vec2 ll, vec3 light) {
    vec4 texel = baked_texel(ll);
    vec3 c = texel.rgb;
    float day = (0.3 + 0.7 * max(light.z, 0.0)) / (0.3 + 0.7 * MAP_LIGHT_Z);
    c *= abs(light.z - MAP_LIGHT_Z) < 1.0e-4 ? 1.0 : min(day, DAY_MAX);
    return overlays_night(c, ll, light);
}

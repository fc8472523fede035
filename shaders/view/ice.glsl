// shaders/view/ice.glsl — sea ice and snow on the satellite view's ground, from the climate's ice field
// (shaders/climate/ice.glsl: sea ice where the air freezes sea water, below -1.8 °C; snow where
// precipitation falls below 0 °C and has not melted).
//   drawn   colour = mix(ground, white, 0.9 cover)   (the ground shows through patchy or thin cover;
//           nothing is drawn where cover = 0)
//   white   fresh snow (0.93, 0.95, 0.98), sea ice a little bluer and greyer (0.80, 0.86, 0.92), lit by
//           the sun's height in the layer's light (local east, north, up).
// The climate stage's "ground" overlay of the satellite layer (order 20: over vegetation and rivers).
// Reads ice: sea_ice = sea-ice fraction [0..1], cover = white cover (sea ice or snow cover) [0..1].
#include "common/grid.glsl"

vec3 overlay_ice(vec3 ground, vec2 ll, vec3 light) {
    Ice i = ice_sample(ll);
    float cover = clamp(i.cover, 0.0, 1.0);
    float sea = clamp(i.sea_ice / max(cover, 1e-6), 0.0, 1.0);   // share of the white that is sea ice
    vec3 white = mix(vec3(0.93, 0.95, 0.98), vec3(0.80, 0.86, 0.92), sea) * (0.6 + 0.4 * clamp(light.z, 0.0, 1.0));
    return mix(ground, white, 0.9 * cover);
}

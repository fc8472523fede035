// shaders/view/layers/satellite.glsl — layer: what a camera in orbit would see.
// Ocean coloured by depth (Beer-Lambert-like fade, e-folding 1500 m), bare rock coloured by height
// above sea level and hillshaded, molten lava drawn in its own light, blended over the rock by glow.
// Reads terrain: r = bedrock elevation [m above datum], g = sea level [m], b = lava glow [0..1].
// Clouds: where the scene has the climate stage (HAVE_VAPOUR), drawn over everything from its water
// vapour by view/clouds.glsl (reads vapour).
// Rivers and lakes: where the scene has the erosion stage (HAVE_DRAINAGE), drawn on land by
// view/rivers.glsl (reads drainage).
#include "view/relief.glsl"
#include "common/colormap.glsl"
#include "view/clouds.glsl"
#include "view/rivers.glsl"

uniform sampler2D t_terrain;

vec3 layer_color(vec2 ll, vec3 light) {
    vec4 t = grid_sample(t_terrain, ll);
    float depth = t.g - t.r;                       // [m] water depth (negative on land)
    float shade = relief_shade(t_terrain, ll, light);
    vec3 color;
    if (depth > 0.0) {
        // Deeper water absorbs more: shallow shelves turquoise, abyss dark blue.
        color = mix(vec3(0.10, 0.38, 0.50), vec3(0.01, 0.04, 0.16), 1.0 - exp(-depth / 1500.0));
        color *= 0.6 + 0.4 * shade;
    } else {
        // Bare basaltic rock: dark lowlands, lighter highlands, frost above 5 km.
        float hkm = -depth / 1000.0;
        color = mix(vec3(0.22, 0.20, 0.18), vec3(0.46, 0.42, 0.38), clamp(hkm / 4.0, 0.0, 1.0));
        color = mix(color, vec3(0.85, 0.86, 0.88), smoothstep(5.0, 7.0, hkm));
        color *= shade;
    }
#if HAVE_DRAINAGE
    if (depth <= 0.0) color = with_rivers(color, ll);
#endif
    // Molten surface: the lava's own light replaces the rock colour as glow -> 1; relief still
    // shades it a little so crater rims (which crust over first) read through the glow.
    vec3 lava = cmap_lava(0.8 * t.b) * (0.7 + 0.3 * shade);
    color = mix(color, lava, smoothstep(0.0, 0.6, t.b));
#if HAVE_VAPOUR
    color = with_clouds(color, ll, light);
#endif
    return overlays_sky(color, ll, light);
}

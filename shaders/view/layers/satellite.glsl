// shaders/view/layers/satellite.glsl — layer: what a camera in orbit would see.
// Ocean coloured by depth (Beer-Lambert-like fade, e-folding 1500 m), bare rock coloured by height
// above sea level and hillshaded, molten lava drawn in its own light, blended over the rock by glow.
// Other stages draw over it through their overlays (planet.stages.Overlay): "ground" ones (erosion's
// rivers and lakes) before the lava's light, "sky" ones (the climate's clouds) last.
// Reads terrain: bedrock [m above datum], sea_level [m above datum], glow = lava glow [0..1].
#include "view/relief.glsl"
#include "common/colormap.glsl"

vec3 layer_color(vec2 ll, vec3 light) {
    Terrain t = terrain_sample(ll);
    float depth = t.sea_level - t.bedrock;         // [m] water depth (negative on land)
    float shade = relief_shade(ll, light);
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
    // What other stages put on the ground (rivers, lakes, ...).
    color = overlays_ground(color, ll, light);
    // Molten surface: the lava's own light replaces the rock colour as glow -> 1; relief still
    // shades it a little so crater rims (which crust over first) read through the glow.
    vec3 lava = cmap_lava(0.8 * t.glow) * (0.7 + 0.3 * shade);
    color = mix(color, lava, smoothstep(0.0, 0.6, t.glow));
    // What other stages put in the sky (clouds).
    return overlays_sky(color, ll, light);
}

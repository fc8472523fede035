// shaders/view/contour.glsl — thin contour lines for layers, about 1.5 pixels wide at any zoom: the
// distance to the nearest contour in units of the value, divided by its screen-space rate of change
// (fwidth), is the distance in pixels. Used for coastlines (height above sea = 0) and isobars.
// Reads terrain (with_coastline; the layer must read it): bedrock [m above datum], sea_level [m above datum].
#include "common/grid.glsl"

// 1 on the contour lines x = k * spacing (k integer), fading to 0 about 1.5 pixels away.
float contour_line(float x, float spacing) {
    float d = abs(fract(x / spacing + 0.5) - 0.5);
    return 1.0 - smoothstep(0.5, 1.5, d / max(fwidth(x / spacing), 1e-6));
}

// `color` with a dark line where the height above sea level crosses 0.
vec3 with_coastline(vec3 color, vec2 ll) {
    Terrain t = terrain_sample(ll);
    float e = t.bedrock - t.sea_level;
    float line = 1.0 - smoothstep(0.25, 1.0, abs(e) / max(fwidth(e), 1e-6));
    return mix(color, vec3(0.05, 0.05, 0.06), 0.6 * line);
}

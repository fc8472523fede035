// shaders/view/contour.glsl — thin contour lines for layers, about 1.5 pixels wide at any zoom: the
// distance to the nearest contour in units of the value, divided by its screen-space rate of change
// (fwidth), is the distance in pixels. Used for isobars, and for coastlines: the views' one coast
// (view/coast.glsl, coast_line of the smooth coast height), so the line lies where the layers' land ends.
// Reads terrain (with_coastline; the layer must read it): bedrock [m above datum], sea_level [m above datum].
#include "common/grid.glsl"
#include "view/coast.glsl"

// 1 on the contour lines x = k * spacing (k integer), fading to 0 about 1.5 pixels away.
float contour_line(float x, float spacing) {
    float d = abs(fract(x / spacing + 0.5) - 0.5);
    return 1.0 - smoothstep(0.5, 1.5, d / max(fwidth(x / spacing), 1e-6));
}

// `color` with a dark line on the coast (view/coast.glsl).
vec3 with_coastline(vec3 color, vec2 ll) { return with_coast_line(color, coast_height(ll)); }

// shaders/view/rivers.glsl — rivers and lakes drawn over a layer's land colour (MODEL.md §3: rivers
// with intensity ~ log(water)). A cell's river strength is w = log10(Q / 1 m³/s) / RIVER_DECADES,
// clamped to [0.1, 1], for its discharge Q [m³/s]; the four nearest cells' strengths are blended
// bilinearly and water shows where the blend passes RIVER_EDGE, so a line is both wider and deeper
// blue (cmap_rivers, the basins legend) where log Q is larger. A cell draws no river while Q is below
// RIVER_CELLS cells' worth of 1 m/yr of rain (R^2 dA x 1 m/yr), so the network looks alike on every
// grid. Lakes: water over the bedrock, fading in over the first LAKE_FADE_M of depth.
// Only called where the scene has the erosion stage (HAVE_DRAINAGE).
// Reads drainage: g = discharge [m³/s], b = lake depth [m].
#include "common/grid.glsl"
#include "common/constants.glsl"
#include "common/colormap.glsl"

uniform sampler2D t_drainage;

const float RIVER_DECADES = 5.0;   // Q from 1 to 1e5 m³/s spans the strength (the legend's range)
const float RIVER_EDGE = 0.3;      // blended strength at a river's bank
const float RIVER_CELLS = 6.0;     // no river below this many cells' worth of 1 m/yr of rain
const float LAKE_FADE_M = 30.0;    // [m]

float river_strength(vec2 ll) {
    vec2 g = lonlat_to_grid(ll) - 0.5;
    ivec2 c = ivec2(floor(g));
    vec2 f = g - vec2(c);
    float w[4];
    for (int k = 0; k < 4; ++k) {
        ivec2 n = grid_wrap_near(c + ivec2(k & 1, k >> 1));
        float q = texelFetch(t_drainage, n, 0).g;
        float q_cells = q / (cell_area_km2(n.y) * 1.0e6 / SECONDS_PER_YEAR);   // in cells of 1 m/yr rain
        w[k] = q_cells < RIVER_CELLS ? 0.0 : clamp(log(q) / (log(10.0) * RIVER_DECADES), 0.1, 1.0);
    }
    return mix(mix(w[0], w[1], f.x), mix(w[2], w[3], f.x), f.y);
}

vec3 with_rivers(vec3 ground, vec2 ll) {
    float w = river_strength(ll);
    vec3 color = mix(ground, cmap_rivers(w), smoothstep(RIVER_EDGE, RIVER_EDGE + 0.1, w));
    float depth = grid_sample(t_drainage, ll).b;
    return mix(color, cmap_rivers(0.75), smoothstep(0.0, LAKE_FADE_M, depth));
}

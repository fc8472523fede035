// shaders/view/rivers.glsl — rivers and lakes drawn over a layer's land colour (MODEL.md §3: rivers
// with intensity ~ log(water)).
// Rivers are anti-aliased line segments from each river cell's centre to its receiver's centre (the
// flow tree, route.receiver), so the network is drawn as connected, branching lines at any zoom. A
// cell is a river where its discharge Q [m³/s] exceeds Q_min, RIVER_CELLS mean cells' worth of 1 m/yr
// of rain (4 pi R^2 / (W H) x 1 m/yr: the network looks alike on every grid, and the tiny cells by the
// poles, which any inflow would fill many times over, draw no dotted row of rivers). Its line's half-width grows with the
// decades of discharge above that threshold, w = RIVER_W0 + RIVER_DW log10(Q / Q_min) cells (at most
// RIVER_WMAX), and its colour with log Q: cmap_rivers(log10(Q / 1 m³/s) / RIVER_DECADES) (the basins
// legend). A line thinner than a pixel is drawn a pixel wide with its coverage as opacity (fwidth of
// the grid coordinate: the pixel's size in cells), so brooks stay faint and great rivers read at the
// globe's zoom. Distances are metric: east offsets are scaled by cos(lat).
// Lakes: the bilinear blend of the four nearest cells' lake depth, a dry cell counting as
// -LAKE_BANK_M, is the water depth at the pixel where positive: a lake's shore runs between its cells
// and the dry ones as a smooth curve (a deep lake reaches nearer the dry cells than a shallow one),
// not along cell edges; coloured by that depth from a shallow teal to deep blue (e-folding
// LAKE_EFOLD_M, never brighter than the sea's shelf), fading in over the first LAKE_FADE_M of depth.
// Nothing is drawn on glowing lava.
// with_rivers: for layers that read drainage and route (basins). overlay_rivers: the erosion stage's
// "ground" overlay of the satellite layer (planet.stages.erosion: Overlay), drawn on land only.
// Reads drainage: discharge [m³/s], lake_depth [m].
//       route: receiver = the cell index j*W+i of the cell's receiver (-1 at a root).
//       terrain: bedrock [m above datum], sea_level [m above datum], glow [0..1].
#include "common/grid.glsl"
#include "common/constants.glsl"
#include "common/colormap.glsl"

const float RIVER_DECADES = 5.0;   // Q from 1 to 1e5 m³/s spans the colour (the legend's range)
const float RIVER_CELLS = 6.0;     // no river below this many mean cells' worth of 1 m/yr of rain
const float RIVER_W0 = 0.04;       // [cells] half-width of the smallest river
const float RIVER_DW = 0.06;       // [cells] more half-width per decade of discharge
const float RIVER_WMAX = 0.32;     // [cells]
const float LAKE_FADE_M = 3.0;     // [m]
const float LAKE_EFOLD_M = 150.0;  // [m]
const float LAKE_BANK_M = 20.0;    // [m] what a dry cell counts as in the blend of lake depths

// Q_min [m³/s]: RIVER_CELLS mean cells of 1 m/yr of rain.
float river_min_discharge() {
    float mean_cell_km2 = 4.0 * PI * u_radius * u_radius / float(u_grid.x * u_grid.y);
    return RIVER_CELLS * mean_cell_km2 * 1.0e6 / SECONDS_PER_YEAR;
}

// Distance from p to the segment a-b with east offsets scaled by sx.
float river_segment(vec2 p, vec2 a, vec2 b, float sx) {
    vec2 s = vec2(sx, 1.0);
    vec2 ab = (b - a) * s, ap = (p - a) * s;
    float t = clamp(dot(ap, ab) / max(dot(ab, ab), 1e-12), 0.0, 1.0);
    return length(ap - t * ab);
}

// The river over the pixel at ll: (opacity, colour parameter in [0, 1]) of the strongest line there.
vec2 river_line(vec2 ll) {
    vec2 g = lonlat_to_grid(ll);
    float px = max(fwidth(g.y), 1.0e-4);          // pixel size [cells]
    float sx = max(cos(ll.y), 0.05);
    ivec2 c0 = ivec2(floor(g));
    vec2 best = vec2(0.0);
    for (int k = 0; k < 9; ++k) {
        ivec2 d = ivec2(k % 3 - 1, k / 3 - 1);
        ivec2 c = grid_wrap_near(c0 + d);
        float q = drainage_at(c).discharge;
        float qmin = river_min_discharge();
        int r = route_at(c).receiver;
        if (q < qmin || r < 0) continue;
        ivec2 rc = grid_cell(r);
        // The receiver is a neighbour: its offset from c, unwrapped across the seam.
        ivec2 step_c = rc - c;
        step_c.x -= step_c.x > u_grid.x / 2 ? u_grid.x : 0;
        step_c.x += step_c.x < -u_grid.x / 2 ? u_grid.x : 0;
        if (abs(step_c.x) > 1 || abs(step_c.y) > 1) continue;   // across a pole: not drawn
        vec2 a = vec2(c0 + d) + 0.5;
        float dist = river_segment(g, a, a + vec2(step_c), sx);
        float w = min(RIVER_W0 + RIVER_DW * log(q / qmin) / log(10.0), RIVER_WMAX);
        float half_px = max(w, 0.5 * px);            // at least a pixel wide ...
        float cover = min(w / half_px, 1.0);          // ... with its coverage as opacity
        float a_line = cover * (1.0 - smoothstep(half_px - 0.5 * px, half_px + 0.5 * px, dist));
        float strength = clamp(log(max(q, 1.0)) / (log(10.0) * RIVER_DECADES), 0.0, 1.0);
        if (a_line > best.x) best = vec2(a_line, strength);
    }
    return best;
}

// Lake water depth at the pixel [m] (0 where dry).
float lake_depth_at(vec2 ll) {
    vec2 g = lonlat_to_grid(ll) - 0.5;
    ivec2 c = ivec2(floor(g));
    vec2 f = g - vec2(c);
    float w[4];
    for (int k = 0; k < 4; ++k) {
        float depth = drainage_at(grid_wrap_near(c + ivec2(k & 1, k >> 1))).lake_depth;
        w[k] = depth > 0.0 ? depth : -LAKE_BANK_M;
    }
    return max(mix(mix(w[0], w[1], f.x), mix(w[2], w[3], f.x), f.y), 0.0);
}

vec3 with_rivers(vec3 ground, vec2 ll) {
    Terrain t = terrain_sample(ll);
    vec2 river = river_line(ll);
    vec3 color = mix(ground, cmap_rivers(river.y), river.x);
    float depth = lake_depth_at(ll);
    vec3 water = mix(vec3(0.14, 0.40, 0.48), vec3(0.04, 0.14, 0.32), 1.0 - exp(-depth / LAKE_EFOLD_M));
    color = mix(color, water, smoothstep(0.0, LAKE_FADE_M, depth));
    return mix(color, ground, smoothstep(0.0, 0.05, t.glow));   // none on glowing lava
}

// Rivers and lakes on land (where the water surface is not above the bedrock); the sea keeps its colour.
vec3 overlay_rivers(vec3 color, vec2 ll, vec3 light) {
    Terrain t = terrain_sample(ll);
    return t.sea_level - t.bedrock <= 0.0 ? with_rivers(color, ll) : color;
}

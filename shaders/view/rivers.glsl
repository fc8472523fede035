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
// Lakes: the same treatment as the coast (view/coast.glsl): each cell is +1 where it holds a lake
// (lake_depth > 0) and -1 where dry, blended by the quadratic B-spline through the 3 x 3 cells around
// the pixel (common/grid.glsl, grid_stencil_quadratic); the shore is where that crosses 0, halfway
// between a lake cell and a dry one, a smooth curve, not cell edges (a lone lake cell is a round pond
// about 0.6 cells across), anti-aliased over a pixel (fwidth). The water is coloured by the same
// B-spline blend of the lake depth (dry cells 0) from a shallow teal to deep blue (e-folding
// LAKE_EFOLD_M, never brighter than the sea's shelf), fading in over the first LAKE_FADE_M of depth.
// Nothing is drawn on glowing lava.
// with_rivers: for layers that read drainage and route (basins). overlay_rivers: the erosion stage's
// "ground" overlay of the satellite layer (planet.stages.erosion: Overlay), drawn on land only (the
// views' one coast, view/coast.glsl).
// Reads drainage: discharge [m³/s], lake_depth [m].
//       route: receiver = the cell index j*W+i of the cell's receiver (-1 at a root).
//       terrain: bedrock [m above datum], sea_level [m above datum], glow [0..1].
#include "common/grid.glsl"
#include "common/constants.glsl"
#include "common/colormap.glsl"
#include "view/coast.glsl"

const float RIVER_DECADES = 5.0;   // Q from 1 to 1e5 m³/s spans the colour (the legend's range)
const float RIVER_CELLS = 6.0;     // no river below this many mean cells' worth of 1 m/yr of rain
const float RIVER_W0 = 0.04;       // [cells] half-width of the smallest river
const float RIVER_DW = 0.06;       // [cells] more half-width per decade of discharge
const float RIVER_WMAX = 0.32;     // [cells]
const float LAKE_FADE_M = 3.0;     // [m]
const float LAKE_EFOLD_M = 150.0;  // [m]

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

// The pixel's size [cells] (a derivative: in uniform control flow).
float river_pixel(vec2 ll) { return max(fwidth(lonlat_to_grid(ll).y), 1.0e-4); }

// The river over the pixel at ll of px cells: (opacity, colour parameter in [0, 1]) of the strongest line there.
vec2 river_line(vec2 ll, float px) {
    vec2 g = lonlat_to_grid(ll);
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

// The lake at the pixel: (lake height L in [-1, 1], > 0 in the lake, 0 on the shore; water depth [m]).
vec2 lake_at(vec2 ll) {
    ivec2 c;
    vec2 w[3];
    grid_stencil_quadratic(ll, c, w);
    vec2 sum = vec2(0.0);
    for (int j = 0; j < 3; ++j)
        for (int i = 0; i < 3; ++i) {
            float depth = drainage_at(grid_wrap_near(c + ivec2(i - 1, j - 1))).lake_depth;
            sum += w[i].x * w[j].y * vec2(depth > 0.0 ? 1.0 : -1.0, max(depth, 0.0));
        }
    return sum;
}

// Rivers and lakes over `ground` at ll: px the pixel's size [cells] (river_pixel), lake = lake_at(ll) and
// shore its coverage of the pixel (coast_land(lake.x)), all taken in uniform control flow; this takes
// no derivatives, so it may run in a branch.
vec3 rivers_and_lakes(vec3 ground, vec2 ll, float px, vec2 lake, float shore) {
    Terrain t = terrain_sample(ll);
    vec2 river = river_line(ll, px);
    vec3 color = mix(ground, cmap_rivers(river.y), river.x);
    vec3 water = mix(vec3(0.14, 0.40, 0.48), vec3(0.04, 0.14, 0.32), 1.0 - exp(-lake.y / LAKE_EFOLD_M));
    color = mix(color, water, shore * smoothstep(0.0, LAKE_FADE_M, lake.y));
    return mix(color, ground, smoothstep(0.0, 0.05, t.glow));   // none on glowing lava
}

vec3 with_rivers(vec3 ground, vec2 ll) {
    vec2 lake = lake_at(ll);
    return rivers_and_lakes(ground, ll, river_pixel(ll), lake, coast_land(lake.x));
}

// Rivers and lakes on land (the views' one coast); the sea keeps its colour, and skips the rivers' work.
vec3 overlay_rivers(vec3 color, vec2 ll, vec3 light) {
    float land = coast_land(coast_height(ll));       // [0..1] the land's share of the pixel
    vec2 lake = lake_at(ll);
    float shore = coast_land(lake.x);                // [0..1] the lake's share of the pixel
    float px = river_pixel(ll);
    if (land <= 0.0) return color;
    return mix(color, rivers_and_lakes(color, ll, px, lake, shore), land);
}

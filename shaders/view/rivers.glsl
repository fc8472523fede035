// shaders/view/rivers.glsl — rivers and lakes drawn over a layer's land colour (MODEL.md §3: rivers
// with intensity ~ log(water)).
// Which cells are rivers. A cell is drawn as a river where (1) its discharge Q [m³/s] reaches Q_min, the
// discharge of RIVER_KM2 of land under 1 m/yr of rain (a physical area, the same on every grid; on a
// grid so coarse that RIVER_CELLS mean cells are larger, that many cells' worth, so the tiny cells by
// the poles, which any inflow would fill many times over, draw no dotted row of rivers), and (2) it
// belongs to a major basin, one whose root drains at least MAJOR_BASIN_KM2 of land (the basins
// layer's coloured basins). Rule (2) is a map's generalisation: the short streams that run straight
// down a coastal slope into the sea, each its own small basin, are what D8 steepest descent makes of
// planar slopes (neighbouring cells all step the same way, so their flow lines run side by side and
// never join); drawn, they hatch every wet slope with parallel lines. A river's receiver is its next
// cell downstream (the flow tree, route.receiver).
// How. Each river cell c with receiver r draws the quadratic B-spline (Chaikin) pieces of its channel:
// for each river cell u that drains into it, the Bezier curve from the midpoint of u-c through the
// control point c to the midpoint of c-r (a source, with no river upstream, draws the segment from c
// to that midpoint; a mouth, whose receiver draws nothing, goes on to the receiver's centre). Along a
// chain the pieces meet at the midpoints with a common tangent, so a bend of 45 or 90 degrees between
// D8 steps is a smooth arc, a staircase of steps a smooth line, and a tributary merges tangentially
// into the trunk at the trunk's next midpoint. Every piece of c lies within half a cell of c's centre,
// so a pixel needs only the 3 x 3 cells around it. Half-width grows with the decades of discharge
// above Q_min, w = RIVER_W0 + RIVER_DW log10(Q / Q_min) cells (at most RIVER_WMAX), interpolated along
// a piece from the upstream cell's width to c's, and its colour with log Q: cmap_rivers(log10(Q /
// 1 m³/s) / RIVER_DECADES) (the basins legend). A line thinner than a pixel is drawn a pixel wide
// with its coverage as opacity (fwidth of the grid coordinate: the pixel's size in cells), but, where
// a pixel is at most a quarter cell, no fainter than RIVER_MIN_COVER, since every river drawn is a
// major one: it reads at the globe's zoom.
// Distances are metric: east offsets are scaled by cos(lat); a curve's distance is taken to its
// RIVER_PIECES-segment polyline (error < 0.01 cell).
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
// Reads drainage: area [km²] (at a basin's root: the basin's land), discharge [m³/s], lake_depth [m].
//       route: receiver = the cell index j*W+i of the cell's receiver (-1 at a root).
//       basins: basin = the cell index j*W+i of the cell's flow-tree root.
//       terrain: bedrock [m above datum], sea_level [m above datum], glow [0..1].
#include "common/grid.glsl"
#include "common/constants.glsl"
#include "common/colormap.glsl"
#include "view/coast.glsl"

const float RIVER_DECADES = 5.0;       // Q from 1 to 1e5 m³/s spans the colour (the legend's range)
const float RIVER_KM2 = 2.0e5;         // [km²] no river below this area's worth of 1 m/yr of rain
const float RIVER_CELLS = 6.0;         // ... nor below this many mean cells' worth (coarse grids)
const float MAJOR_BASIN_KM2 = 5.0e5;   // [km²] a major basin drains at least this much land
const float RIVER_W0 = 0.04;           // [cells] half-width of the smallest river
const float RIVER_MIN_COVER = 0.6;     // least opacity of a line a pixel wide (every river drawn is a major one)
const float RIVER_DW = 0.06;           // [cells] more half-width per decade of discharge
const float RIVER_WMAX = 0.32;         // [cells]
const int RIVER_PIECES = 6;            // segments of the polyline that stands for a curve piece
const float LAKE_FADE_M = 3.0;         // [m]
const float LAKE_EFOLD_M = 150.0;      // [m]

// Q_min [m³/s]: RIVER_KM2 (at least RIVER_CELLS mean cells) of 1 m/yr of rain.
float river_min_discharge() {
    float mean_cell_km2 = 4.0 * PI * u_radius * u_radius / float(u_grid.x * u_grid.y);
    return max(RIVER_KM2, RIVER_CELLS * mean_cell_km2) * 1.0e6 / SECONDS_PER_YEAR;
}

// A major basin: its root (a river mouth or a lake's pit, cell index) drains at least MAJOR_BASIN_KM2.
bool major_basin(int root) { return drainage_at(grid_cell(root)).area >= MAJOR_BASIN_KM2; }

// Half-width [cells] of a river of discharge q.
float river_halfwidth(float q, float qmin) {
    return min(RIVER_W0 + RIVER_DW * log(q / qmin) / log(10.0), RIVER_WMAX);
}

// Whether cell c (on the grid) is drawn as a river (the header's rules 1 and 2); if so its discharge q
// [m³/s] and its step to its receiver, a neighbour (unwrapped across the seam; a step across a pole or
// a lake's spill to a far pass is no step, and draws nothing): river_cells(c) = (q, step, 1) or 0.
// The per-cell pre-pass (Overlay.cells, CELLS_PASS): evaluated once per tick at every cell, the pixels
// read it back (river_cells_at: one fetch where the rule takes four, up to 90 times a pixel).
#ifdef CELLS_PASS
vec4 river_cells(ivec2 c) {
    float q = drainage_at(c).discharge;
    int r = route_at(c).receiver;
    if (q < river_min_discharge() || r < 0) return vec4(0.0);
    ivec2 step_c = grid_cell(r) - c;
    step_c.x -= step_c.x > u_grid.x / 2 ? u_grid.x : 0;
    step_c.x += step_c.x < -u_grid.x / 2 ? u_grid.x : 0;
    if (abs(step_c.x) > 1 || abs(step_c.y) > 1 || !major_basin(basins_at(c).basin)) return vec4(0.0);
    return vec4(q, vec2(step_c), 1.0);
}
#else
bool river_cell(ivec2 c, float qmin, out float q, out ivec2 step_c) {
    vec4 v = river_cells_at(c);   // (qmin is river_min_discharge(), applied by the pre-pass)
    q = v.x;
    step_c = ivec2(v.yz);
    return v.w > 0.5;
}

// Distance from p to the segment a-b with east offsets scaled by sx; t = the nearest point's place on
// it (0 at a, 1 at b).
float river_segment(vec2 p, vec2 a, vec2 b, float sx, out float t) {
    vec2 s = vec2(sx, 1.0);
    vec2 ab = (b - a) * s, ap = (p - a) * s;
    t = clamp(dot(ap, ab) / max(dot(ab, ab), 1e-12), 0.0, 1.0);
    return length(ap - t * ab);
}

// Distance from p to the quadratic Bezier curve p0-p1-p2 (its RIVER_PIECES-segment polyline); t = the
// nearest point's curve parameter.
float river_bezier(vec2 p, vec2 p0, vec2 p1, vec2 p2, float sx, out float t) {
    float best = 1.0e9;
    t = 0.0;
    vec2 a = p0;
    for (int i = 1; i <= RIVER_PIECES; ++i) {
        float u = float(i) / float(RIVER_PIECES);
        vec2 b = mix(mix(p0, p1, u), mix(p1, p2, u), u);
        float f;
        float dist = river_segment(p, a, b, sx, f);
        if (dist < best) { best = dist; t = (float(i - 1) + f) / float(RIVER_PIECES); }
        a = b;
    }
    return best;
}

// The pixel's size [cells] (a derivative: in uniform control flow).
float river_pixel(vec2 ll) { return max(fwidth(lonlat_to_grid(ll).y), 1.0e-4); }

// One river line's (opacity, colour parameter) at distance dist [cells] from its centre line, for
// half-width w [cells] and discharge q, on a pixel of px cells; kept in best where it is stronger.
void river_keep(inout vec2 best, float dist, float w, float q, float px) {
    float half_px = max(w, 0.5 * px);            // at least a pixel wide ...
    // ... with its coverage as opacity, but no fainter than RIVER_MIN_COVER where a pixel is a quarter
    // cell or less (none where it is half a cell or more: there a line a pixel wide would blot the cell).
    float cover = clamp(w / half_px, RIVER_MIN_COVER * smoothstep(0.5, 0.25, px), 1.0);
    float a_line = cover * (1.0 - smoothstep(half_px - 0.5 * px, half_px + 0.5 * px, dist));
    float strength = clamp(log(max(q, 1.0)) / (log(10.0) * RIVER_DECADES), 0.0, 1.0);
    if (a_line > best.x) best = vec2(a_line, strength);
}

// The river over the pixel at ll of px cells: (opacity, colour parameter in [0, 1]) of the strongest line there.
vec2 river_line(vec2 ll, float px) {
    vec2 g = lonlat_to_grid(ll);
    float sx = max(cos(ll.y), 0.05);
    ivec2 c0 = ivec2(floor(g));
    float qmin = river_min_discharge();
    float reach = RIVER_WMAX + px;               // [cells] how far a line's ink reaches from its centre line
    vec2 best = vec2(0.0);
    for (int k = 0; k < 9; ++k) {
        ivec2 cu = c0 + ivec2(k % 3 - 1, k / 3 - 1);   // unwrapped, so geometry needs no seam
        vec2 centre = vec2(cu) + 0.5;
        vec2 off = abs(g - centre);
        if (max(off.x, off.y) > 1.0 + reach) continue;   // beyond even a mouth's last half step
        float q;
        ivec2 s;
        if (!river_cell(grid_wrap_near(cu), qmin, q, s)) continue;
        float w = river_halfwidth(q, qmin);
        vec2 exit_mid = centre + 0.5 * vec2(s);          // the midpoint towards the receiver
        float t, dist;
        // The mouth: a receiver that draws no piece of its own (sea, a lake's pit) is reached at its centre.
        float qr;
        ivec2 sr;
        ivec2 ru = cu + s;
        if (ru.y < 0 || ru.y >= u_grid.y || !river_cell(grid_wrap_near(ru), qmin, qr, sr))
            river_keep(best, river_segment(g, exit_mid, centre + vec2(s), sx, t), w, q, px);
        if (max(off.x, off.y) > 0.5 + reach) continue;   // the cell's own pieces lie within its half cell
        // One curve piece per river draining into c: midpoint u-c, control c, midpoint c-r.
        bool fed = false;
        for (int m = 0; m < 8; ++m) {
            ivec2 nu = cu + GRID_D8[m];
            if (nu.y < 0 || nu.y >= u_grid.y) continue;
            float qn;
            ivec2 sn;
            if (!river_cell(grid_wrap_near(nu), qmin, qn, sn) || sn != -GRID_D8[m]) continue;
            fed = true;
            dist = river_bezier(g, centre + 0.5 * vec2(GRID_D8[m]), centre, exit_mid, sx, t);
            river_keep(best, dist, mix(river_halfwidth(qn, qmin), w, t), mix(qn, q, t), px);
        }
        // A source: from its centre on.
        if (!fed) river_keep(best, river_segment(g, centre, exit_mid, sx, t), w, q, px);
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
#endif  // CELLS_PASS: the rest draws the picture

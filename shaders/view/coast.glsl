// shaders/view/coast.glsl — the views' one coast (issue #15): where land meets the sea, for every layer
// and overlay that draws land against sea or a coastline (so all of them put the coast in one place),
// and the sea's smooth depth for the layers that colour the sea by it.
// Land or sea: each cell's height above sea level e = bedrock - sea_level [m], bounded,
//   s = e / (|e| + COAST_HEIGHT_M)                 (in (-1, 1); 0 at sea level, +-1/2 at +-COAST_HEIGHT_M),
// blended by the quadratic B-spline through the 3 x 3 cells around the pixel (common/grid.glsl,
// grid_stencil_quadratic): the coast height S, land where S > 0. A coast cell is often +100 m next to
// -4000 m: the zero of the bilinear height hugs the land cells' centres (1/40 of the way to the sea
// cell; the land drawn far smaller than its cells) and runs along cell-aligned stairs. Bounded
// (+0.5 against -0.98) the zero falls a third of the way, while a gentle coast (a few hundred metres
// either side) keeps the sub-cell position its heights give; the B-spline's level sets are smooth
// curves, and its own-cell weight 9/16 (the cubic B-spline's: 4/9) keeps a lone cell that stands
// high enough an island. (COAST_HEIGHT_M chosen on synthetic coasts, cliffs and shelves, sampled onto
// cells: the drawn coast's mean distance from the true one is 0.1-0.25 cells; the raw bilinear
// height's 0.07-0.6, the clamp to +-50 m's 0.16-0.19.)
// coast_land(S): the land's coverage of the pixel, anti-aliased over one pixel (S / fwidth(S): the
// distance to the coast in pixels; also the lakes' shores, view/rivers.glsl). coast_line(S): a dark coastline about 1.5 pixels wide.
// Both take derivatives: call them in uniform control flow.
// sea_depth_smooth: the water depth [m] from the cubic B-spline height (grid_sample_smooth; >= 0): the
// ocean floor steps from shelf to abyss between cells, and a bilinear depth colours them as blocks.
// Reads terrain: bedrock [m above datum], sea_level [m above datum] (the layer must read it).
#include "common/grid.glsl"

const float COAST_HEIGHT_M = 100.0;  // [m] the height at which a cell's s is +-1/2

// A cell's bounded height s = e / (|e| + COAST_HEIGHT_M), e = bedrock - sea_level [m].
float coast_cell(Terrain t) { float e = t.bedrock - t.sea_level; return e / (abs(e) + COAST_HEIGHT_M); }

// The coast height S in [-1, 1] at a longitude/latitude: > 0 on land, 0 on the coast.
float coast_height(vec2 ll) {
    ivec2 c;
    vec2 w[3];
    grid_stencil_quadratic(ll, c, w);
    float sum = 0.0;
    for (int j = 0; j < 3; ++j) {
        float row = 0.0;
        for (int i = 0; i < 3; ++i) {
            row += w[i].x * coast_cell(terrain_at(grid_wrap_near(c + ivec2(i - 1, j - 1))));
        }
        sum += w[j].y * row;
    }
    return sum;
}

// The land's coverage of the pixel [0..1] from the coast height S: 1/2 on the coast, 0 / 1 a pixel out.
float coast_land(float s) {
    float px = max(fwidth(s), 1.0e-6);   // S's change across a pixel
    return clamp(0.5 + s / px, 0.0, 1.0);
}

// A coastline's strength [0..1] from the coast height S: 1 within a quarter pixel, 0 a pixel away.
float coast_line(float s) {
    return 1.0 - smoothstep(0.25, 1.0, abs(s) / max(fwidth(s), 1.0e-6));
}

// `color` with the dark coastline over it.
vec3 with_coast_line(vec3 color, float s) { return mix(color, vec3(0.05, 0.05, 0.06), 0.6 * coast_line(s)); }

// The cubic B-spline terrain (grid_sample_smooth) and its water depth [m], at least 0.
Terrain terrain_sample_smooth(vec2 ll) { return terrain_unpack(grid_sample_smooth(t_terrain, ll)); }
float water_depth(Terrain t) { return max(t.sea_level - t.bedrock, 0.0); }
float sea_depth_smooth(vec2 ll) { return water_depth(terrain_sample_smooth(ll)); }

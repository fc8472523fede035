// shaders/view/terrain_stencil.glsl — every terrain sample the satellite layer takes at a pixel, from ONE
// 4 x 4 stencil of cells (issue 16: 16 texel fetches instead of 45 on a software renderer, which does
// not share identical fetches between functions). The cells c - 1 .. c + 2 around the pixel (c = floor of
// its grid coordinate g - 1/2, f = the fraction past c; wrapped and pole-crossed by grid_wrap_near)
// hold everything these samples read:
//   bilinear  terrain_sample(ll): the 2 x 2 cells c .. c + 1 with weights (1 - f, f)   (common/grid.glsl)
//   cubic     terrain_sample_smooth(ll): the cubic B-spline over all 16 (grid_sample_smooth's weights)
//   coast     coast_height(ll): the quadratic B-spline of coast_cell over the 3 x 3 cells around the nearest
//             cell, c - 1 .. c + 1 or c .. c + 2 (view/coast.glsl), the fourth column or row weighted 0
//   shade     relief_shade(ll, light), and shade_extra relief_shade_x(ll, light, extra): the surface heights max(bedrock, sea_level) of the bilinear samples
//             one cell east, west, north and south (view/relief.glsl), which are the bilinear blends of
//             the stencil's windows shifted by one cell, with the same fraction f.
// Each is the same sum of the same cells with the same weights as its own function's, so the results
// agree to float rounding (the shifted samples' fraction differs from f by a few ulp of g).
// Reads terrain: bedrock, sea_level [m above datum], glow (the caller's layer reads terrain).
#include "view/relief.glsl"
#include "view/coast.glsl"

struct TerrainPixel {
    Terrain bilinear;   // terrain_sample(ll)
    Terrain cubic;      // terrain_sample_smooth(ll)
    float coast;        // coast_height(ll): the coast height S
    float shade;        // relief_shade(ll, light)
    float shade_extra;  // relief_shade_x(ll, light, extra)
};

// The bilinear blend of the stencil window whose lower-left cell is c + (dx, dy), 0 <= 1 + dx, 1 + dy <= 2.
vec4 stencil_bilinear(vec4 v[16], int dx, int dy, vec2 f) {
    int k = 4 * (1 + dy) + 1 + dx;
    return mix(mix(v[k], v[k + 1], f.x), mix(v[k + 4], v[k + 5], f.x), f.y);
}

TerrainPixel terrain_pixel(vec2 ll, vec3 light, float extra) {
    vec2 g = lonlat_to_grid(ll) - 0.5;
    ivec2 c = ivec2(floor(g));
    vec2 f = g - vec2(c);
    vec4 v[16];   // v[4 j + i] = the cell c + (i - 1, j - 1)
    for (int j = 0; j < 4; ++j)
        for (int i = 0; i < 4; ++i) v[4 * j + i] = pack(terrain_near(c + ivec2(i - 1, j - 1)));
    TerrainPixel p;
    p.bilinear = terrain_unpack(stencil_bilinear(v, 0, 0, f));
    // Cubic B-spline weights per axis (common/grid.glsl, grid_sample_smooth).
    vec2 f2 = f * f, f3 = f2 * f;
    vec2 w[4] = vec2[4]((1.0 - 3.0 * f + 3.0 * f2 - f3) / 6.0, (3.0 * f3 - 6.0 * f2 + 4.0) / 6.0,
                        (-3.0 * f3 + 3.0 * f2 + 3.0 * f + 1.0) / 6.0, f3 / 6.0);
    vec4 sum = vec4(0.0);
    for (int j = 0; j < 4; ++j) {
        vec4 row = vec4(0.0);
        for (int i = 0; i < 4; ++i) row += w[i].x * v[4 * j + i];
        sum += w[j].y * row;
    }
    p.cubic = terrain_unpack(sum);
    // Quadratic B-spline around the nearest cell n (grid_stencil_quadratic), as weights on the 4 stencil
    // columns and rows: n = c takes columns 0..2, n = c + 1 columns 1..3.
    ivec2 n;
    vec2 q[3];
    grid_stencil_quadratic(ll, n, q);
    bvec2 up = greaterThan(n, c);
    vec2 q4[4] = vec2[4](mix(q[0], vec2(0.0), up), mix(q[1], q[0], up), mix(q[2], q[1], up), mix(vec2(0.0), q[2], up));
    float coast = 0.0;
    for (int j = 0; j < 4; ++j) {
        float row = 0.0;
        for (int i = 0; i < 4; ++i) row += q4[i].x * coast_cell(terrain_unpack(v[4 * j + i]));
        coast += q4[j].y * row;
    }
    p.coast = coast;
    // The hillshade from the surface heights of the windows one cell east, west, north and south.
    vec4 e = stencil_bilinear(v, 1, 0, f), wst = stencil_bilinear(v, -1, 0, f);
    vec4 nth = stencil_bilinear(v, 0, 1, f), sth = stencil_bilinear(v, 0, -1, f);
    Terrain te = terrain_unpack(e), tw = terrain_unpack(wst), tn = terrain_unpack(nth), ts = terrain_unpack(sth);
    float ze = max(te.bedrock, te.sea_level), zw = max(tw.bedrock, tw.sea_level);
    float zn = max(tn.bedrock, tn.sea_level), zs = max(ts.bedrock, ts.sea_level);
    p.shade = relief_shade_normal(relief_normal_heights(ll, ze, zw, zn, zs, 1.0), light);
    p.shade_extra = relief_shade_normal(relief_normal_heights(ll, ze, zw, zn, zs, extra), light);
    return p;
}

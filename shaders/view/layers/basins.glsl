// shaders/view/layers/basins.glsl — layer: river basins. Every land cell takes the colour of its basin
// (the root of its flow tree: a river mouth, or a lake with no outlet), one of 12 hues picked by a
// pcg3d hash of the root's cell index, so neighbouring basins usually differ. Only the major basins
// are coloured: a basin whose root drains less than MAJOR_BASIN_KM2 of land (view/rivers.glsl; 5e5
// km², about the 40 largest basins of the Earth), or less than SMALL_BASIN_CELLS cells on a coarse
// grid, is drawn in one neutral pale grey: the many short coastal slope basins (on planar slopes D8
// makes one per flow line, a stripe one cell wide) read as one undivided coastal fringe, and the big
// basins of the interiors stand out. The divide between two basins, not both small, is a
// thin dark line DIVIDE_W cells wide along the side of the pixel's cell beyond which the other lies,
// drawn only where a pixel is smaller than half a cell (a map at the grid's size shows plain colours).
// Land and sea meet where the views' one coast says (view/coast.glsl: smooth, anti-aliased). Lightly hillshaded; rivers and lakes over it (view/rivers.glsl, legend: cmap_rivers over
// 0..5 decades of m³/s). The sea is a dark blue-grey.
// Reads terrain: bedrock [m above datum], sea_level [m above datum].
//       drainage: area = drainage area [km²], discharge [m³/s] and lake_depth [m] (view/rivers.glsl).
//       basins: basin = the root cell index j*W+i of the cell's flow tree (int).
//       route: receiver (view/rivers.glsl).
#include "view/relief.glsl"
#include "view/coast.glsl"
#include "common/hash.glsl"
#include "view/rivers.glsl"

const float SMALL_BASIN_CELLS = 6.0;
const float DIVIDE_W = 0.08;           // [cells] half-width of a divide line

// The basin of a cell: the cell index of its flow tree's root (the one line that knows where the
// basin is stored).
int basin_root(ivec2 c) { return basins_at(c).basin; }

bool small_basin(int root) {
    ivec2 mouth = grid_cell(root);
    float area = drainage_at(mouth).area;
    return area < SMALL_BASIN_CELLS * cell_area_km2(mouth.y) || !major_basin(root);
}

vec3 basin_color(int root) {
    if (small_basin(root)) return vec3(0.78);
    float hue = float(pcg3d(uvec3(uint(root), 0x6A5Du, 0x3C1Bu)).x % 12u) / 12.0;
    vec3 k = clamp(abs(mod(hue * 6.0 + vec3(0.0, 4.0, 2.0), 6.0) - 3.0) - 1.0, 0.0, 1.0);
    return mix(vec3(0.85), k, 0.7);   // a pastel of the hue
}

vec3 layer_color(vec2 ll, vec3 light) {
    vec2 g = lonlat_to_grid(ll);
    ivec2 c = grid_wrap_near(ivec2(floor(g)));   // basins are categories: no blending
    float land = coast_land(coast_height(ll));   // [0..1] the land's share of the pixel
    int root = basin_root(c);
    bool small = small_basin(root);
    vec3 color = basin_color(root) * (0.55 + 0.45 * relief_shade(ll, light));
    // Divides: how near the pixel is to a side of its cell beyond which another land basin lies.
    vec2 f = fract(g);
    float px = max(fwidth(g.y), 1.0e-4);
    float divide = 0.0;
    for (int k = 0; k < 4; ++k) {
        ivec2 d = ivec2(k == 0 ? 1 : k == 1 ? -1 : 0, k == 2 ? 1 : k == 3 ? -1 : 0);
        ivec2 n = grid_wrap_near(ivec2(floor(g)) + d);
        Terrain tn = terrain_at(n);
        int other = basin_root(n);
        if (tn.bedrock <= tn.sea_level || other == root || (small && small_basin(other))) continue;
        float edge = k == 0 ? 1.0 - f.x : k == 1 ? f.x : k == 2 ? 1.0 - f.y : f.y;   // [cells] to that side
        divide = max(divide, 1.0 - smoothstep(DIVIDE_W - 0.5 * px, DIVIDE_W + 0.5 * px, edge));
    }
    color = mix(color, vec3(0.18, 0.16, 0.15), 0.7 * divide * smoothstep(0.5, 0.25, px));
    return mix(vec3(0.10, 0.14, 0.22), with_rivers(color, ll), land);
}

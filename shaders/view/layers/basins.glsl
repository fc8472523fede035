// shaders/view/layers/basins.glsl — layer: river basins. Every land cell takes the colour of its basin
// (the root of its flow tree: a river mouth, or a lake with no outlet), one of 12 hues picked by a
// pcg3d hash of the root's cell index, so neighbouring basins usually differ; basins smaller than
// SMALL_BASIN_CELLS cells (the root's drainage area, the basin's whole land) share one pale grey so
// the large ones stand out. Lightly hillshaded; rivers and lakes over it (view/rivers.glsl, legend:
// cmap_rivers over 0..5 decades of m³/s). The sea is a dark blue-grey.
// Reads terrain: bedrock [m above datum], sea_level [m above datum].
//       drainage: area = drainage area [km²], discharge [m³/s] and lake_depth [m] (view/rivers.glsl).
//       basins: basin = the root cell index j*W+i of the cell's flow tree (int).
#include "view/relief.glsl"
#include "common/hash.glsl"
#include "view/rivers.glsl"

const float SMALL_BASIN_CELLS = 12.0;

// The basin of a cell: the cell index of its flow tree's root (the one line that knows where the
// basin is stored).
int basin_root(ivec2 c) { return basins_at(c).basin; }

vec3 basin_color(int root) {
    ivec2 mouth = grid_cell(root);
    if (drainage_at(mouth).area < SMALL_BASIN_CELLS * cell_area_km2(mouth.y)) return vec3(0.78);
    float hue = float(pcg3d(uvec3(uint(root), 0x6A5Du, 0x3C1Bu)).x % 12u) / 12.0;
    vec3 k = clamp(abs(mod(hue * 6.0 + vec3(0.0, 4.0, 2.0), 6.0) - 3.0) - 1.0, 0.0, 1.0);
    return mix(vec3(0.85), k, 0.6);   // a pastel of the hue
}

vec3 layer_color(vec2 ll, vec3 light) {
    ivec2 c = grid_wrap_near(ivec2(floor(lonlat_to_grid(ll))));   // basins are categories: no blending
    Terrain t = terrain_at(c);
    if (t.bedrock <= t.sea_level) return vec3(0.10, 0.14, 0.22);
    vec3 color = basin_color(basin_root(c)) * (0.55 + 0.45 * relief_shade(ll, light));
    return with_rivers(color, ll);
}

// shaders/view/layers/basins.glsl — layer: river basins. Every land cell takes the colour of its basin
// (the root of its flow tree: a river mouth, or a lake with no outlet), one of 12 hues picked by a
// pcg3d hash of the root's cell index, so neighbouring basins usually differ; basins smaller than
// SMALL_BASIN_CELLS cells (the root's drainage area, the basin's whole land) share one pale grey so
// the large ones stand out. Lightly hillshaded; rivers and lakes over it (view/rivers.glsl, legend:
// cmap_rivers over 0..5 decades of m³/s). The sea is a dark blue-grey.
// Reads terrain: r = bedrock elevation [m above datum], g = sea level [m].
//       drainage: r = drainage area [km²], g = discharge [m³/s], b = lake depth [m].
//       basins: r = basin (root cell index).
#include "view/relief.glsl"
#include "common/hash.glsl"
#include "view/rivers.glsl"

uniform sampler2D t_terrain;
uniform isampler2D t_basins;

const float SMALL_BASIN_CELLS = 12.0;

vec3 basin_color(int root) {
    ivec2 mouth = grid_cell(root);
    if (texelFetch(t_drainage, mouth, 0).r < SMALL_BASIN_CELLS * cell_area_km2(mouth.y)) return vec3(0.78);
    float hue = float(pcg3d(uvec3(uint(root), 0x6A5Du, 0x3C1Bu)).x % 12u) / 12.0;
    vec3 k = clamp(abs(mod(hue * 6.0 + vec3(0.0, 4.0, 2.0), 6.0) - 3.0) - 1.0, 0.0, 1.0);
    return mix(vec3(0.85), k, 0.6);   // a pastel of the hue
}

vec3 layer_color(vec2 ll, vec3 light) {
    ivec2 c = grid_wrap_near(ivec2(floor(lonlat_to_grid(ll))));   // basins are categories: no blending
    vec4 t = texelFetch(t_terrain, c, 0);
    if (t.r <= t.g) return vec3(0.10, 0.14, 0.22);
    vec3 color = basin_color(texelFetch(t_basins, c, 0).r) * (0.55 + 0.45 * relief_shade(t_terrain, ll, light));
    return with_rivers(color, ll);
}

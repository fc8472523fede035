// shaders/view/layers/plates.glsl — layer: the tectonic plates. Each plate its own colour (a hue
// hashed from its id; unassigned cells grey), lighter on land than at sea (the views' one coast,
// view/coast.glsl), hillshaded; plate
// boundaries (a 4-neighbour of another plate) darkened; uplift stress s painted over the plate with
// the `uplift` colormap (legend: planet.stages.tectonics, "uplift stress", 0..1), opacity rising
// with s. Plate ids are fetched per cell (never interpolated).
// Reads plates: plate = plate id (int, -1 unassigned); plate_state: stress = uplift stress [0..1].
//       terrain: bedrock [m above datum], sea_level [m above datum].
#include "view/relief.glsl"
#include "view/coast.glsl"
#include "common/colormap.glsl"
#include "common/hash.glsl"

// A bright, well-separated colour per plate id: hue from a hash, fixed saturation and value.
vec3 plate_colour(int id) {
    float hue = u01(pcg3d(uvec3(uint(id), 0x9A7Eu, 0x51u))).x;
    vec3 k = clamp(abs(fract(hue + vec3(0.0, 2.0 / 3.0, 1.0 / 3.0)) * 6.0 - 3.0) - 1.0, 0.0, 1.0);
    return mix(vec3(1.0), k, 0.65) * 0.9;
}

// The plate layout in one place: the plate id of any cell (wrapped), and the uplift stress of a
// cell on the grid.
int id_at(ivec2 c) { return plates_at(grid_wrap(c)).plate; }
float stress_at(ivec2 c) { return plate_state_at(c).stress; }

vec3 layer_color(vec2 ll, vec3 light) {
    ivec2 c = grid_wrap(ivec2(floor(lonlat_to_grid(ll))));
    float stress = stress_at(c);
    int id = id_at(c);
    vec3 color = id < 0 ? vec3(0.45) : plate_colour(id);
    color *= mix(0.6, 1.0, coast_land(coast_height(ll)));       // land lighter than sea floor
    color *= 0.6 + 0.4 * relief_shade(ll, light);
    color = mix(color, cmap_uplift(stress), smoothstep(0.02, 0.5, stress));
    bool edge = id_at(c + ivec2(1, 0)) != id || id_at(c + ivec2(-1, 0)) != id ||
                id_at(c + ivec2(0, 1)) != id || id_at(c + ivec2(0, -1)) != id;
    return edge ? color * 0.3 : color;
}

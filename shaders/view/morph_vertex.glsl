// shaders/view/morph_vertex.glsl — vertex stage of the unwrap/rewrap animation (view "morph").
// Each mesh vertex carries its longitude/latitude. At u_morph = 0 it sits where the equirectangular
// map puts it (x = lon / pi, y = lat / (pi/2), scaled to the letterboxed map rectangle); at 1 it sits
// where the globe camera sees the unit-sphere point lonlat_pos(lon, lat). Positions are blended in
// normalised device coordinates with a smoothstep in time, so the sheet curls onto the sphere.
// Reads no fields. Outputs v_ll [radians] to the fragment stage.
#include "common/grid.glsl"

in vec2 in_ll;                  // vertex longitude, latitude [radians]
uniform float u_morph;          // 0 = map, 1 = globe
uniform mat4 u_viewproj;        // world -> clip of the globe camera
uniform vec2 u_map_scale;       // map rectangle size / viewport size
out vec2 v_ll;

void main() {
    v_ll = in_ll;
    vec3 plane = vec3(in_ll.x / PI * u_map_scale.x, in_ll.y / (0.5 * PI) * u_map_scale.y, 0.0);
    vec4 sphere = u_viewproj * vec4(lonlat_pos(in_ll), 1.0);
    float t = smoothstep(0.0, 1.0, u_morph);
    gl_Position = vec4(mix(plane, sphere.xyz / sphere.w, t), 1.0);
}

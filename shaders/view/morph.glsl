// shaders/view/morph.glsl — fragment stage of the unwrap/rewrap animation (view "morph"): colours the
// morphing mesh with the layer at the interpolated longitude/latitude, with the light blended from the
// map's north-west hillshade light (t = 0) to the globe's world light in local east/north/up (t = 1).
// Writes the RGB8 view target.

in vec2 v_ll;                   // longitude, latitude [radians]
uniform vec3 u_light;           // unit vector towards the light, world frame (z = north pole)
uniform float u_morph;          // 0 = map, 1 = globe
out vec4 frag;

void main() {
    vec3 p = lonlat_pos(v_ll);
    vec3 east = length(p.xy) > 1e-6 ? normalize(vec3(-p.y, p.x, 0.0)) : vec3(0.0, 1.0, 0.0);
    vec3 north = cross(p, east);
    vec3 globe_light = vec3(dot(u_light, east), dot(u_light, north), dot(u_light, p));
    vec3 map_light = normalize(vec3(-0.5, 0.5, 0.7071));
    vec3 light = normalize(mix(map_light, globe_light, smoothstep(0.0, 1.0, u_morph)) + vec3(0.0, 0.0, 1e-4));
    frag = vec4(clamp(layer_color(v_ll, light), 0.0, 1.0), 1.0);
}

// shaders/view/globe.glsl — view: the planet as a sphere seen by a perspective camera (pyrr).
// Each pixel casts a ray through u_inv_viewproj; the unit sphere |p| = 1 is hit where
//   t = -b - sqrt(b^2 - c),  b = ro . rd,  c = ro . ro - 1.
// The hit point gives lon/lat; the world light is rotated into local (east, north, up) for the
// layer. Rays that miss show space with a thin atmosphere glow ~ exp(-(r_min - 1) / 0.02);
// hits get a Fresnel-like blue rim. Writes the RGB8 view target.

uniform vec2 u_size;            // viewport size [pixels]
uniform vec2 u_origin;          // viewport origin in the framebuffer [pixels]
uniform mat4 u_inv_viewproj;    // clip -> world
uniform vec3 u_light;           // unit vector towards the light, world frame (z = north pole)
out vec4 frag;

const vec3 ATMOSPHERE = vec3(0.35, 0.60, 1.00);

void main() {
    vec2 ndc = (gl_FragCoord.xy - u_origin) / u_size * 2.0 - 1.0;
    vec4 a = u_inv_viewproj * vec4(ndc, -1.0, 1.0);
    vec4 b4 = u_inv_viewproj * vec4(ndc, 1.0, 1.0);
    vec3 ro = a.xyz / a.w;
    vec3 rd = normalize(b4.xyz / b4.w - ro);
    float b = dot(ro, rd);
    float c = dot(ro, ro) - 1.0;
    float disc = b * b - c;
    if (disc < 0.0) {
        // Miss: the glow of the atmosphere falls off with the ray's closest approach to the planet.
        float rmin = sqrt(max(dot(ro, ro) - b * b, 0.0));
        frag = vec4(ATMOSPHERE * 0.8 * exp(-(rmin - 1.0) / 0.02), 1.0);
        return;
    }
    vec3 p = normalize(ro + (-b - sqrt(disc)) * rd);
    vec2 ll = pos_lonlat(p);
    // Local frame at p (east is undefined exactly at a pole: pick any tangent there).
    vec3 east = length(p.xy) > 1e-6 ? normalize(vec3(-p.y, p.x, 0.0)) : vec3(0.0, 1.0, 0.0);
    vec3 north = cross(p, east);
    vec3 light = vec3(dot(u_light, east), dot(u_light, north), dot(u_light, p));
    vec3 color = layer_color(ll, light);
    // Limb: looking through more atmosphere near the edge of the disc.
    float rim = pow(1.0 - max(dot(-rd, p), 0.0), 3.0);
    frag = vec4(clamp(mix(color, ATMOSPHERE, 0.6 * rim), 0.0, 1.0), 1.0);
}

// shaders/view/bake_alpha.glsl — fragment stage of a gated bake-alpha pass (planet.view; Overlay.bake_gate):
// the night overlay's per-tick part BAKE_ALPHA(ll) (e.g. view/lights.glsl, night_lights) written into the
// bake's alpha only (the colour mask keeps the layer's rgb), over the blocks view/bake_gate.glsl opens.
// Output pixel (x, y), y up, covers lon = -180 + 360 x / width, lat = -90 + 180 y / height, as in
// view/map.glsl, so each texel gets exactly the value an ungated bake writes there.
// Reads the overlay's fields. Writes the bake's alpha, 0..1.

uniform vec2 u_size;   // the bake's size [texels]
uniform vec2 u_origin; // viewport origin [pixels]
out vec4 frag;

void main() {
    vec2 uv = (gl_FragCoord.xy - u_origin) / u_size;
    vec2 ll = vec2(-PI + uv.x * 2.0 * PI, -0.5 * PI + uv.y * PI);
    frag = vec4(0.0, 0.0, 0.0, clamp(BAKE_ALPHA(ll), 0.0, 1.0));
}

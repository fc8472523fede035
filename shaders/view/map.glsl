// shaders/view/map.glsl — view: the equirectangular map. Output pixel (x, y), y up, covers
// lon = -180 + 360 x / width, lat = -90 + 180 y / height; the layer colours it, lit from the
// north-west at 45 deg elevation (a cartographer's hillshade).
// Writes the RGB8 view target (in a bake, alpha = BAKE_ALPHA(ll) where a night overlay defines one; 0 with
// BAKE_ALPHA_GATED, where view/bake_alpha.glsl draws it afterwards over the blocks its gate opens).

uniform vec2 u_size;   // viewport size [pixels]
uniform vec2 u_origin; // viewport origin in the framebuffer [pixels]
out vec4 frag;

void main() {
    vec2 uv = (gl_FragCoord.xy - u_origin) / u_size;
    vec2 ll = vec2(-PI + uv.x * 2.0 * PI, -0.5 * PI + uv.y * PI);
    vec3 light = normalize(vec3(-0.5, 0.5, 0.7071));
    frag = vec4(clamp(layer_color(ll, light), 0.0, 1.0), 1.0);
#ifdef BAKE_ALPHA
    frag.a = clamp(BAKE_ALPHA(ll), 0.0, 1.0);   // the bake: a night overlay's per-tick part (Overlay.bake)
#elif defined(BAKE_ALPHA_GATED)
    frag.a = 0.0;   // ... drawn next by a pass of its own where its gate opens (view/bake_gate.glsl)
#endif
}

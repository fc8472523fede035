// shaders/view/overlay.glsl — frame overlay: one text box (an RGBA8 image drawn by Pillow on the CPU,
// straight alpha, row 0 = top) placed at u_rect, and, when CMAP is defined, a legend colour bar at
// u_bar filled with that colormap from common/colormap.glsl (left = legend vmin, right = vmax)
// inside a one-pixel dark frame; with CMAP_VERTICAL (class legends) the bar runs from 0 at its top to 1
// at its bottom. Blended over the view with SRC_ALPHA, ONE_MINUS_SRC_ALPHA.
// Reads no fields. Writes the RGB8 view target.
#include "common/colormap.glsl"

uniform sampler2D t_text;   // RGBA8 text image
uniform vec4 u_rect;        // text image placement (x, y, w, h) [framebuffer pixels, y up]
uniform vec4 u_bar;         // colour bar (x, y, w, h) [framebuffer pixels, y up]
out vec4 frag;

void main() {
    vec2 p = gl_FragCoord.xy;
#ifdef CMAP
    vec2 b = p - u_bar.xy;
    if (all(greaterThanEqual(b, vec2(-1.0))) && all(lessThan(b, u_bar.zw + 1.0))) {
        bool inside = all(greaterThanEqual(b, vec2(0.0))) && all(lessThan(b, u_bar.zw));
#ifdef CMAP_VERTICAL
        float t = 1.0 - b.y / u_bar.w;
#else
        float t = b.x / u_bar.z;
#endif
        frag = inside ? vec4(CMAP(t), 1.0) : vec4(0.05, 0.05, 0.05, 1.0);
        return;
    }
#endif
    vec2 q = p - u_rect.xy;
    if (any(lessThan(q, vec2(0.0))) || any(greaterThanEqual(q, u_rect.zw))) discard;
    frag = texelFetch(t_text, ivec2(int(q.x), int(u_rect.w) - 1 - int(q.y)), 0);
}

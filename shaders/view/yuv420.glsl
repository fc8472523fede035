// shaders/view/yuv420.glsl — converts a rendered RGB frame into planar YUV 4:2:0 (yuv420p) on the
// GPU, so the video encoder gets half the bytes and no colour conversion on the CPU.
// BT.709, limited range (ITU-R BT.709-6, item 3.2-3.5):
//   Y' = 16 + 219 (0.2126 R + 0.7152 G + 0.0722 B)
//   Cb = 128 + 224 (B - Y) / 1.8556,   Cr = 128 + 224 (R - Y) / 1.5748      (R, G, B, Y in [0, 1])
// Output: an R8 image u_size.x wide and 3/2 u_size.y tall whose rows, read from row 0, are the Y
// plane (top image row first), then the Cb plane and the Cr plane, each (w/2 x h/2) packed two
// chroma rows per output row. Chroma averages each 2x2 block of pixels.
// Reads t_frame (RGBA8, GL rows: row 0 = bottom). Writes one byte per output texel [0..255 / 255].

uniform sampler2D t_frame;
uniform ivec2 u_size;   // frame size (w, h) [pixels], both even
out vec4 frag;

vec3 rgb_at(ivec2 top_left_xy) {   // pixel (x, y) counted from the top-left, as in the video
    return texelFetch(t_frame, ivec2(top_left_xy.x, u_size.y - 1 - top_left_xy.y), 0).rgb;
}

float luma(vec3 c) { return dot(c, vec3(0.2126, 0.7152, 0.0722)); }

void main() {
    ivec2 o = ivec2(gl_FragCoord.xy);
    int w = u_size.x, h = u_size.y;
    if (o.y < h) {
        frag = vec4((16.0 + 219.0 * luma(rgb_at(o))) / 255.0);
        return;
    }
    // Chroma: index k into the (w/2 x h/2) plane; Cb plane first, then Cr.
    int k = (o.y - h) * w + o.x;
    int plane_size = (w / 2) * (h / 2);
    bool cr = k >= plane_size;
    k -= cr ? plane_size : 0;
    ivec2 p = 2 * ivec2(k % (w / 2), k / (w / 2));
    vec3 c = 0.25 * (rgb_at(p) + rgb_at(p + ivec2(1, 0)) + rgb_at(p + ivec2(0, 1)) + rgb_at(p + ivec2(1, 1)));
    float y = luma(c);
    float v = cr ? 128.0 + 224.0 * (c.r - y) / 1.5748 : 128.0 + 224.0 * (c.b - y) / 1.8556;
    frag = vec4(v / 255.0);
}

// shaders/view/arrows.glsl — the surface wind as short arrows that drift downwind (issue #15: wind
// with direction). Arrows sit on a lattice of rows `a` degrees apart, each row holding
// round(360 cos(lat) / a) arrows (about equal spacing on the sphere, no crowding at the poles). The
// spacing follows the picture: a is the smallest of ARROW_SPACINGS (each divides 180, so the lattice is
// one of a few fixed ones and stays put while a zoom stays within a step) that puts arrows at least
// ARROW_MIN_PX picture pixels apart (view/marks.glsl: mark_px, the coarser of the frame's pixel and the
// bake's texel), the largest one on the smallest pictures: a 128 px map gets 36 deg (about 13 px), a
// 640 px one 9 deg. Rows whose centre lies poleward of min(ARROW_LAT_MAX, 90 - a) are left out: there
// the map stretches an arrow east-west by 1 / cos(lat) into a squeezed streak along its top and bottom
// edges, and an arrow (at most 0.85 a long, drifting 0.175 a) would reach the pole.
// An arrow points along the wind at its lattice point (the flow field's 3-D vector, taken to
// east/north there), its length grows with speed from 0.35 to 0.35 + ARROW_LENGTH spacings at FULL_SPEED, and it has
// a two-stroke head at its tip. It drifts downwind by up to ARROW_DRIFT x spacing over TICKS_PER_CYCLE
// ticks and fades in and out (sin(pi phase)), each arrow with its own phase (a hash of its lattice
// point), so the field visibly flows while every frame at one tick is the same. Lines are ARROW_WIDTH_PX
// picture pixels wide (at least 0.05 spacings), anti-aliased over one bake texel (fwidth of the latitude).
//   wind_arrows(ll) in [0, 1]: the opacity of arrow ink at the pixel.
// Reads flow (the layer must read it): x, y, z = the surface wind as a 3-D vector [m/s].
#include "common/grid.glsl"
#include "common/hash.glsl"
#include "view/marks.glsl"

// [deg] the lattice spacings to choose from (between rows, and about along a row); each divides 180.
const float ARROW_SPACINGS[12] = float[12](3.0, 4.0, 5.0, 6.0, 9.0, 10.0, 12.0, 15.0, 18.0, 20.0, 30.0, 36.0);
const float ARROW_MIN_PX = 12.0;       // [picture pixels] at least this far apart (if the largest allows)
const float ARROW_WIDTH_PX = 1.6;      // [picture pixels] line width
const float ARROW_LAT_MAX = 78.0;      // [deg] no rows poleward of this
const float ARROW_LENGTH = 0.5;        // arrow length added at full speed, in spacings
const float ARROW_DRIFT = 0.35;        // how far an arrow drifts in one cycle, in spacings
const float ARROW_FULL_SPEED = 15.0;   // [m/s]
const uint TICKS_PER_CYCLE = 24u;      // ticks for an arrow to drift and fade once
const uint ARROW_SEED = 0xA770Bu;

float arrow_segment(vec2 p, vec2 a, vec2 b) {
    vec2 ab = b - a, ap = p - a;
    float t = clamp(dot(ap, ab) / max(dot(ab, ab), 1e-12), 0.0, 1.0);
    return length(ap - t * ab);
}

// The lattice spacing [radians] for marks of size `px` [radians]: the smallest that is ARROW_MIN_PX apart.
float arrow_spacing(float px) {
    for (int k = 0; k < 12; ++k) {
        if (radians(ARROW_SPACINGS[k]) >= ARROW_MIN_PX * px) return radians(ARROW_SPACINGS[k]);
    }
    return radians(ARROW_SPACINGS[11]);
}

float wind_arrows(vec2 ll) {
    float texel = max(fwidth(ll.y), 1.0e-6);                    // the bake's texel [radians]
    float a = arrow_spacing(mark_px(ll));
    float width = max(0.5 * ARROW_WIDTH_PX * mark_px(ll), 0.025 * a);   // line half-width [radians]
    int rows = int(floor(PI / a + 0.5));
    float lat_max = min(radians(ARROW_LAT_MAX), 0.5 * PI - a);    // rows nearer the poles are skipped
    float row_f = (ll.y + 0.5 * PI) / a - 0.5;
    int r0 = int(floor(row_f + 0.5));
    float ink = 0.0;
    float time = float(u_tick % (4096u * TICKS_PER_CYCLE)) / float(TICKS_PER_CYCLE);
    for (int dr = -1; dr <= 1; ++dr) {
        int r = r0 + dr;
        if (r < 0 || r >= rows) continue;
        float lat = -0.5 * PI + (float(r) + 0.5) * a;
        if (abs(lat) > lat_max + 1.0e-4) continue;
        int n = max(1, int(floor(2.0 * PI * cos(lat) / a + 0.5)));
        float col_f = (ll.x + PI) / (2.0 * PI) * float(n) - 0.5;
        int c0 = int(floor(col_f + 0.5));
        for (int dc = -1; dc <= 1; ++dc) {
            int c = ((c0 + dc) % n + n) % n;
            vec2 at = vec2(-PI + (float(c) + 0.5) * 2.0 * PI / float(n), lat);
            Flow f = flow_sample(at);
            vec2 en = en_from_3d(at, vec3(f.x, f.y, f.z));             // [m/s] east, north
            float speed = length(en);
            if (speed < 0.2) continue;
            vec2 dir = en / speed;
            float phase = fract(time + hash3(ivec3(r, c, 0), ARROW_SEED).x);
            float len = a * (0.35 + ARROW_LENGTH * min(speed / ARROW_FULL_SPEED, 1.0));
            // The pixel in the arrow's local east/north plane [radians].
            float dlon = ll.x - at.x;
            dlon -= 2.0 * PI * floor(dlon / (2.0 * PI) + 0.5);
            vec2 p = vec2(dlon * cos(ll.y), ll.y - at.y) - dir * (phase - 0.5) * ARROW_DRIFT * a;
            vec2 tail = -0.5 * len * dir, tip = 0.5 * len * dir;
            vec2 side = vec2(-dir.y, dir.x);
            float d = arrow_segment(p, tail, tip);
            d = min(d, arrow_segment(p, tip, tip - 0.35 * len * dir + 0.2 * len * side));
            d = min(d, arrow_segment(p, tip, tip - 0.35 * len * dir - 0.2 * len * side));
            float line = 1.0 - smoothstep(width - 0.5 * texel, width + 0.5 * texel, d);
            ink = max(ink, line * sin(PI * phase));
        }
    }
    return ink;
}

// shaders/view/isobar_labels.glsl — numbers on the isobars of the pressure layer (issue #15: labelled
// isobars). Labels sit on a lattice of points LABEL_DLAT degrees apart in latitude and LABEL_DLON in
// longitude (alternate rows shifted by half), between LABEL_LAT_MAX south and north. From each point q
// the label moves onto the nearest isobar v (a multiple of the spacing) by one Newton step along the
// pressure gradient g (central differences LABEL_STEP apart, metric: east scaled by cos(lat)):
//   c = q + (v - p(q)) g / |g|^2,   kept only if |c - q| <= LABEL_REACH (else no isobar is near).
// The label is v in hPa, digits of a 3 x 5 pixel font (DIGITS: bit 14 - (3 row + column), row 0 at
// the top) LABEL_UNIT radians per font pixel, on a pale box that interrupts the isobar.
//   isobar_label(ll, spacing): x = opacity of the box, y = opacity of the digits at the pixel.
// Reads atmosphere (the layer must read it): pressure = sea-level pressure [hPa].
#include "common/grid.glsl"

const float LABEL_DLAT = 20.0;       // [deg]
const float LABEL_DLON = 40.0;       // [deg]
const float LABEL_LAT_MAX = 70.0;    // [deg]
const float LABEL_STEP = 0.02;       // [radians] for the gradient
const float LABEL_REACH = 0.06;      // [radians] (3.4 deg)
const float LABEL_UNIT = 0.013;      // [radians] per font pixel (0.75 deg)
const int DIGITS[10] = int[10](31599, 11415, 29671, 29647, 23497, 31183, 31215, 29257, 31727, 31695);

float label_pressure(vec2 ll) { return atmosphere_sample(ll).pressure; }

vec2 isobar_label(vec2 ll, float spacing) {
    float dlat = radians(LABEL_DLAT), dlon = radians(LABEL_DLON);
    int row = int(floor((ll.y + 0.5 * PI) / dlat));
    vec2 q;
    q.y = -0.5 * PI + (float(row) + 0.5) * dlat;
    if (abs(q.y) > radians(LABEL_LAT_MAX)) return vec2(0.0);
    float shift = (row % 2 == 0) ? 0.0 : 0.5;
    q.x = -PI + (floor((ll.x + PI) / dlon - shift) + 0.5 + shift) * dlon;
    float cq = cos(q.y);
    float p0 = label_pressure(q);
    vec2 g = vec2(label_pressure(q + vec2(LABEL_STEP / cq, 0.0)) - label_pressure(q - vec2(LABEL_STEP / cq, 0.0)),
                  label_pressure(q + vec2(0.0, LABEL_STEP)) - label_pressure(q - vec2(0.0, LABEL_STEP))) / (2.0 * LABEL_STEP);
    float g2 = dot(g, g);
    if (g2 < 1.0e-6) return vec2(0.0);
    float v = spacing * floor(p0 / spacing + 0.5);
    vec2 s = (v - p0) * g / g2;                                   // [radians] east, north
    if (length(s) > LABEL_REACH) return vec2(0.0);
    vec2 c = q + vec2(s.x / cq, s.y);
    // The pixel in font pixels from the label's centre (x east, y down from the top row).
    float dx = ll.x - c.x;
    dx -= 2.0 * PI * floor(dx / (2.0 * PI) + 0.5);
    vec2 u = vec2(dx * cos(c.y), c.y - ll.y) / LABEL_UNIT;
    int value = int(v + 0.5);
    int n = value >= 1000 ? 4 : 3;
    float w = float(4 * n - 1), h = 5.0;
    vec2 f = u + vec2(0.5 * w, 0.5 * h);                          // from the top-left of the digits
    float px = max(fwidth(ll.y) / LABEL_UNIT, 1.0e-3);            // pixel size in font pixels
    vec2 out_box = max(abs(u) - vec2(0.5 * w + 1.0, 0.5 * h + 1.0), 0.0);
    float box = 1.0 - smoothstep(0.0, px, max(out_box.x, out_box.y));
    if (f.x < 0.0 || f.y < 0.0 || f.x >= w || f.y >= h) return vec2(box, 0.0);
    int k = int(f.x) / 4, col = int(f.x) % 4, r = int(f.y);
    if (col == 3) return vec2(box, 0.0);                          // the gap between digits
    int digit = (value / (k == 0 ? (n == 4 ? 1000 : 100) : k == 1 ? (n == 4 ? 100 : 10) : k == 2 ? (n == 4 ? 10 : 1) : 1)) % 10;
    float ink = float((DIGITS[digit] >> (14 - (3 * r + col))) & 1);
    return vec2(box, ink);
}

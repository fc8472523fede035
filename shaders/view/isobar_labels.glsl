// shaders/view/isobar_labels.glsl — numbers on the isobars of the pressure layer (issue #15: labelled
// isobars). Labels sit on a lattice of points dlat degrees apart in latitude and dlon in longitude
// (alternate rows shifted by half), between LABEL_LAT_MAX south and north. The lattice follows the
// picture (view/marks.glsl: mark_px, the coarser of the frame's pixel and the bake's texel): dlat and
// dlon are the smallest of LABEL_DLATS / LABEL_DLONS (each divides 180 / 360, so the lattice is one of a
// few fixed ones) at least LABEL_ROW_PX / LABEL_COL_PX pixels apart: a 640 px map (0.7 deg a pixel)
// gets 30 x 180 deg (two labels a row, rows shifted by half), a 1024 px one from a 256 x 128 grid
// (0.35 deg) 15 x 120 deg (three), so a zonal isobar is not labelled nine times a row as with the former
// fixed 20 x 40 deg lattice.
// From each point q the label moves onto the nearest isobar v (a multiple of the spacing) by one Newton
// step along the pressure gradient g (central differences LABEL_STEP apart, metric: east scaled by cos(lat)):
//   c = q + (v - p(q)) g / |g|^2,   kept only if |c - q| <= max(LABEL_REACH, dlat / 5) (else no
// isobar is near; the sparser the lattice, the farther a point looks, so fewer points find none).
// The label is v in hPa, digits of a 3 x 5 pixel font (DIGITS: bit 14 - (3 row + column), row 0 at
// the top), one font pixel = max(LABEL_UNIT, mark_px) radians, on a pale box that interrupts the
// isobar. Below LABEL_MIN_PX_PER_DEG picture pixels per degree (a map narrower than 360 px, a globe
// under ~130 px, or a bake coarser than that) there are no labels: a 4-digit label would be 15 or more
// pixels wide on a picture of at most ~360 x 180 and its digits a pixel each, a blob rather than a number.
//   isobar_label(ll, spacing): x = opacity of the box, y = opacity of the digits at the pixel.
// Reads atmosphere (the layer must read it): pressure = sea-level pressure [hPa].
#include "common/grid.glsl"
#include "view/marks.glsl"

const float LABEL_DLATS[4] = float[4](15.0, 20.0, 30.0, 45.0);   // [deg] row spacings to choose from
const float LABEL_DLONS[4] = float[4](72.0, 90.0, 120.0, 180.0); // [deg] spacings along a row
const float LABEL_ROW_PX = 40.0;     // [picture pixels] between label rows, at least (if the largest allows)
const float LABEL_COL_PX = 260.0;    // [picture pixels] between labels along a row, at least
const float LABEL_MIN_PX_PER_DEG = 1.0;   // [pixels / deg] no labels on coarser pictures
const float LABEL_LAT_MAX = 70.0;    // [deg]
const float LABEL_STEP = 0.02;       // [radians] for the gradient
const float LABEL_REACH = 0.06;      // [radians] (3.4 deg), at least
const float LABEL_UNIT = 0.013;      // [radians] per font pixel (0.75 deg), at least
const int DIGITS[10] = int[10](31599, 11415, 29671, 29647, 23497, 31183, 31215, 29257, 31727, 31695);

float label_pressure(vec2 ll) { return atmosphere_sample(ll).pressure; }

// The smallest of the four spacings [deg] at least `want` [radians]; the largest if none is.
float label_spacing(float s0, float s1, float s2, float s3, float want) {
    return radians(want <= radians(s0) ? s0 : want <= radians(s1) ? s1 : want <= radians(s2) ? s2 : s3);
}

vec2 isobar_label(vec2 ll, float spacing) {
    float texel = max(fwidth(ll.y), 1.0e-6);                      // the bake's texel [radians]
    float mpx = mark_px(ll);                                      // one picture pixel [radians]
    if (radians(1.0) / mpx < LABEL_MIN_PX_PER_DEG - 1.0e-3) return vec2(0.0);
    float unit = max(LABEL_UNIT, mpx);                            // one font pixel [radians]
    float dlat = label_spacing(LABEL_DLATS[0], LABEL_DLATS[1], LABEL_DLATS[2], LABEL_DLATS[3], LABEL_ROW_PX * mpx);
    float dlon = label_spacing(LABEL_DLONS[0], LABEL_DLONS[1], LABEL_DLONS[2], LABEL_DLONS[3], LABEL_COL_PX * mpx);
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
    if (length(s) > max(LABEL_REACH, 0.2 * dlat)) return vec2(0.0);
    vec2 c = q + vec2(s.x / cq, s.y);
    // The pixel in font pixels from the label's centre (x east, y down from the top row).
    float dx = ll.x - c.x;
    dx -= 2.0 * PI * floor(dx / (2.0 * PI) + 0.5);
    vec2 u = vec2(dx * cos(c.y), c.y - ll.y) / unit;
    int value = int(v + 0.5);
    int n = value >= 1000 ? 4 : 3;
    float w = float(4 * n - 1), h = 5.0;
    vec2 f = u + vec2(0.5 * w, 0.5 * h);                          // from the top-left of the digits
    float px = max(texel / unit, 1.0e-3);                         // a texel in font pixels
    vec2 out_box = max(abs(u) - vec2(0.5 * w + 1.0, 0.5 * h + 1.0), 0.0);
    float box = 1.0 - smoothstep(0.0, px, max(out_box.x, out_box.y));
    if (f.x < 0.0 || f.y < 0.0 || f.x >= w || f.y >= h) return vec2(box, 0.0);
    int k = int(f.x) / 4, col = int(f.x) % 4, r = int(f.y);
    if (col == 3) return vec2(box, 0.0);                          // the gap between digits
    int digit = (value / (k == 0 ? (n == 4 ? 1000 : 100) : k == 1 ? (n == 4 ? 100 : 10) : k == 2 ? (n == 4 ? 10 : 1) : 1)) % 10;
    float ink = float((DIGITS[digit] >> (14 - (3 * r + col))) & 1);
    return vec2(box, ink);
}

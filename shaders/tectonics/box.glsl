// shaders/tectonics/box.glsl — the box of cells that holds every pre-image of a cell this tick
// (tectonics/move.glsl); not a pass but a helper of tectonics.candidates and tectonics.move. Reads and
// writes no fields.
// A rotation by at most A = speed (1 + speed_spread) dt / R moves a point by at most A in latitude and,
// at latitude phi while |phi| + A < 90 deg, by at most 2 asin(sin(A/2) / sqrt(cos phi cos(|phi| + A)))
// <= 2.0944 sin(A/2) / sqrt(...) in longitude (the haversine formula); the rounding floor(offset + j),
// 0 <= j <= 1, adds one cell. The bound is taken without trigonometry of A (llvmpipe evaluates an
// expression of uniforms at every cell): sin(A/2) <= A/2 and cos(|phi| + A) >= cos(phi) (1 - A^2/2) -
// |sin(phi)| A, so the box only grows (any box that contains the pre-images gives the same claims).
// Where the longitude bound fails (next to the poles, long ticks) the box spans the whole row (half-width
// W/2). The half-width does not shrink towards the poles (cos phi falls): a row's box is at least as
// wide as that of any row nearer the equator.
#include "tectonics/plate.glsl"

const int MAX_RUN = 16;         // [columns] widest half-width of a run gathered by tectonics.candidates
const float BOX_MARGIN = 1.01;  // relative margin on the offset bound (float rounding of the offsets)

// Half-height [rows] of the box (the same in every row): floor(offset + j) lies in [-r, r] rows.
int box_rows() {
    float a = u_speed * (1.0 + u_speed_spread) * u_dt / u_radius;       // [rad] largest rotation angle
    return int(floor(BOX_MARGIN * a * float(u_grid.y) / PI + 0.01)) + 1;
}

// Half-width [columns] of the box about a cell of row j, at most W/2 (the whole row).
int box_columns(int j) {
    float a = u_speed * (1.0 + u_speed_spread) * u_dt / u_radius;       // [rad] largest rotation angle
    float lat = cell_lonlat(ivec2(0, j)).y;
    float c = cos(lat), c_far = c * (1.0 - 0.5 * a * a) - abs(sin(lat)) * a;  // cos(lat), <= cos(|lat| + a)
    // 2 asin(x) <= 2.0944 x for x <= 1/2 (asin(x) / x grows with x; asin(1/2) = pi/6)
    float s = 0.5 * a * inversesqrt(max(c * c_far, 1e-30));               // >= sin(a/2) / sqrt(...)
    float bx = 2.0944 * s * float(u_grid.x) / (2.0 * PI);                 // [columns]
    int half_row = u_grid.x / 2;
    bool fails = c_far < 1e-3 || s > 0.5 || bx > float(half_row);
    return fails ? half_row : min(int(floor(BOX_MARGIN * bx + 0.01)) + 1, half_row);
}

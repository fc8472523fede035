// shaders/common/grid.glsl — the one sphere grid (DESIGN.md §4); nothing else re-implements it.
// Equirectangular, W = 2H texels. Cell (i, j) is centred at
//   lon = -pi + (i + 1/2) * 2pi / W,   lat = -pi/2 + (j + 1/2) * pi / H,   row 0 = south.
// Longitude wraps. Across a pole the neighbour of (i, H-1) going north is (i + W/2 mod W, H-1)
// (and likewise at row 0 going south): the great circle through the pole continues on the
// opposite meridian. A vector's east and north components change sign across a pole.
// Distances use the planet radius u_radius [km]; the east spacing shrinks with cos(lat).
// Reads and writes no fields. Builtins used: u_grid (W, H), u_radius [km].
// planet/grid.py is its float64 NumPy twin (maps and the tests' references use it); keep them equal.

#include "common/math.glsl"

// Wrap any integer cell coordinate onto the grid, crossing the poles onto the opposite meridian.
ivec2 grid_wrap(ivec2 c) {
    int W = u_grid.x, H = u_grid.y;
    if (c.y < 0)       { c.y = -1 - c.y;        c.x += W / 2; }
    else if (c.y >= H) { c.y = 2 * H - 1 - c.y; c.x += W / 2; }
    c.x = ((c.x % W) + W) % W;
    return c;
}

// The cell reached by stepping d = (east, north) cells from c.
ivec2 grid_neighbour(ivec2 c, ivec2 d) { return grid_wrap(c + d); }

// texelFetch with wrap and pole crossing.
vec4 grid_fetch(sampler2D t, ivec2 c) { return texelFetch(t, grid_wrap(c), 0); }

// Longitude and latitude of a cell centre [radians].
vec2 cell_lonlat(ivec2 c) {
    return vec2(-PI + (float(c.x) + 0.5) * 2.0 * PI / float(u_grid.x),
                -0.5 * PI + (float(c.y) + 0.5) * PI / float(u_grid.y));
}

// Unit-sphere position of a longitude/latitude (z = north pole, x = lon 0 on the equator).
vec3 lonlat_pos(vec2 ll) { return vec3(cos(ll.y) * cos(ll.x), cos(ll.y) * sin(ll.x), sin(ll.y)); }
vec3 cell_pos(ivec2 c) { return lonlat_pos(cell_lonlat(c)); }

// Longitude/latitude of a (not necessarily unit) 3-D direction.
vec2 pos_lonlat(vec3 p) { return vec2(atan(p.y, p.x), asin(clamp(p.z / length(p), -1.0, 1.0))); }

// East-west spacing of row j [km]: R cos(lat) 2pi / W. North-south spacing [km]: R pi / H.
float cell_dx_km(int j) { return u_radius * cos(cell_lonlat(ivec2(0, j)).y) * 2.0 * PI / float(u_grid.x); }
float cell_dy_km() { return u_radius * PI / float(u_grid.y); }

// Exact area of a cell [km^2]: R^2 (sin lat_top - sin lat_bottom) 2pi / W (proportional to cos lat).
// Written as sin a - sin b = 2 cos((a+b)/2) sin((a-b)/2): no cancellation next to the poles, where the
// plain difference of two sines near -1 or +1 loses digits (and GPU sin() differs from the CPU's).
float cell_area_km2(int j) {
    float dlat = PI / float(u_grid.y);
    float s = 2.0 * cos(cell_lonlat(ivec2(0, j)).y) * sin(0.5 * dlat);
    return u_radius * u_radius * s * 2.0 * PI / float(u_grid.x);
}

// Continuous grid coordinate (texel units, centres at +0.5) of a longitude/latitude.
vec2 lonlat_to_grid(vec2 ll) {
    return vec2((ll.x + PI) / (2.0 * PI) * float(u_grid.x), (ll.y + 0.5 * PI) / PI * float(u_grid.y));
}

// grid_wrap for cells less than one grid away (-W <= c.x < 2W, -H <= c.y < 2H), without the integer
// division of grid_wrap, which software renderers (llvmpipe) run slowly: for stencils and kernels.
ivec2 grid_wrap_near(ivec2 c) {
    int W = u_grid.x, H = u_grid.y;
    if (c.y < 0)       { c.y = -1 - c.y;        c.x += W / 2; }
    else if (c.y >= H) { c.y = 2 * H - 1 - c.y; c.x += W / 2; }
    c.x += c.x < 0 ? W : 0;
    c.x -= c.x >= W ? W : 0;
    c.x -= c.x >= W ? W : 0;
    return c;
}
vec4 grid_fetch_near(sampler2D t, ivec2 c) { return texelFetch(t, grid_wrap_near(c), 0); }

// Great-circle distance between two cell centres [km] (chord form, accurate for neighbours); b less
// than a grid away from the grid (a neighbour step, or a cell on it), wrapped without a modulo.
float cell_distance_km(ivec2 a, ivec2 b) {
    float chord = length(cell_pos(a) - cell_pos(grid_wrap_near(b)));
    return 2.0 * u_radius * asin(min(0.5 * chord, 1.0));
}

// Bilinear sample at a longitude/latitude with longitude wrap and pole crossing (its cells are
// always less than one grid away, so the division-free wrap serves).
vec4 grid_sample(sampler2D t, vec2 ll) {
    vec2 g = lonlat_to_grid(ll) - 0.5;
    ivec2 c = ivec2(floor(g));
    vec2 f = g - vec2(c);
    vec4 a = mix(grid_fetch_near(t, c), grid_fetch_near(t, c + ivec2(1, 0)), f.x);
    vec4 b = mix(grid_fetch_near(t, c + ivec2(0, 1)), grid_fetch_near(t, c + ivec2(1, 1)), f.x);
    return mix(a, b, f.y);
}

// Smooth sample at a longitude/latitude: the uniform cubic B-spline through the 4 x 4 cells around it
// (weights per axis, f the fraction past the second cell: (1-f)^3/6, (3f^3 - 6f^2 + 4)/6,
// (-3f^3 + 3f^2 + 3f + 1)/6, f^3/6; they sum to 1 and are >= 0, so no overshoot), with longitude wrap
// and pole crossing. Approximating, not interpolating (a cell's own value is blended 2/3 with its
// neighbours' 1/6 each), but its level sets are smooth curves: where a field steps from one value
// to another between cells, bilinear's level sets are cell-aligned staircases (the view's ocean
// depth, issue #15). 16 fetches: for views, not for physics.
vec4 grid_sample_smooth(sampler2D t, vec2 ll) {
    vec2 g = lonlat_to_grid(ll) - 0.5;
    ivec2 c = ivec2(floor(g));
    vec2 f = g - vec2(c), f2 = f * f, f3 = f2 * f;
    vec2 w[4] = vec2[4]((1.0 - 3.0 * f + 3.0 * f2 - f3) / 6.0, (3.0 * f3 - 6.0 * f2 + 4.0) / 6.0,
                        (-3.0 * f3 + 3.0 * f2 + 3.0 * f + 1.0) / 6.0, f3 / 6.0);
    vec4 sum = vec4(0.0);
    for (int j = 0; j < 4; ++j) {
        vec4 row = vec4(0.0);
        for (int i = 0; i < 4; ++i) row += w[i].x * grid_fetch_near(t, c + ivec2(i - 1, j - 1));
        sum += w[j].y * row;
    }
    return sum;
}

// The quadratic B-spline stencil at a longitude/latitude: the 3 x 3 cells c + (i - 1, j - 1) around the
// nearest cell c, weighted w[i].x * w[j].y, per axis (f the offset from c's centre, |f| <= 1/2):
// (1/2 - f)^2 / 2, 3/4 - f^2, (1/2 + f)^2 / 2 (they sum to 1 and are >= 0). For a caller that maps each
// cell's value before blending (grid_fetch_near(t, c + ivec2(i - 1, j - 1))). Like grid_sample_smooth
// its level sets are smooth (C1) curves, not bilinear's cell-aligned staircases, and it weights a cell's
// own value more (9/16 at its centre, the cubic's 4/9): a lone cell's value still wins at its centre.
// 9 fetches: for views, not for physics.
void grid_stencil_quadratic(vec2 ll, out ivec2 c, out vec2 w[3]) {
    vec2 g = lonlat_to_grid(ll) - 0.5;
    c = ivec2(floor(g + 0.5));
    vec2 f = g - vec2(c);
    w[0] = 0.5 * (0.5 - f) * (0.5 - f);
    w[1] = 0.75 - f * f;
    w[2] = 0.5 * (0.5 + f) * (0.5 + f);
}

// Offset [columns, rows] from the centre p (unit vector) of a cell to the point p + d on the sphere
// (|p + d| = 1), e.g. the pre-image of p under a rotation. Written so that small d keeps its full
// precision (no lon/lat round trip, whose float32 error would round a tiny move the wrong way):
//   dlon = atan(p_xy x d_xy, |p_xy|^2 + p_xy . d_xy)          (angle from p_xy to p_xy + d_xy)
//   dlat = atan(d_z rho_p - p_z drho, p_z s_z + rho_p rho_s)   (rho = distance from the polar axis)
// Across a pole dlon comes out near +-pi and dlat keeps the point on the near side of the pole, so
// cell + offset (wrapped with grid_wrap) is the right cell there too.
vec2 grid_offset(vec3 p, vec3 d) {
    float rho_p = length(p.xy);
    float rho_s = length(p.xy + d.xy);
    float drho = (2.0 * dot(p.xy, d.xy) + dot(d.xy, d.xy)) / max(rho_p + rho_s, 1e-30);
    float dlon = atan(p.x * d.y - p.y * d.x, rho_p * rho_p + dot(p.xy, d.xy));
    float dlat = atan(d.z * rho_p - p.z * drho, p.z * (p.z + d.z) + rho_p * rho_s);
    return vec2(dlon * float(u_grid.x) / (2.0 * PI), dlat * float(u_grid.y) / PI);
}

// ---- Added for the climate stage; usable by any pass ----------------------------------------------



// Tangent vectors on the sphere.
// A tangent vector is stored as (east, north) components in the frame of its cell. These helpers turn
// such components into 3-D vectors and back, so that vectors blend and move correctly across the
// poles (where the east/north frames of neighbouring cells point opposite ways).

// Unit east and north vectors at a longitude/latitude [radians] (finite everywhere, also at the poles).
vec3 tangent_east(vec2 ll)  { return vec3(-sin(ll.x), cos(ll.x), 0.0); }
vec3 tangent_north(vec2 ll) { return vec3(-sin(ll.y) * cos(ll.x), -sin(ll.y) * sin(ll.x), cos(ll.y)); }

// (east, north) components at ll <-> the 3-D vector.
vec3 en_to_3d(vec2 ll, vec2 en)  { return en.x * tangent_east(ll) + en.y * tangent_north(ll); }
vec2 en_from_3d(vec2 ll, vec3 v) { return vec2(dot(v, tangent_east(ll)), dot(v, tangent_north(ll))); }

// Move from unit position p along the great circle in the unit tangent direction `dir` by `angle`
// [radians, < pi/2]: p + tan(angle) dir points exactly there (one transcendental, not two).
vec3 sphere_step(vec3 p, vec3 dir, float angle) { return normalize(p + tan(angle) * dir); }

// Bilinear sample of a tangent-vector field whose (east, north) components sit in channels ch, ch+1:
// each of the four cells' vectors becomes 3-D in its own cell's frame before blending, and the blend is
// projected onto the tangent plane at ll. Returns the 3-D vector (same unit as the field).
vec3 grid_sample_tangent(sampler2D t, vec2 ll, int ch) {
    vec2 g = lonlat_to_grid(ll) - 0.5;
    ivec2 c = ivec2(floor(g));
    vec2 f = g - vec2(c);
    vec3 sum = vec3(0.0);
    for (int k = 0; k < 4; ++k) {
        ivec2 o = ivec2(k & 1, k >> 1);
        ivec2 w = grid_wrap_near(c + o);
        vec4 v = texelFetch(t, w, 0);
        float weight = mix(1.0 - f.x, f.x, float(o.x)) * mix(1.0 - f.y, f.y, float(o.y));
        sum += weight * en_to_3d(cell_lonlat(w), vec2(v[ch], v[ch + 1]));
    }
    vec3 p = lonlat_pos(ll);
    return sum - dot(sum, p) * p;
}

// East-west length [km] of the boundary between rows j-1 and j: R cos(lat_j - 1/2) 2pi / W, which is
// zero at the poles (j = 0 and j = H), so finite-volume fluxes never cross a pole.
float row_edge_dx_km(int j) {
    return u_radius * cos(-0.5 * PI + float(j) * PI / float(u_grid.y)) * 2.0 * PI / float(u_grid.x);
}

// ---- Added for the erosion stage; usable by any pass ----------------------------------------------

// The 8 neighbour steps (east, north), counter-clockwise from east: E, NE, N, NW, W, SW, S, SE.
const ivec2 GRID_D8[8] = ivec2[8](ivec2(1, 0), ivec2(1, 1), ivec2(0, 1), ivec2(-1, 1),
                                  ivec2(-1, 0), ivec2(-1, -1), ivec2(0, -1), ivec2(1, -1));

// A cell as one number: its index j * W + i (exact in a float32 channel below 2^24 cells), and back.
int grid_index(ivec2 c) { return c.y * u_grid.x + c.x; }
// grid_cell(k) for a cell index 0 <= k < W*H (a pointer: never NONE nor BIG_INDEX), without an
// integer division (llvmpipe, the CPU backend, divides a vector lane by lane; issue 16): the float
// quotient k * (1/W) is within 0.003 of k / W (k / W < 2^14, three roundings of 2^-24), so its
// truncation is the row or one off, and one step either way of the column fixes it. The same cell
// exactly as k / W and k % W, on every grid the stages allow (checked for every row edge).
ivec2 grid_cell(int k) {
    int j = int(float(k) * u_texel.x);
    int i = k - j * u_grid.x;
    j += i < 0 ? -1 : (i >= u_grid.x ? 1 : 0);
    i += i < 0 ? u_grid.x : (i >= u_grid.x ? -u_grid.x : 0);
    return ivec2(i, j);
}

// The k for which grid_wrap_near(a + GRID_D8[k]) == b, or -1 when b is not one of a's 8 neighbours.
// Across a pole the way back is not the opposite step (north-east returns as north-west).
int grid_step_to(ivec2 a, ivec2 b) {
    for (int k = 0; k < 8; ++k)
        if (grid_wrap_near(a + GRID_D8[k]) == b) return k;
    return -1;
}

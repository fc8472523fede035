// shaders/common/grid.glsl — the one sphere grid (DESIGN.md §4); nothing else re-implements it.
// Equirectangular, W = 2H texels. Cell (i, j) is centred at
//   lon = -pi + (i + 1/2) * 2pi / W,   lat = -pi/2 + (j + 1/2) * pi / H,   row 0 = south.
// Longitude wraps. Across a pole the neighbour of (i, H-1) going north is (i + W/2 mod W, H-1)
// (and likewise at row 0 going south): the great circle through the pole continues on the
// opposite meridian. A vector's east and north components change sign across a pole.
// Distances use the planet radius u_radius [km]; the east spacing shrinks with cos(lat).
// Reads and writes no fields. Builtins used: u_grid (W, H), u_radius [km].

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
float cell_area_km2(int j) {
    float s = sin(-0.5 * PI + float(j + 1) * PI / float(u_grid.y)) - sin(-0.5 * PI + float(j) * PI / float(u_grid.y));
    return u_radius * u_radius * s * 2.0 * PI / float(u_grid.x);
}

// Great-circle distance between two cell centres [km] (chord form, accurate for neighbours).
float cell_distance_km(ivec2 a, ivec2 b) {
    float chord = length(cell_pos(a) - cell_pos(grid_wrap(b)));
    return 2.0 * u_radius * asin(min(0.5 * chord, 1.0));
}

// Continuous grid coordinate (texel units, centres at +0.5) of a longitude/latitude.
vec2 lonlat_to_grid(vec2 ll) {
    return vec2((ll.x + PI) / (2.0 * PI) * float(u_grid.x), (ll.y + 0.5 * PI) / PI * float(u_grid.y));
}

// Bilinear sample at a longitude/latitude with longitude wrap and pole crossing (for views).
vec4 grid_sample(sampler2D t, vec2 ll) {
    vec2 g = lonlat_to_grid(ll) - 0.5;
    ivec2 c = ivec2(floor(g));
    vec2 f = g - vec2(c);
    vec4 a = mix(grid_fetch(t, c), grid_fetch(t, c + ivec2(1, 0)), f.x);
    vec4 b = mix(grid_fetch(t, c + ivec2(0, 1)), grid_fetch(t, c + ivec2(1, 1)), f.x);
    return mix(a, b, f.y);
}

// shaders/view/relief.glsl — hillshade for layers (Lambert: shade = ambient + (1 - ambient) max(n . l, 0)).
// The surface the light sees is the water surface over the sea and the bedrock on land; its normal comes
// from central differences of the bilinear height one cell east/west and north/south, with the relief
// exaggerated by RELIEF_EXAGGERATION x sqrt(cell size / 50 km) so ridges read on a whole-planet map
// at any grid (a coarse grid's slopes are gentler, each cell averaging more ground). The east spacing
// uses cos(lat) no smaller than that of the cell rows next to the pole (the difference there spans
// that row's cells, not a shorter distance), so the top and bottom rows get no spurious slopes.
// Reads terrain: bedrock [m above datum], sea_level [m above datum].
#include "common/grid.glsl"

const float RELIEF_EXAGGERATION = 14.0;

// The height the light sees: the water surface over the sea, the bedrock on land.
float surface_height(vec2 ll) { Terrain s = terrain_sample(ll); return max(s.bedrock, s.sea_level); }

// The normal at ll from the surface heights [m] one cell east, west, north and south of it, with the
// relief exaggerated `extra` times more than the layers' default (extra = 1).
vec3 relief_normal_heights(vec2 ll, float ze, float zw, float zn, float zs, float extra) {
    vec2 step_ll = vec2(2.0 * PI / float(u_grid.x), PI / float(u_grid.y));
    float cell_km = u_radius * step_ll.y;
    float k = extra * RELIEF_EXAGGERATION * sqrt(cell_km / 50.0);
    float coslat = max(cos(ll.y), sin(0.5 * step_ll.y));                      // the pole rows' cos(lat)
    float dx = 2.0 * 1000.0 * u_radius * coslat * step_ll.x;                  // [m]
    float dy = 2.0 * 1000.0 * u_radius * step_ll.y;                           // [m]
    return normalize(vec3(-(ze - zw) / dx * k, -(zn - zs) / dy * k, 1.0));
}

// The normal with the relief exaggerated `extra` times more than the layers' default (extra = 1).
vec3 relief_normal_x(vec2 ll, float extra) {
    vec2 step_ll = vec2(2.0 * PI / float(u_grid.x), PI / float(u_grid.y));
    float ze = surface_height(ll + vec2(step_ll.x, 0.0)), zw = surface_height(ll - vec2(step_ll.x, 0.0));
    float zn = surface_height(ll + vec2(0.0, step_ll.y)), zs = surface_height(ll - vec2(0.0, step_ll.y));
    return relief_normal_heights(ll, ze, zw, zn, zs, extra);
}

vec3 relief_normal(vec2 ll) { return relief_normal_x(ll, 1.0); }

// The hillshade for a normal n.
float relief_shade_normal(vec3 n, vec3 light) { return 0.2 + 0.8 * max(dot(n, light), 0.0); }

float relief_shade(vec2 ll, vec3 light) { return relief_shade_normal(relief_normal(ll), light); }

// The same shade with `extra` times the default exaggeration (a bare surface whose only cue is relief).
float relief_shade_x(vec2 ll, vec3 light, float extra) { return relief_shade_normal(relief_normal_x(ll, extra), light); }

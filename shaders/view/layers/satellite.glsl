// shaders/view/layers/satellite.glsl — layer: what a camera in orbit would see.
// Ocean coloured by depth d [m] with a Beer-Lambert-like fade, shelf -> abyss as 1 - exp(-d / 1200 m),
// from a turquoise shelf to a deep ocean blue (not black: sunlight scattered in deep water), its floor
// faintly hillshaded; the depth for that colour comes from the smooth (cubic B-spline) height
// (view/coast.glsl, sea_depth_smooth: the ocean floor steps from shelf to abyss between cells, and
// bilinear depth draws those as cell-aligned blocks with stair-step edges: issue #15); bare rock
// coloured by height above sea level and hillshaded (view/relief.glsl). Land and sea meet where the
// views' one coast says (view/coast.glsl: the smooth coast height, anti-aliased over a pixel). The bilinear
// and smooth terrain, the coast height and the hillshade all come from one 4 x 4 stencil of cells
// (view/terrain_stencil.glsl: the same values as their own functions', in 16 texel fetches, not 45).
// The young crust (MODEL.md §1: glow = 1 molten .. 0 solid): while the glow lasts, the rock is a dark
// basalt crust (hillshaded, so crater rims read) broken by glowing cracks, a ridged noise on the 3-D
// sphere position whose lines are the cracks; they are wider where the glow is higher and in low
// ground (lava pools in crater floors), and the lava in them is drawn in its own light (cmap_lava).
// As the glow fades (high ground first, the sea floor at once) the cracks close and the crust turns
// into the ordinary rock colour. The glow is the cubic B-spline one (grid_sample_smooth), so the glowing
// and the cooled ground meet along smooth curves, not cell-sized rectangles. Whatever is drawn over it (clouds) is lit from below by the magma.
// Where no cell of a block's stencil glows (planet.view: Layer.cold_gate) the bake draws it with BAKE_COLD
// defined, without the crust: with glow <= 0 its seams and ponds are closed and its surface is the rock.
// Other stages draw over it through their overlays (planet.stages.Overlay): "ground" ones (erosion's
// rivers and lakes) before the lava's light, "sky" ones (the climate's clouds) last.
// Reads terrain: bedrock [m above datum], sea_level [m above datum], glow = lava glow [0..1].
#include "view/terrain_stencil.glsl"
#include "view/ground.glsl"
#include "common/colormap.glsl"
#include "common/noise.glsl"

const float OCEAN_EFOLD_M = 1200.0;           // [m] depth over which the shelf colour fades to the deep
const vec3 OCEAN_SHELF = vec3(0.13, 0.46, 0.58);
const vec3 OCEAN_DEEP = vec3(0.03, 0.12, 0.34);
const vec3 CRUST = vec3(0.10, 0.085, 0.08);   // fresh basalt crust
const uint CRACK_SEED = 0xC4AC5u;
const float CRUST_RELIEF = 2.5;               // [-] the young crust's extra relief exaggeration

// The crust's cracks: a cooling lava crust breaks into polygonal plates with glowing seams between
// them, drawn as the edges of a Voronoi tessellation of jittered 3-D points (Worley, "A cellular
// texture basis function", SIGGRAPH 1996): F2 - F1, the difference between the distances to the two
// nearest points, is 0 on a seam. Plates of two sizes (PLATE_FREQ and 2.3x finer, the finer seams
// 4x narrower), the position gently warped by value noise so the seams wander instead of running straight.
// (A ridge of value noise, 1 - |n|, was used before: its zero set bulges into boxes aligned with the
// noise lattice's axes, i.e. with longitude and latitude at the equator, read as cell-sized rectangles.)
// Returns the seam distance in units of the plate size: 0 on a seam, ~0.3-0.5 at a plate's centre.
const float PLATE_FREQ = 4.0;                 // [1/planet radius] plates per unit length of the big seams

float voronoi_edge(vec3 q, uint seed) {
    ivec3 base = ivec3(floor(q));
    float f1 = 1.0e9, f2 = 1.0e9;
    for (int dz = -1; dz <= 1; ++dz)
    for (int dy = -1; dy <= 1; ++dy)
    for (int dx = -1; dx <= 1; ++dx) {
        ivec3 c = base + ivec3(dx, dy, dz);
        float d = length(q - (vec3(c) + hash3(c, seed)));
        if (d < f1) { f2 = f1; f1 = d; } else if (d < f2) { f2 = d; }
    }
    return f2 - f1;
}

float crack_distance(vec3 p) {
    vec3 warp = 0.12 * vec3(value_noise(3.0 * p, CRACK_SEED + 2u), value_noise(3.0 * p, CRACK_SEED + 3u),
                            value_noise(3.0 * p, CRACK_SEED + 4u));
    vec3 q = PLATE_FREQ * (p + warp);
    return min(voronoi_edge(q, CRACK_SEED), 4.0 * voronoi_edge(2.3 * q, CRACK_SEED + 1u));
}

// The young crust over `rock`: t the smooth terrain (its height and glow [0..1]), seam the distance to
// the cracks' seams (crack_distance) and aa its change across a pixel, shade the crust's hillshade.
vec3 young_crust(vec3 rock, Terrain t, float seam, float aa, float shade) {
    float glow = t.glow;
    glow = clamp(glow, 0.0, 1.0);
    float height = t.bedrock - t.sea_level;                       // [m]
    float low = 1.0 - smoothstep(0.0, 4000.0, height);            // crater floors and lowlands
    // Seam half-width in plate units: hairlines on cooling crust, wider where the melt lies low and
    // while it is hot.
    float width = glow * (0.008 + 0.03 * low * low) + 0.006 * glow * glow;
    // The seam's share of the pixel: its distance from the seam's edge in pixels, a line thinner than a
    // pixel fading with its width (instead of breaking into dashes where it runs between pixel centres).
    float cover = clamp((width - seam) / aa + 0.5, 0.0, 1.0) * min(1.0, 2.0 * width / aa);
    float lava = cover * smoothstep(0.001, 0.003, glow);
    // Melt ponds: the basins' floors at the magma ocean's level (100 m; terrain/protoplanet.glsl) are
    // open melt while they glow, ringed by the crusted walls and rims (crusted over as the glow fades).
    float pond = (1.0 - smoothstep(150.0, 500.0, t.bedrock)) * smoothstep(0.2, 0.5, glow);
    lava = max(lava, pond * step(t.sea_level, t.bedrock));
    // Strongly shaded, so rims and walls read (sunlit faces bright, far faces in shadow); red-hot while
    // the glow is high.
    vec3 crust = mix(CRUST, vec3(0.26, 0.06, 0.02), 0.6 * glow * glow) * (0.15 + 1.7 * shade * shade);
    // The crust is hot-red near the cracks while the glow is high.
    crust += vec3(0.35, 0.05, 0.0) * glow * (1.0 - smoothstep(width, 1.5 * width + aa, seam));
    vec3 surface = mix(rock, crust, smoothstep(0.0, 0.15, glow));
    return mix(surface, cmap_lava(0.5 + 0.35 * glow) * (0.85 + 0.15 * shade), lava);
}

vec3 layer_color(vec2 ll, vec3 light) {
    // Every terrain sample of the pixel from one 4 x 4 stencil of cells (view/terrain_stencil.glsl).
    TerrainPixel px = terrain_pixel(ll, light, CRUST_RELIEF);
    Terrain t = px.bilinear;                    // terrain_sample(ll)
    Terrain smooth_t = px.cubic;                // terrain_sample_smooth(ll)
    float land = coast_land(px.coast);          // [0..1] the land's share of the pixel
    float shade = px.shade;                     // relief_shade(ll, light)
    // Deeper water absorbs more: shallow shelves turquoise, the abyss deep blue (smooth depth).
    vec3 sea = mix(OCEAN_SHELF, OCEAN_DEEP, 1.0 - exp(-water_depth(smooth_t) / OCEAN_EFOLD_M));
    sea *= 0.8 + 0.25 * shade;
    // Bare basaltic rock: dark lowlands, lighter highlands, frost above 5 km.
    float hkm = (t.bedrock - t.sea_level) / 1000.0;
    vec3 rock = mix(vec3(0.24, 0.21, 0.18), vec3(0.50, 0.45, 0.40), clamp(hkm / 4.0, 0.0, 1.0));
    rock = mix(rock, vec3(0.85, 0.86, 0.88), smoothstep(5.0, 7.0, hkm));
    vec3 color = mix(sea, rock * shade, land);
    // What other stages put on the ground (rivers, lakes, ...).
    ground_land = land;     // kept for the ground overlays (view/ground.glsl: vegetation reuses them)
    ground_shade = shade;
    color = overlays_ground(color, ll, light);
    // The young crust and the light of its lava over everything on the ground (the land, and the sea
    // floor while it glows).
#ifndef BAKE_COLD   // (planet.view's cold blocks: no glow in any cell of the stencil, the crust would change nothing)
    float crust = max(land, smoothstep(0.005, 0.015, smooth_t.glow));
    // The bare young crust has no colour to tell its landforms by, only relief: its crater walls and
    // rims are shaded with CRUST_RELIEF times the layers' exaggeration.
    float crust_shade = px.shade_extra;   // relief_shade_x(ll, light, CRUST_RELIEF)
    // The seams' distance and its change across a pixel (for anti-aliasing: in uniform control flow).
    float seam = crack_distance(lonlat_pos(ll));
    float aa = max(fwidth(seam), 1.0e-4);
    if (crust > 0.0) color = mix(color, young_crust(color, smooth_t, seam, aa, crust_shade), crust);
#endif
    // What other stages put in the sky (clouds), lit from below by the magma while it glows: a warm
    // filter and a faint red emission in proportion to the glow.
    float magma = smoothstep(0.0, 0.5, smooth_t.glow);
    color = overlays_sky(color, ll, light);
    return color * mix(vec3(1.0), vec3(1.0, 0.6, 0.4), 0.8 * magma) + vec3(0.08, 0.02, 0.0) * magma;
}

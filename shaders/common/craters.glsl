// shaders/common/craters.glsl — a crater field on 3-D positions (MODEL.md §1, after Roberts 2021).
// Space is cut into unit cells; each cell holds one crater centre jittered by 0.8 * hash3(cell).
// Over the 5x5x5 cells around p, with d the distance from p to each centre:
//   w = exp(-4 d),  profile = sin(2 pi sqrt(d)),  craters(p) = | sum w * profile / sum w |
// so each centre sits in a bowl with a raised rim, blended smoothly with its neighbours.
// Output in [0, 1]. Reads and writes no fields.
#include "common/math.glsl"
#include "common/hash.glsl"

float craters(vec3 p, uint seed) {
    ivec3 base = ivec3(floor(p));
    float sum_wp = 0.0, sum_w = 0.0;
    for (int dz = -2; dz <= 2; ++dz)
    for (int dy = -2; dy <= 2; ++dy)
    for (int dx = -2; dx <= 2; ++dx) {
        ivec3 c = base + ivec3(dx, dy, dz);
        // Crater centre: the cell corner plus a seeded jitter inside the cell.
        vec3 centre = vec3(c) + 0.8 * hash3(c, seed);
        float d = length(p - centre);
        // Nearby craters dominate; the profile is a bowl (0 at the centre) with a rim at sqrt(d) = 1/4.
        float w = exp(-4.0 * d);
        sum_wp += w * sin(2.0 * PI * sqrt(d));
        sum_w += w;
    }
    return abs(sum_wp / sum_w);
}

// ---- Impact basins: a size-frequency distribution of craters on the sphere, in metres -------------
// (beyond the reference, issue #15: the reference's craters above are at most ~2 cells across at the
// grids people use, and its blend and cube turn them into broad highs; these read at any grid.)
// Size-frequency: the cumulative number of craters per unit area N(>D) ~ D^-2, the slope of the
// ancient heavily cratered lunar highlands for large craters (Neukum, Ivanov & Hartmann, "Cratering
// records in the inner solar system", Space Sci. Rev. 96, 2001; Melosh, "Impact Cratering", 1989,
// ch. 10). Octave k holds diameters D in (D0 2^-(k+1), D0 2^-k], D = D0 2^-(k+u), u uniform; its centres
// are one per cell of a 3-D lattice of spacing L_k = spacing * D0 2^-k / R_planet (unit-sphere lengths),
// jittered uniformly in the cell and kept when they lie within L_k / 2 of the unit sphere (then pushed
// onto it): 1 / L_k^2 centres per unit area, so N(>D) ~ D^-2 as required.
// Shape (Pike, "Size-dependence in the shape of fresh impact craters on the Moon", in Impact and
// Explosion Cratering, Pergamon 1977, pp. 489-509; complex craters, D in km, depths in km):
//   rim-crest-to-floor depth  d = 1.044 D^0.301,   rim height above the surroundings  h = 0.236 D^0.399
// Profile in x = r / (D/2), r the chord distance from the centre (within 2 % of the great-circle one
// out to 1.5 D for D <= 3000 km; Mesa's asin is a polynomial approximation, the chord is exact):
//   x < 1:       z = (h - d) + d x^4                    (a flat floor h - d below the datum, steep walls)
//   1 <= x < X:  z = h (x^-3 - X^-3) / (1 - X^-3)       (the ejecta blanket thins as x^-3: McGetchin,
//                                                        Settle & Head, EPSL 20, 1973; 0 at x = X)
// with X = 1.5, where the blanket's volume (0.42 h pi R^2) about equals the bowl's below the
// surroundings ((2 d / 3 - h) pi R^2: the excavated rock; within -45 %..+25 % for D = 190-3000 km, and
// the octaves' sum within a few % of zero): basins move rock around without raising the mean ground.
// Basins add up (overlapping ones nest). Output [m] relative to the surroundings. A basin reaches
// r = 0.75 D <= 0.75 D0 2^-k; the 3x3x3 lattice cells around p hold every centre that close when
// spacing >= 1 (the lateral 0.75 D_k and the shell's half-thickness L_k / 2 within L_k).
const float EJECTA_EDGE = 1.5;                                   // X [crater radii]
const float EJECTA_CUBE = 1.0 / (EJECTA_EDGE * EJECTA_EDGE * EJECTA_EDGE);   // X^-3

float basin_profile(float x, float d_m, float h_m) {
    if (x < 1.0) return (h_m - d_m) + d_m * x * x * x * x;
    if (x < EJECTA_EDGE) return h_m * (1.0 / (x * x * x) - EJECTA_CUBE) / (1.0 - EJECTA_CUBE);
    return 0.0;
}

// p: unit-sphere position; d0_km: the largest diameter; spacing: lattice spacing / diameter;
// radius_km: the planet's radius. Deterministic in seed.
float impact_basins(vec3 p, float d0_km, int octaves, float spacing, float radius_km, uint seed) {
    float z = 0.0;
    for (int k = 0; k < octaves; ++k) {
        float dk = d0_km * exp2(-float(k));                    // [km] this octave's largest diameter
        float L = spacing * dk / radius_km;                    // lattice spacing on the unit sphere
        uint s = seed + uint(k) * 0x632BE5ABu;
        ivec3 base = ivec3(floor(p / L));
        for (int dz = -1; dz <= 1; ++dz)
        for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
            ivec3 c = base + ivec3(dx, dy, dz);
            vec3 x = (vec3(c) + hash3(c, s)) * L;              // a centre jittered in its lattice cell
            float rx = length(x);
            // One shell of thickness L around the sphere: 1 / L^2 centres per unit area.
            if (abs(rx - 1.0) >= 0.5 * L || rx < 1.0e-6) continue;
            vec3 centre = x / rx;
            // Its diameter within the octave (a second draw from the same cell).
            float u = hash3(c, s ^ 0xB5297A4Du).x;
            float D = dk * exp2(-u);                           // [km]
            float r = length(p - centre) * radius_km;          // [km] the chord distance
            float xr = r / (0.5 * D);
            if (xr >= EJECTA_EDGE) continue;
            // Pike (1977): depth and rim height [km -> m] from the diameter [km].
            float d_m = 1000.0 * 1.044 * pow(D, 0.301);
            float h_m = 1000.0 * 0.236 * pow(D, 0.399);
            z += basin_profile(xr, d_m, h_m);
        }
    }
    return z;
}

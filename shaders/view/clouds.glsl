// shaders/view/clouds.glsl — clouds over the satellite view, drawn from the climate's carried cloud
// cover (shaders/climate/clouds.glsl: formed by humid and rising air, moved by the wind from tick to tick,
// cleared by sinking air; MODEL.md §7 "clouds from vapour").
// The cover field is a few hundred km per cell; finer detail is fBm on the 3-D sphere position (no
// seams, ~2,000 km down to ~150 km) that drifts with the air: each texture is drawn where the air was when
// it was born and moves by the air's displacement per climate step (the field's drift) every tick; it
// lives CLOUD_CYCLE = 2 ticks and is blended with a second one born a tick apart (the moving textures of
// Max & Becker, "Flow visualization using moving textures", 1995), so from one tick to the next half the
// detail moves with the wind and half is new, as a step (~2 days) outlasts a cloud (~1 day;
// cloud_lifetime). The picture is a function of the fields and u_tick only.
//   drawn cover  a = 0.9 smoothstep(0.3, 0.8, C + 0.45 detail) min(4 C, 1)   (0 where C = 0: clear sky is
//   exactly the ground); clouds are white, lit by the layer's light (local east, north, up).
// The climate stage's "sky" overlay of the satellite layer (planet.stages.climate: Overlay), so it is
// drawn only where the scene has a climate, over everything else.
// Reads clouds: cover = cloud cover C [0..1], drift_east, drift_north = the air's displacement over one
//       climate step [km].
#include "common/grid.glsl"
#include "common/fbm.glsl"

const uint CLOUD_CYCLE = 2u;   // [ticks] life of one drifting texture
const float CLOUD_WARP = 0.35;   // [radians] how far the vector noise displaces the detail (swirls)
const float CLOUD_SPREAD = 0.22; // the detail's logistic scale: level(C) = spread ln((1 - C) / C)
const float CLOUD_EDGE = 0.1;    // a cloud thickens from the level - EDGE to the level + 3 EDGE of the detail

// Cloud texture in about [-1, 1] at the position `born` (unit sphere) where the air was at the texture's
// birth: fBm (~2,000 km down to ~150 km) on a position warped by a smooth vector noise (~4,000 km), so
// the detail curls into bands, hooks and clusters rather than round puffs on a zonal streak.
float cloud_texture(vec3 born, uint seed) {
    vec3 warp = vec3(value_noise(1.5 * born, seed ^ 0x57A1u), value_noise(1.5 * born, seed ^ 0x57A2u),
                     value_noise(1.5 * born, seed ^ 0x57A3u));
    return fbm(3.0 * (born + CLOUD_WARP * warp), 5, seed);
}

// Cloud detail in about [-1, 1] at p (unit sphere) for air moving `drift` [radians per tick] (tangent).
float cloud_detail(vec3 p, vec3 drift) {
    float detail = 0.0, norm = 0.0;
    for (uint layer = 0u; layer < 2u; ++layer) {
        uint t = u_tick + layer * (CLOUD_CYCLE / 2u);
        float age = float(t % CLOUD_CYCLE);
        uint generation = t / CLOUD_CYCLE;
        // Fades in after its birth and out before its end (triangle), so the swap is never seen.
        float weight = 1.0 - abs(2.0 * (age + 0.5) / float(CLOUD_CYCLE) - 1.0);
        vec3 born = p - drift * age;   // where this air was when the texture was born
        detail += weight * cloud_texture(born, 0xC10D5u + generation * 0x9E3779B9u + layer * 0x85EBCA6Bu);
        norm += weight * weight;
    }
    return detail / sqrt(max(norm, 1e-6));
}

// The drawn opacity for a cover C and the detail: cloud where the detail exceeds the level that a share
// C of it exceeds (a logit approximation of the detail's quantile), thickening over the detail above it,
// so a cell's cover decides how much of it is cloud and the detail where: broken cloud, not a grey veil.
float cloud_opacity(float cover, float detail) {
    if (cover <= 0.0) return 0.0;   // clear sky is exactly the ground
    float c = clamp(cover, 0.01, 0.99);
    float level = CLOUD_SPREAD * log((1.0 - c) / c);
    return 0.92 * smoothstep(level - CLOUD_EDGE, level + 3.0 * CLOUD_EDGE, detail) * clamp(8.0 * cover, 0.0, 1.0);
}

vec3 overlay_clouds(vec3 ground, vec2 ll, vec3 light) {
    Clouds c = clouds_sample(ll);
    vec3 drift = en_to_3d(ll, vec2(c.drift_east, c.drift_north)) / u_radius;   // [radians per tick]
    float detail = cloud_detail(lonlat_pos(ll), drift);
    float cover = cloud_opacity(c.cover, detail);
    vec3 cloud = vec3(0.97, 0.97, 1.0) * (0.55 + 0.45 * clamp(light.z, 0.0, 1.0));
    return mix(ground, cloud, cover);
}

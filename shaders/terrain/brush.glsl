// shaders/terrain/brush.glsl — the terraforming brush: one dab of a tool reshapes the bedrock
// (planet/brush.py; run once at the tick a stroke's timeline event fires, not every tick).
// With d the great-circle distance from the cell p to the dab centre c in chord form,
// d = 2 R asin(|p - c| / 2) [km] (R = u_radius; accurate near the centre), and s = d / u_brush_radius:
//   falloff  w(s) = (1 - s^2)^2 for s < 1, else 0  (smooth, compact: zero slope at the edge)
//   raise    z += A w(s),   lower  z -= A w(s)     (A = u_brush_strength [m])
//   uplift   z += A w(s) (0.5 + 0.5 n),  n = 1 - |2 v - 1| ridged value noise of the 3-D position
//            (Musgrave's ridged multifractal, one octave): a rugged mountain belt along a drag
//   crater   simple-crater profile after Melosh, "Impact Cratering" (1989) ch. 8 and Pike (1977):
//            a parabolic bowl of depth A inside the rim with a rim height h_r = 0.2 A,
//              z += A (s^2 - 1) + h_r            for s < 1
//            and ejecta thinning as s^-3 (McGetchin et al. 1973), cut off smoothly by s = 3:
//              z += h_r s^-3 (1 - smoothstep(2, 3, s))   for s >= 1
// Reads  terrain: bedrock [m above datum], sea_level [m above datum], glow [0..1].
// Writes terrain: bedrock reshaped [m above datum]; sea_level, glow and ice_sheet unchanged.
#include "common/grid.glsl"
#include "common/noise.glsl"

uniform int u_brush_tool;        // 0 raise, 1 lower, 2 uplift, 3 crater (planet.brush.TOOLS)
uniform vec2 u_brush_lonlat;     // [radians] dab centre (longitude, latitude)
uniform float u_brush_radius;    // [km] dab radius (a crater's rim radius)
uniform float u_brush_strength;  // [m] height at the centre (a crater's depth)

const float RIM = 0.2;  // rim height / depth of a simple crater (Pike 1977: ~0.2 on the Moon)

void pass_main(ivec2 cell) {
    Terrain t = terrain_at(cell);
    vec3 p = cell_pos(cell);
    // Great-circle distance to the dab centre, in dab radii.
    float s = 2.0 * u_radius * asin(min(0.5 * length(p - lonlat_pos(u_brush_lonlat)), 1.0)) / u_brush_radius;
    // Compact smooth falloff of the raise/lower/uplift tools.
    float w = s < 1.0 ? (1.0 - s * s) * (1.0 - s * s) : 0.0;
    float dz = 0.0;
    if (u_brush_tool == 0) {
        dz = u_brush_strength * w;
    } else if (u_brush_tool == 1) {
        dz = -u_brush_strength * w;
    } else if (u_brush_tool == 2) {
        // Ridged noise at ~1/4 of the dab radius: peaks and valleys inside the belt.
        float v = 0.5 + 0.5 * value_noise(p * (4.0 * u_radius / u_brush_radius), 7u);
        float ridge = 1.0 - abs(2.0 * v - 1.0);
        dz = u_brush_strength * w * (0.5 + 0.5 * ridge);
    } else {
        // Bowl inside the rim, ejecta blanket outside.
        float rim = RIM * u_brush_strength;
        dz = s < 1.0 ? u_brush_strength * (s * s - 1.0) + rim
                     : rim / (s * s * s) * (1.0 - smoothstep(2.0, 3.0, s));
    }
    o_terrain = Terrain(t.bedrock + dz, t.sea_level, t.glow, t.ice_sheet);
}

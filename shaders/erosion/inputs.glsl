// shaders/erosion/inputs.glsl — what one cell puts into the flow tree (no pass of its own; used by
// erosion.tree and erosion.collect, which must agree). On land: its area [km²] (grid.glsl's exact
// cell area) and the discharge of the rain falling on it, Q = P [mm/yr] * 1e-3 * area * 1e6 / year [s]
// in m³/s, with P = climate's precipitation (running annual mean, mm/yr, channel r) where the scene
// has a climate (HAVE_PRECIPITATION), else the uniform u_rain; at sea both are 0 (the ocean resets
// the flow). Anywhere: the sediment it releases this tick [km³] (sediment r, set by erosion.incise).
// Reads sediment: r = sediment released this tick [km³]; precipitation: r = [mm/yr] (optional).
#include "erosion/flow.glsl"

uniform sampler2D t_sediment;
uniform float u_rain;            // [mm/yr] uniform rain when the scene has no climate
#if HAVE_PRECIPITATION
uniform sampler2D t_precipitation;
#endif

// (area [km²], discharge [m³/s], sediment [km³]) of `cell`.
vec3 own_inputs(ivec2 cell, bool land) {
    float sediment = texelFetch(t_sediment, cell, 0).r;
    if (!land) return vec3(0.0, 0.0, sediment);
#if HAVE_PRECIPITATION
    float rain = max(texelFetch(t_precipitation, cell, 0).r, 0.0);
#else
    float rain = u_rain;
#endif
    float area = cell_area_km2(cell.y);
    return vec3(area, rain * area * (1.0e3 / SECONDS_PER_YEAR), sediment);
}

// shaders/erosion/inputs.glsl — what one cell puts into the flow tree (no pass of its own; used by
// erosion.tree and erosion.collect, which must agree). On land: its area [km²] (grid.glsl's exact
// cell area) and the discharge of the rain falling on it, Q = P [mm/yr] * 1e-3 * area * 1e6 / year [s]
// in m³/s, with P = climate's precipitation (running annual mean) where the scene has a climate
// (HAVE_PRECIPITATION), else the uniform u_rain; at sea both are 0 (the ocean resets the flow).
// Anywhere: the sediment it releases this tick [km³] (set by erosion.incise).
// Reads sediment.release [km³]; precipitation.annual [mm/yr] (optional).
#include "erosion/flow.glsl"

uniform float u_rain;            // [mm/yr] uniform rain when the scene has no climate

// (area [km²], discharge [m³/s], sediment [km³]) of `cell`.
vec3 own_inputs(ivec2 cell, bool land) {
    float sediment = sediment_at(cell).release;
    if (!land) return vec3(0.0, 0.0, sediment);
#if HAVE_PRECIPITATION
    float rain = max(precipitation_at(cell).annual, 0.0);
#else
    float rain = u_rain;
#endif
    float area = cell_area_km2(cell.y);
    return vec3(area, rain * area * (1.0e3 / SECONDS_PER_YEAR), sediment);
}

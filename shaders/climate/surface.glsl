// shaders/climate/surface.glsl — what this step's weather does to the surface: sea ice and snow
// (climate/ice.glsl) and soil moisture, runoff and the annual-mean precipitation (climate/soil.glsl), in
// one pass: both read the vapour pass's rain and the terrain at the cell only (issue 16: as two passes
// they fetched those twice and paid a pass's fixed cost twice, ~0.5 ms a tick at 256x128 on a CPU
// rasterizer). The rules, their sources and the channels are in the two included files' headers.
// Reads  ice (previous step), atmosphere (this step), vapour (this step), terrain, precipitation
//        (previous step): see climate/ice.glsl and climate/soil.glsl.
// Writes ice: sea_ice, snow, cover (climate/ice.glsl).
//        precipitation: annual, soil, runoff, rate (climate/soil.glsl).
#include "climate/physics.glsl"

uniform float u_step_seconds;   // [s] one climate step h (used by both included files)
#include "climate/ice.glsl"
#include "climate/soil.glsl"

void pass_main(ivec2 cell) {
    o_ice = ice_step(cell);
    o_precipitation = soil_step(cell);
}

// shaders/climate/surface.glsl — what this step's weather does to the surface: sea ice and snow
// (climate/ice.glsl) and soil moisture, runoff and the annual-mean precipitation (climate/soil.glsl), in
// one pass after climate.vapour: both read this step's vapour (its rain and potential evaporation, as the
// vapour pass stored them) and the rest at the cell only. The rules, their sources and the channels are
// in the two included files' headers.
// Cost (issue 16, measured in whole ticks on a CPU rasterizer, Mesa llvmpipe): in the vapour pass these
// two outputs made it a four-output draw, whose every extra colour attachment costs per fragment: vapour
// with them ~24.4 ms a tick at 512x256, ~6.0 at 256x128; without them ~18.1 and ~4.5, and this pass ~5.4
// and ~1.1 (it reads five fields from memory the vapour pass no longer holds). Same bits: the vapour it
// fetches is what the vapour pass stored.
// Reads  vapour (this step): rain, evaporation; ice (previous step); atmosphere (this step): temperature;
//        terrain; precipitation (previous step): see climate/ice.glsl and climate/soil.glsl.
// Writes ice: sea_ice, snow, cover (climate/ice.glsl).
//        precipitation: annual, soil, runoff, rate (climate/soil.glsl).
#include "climate/physics.glsl"

uniform float u_step_seconds;   // [s] one climate step h (used by both included files)
#include "climate/ice.glsl"
#include "climate/soil.glsl"

void pass_main(ivec2 cell) {
    // This step's vapour at the cell, as the vapour pass stored it: the rain and potential evaporation.
    Vapour v = vapour_at(cell);
    o_ice = ice_step(cell, v.rain);
    o_precipitation = soil_step(cell, v);
}

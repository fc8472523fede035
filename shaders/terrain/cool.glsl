// shaders/terrain/cool.glsl — step: the magma ocean cools and the oceans fill (MODEL.md §1).
// Lava glow decays exponentially, d(glow)/dt = -glow / tau, with
//   tau = u_cooling_time / (1 + z / u_height_scale)   (high ground crusts over first)
//   tau /= u_quench   under water (water quenches lava)
// integrated exactly over one tick: glow *= exp(-dt / tau). Sea level is a function of time
// (derived on the CPU as u_sea_level_now) and is written into every cell.
// Reads  terrain: bedrock = bedrock elevation [m above datum], glow = lava glow [0..1].
// Writes terrain: bedrock unchanged; sea_level = u_sea_level_now [m above datum]; glow cooled [0..1];
//                ice_sheet unchanged [0/1].
#include "common/grid.glsl"

uniform float u_cooling_time;   // [years] e-folding time of the glow on low ground
uniform float u_height_scale;   // [m] relief unit, sets how much faster peaks cool
uniform float u_quench;         // [-] how many times faster lava cools under water
uniform float u_sea_level_now;  // [m above datum] (derived)

void pass_main(ivec2 cell) {
    Terrain t = terrain_at(cell);
    // Higher ground radiates faster (thinner overlying melt): shorter e-folding time.
    float tau = u_cooling_time / (1.0 + max(t.bedrock, 0.0) / u_height_scale);
    // Flooded cells are quenched by the new ocean.
    if (t.bedrock < u_sea_level_now) tau /= u_quench;
    float glow = t.glow * exp(-u_dt / tau);
    o_terrain = Terrain(t.bedrock, u_sea_level_now, glow, t.ice_sheet);
}

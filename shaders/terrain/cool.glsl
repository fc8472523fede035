// shaders/terrain/cool.glsl — step: the magma ocean cools and the oceans fill (MODEL.md §1).
// Lava glow decays exponentially, d(glow)/dt = -glow / tau, with
//   tau = u_cooling_time / (1 + z / u_height_scale)   (high ground crusts over first)
//   tau /= u_quench   under water (water quenches lava)
// integrated exactly over one tick: glow *= exp(-dt / tau). Sea level is a function of time
// (derived on the CPU as u_sea_level_now) and is written into every cell.
// Reads  terrain: r = bedrock elevation [m above datum], g = sea level [m], b = lava glow [0..1].
// Writes terrain: same channels; r unchanged.
#include "common/grid.glsl"

uniform sampler2D t_terrain;
uniform float u_cooling_time;   // [years] e-folding time of the glow on low ground
uniform float u_height_scale;   // [m] relief unit, sets how much faster peaks cool
uniform float u_quench;         // [-] how many times faster lava cools under water
uniform float u_sea_level_now;  // [m above datum] (derived)

void pass_main(ivec2 cell) {
    vec4 t = texelFetch(t_terrain, cell, 0);
    // Higher ground radiates faster (thinner overlying melt): shorter e-folding time.
    float tau = u_cooling_time / (1.0 + max(t.r, 0.0) / u_height_scale);
    // Flooded cells are quenched by the new ocean.
    if (t.r < u_sea_level_now) tau /= u_quench;
    float glow = t.b * exp(-u_dt / tau);
    o_terrain = vec4(t.r, u_sea_level_now, glow, 0.0);
}

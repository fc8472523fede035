// shaders/tests/mrt_probe.glsl — test probe (not part of any stage): one pass, two outputs (MRT on
// the fragment backend, two imageStores on compute), reading one field through the ping-pong pair.
// Reads  a: any values.  Writes a: a + (1, 2, 3, 4);  b: (cell column, cell row, a.r * u_gain, u_tick).
#include "common/grid.glsl"

uniform sampler2D t_a;
uniform float u_gain;   // [-] multiplies a.r into b.b

void pass_main(ivec2 cell) {
    vec4 a = texelFetch(t_a, cell, 0);
    o_a = a + vec4(1.0, 2.0, 3.0, 4.0);
    o_b = vec4(float(cell.x), float(cell.y), a.r * u_gain, float(u_tick));
}

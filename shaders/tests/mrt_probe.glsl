// shaders/tests/mrt_probe.glsl — test probe (not part of any stage): one pass, two outputs (MRT on
// the fragment backend, two imageStores on compute), reading one field through the ping-pong pair.
// Reads  a {x, y, z, w}: any values.
// Writes a: a + (1, 2, 3, 4);  b: x = cell column, y = cell row, z = a.x * u_gain, w = u_tick.
uniform float u_gain;   // [1] multiplies a.x into b.z

void pass_main(ivec2 cell) {
    A a = a_at(cell);
    o_a = A(a.x + 1.0, a.y + 2.0, a.z + 3.0, a.w + 4.0);
    o_b = B(float(cell.x), float(cell.y), a.x * u_gain, float(u_tick));
}

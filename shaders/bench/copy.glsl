// shaders/bench/copy.glsl — bench only (bench/bench.py): the bandwidth reference pass.
// A straight copy, one texelFetch and one write per cell and no arithmetic, so its time is the
// cost of moving 16 B in + 16 B out per cell on this device; every other pass's GB/s is quoted
// against it. Not part of any stage.
// Reads  terrain: all four channels, whatever they hold (units unchanged).
// Writes terrain: the same four values, bit for bit.

uniform sampler2D t_terrain;

void pass_main(ivec2 cell) {
    o_terrain = texelFetch(t_terrain, cell, 0);
}

// shaders/bench/copy.glsl — bench only (bench/bench.py): the bandwidth reference pass.
// A straight copy, one texel fetch and one write per cell and no arithmetic, so its time is the
// cost of moving 16 B in + 16 B out per cell on this device (terrain's three channels are stored
// in four components: the whole texel is fetched, and written back with the padding 0); every
// other pass's GB/s is quoted against it. Not part of any stage.
// Reads  terrain: bedrock [m above datum], sea_level [m above datum], glow [0..1].
// Writes terrain: the same three values, bit for bit.

void pass_main(ivec2 cell) {
    o_terrain = terrain_at(cell);
}

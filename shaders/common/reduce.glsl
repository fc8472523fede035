// shaders/common/reduce.glsl — planet-wide scalars: a tree reduction of per-cell values on the GPU
// (planet/reduce.py builds the programs; not a stage pass). Each scalar k has a per-cell value v and
// weight w (for a field channel: v = the channel times a scale, w = the cell's area [km²], so
// sums are area integrals and means are area-weighted). A level texel holds, for the 4 x 4 block of
// the level below it (the grid itself for the first level),
//   x = sum of w v,   y = sum of w,   z = min of v over cells with w > 0,   w = max of v (likewise),
// all four associative, so ceil(log4(max(W, H))) levels reach one texel; the sums are pairwise-tree
// sums (float32 error ~ log N ulp, not N ulp). One pass computes two levels (planet/reduce.py spans:
// the level below in registers, folded in the same order as if it were stored), so a chain takes
// ceil(levels / 2) passes. The finish step turns the last texel into the scalar's value by its op:
// sum = x, mean = x / y, min = z, max = w.
// Reads  the scalars' source fields (first pass, through reduce_input_<k>), else t_level<k>.
// Writes level<k> (RGBA32F, as above) or, when finishing, scalars texel (k, 0): x = the value,
//        y = sum of w v, z = sum of w.

const float REDUCE_BIG = 3.0e38;

vec4 reduce_empty() { return vec4(0.0, 0.0, REDUCE_BIG, -REDUCE_BIG); }

// Fold one weighted value into an accumulator (cells of zero weight do not count).
vec4 reduce_value(vec4 acc, vec2 vw) {
    if (vw.y <= 0.0) return acc;
    return vec4(acc.x + vw.x * vw.y, acc.y + vw.y, min(acc.z, vw.x), max(acc.w, vw.x));
}

// Merge two accumulators.
vec4 reduce_merge(vec4 a, vec4 b) { return vec4(a.xy + b.xy, min(a.z, b.z), max(a.w, b.w)); }

// The scalar's value from a finished accumulator; op: 0 sum, 1 mean, 2 min, 3 max.
vec4 reduce_finish(vec4 acc, int op) {
    float value = op == 0 ? acc.x : op == 1 ? (acc.y > 0.0 ? acc.x / acc.y : 0.0) : op == 2 ? acc.z : acc.w;
    return vec4(value, acc.x, acc.y, 0.0);
}

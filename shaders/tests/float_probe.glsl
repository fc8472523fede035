// shaders/tests/float_probe.glsl — test probe (not part of any stage): one floating-point operation per
// run, to compare the fragment and compute backends operation by operation (tests/test_backends.py).
// Reads  probe_in {lhs, rhs, addend, one}: the operands' float bit patterns (an int field, so that subnormal
//        operands reach the shader: float state never holds them), a = |x|, one = 1 + x.
// Writes probe_out {r}: operation u_op of the operands (stored through pack(): flushed below 2^-100
//        like all state);  probe_bits {ftz_x}: the bit pattern of ftz(x).
uniform int u_op;  // which operation (tests/test_backends.py OPS)

float probe_op(int op, float x, float y, float a, float one) {
    if (op == 0) return x;
    if (op == 1) return exp(x);
    if (op == 2) return exp(-a);
    if (op == 3) return exp2(x);
    if (op == 4) return log(a);
    if (op == 5) return log2(a);
    if (op == 6) return pow(a, 0.8);
    if (op == 7) return sqrt(a);
    if (op == 8) return inversesqrt(a);
    if (op == 9) return sin(x);
    if (op == 10) return cos(x);
    if (op == 11) return tan(x);
    if (op == 12) return atan(x, y);
    if (op == 13) return asin(clamp(x, -1.0, 1.0));
    if (op == 14) return tanh(x);
    if (op == 15) return y / x;
    if (op == 16) return x * y + one;
    if (op == 17) return floor(x * 1000.0);
    if (op == 18) return fract(x);
    if (op == 19) return mod(x, 1.7);
    if (op == 20) return smoothstep(-1.0, 1.0, x);
    if (op == 21) return length(vec2(x, y));
    if (op == 22) return normalize(vec3(x, y, 1.0)).x;
    if (op == 23) return x * y;
    return sign(x);
}

void pass_main(ivec2 cell) {
    ProbeIn v = probe_in_at(cell);
    float x = intBitsToFloat(v.lhs), y = intBitsToFloat(v.rhs), a = intBitsToFloat(v.addend), one = intBitsToFloat(v.one);
    o_probe_out = ProbeOut(probe_op(u_op, x, y, a, one));
    o_probe_bits = ProbeBits(floatBitsToInt(ftz(x)));
}

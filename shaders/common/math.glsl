// shaders/common/math.glsl — shared constants. Reads and writes no fields.
const float PI = 3.14159265358979;

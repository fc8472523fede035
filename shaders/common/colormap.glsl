// shaders/common/colormap.glsl — colour ramps for layers and legends; t in [0, 1] -> linear-ish RGB.
// Each ramp is piecewise linear between listed stops, so a legend can draw the same colours.
// Reads and writes no fields.

// Elevation: t = 0.5 is sea level. Deep navy -> shallow cyan | green lowland -> ochre -> brown -> snow.
vec3 cmap_elevation(float t) {
    t = clamp(t, 0.0, 1.0);
    if (t < 0.5) return mix(vec3(0.02, 0.06, 0.28), vec3(0.55, 0.80, 0.95), t / 0.5);
    if (t < 0.6) return mix(vec3(0.16, 0.50, 0.22), vec3(0.62, 0.66, 0.34), (t - 0.5) / 0.1);
    if (t < 0.8) return mix(vec3(0.62, 0.66, 0.34), vec3(0.50, 0.33, 0.18), (t - 0.6) / 0.2);
    return mix(vec3(0.50, 0.33, 0.18), vec3(0.96, 0.96, 0.98), (t - 0.8) / 0.2);
}

// Lava: black -> deep red -> orange -> pale yellow, for emissive glow in [0, 1].
vec3 cmap_lava(float t) {
    t = clamp(t, 0.0, 1.0);
    if (t < 0.4) return mix(vec3(0.0), vec3(0.55, 0.04, 0.0), t / 0.4);
    if (t < 0.8) return mix(vec3(0.55, 0.04, 0.0), vec3(1.0, 0.45, 0.05), (t - 0.4) / 0.4);
    return mix(vec3(1.0, 0.45, 0.05), vec3(1.0, 0.92, 0.55), (t - 0.8) / 0.2);
}

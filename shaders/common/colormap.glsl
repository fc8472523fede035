// shaders/common/colormap.glsl — colour ramps for layers and legends; t in [0, 1] -> linear-ish RGB.
// Each ramp is piecewise linear between listed stops, so a legend can draw the same colours.
// Reads and writes no fields.

// Elevation over [-16, 16] km: t = 0.5 is sea level, t = 0.5 + e / 32 km. Sea: abyssal navy (-16 km) ->
// deep blue (-6 km) -> shallow cyan (0). Land: green lowland -> ochre (2 km) -> brown (5 km) -> snow
// (9 km) -> a pale violet-grey for the protoplanet's 15 km peaks.
vec3 cmap_elevation(float t) {
    t = clamp(t, 0.0, 1.0);
    if (t < 0.3125) return mix(vec3(0.02, 0.04, 0.18), vec3(0.06, 0.18, 0.45), t / 0.3125);
    if (t < 0.5) return mix(vec3(0.06, 0.18, 0.45), vec3(0.55, 0.80, 0.95), (t - 0.3125) / 0.1875);
    if (t < 0.5625) return mix(vec3(0.16, 0.50, 0.22), vec3(0.70, 0.66, 0.38), (t - 0.5) / 0.0625);
    if (t < 0.65625) return mix(vec3(0.70, 0.66, 0.38), vec3(0.50, 0.33, 0.18), (t - 0.5625) / 0.09375);
    if (t < 0.78125) return mix(vec3(0.50, 0.33, 0.18), vec3(0.96, 0.96, 0.98), (t - 0.65625) / 0.125);
    return mix(vec3(0.96, 0.96, 0.98), vec3(0.74, 0.70, 0.88), (t - 0.78125) / 0.21875);
}

// Lava: black -> deep red -> orange -> pale yellow, for emissive glow in [0, 1].
vec3 cmap_lava(float t) {
    t = clamp(t, 0.0, 1.0);
    if (t < 0.4) return mix(vec3(0.0), vec3(0.55, 0.04, 0.0), t / 0.4);
    if (t < 0.8) return mix(vec3(0.55, 0.04, 0.0), vec3(1.0, 0.45, 0.05), (t - 0.4) / 0.4);
    return mix(vec3(1.0, 0.45, 0.05), vec3(1.0, 0.92, 0.55), (t - 0.8) / 0.2);
}

// Uplift stress in [0, 1] (plates layer): dark red -> orange -> pale yellow, hotter where plates collide.
vec3 cmap_uplift(float t) {
    t = clamp(t, 0.0, 1.0);
    if (t < 0.5) return mix(vec3(0.45, 0.02, 0.08), vec3(0.95, 0.40, 0.05), t / 0.5);
    return mix(vec3(0.95, 0.40, 0.05), vec3(1.0, 0.95, 0.65), (t - 0.5) / 0.5);
}

// Temperature over [-40, 40] °C (climate): violet -> blue -> pale cyan at 0 °C (t = 0.5) -> green ->
// yellow -> orange -> dark red.
vec3 cmap_temperature(float t) {
    t = clamp(t, 0.0, 1.0);
    if (t < 0.25) return mix(vec3(0.30, 0.10, 0.45), vec3(0.15, 0.35, 0.85), t / 0.25);
    if (t < 0.5) return mix(vec3(0.15, 0.35, 0.85), vec3(0.75, 0.92, 0.98), (t - 0.25) / 0.25);
    if (t < 0.625) return mix(vec3(0.75, 0.92, 0.98), vec3(0.45, 0.78, 0.35), (t - 0.5) / 0.125);
    if (t < 0.75) return mix(vec3(0.45, 0.78, 0.35), vec3(0.98, 0.86, 0.30), (t - 0.625) / 0.125);
    if (t < 0.875) return mix(vec3(0.98, 0.86, 0.30), vec3(0.93, 0.42, 0.12), (t - 0.75) / 0.125);
    return mix(vec3(0.93, 0.42, 0.12), vec3(0.55, 0.05, 0.08), (t - 0.875) / 0.125);
}

// Sea-level pressure over [980, 1040] hPa (climate): diverging, deep blue lows -> white near 1010 hPa
// (t = 0.5) -> deep red highs.
vec3 cmap_pressure(float t) {
    t = clamp(t, 0.0, 1.0);
    if (t < 0.5) return mix(vec3(0.10, 0.20, 0.55), vec3(0.92, 0.92, 0.90), t / 0.5);
    return mix(vec3(0.92, 0.92, 0.90), vec3(0.60, 0.10, 0.12), (t - 0.5) / 0.5);
}

// Precipitation over [0, 3000] mm/yr (climate): desert tan -> green at 600 mm/yr (t = 0.2) -> teal ->
// blue at 2000 mm/yr -> deep violet.
vec3 cmap_precipitation(float t) {
    t = clamp(t, 0.0, 1.0);
    if (t < 0.2) return mix(vec3(0.90, 0.82, 0.62), vec3(0.40, 0.72, 0.30), t / 0.2);
    if (t < 0.4) return mix(vec3(0.40, 0.72, 0.30), vec3(0.15, 0.60, 0.62), (t - 0.2) / 0.2);
    if (t < 0.667) return mix(vec3(0.15, 0.60, 0.62), vec3(0.12, 0.30, 0.75), (t - 0.4) / 0.267);
    return mix(vec3(0.12, 0.30, 0.75), vec3(0.30, 0.08, 0.45), (t - 0.667) / 0.333);
}

// River discharge over [0, 5] decades of m³/s (erosion: rivers on the satellite and basins layers):
// pale blue for a brook -> deep blue for a great river.
vec3 cmap_rivers(float t) {
    t = clamp(t, 0.0, 1.0);
    if (t < 0.5) return mix(vec3(0.55, 0.75, 0.90), vec3(0.20, 0.45, 0.75), t / 0.5);
    return mix(vec3(0.20, 0.45, 0.75), vec3(0.05, 0.18, 0.50), (t - 0.5) / 0.5);
}

// Biome classes (life stage; planet.stages.life.BIOMES, in that order): ice, tundra, boreal forest,
// temperate forest, grassland, desert, savanna, rain forest. cmap_biomes(t) is class floor(8 t).
vec3 biome_color(int k) {
    const vec3 C[8] = vec3[8](vec3(0.93, 0.95, 0.98), vec3(0.55, 0.55, 0.45), vec3(0.12, 0.30, 0.22),
                              vec3(0.20, 0.46, 0.16), vec3(0.62, 0.70, 0.32), vec3(0.87, 0.75, 0.50),
                              vec3(0.78, 0.64, 0.28), vec3(0.04, 0.33, 0.09));
    return C[clamp(k, 0, 7)];
}
vec3 cmap_biomes(float t) { return biome_color(int(floor(clamp(t, 0.0, 0.999) * 8.0))); }

// Life layer: the colour of each population (plants, herbivores, predators); cmap_life(t) is
// population floor(3 t) (the legend's swatches).
vec3 life_color(int k) {
    const vec3 C[3] = vec3[3](vec3(0.10, 0.90, 0.15), vec3(0.20, 0.40, 1.00), vec3(1.00, 0.18, 0.10));
    return C[clamp(k, 0, 2)];
}
vec3 cmap_life(float t) { return life_color(int(floor(clamp(t, 0.0, 0.999) * 3.0))); }

// Population density over [0, 200] people/km² (people): near-black -> violet -> red -> orange -> pale
// yellow for the densest land.
vec3 cmap_population(float t) {
    t = clamp(t, 0.0, 1.0);
    if (t < 0.25) return mix(vec3(0.08, 0.06, 0.14), vec3(0.40, 0.10, 0.45), t / 0.25);
    if (t < 0.5) return mix(vec3(0.40, 0.10, 0.45), vec3(0.82, 0.22, 0.25), (t - 0.25) / 0.25);
    if (t < 0.75) return mix(vec3(0.82, 0.22, 0.25), vec3(0.98, 0.60, 0.15), (t - 0.5) / 0.25);
    return mix(vec3(0.98, 0.60, 0.15), vec3(1.0, 0.96, 0.70), (t - 0.75) / 0.25);
}

// CO2 over [250, 3000] ppm (people): pale blue-green near pre-industrial 280 ppm -> yellow -> orange ->
// dark red-brown for a hothouse.
vec3 cmap_co2(float t) {
    t = clamp(t, 0.0, 1.0);
    if (t < 0.2) return mix(vec3(0.62, 0.85, 0.82), vec3(0.95, 0.90, 0.45), t / 0.2);
    if (t < 0.5) return mix(vec3(0.95, 0.90, 0.45), vec3(0.93, 0.50, 0.15), (t - 0.2) / 0.3);
    return mix(vec3(0.93, 0.50, 0.15), vec3(0.40, 0.08, 0.06), (t - 0.5) / 0.5);
}

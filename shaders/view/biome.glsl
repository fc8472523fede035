// shaders/view/biome.glsl — biomes (life stage, MODEL.md §7: land coloured by temperature x vegetation).
// biome_class is the GLSL twin of planet.stages.life.biome_class (same thresholds, same order; keep them
// equal): from the annual-mean temperature T [°C] and the annual precipitation P [mm/yr]
//   0 ice T < -12; 1 tundra T < -4; 5 desert P < 200 + 10 max(T, 0); 2 boreal forest T < 4;
//   below 18 °C: 3 temperate forest P >= 500 + 25 T, else 4 grassland;
//   from 18 °C: 7 rain forest P >= 1800, else 6 savanna.
// biome_ground is the satellite palette: continuous in its inputs (no class edges, no blocky cells):
// bare ground (the view's own rock colour, turning to sand where hot and dry), vegetation from grass
// (dry) to forest (wet) whose green darkens from the tropics to the boreal zone, covering the ground
// as 1 - exp(-plants / 0.25); ice where the annual mean is below the ice line, and the season's snow
// where the air is below freezing now. Reads no fields (the callers sample them).
#include "common/colormap.glsl"

int biome_class(float t, float p) {
    if (t < -12.0) return 0;
    if (t < -4.0) return 1;
    if (p < 200.0 + 10.0 * max(t, 0.0)) return 5;
    if (t < 4.0) return 2;
    if (t < 18.0) return p >= 500.0 + 25.0 * t ? 3 : 4;
    return p >= 1800.0 ? 7 : 6;
}

// `rock`: the view's bare ground colour (already shaded), `shade`: its hillshade; T_mean, P as above,
// plants [1], T_now: the season's air temperature [°C].
vec3 biome_ground(vec3 rock, float shade, float t_mean, float p, float plants, float t_now) {
    float desert = 200.0 + 10.0 * max(t_mean, 0.0);
    float wet = smoothstep(desert, 3.0 * desert, p);                    // 0 desert .. 1 wet
    float cold = smoothstep(16.0, -6.0, t_mean);                         // 0 tropics .. 1 boreal
    vec3 bare = mix(rock, biome_color(5) * shade, 0.75 * (1.0 - wet) * (1.0 - cold));
    vec3 green = mix(mix(biome_color(7), biome_color(3), smoothstep(24.0, 12.0, t_mean)),
                     biome_color(2), smoothstep(8.0, -2.0, t_mean));
    vec3 grass = mix(biome_color(6), biome_color(4), cold);
    vec3 plant = mix(grass, green, smoothstep(0.2, 0.8, wet)) * shade;
    vec3 color = mix(bare, plant, 1.0 - exp(-max(plants, 0.0) / 0.25));
    float ice = smoothstep(-9.0, -14.0, t_mean);
    float snow = smoothstep(-1.0, -6.0, t_now) * smoothstep(0.0, 50.0, p);
    return mix(color, biome_color(0) * (0.55 + 0.45 * shade), max(ice, 0.85 * snow));
}

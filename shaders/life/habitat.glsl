// shaders/life/habitat.glsl — the climate as the populations see it (MODEL.md §5): the season's rates of
// the food chain (shaders/life/ecology.glsl) and the running annual-mean temperature the biomes use.
//   plant growth    G = growth f_T f_M - wilt                                  [1/lifetime]
//     f_T = clamp(4 (T - T_c)(T_h - T) / (T_h - T_c)^2, 0, 1): 0 when frozen (T <= cold_limit) or too hot
//           (T >= heat_limit), 1 midway (25 °C at the defaults, the warm tropics);
//     f_M = S / (S + moisture_half): 0 on dry soil, -> 1 on wet soil. Below wilt, plants die back.
//   reproduction    R = reproduction (1/2 + 1/2 clamp(T / 25 °C, 0, 1)): rises with warmth [1/lifetime]
//   predation       P = predation exp(-max(h, 0) / highland_height): weaker in highlands [1/lifetime]
//   mean temperature  T_m' = T_m + (T - T_m) w,  w = u_mean_weight = 1 - exp(-1 / year_ticks) (one year)
// T: the season's air temperature, S: soil moisture, h: height above sea level. At sea the rates are 0.
// INIT = 1 (life.habitat_init): T_m starts at this tick's temperature.
// Sea cells (life.sea's mask) run pass_quiet: the rates 0 and the running mean alone (Pass.quiet, issue 16).
// Reads  atmosphere: temperature [°C] (the season's surface air temperature).
//        precipitation: soil [mm] (soil moisture, 0 at sea).
//        terrain: bedrock, sea_level [m above the bedrock datum] (land where bedrock > sea_level).
//        habitat: mean_temperature [°C] (previous tick; not at INIT).
// Writes habitat: mean_temperature [°C], growth [1/lifetime], reproduction [1/lifetime],
//        predation [1/lifetime].

uniform float u_growth;            // [1/lifetime] plant growth in the best climate
uniform float u_wilt;              // [1/lifetime] plant death where nothing grows
uniform float u_reproduction;      // [1/lifetime] herbivore births per unit plant density (warm)
uniform float u_predation;         // [1/lifetime] predation at sea level
uniform float u_highland_height;   // [m] e-folding height of predation
uniform float u_cold_limit;        // [°C]
uniform float u_heat_limit;        // [°C]
uniform float u_moisture_half;     // [mm]
uniform float u_mean_weight;       // [1] weight of one tick in the annual running mean

// The running annual-mean temperature [°C] after this tick's temperature `temp` [°C].
float mean_temperature(ivec2 cell, float temp) {
#if INIT
    return temp;
#else
    return mix(habitat_at(cell).mean_temperature, temp, u_mean_weight);
#endif
}

// A sea cell (life.sea; pass_main's sea cells too): nothing grows, breeds or hunts there.
void pass_quiet(ivec2 cell) {
    o_habitat = Habitat(mean_temperature(cell, atmosphere_at(cell).temperature), 0.0, 0.0, 0.0);
}

void pass_main(ivec2 cell) {
    Terrain t = terrain_at(cell);
    float height = t.bedrock - t.sea_level;                      // [m] above sea level
    if (height <= 0.0) {
        pass_quiet(cell);
        return;
    }
    float temp = atmosphere_at(cell).temperature;
    float soil = max(precipitation_at(cell).soil, 0.0);
    float mean_temp = mean_temperature(cell, temp);
    // Plant growth: a bell in temperature times a saturating curve in soil moisture, less wilting.
    float span = u_heat_limit - u_cold_limit;
    float f_t = clamp(4.0 * (temp - u_cold_limit) * (u_heat_limit - temp) / (span * span), 0.0, 1.0);
    float f_m = soil / (soil + u_moisture_half);
    float growth = u_growth * f_t * f_m - u_wilt;
    // Herbivores breed faster in warm air; predators hunt less well in highlands.
    float reproduction = u_reproduction * (0.5 + 0.5 * clamp(temp / 25.0, 0.0, 1.0));
    float predation = u_predation * exp(-max(height, 0.0) / u_highland_height);
    o_habitat = Habitat(mean_temp, growth, reproduction, predation);
}

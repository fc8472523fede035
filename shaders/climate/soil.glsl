// shaders/climate/soil.glsl — rain on the ground: soil moisture, runoff, and the precipitation that the
// erosion stage uses as rain. Included by climate/surface.glsl, whose pass writes it (not a pass of its own).
// Soil moisture S [mm] on land is Manabe's bucket ("Climate and the ocean circulation I", Mon. Wea.
// Rev. 97, 1969): rain P fills it, evaporation beta E_p empties it (beta = min(1, S / (0.75 S_c)), E_p
// the potential evaporation, which grows with the air's temperature: the soil dries with heat), and
// what exceeds the capacity S_c runs off. Over one climate step h, implicit in the evaporation:
//   S' = (S + h P) / (1 + h E_p / (0.75 S_c))  while beta < 1,   S' = S + h (P - E_p)  otherwise,
//   runoff = max(S' - S_c, 0) / h,   S' = clamp(S', 0, S_c);   over the sea S = 0 and runoff = 0.
// Rain and runoff are also kept as running annual means, exponential averages over one year:
//   X' = X + (x - X) (1 - exp(-h / 1 year)),  the weight derived on the CPU as u_year_weight.
// Reads  from the including pass: this step's vapour as the field stores it: rain = precipitation rate
//        [mm/yr], evaporation = potential evaporation rate [mm/yr].
//        precipitation (previous step): annual = annual-mean precipitation [mm/yr], soil = soil
//                       moisture [mm], runoff = annual-mean runoff [mm/yr].
//        terrain: bedrock [m above datum], sea_level [m above datum].
// Returns precipitation: annual = annual-mean precipitation [mm/yr] (the erosion stage's rain), soil =
//                       soil moisture [mm], runoff = annual-mean runoff [mm/yr], rate = precipitation
//                       rate this step [mm/yr].
// The including pass declares u_step_seconds [s] (one climate step h).
uniform float u_year_weight;    // [-] 1 - exp(-step / 1 year), the annual running-mean weight
uniform float u_soil_capacity;  // [mm] S_c

// The precipitation field at `cell` after this step, under this step's vapour v.
Precipitation soil_step(ivec2 cell, Vapour v) {
    Precipitation old = precipitation_at(cell);
    Terrain t = terrain_at(cell);
    float h = u_step_seconds / SECONDS_PER_YEAR;   // [yr]
    float rain = max(v.rain, 0.0), potential = max(v.evaporation, 0.0);
    // Manabe's bucket on land, implicit in the evaporation; what overflows runs off.
    float soil = 0.0, runoff = 0.0;
    if (t.bedrock > t.sea_level) {
        float knee = 0.75 * u_soil_capacity;
        soil = old.soil < knee ? (old.soil + h * rain) / (1.0 + h * potential / knee) : old.soil + h * (rain - potential);
        runoff = max(soil - u_soil_capacity, 0.0) / h;
        soil = clamp(soil, 0.0, u_soil_capacity);
    }
    // The running annual means.
    return Precipitation(mix(old.annual, rain, u_year_weight), soil, mix(old.runoff, runoff, u_year_weight),
                                    rain);
}

// shaders/climate/soil.glsl — rain on the ground: soil moisture, runoff, and the precipitation that the
// erosion stage uses as rain.
// Soil moisture S [mm] on land is Manabe's bucket ("Climate and the ocean circulation I", Mon. Wea.
// Rev. 97, 1969): rain P fills it, evaporation beta E_p empties it (beta = min(1, S / (0.75 S_c)), E_p
// the potential evaporation, which grows with the air's temperature: the soil dries with heat), and
// what exceeds the capacity S_c runs off. Over one climate step h, implicit in the evaporation:
//   S' = (S + h P) / (1 + h E_p / (0.75 S_c))  while beta < 1,   S' = S + h (P - E_p)  otherwise,
//   runoff = max(S' - S_c, 0) / h,   S' = clamp(S', 0, S_c);   over the sea S = 0 and runoff = 0.
// Rain and runoff are also kept as running annual means, exponential averages over one year:
//   X' = X + (x - X) (1 - exp(-h / 1 year)),  the weight derived on the CPU as u_year_weight.
// Reads  vapour: g = precipitation rate [mm/yr], b = potential evaporation rate [mm/yr].
//        precipitation: r = annual-mean precipitation [mm/yr], g = soil moisture [mm],
//                       b = annual-mean runoff [mm/yr] (previous step).
//        terrain: r = bedrock elevation [m above datum], g = sea level [m above datum].
// Writes precipitation: r = annual-mean precipitation [mm/yr] (the erosion stage's rain), g = soil
//                       moisture [mm], b = annual-mean runoff [mm/yr], a = precipitation rate this step [mm/yr].
#include "climate/physics.glsl"

uniform sampler2D t_vapour;
uniform sampler2D t_precipitation;
uniform sampler2D t_terrain;
uniform float u_step_seconds;   // [s] one climate step
uniform float u_year_weight;    // [-] 1 - exp(-step / 1 year), the annual running-mean weight
uniform float u_soil_capacity;  // [mm] S_c

void pass_main(ivec2 cell) {
    vec4 v = texelFetch(t_vapour, cell, 0);
    vec4 old = texelFetch(t_precipitation, cell, 0);
    vec4 t = texelFetch(t_terrain, cell, 0);
    float h = u_step_seconds / SECONDS_PER_YEAR;   // [yr]
    float rain = max(v.g, 0.0), potential = max(v.b, 0.0);
    float soil = 0.0, runoff = 0.0;
    if (t.r > t.g) {
        float knee = 0.75 * u_soil_capacity;
        soil = old.g < knee ? (old.g + h * rain) / (1.0 + h * potential / knee) : old.g + h * (rain - potential);
        runoff = max(soil - u_soil_capacity, 0.0) / h;
        soil = clamp(soil, 0.0, u_soil_capacity);
    }
    o_precipitation = vec4(mix(old.r, rain, u_year_weight), soil, mix(old.b, runoff, u_year_weight), rain);
}

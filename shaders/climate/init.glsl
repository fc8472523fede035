// shaders/climate/init.glsl — init: the water cycle's starting state. The air holds the humidity that
// rain relaxes it to (W = rh W_s, from the cell's temperature); soils are half full; no rain has been
// recorded yet (the annual means fill in over the first simulated year).
// Reads  atmosphere: temperature = surface air temperature [°C].
//        terrain: bedrock [m above datum], sea_level [m above datum].
// Writes vapour: column = water-vapour column [mm], rain = 0 [mm/yr], evaporation = 0 [mm/yr],
//                humidity = rh [1].
//        precipitation: annual = 0 [mm/yr], soil = soil moisture [mm] (half the capacity on land, 0 at
//                       sea), runoff = 0 [mm/yr], rate = 0 [mm/yr].
#include "climate/physics.glsl"

uniform float u_vapour_height;   // [m] scale height of water vapour
uniform float u_rain_humidity;   // [-] relative humidity the rain relaxes the column to
uniform float u_soil_capacity;   // [mm] soil water at field capacity

void pass_main(ivec2 cell) {
    float temp = atmosphere_at(cell).temperature;
    Terrain t = terrain_at(cell);
    // The column at the humidity rain relaxes it to; half-full soil on land.
    float w = u_rain_humidity * saturation_column(temp, u_vapour_height);
    o_vapour = Vapour(w, 0.0, 0.0, u_rain_humidity);
    o_precipitation = Precipitation(0.0, t.bedrock > t.sea_level ? 0.5 * u_soil_capacity : 0.0, 0.0, 0.0);
}

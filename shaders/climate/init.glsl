// shaders/climate/init.glsl — init: the water cycle's starting state. The air holds the humidity that
// rain relaxes it to (W = rh W_s, from the cell's temperature); soils are half full; no rain has been
// recorded yet (the annual means fill in over the first simulated year); no clouds yet (they form within
// a few steps); sea ice as the air's temperature freezes it (climate/physics.glsl), no snow yet.
// Reads  atmosphere: temperature = surface air temperature [°C].
//        terrain: bedrock [m above datum], sea_level [m above datum].
// Writes vapour: column = water-vapour column [mm], rain = 0 [mm/yr], evaporation = 0 [mm/yr],
//                humidity = rh [1].
//        precipitation: annual = 0 [mm/yr], soil = soil moisture [mm] (half the capacity on land, 0 at
//                       sea), runoff = 0 [mm/yr], rate = 0 [mm/yr].
//        clouds: cover = 0, formation = 0 [1], drift_east = drift_north = 0 [km].
//        ice: sea_ice = the fraction the air freezes [0..1] at sea (0 on land), snow = 0 [mm], cover = sea_ice.
#include "climate/physics.glsl"

uniform float u_vapour_height;   // [m] scale height of water vapour
uniform float u_rain_humidity;   // [-] relative humidity the rain relaxes the column to
uniform float u_soil_capacity;   // [mm] soil water at field capacity
uniform float u_sea_ice_ramp;    // [K] how far below freezing a sea cell is fully frozen

void pass_main(ivec2 cell) {
    float temp = atmosphere_at(cell).temperature;
    Terrain t = terrain_at(cell);
    // The column at the humidity rain relaxes it to; half-full soil on land.
    float w = u_rain_humidity * saturation_column(temp, u_vapour_height);
    o_vapour = Vapour(w, 0.0, 0.0, u_rain_humidity);
    bool land = t.bedrock > t.sea_level;
    o_precipitation = Precipitation(0.0, land ? 0.5 * u_soil_capacity : 0.0, 0.0, 0.0);
    // Clear skies; sea ice where the air freezes the sea.
    o_clouds = Clouds(0.0, 0.0, 0.0, 0.0);
    float sea_ice = land ? 0.0 : sea_ice_target(temp, u_sea_ice_ramp);
    o_ice = Ice(sea_ice, 0.0, sea_ice);
}

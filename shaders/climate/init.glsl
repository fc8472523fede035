// shaders/climate/init.glsl — init: the water cycle's starting state. The air holds the humidity that
// rain relaxes it to (W = rh W_s, from the cell's temperature); soils are half full; no rain has been
// recorded yet (the annual means fill in over the first simulated year).
// Reads  atmosphere: g = surface air temperature [°C].
//        terrain: r = bedrock elevation [m above datum], g = sea level [m above datum].
// Writes vapour: r = water-vapour column [mm], g = precipitation rate 0 [mm/yr],
//                b = potential evaporation 0 [mm/yr], a = relative humidity rh.
//        precipitation: r = annual-mean precipitation 0 [mm/yr], g = soil moisture [mm] (half the
//                       capacity on land, 0 at sea), b = annual-mean runoff 0 [mm/yr], a = rain now 0 [mm/yr].
#include "climate/physics.glsl"

uniform sampler2D t_atmosphere;
uniform sampler2D t_terrain;
uniform float u_vapour_height;   // [m] scale height of water vapour
uniform float u_rain_humidity;   // [-] relative humidity the rain relaxes the column to
uniform float u_soil_capacity;   // [mm] soil water at field capacity

void pass_main(ivec2 cell) {
    float temp = texelFetch(t_atmosphere, cell, 0).g;
    vec4 t = texelFetch(t_terrain, cell, 0);
    float w = u_rain_humidity * saturation_column(temp, u_vapour_height);
    o_vapour = vec4(w, 0.0, 0.0, u_rain_humidity);
    o_precipitation = vec4(0.0, t.r > t.g ? 0.5 * u_soil_capacity : 0.0, 0.0, 0.0);
}

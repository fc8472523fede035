// shaders/climate/ice.glsl — sea ice and snow from the surface air temperature (beyond the reference;
// issue 15). Included by climate/surface.glsl, whose pass writes it (not a pass of its own). Not an energy
// budget: no ice thickness, no albedo feedback on the temperature.
// Sea ice (at sea): sea water of salinity ~35 g/kg freezes at T_f = -1.8 °C (e.g. the UNESCO freezing
//   point of sea water, Millero 1978). The surface air temperature T stands in for the water's; a cell is
//   taken to freeze over progressively as T falls below T_f (sub-cell spread of temperatures and leads):
//     F_eq = clamp((T_f - T) / dT_i, 0, 1),  dT_i = u_sea_ice_ramp [K],
//   and the ice fraction F relaxes towards it over tau_i = 30 days (ice grows and melts over weeks, so it
//   lags the seasons: most ice after the winter, least after the summer), implicit over the step h:
//     F' = (F + (h / tau_i) F_eq) / (1 + h / tau_i).
// Snow (on land): the precipitation P falls as snow where T < 0 °C (the snow share s = clamp(0.5 - T/2, 0,
//   1): all snow below -1 °C, all rain above +1 °C) and accumulates as snow water equivalent S [mm]; it
//   melts by the degree-day rule M = DDF max(T, 0) (temperature-index melt: Hock, "Temperature index
//   melt modelling in mountain areas", J. Hydrology 282, 2003: DDF ~ 3-5 mm/(K day) for snow):
//     S' = clamp(S + h (s P - M), 0, S_max),  S_max = 10,000 mm (an ice sheet: beyond it, ice would flow).
//   Snow cover: G = min(S / 20 mm, 1) (about 20 mm of water, ~10-20 cm of snow, hides the ground).
// cover: what is white, F at sea and G on land (the satellite view draws it, shaders/view/ice.glsl).
// Reads  ice (previous step): sea_ice = F [0..1], snow = S [mm].
//        atmosphere: temperature = surface air temperature T [°C].
//        from the including pass: this step's precipitation rate P [mm/yr], as the vapour field stores it.
//        terrain: bedrock [m above datum], sea_level [m above datum] (land where bedrock > sea_level).
// Returns ice: sea_ice = F [0..1] (0 on land), snow = S [mm] (0 at sea), cover = F or G [0..1].
// The including pass declares u_step_seconds [s] (one climate step h).
uniform float u_sea_ice_ramp;   // [K] dT_i
uniform float u_snow_melt;      // [mm/(K day)] DDF

const float SEA_ICE_DAYS = 30.0;        // [days] tau_i
const float SNOW_MAX = 10000.0;         // [mm] S_max
const float SNOW_HIDES = 20.0;          // [mm] water equivalent that covers the ground

// Sea ice and snow at `cell` after this step, under this step's rain [mm/yr].
Ice ice_step(ivec2 cell, float rain) {
    Ice old = ice_at(cell);
    float temp = atmosphere_at(cell).temperature;
    Terrain t = terrain_at(cell);
    float h = u_step_seconds / SECONDS_PER_DAY;   // [days]
    if (t.bedrock > t.sea_level) {
        // Snow: accumulate what falls below freezing, melt by degree-days.
        float share = clamp(0.5 - 0.5 * temp, 0.0, 1.0);
        float fall = share * max(rain, 0.0) / 365.25;   // [mm/day]
        float snow = clamp(old.snow + h * (fall - u_snow_melt * max(temp, 0.0)), 0.0, SNOW_MAX);
        return Ice(0.0, snow, min(snow / SNOW_HIDES, 1.0));
    } else {
        // Sea ice: relax towards the fraction the air temperature freezes.
        float target = sea_ice_target(temp, u_sea_ice_ramp);
        float k = h / SEA_ICE_DAYS;
        float sea = (clamp(old.sea_ice, 0.0, 1.0) + k * target) / (1.0 + k);
        return Ice(sea, 0.0, sea);
    }
}

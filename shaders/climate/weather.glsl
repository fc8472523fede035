// shaders/climate/weather.glsl — the season's sea-level pressure, temperature and surface wind.
// Season s (climate/physics.glsl) of the state this pass produces: a step pass makes the state after
// this tick (u_tick + 1), the init pass the state at tick 0 (TICK_AHEAD = 1 or 0).
//   pressure     p = P_annual + s * (P_January - P_July)                                   [hPa]
//   temperature  T = 40 tanh(2.2 exp(-((lat + 5 s) / 30)^2 / 2)) - 15 - (p - 1012) / 1.8
//                    + 1.5 land - lapse_rate * (height above sea) (MODEL.md §4; lat in degrees) [°C]
//                    + S exp(-((|lat + 5 s| - 30) / 10)^2 / 2)   (beyond the reference, issue 18: the
//                    recipe's -(p - 1012)/1.8 reads the subtropical highs, made by sinking air that warms
//                    as it descends under clear skies, as cold air; against ERA5's 1991-2020 zonal means
//                    (planet/earth.py) it left 15-45° of latitude 5-7 °C too cold on today's Earth while
//                    the tropics and high latitudes agreed; S = u_subtropical_warming = 6 °C restores them)
//     where p is read without the land's equatorial trough (climate/physics.glsl: a convective low of the
//     heated continents, not a thermal one; read as thermal it made the Congo 32 °C, observed ~25)
//                    + dT(lat), greenhouse warming by the planet's CO2 (climate/warming.glsl; 0 without it)
//     (the thermal equator sits at 5 s degrees south: it follows the sun into the summer hemisphere)
//   Beyond the reference: on an ice sheet (terrain.ice_sheet = 1: today's Earth's Antarctica) the recipe,
//     never fitted to a 3-km plateau of snow (its land pressure fit puts a warm 1006 hPa low on the
//     south pole; no albedo; no surface inversion), is 20 °C too warm. There the annual mean is the
//     observed fit of Fortuin & Oerlemans ("Parameterization of the annual surface temperature and mass
//     balance of Antarctica", Annals of Glaciology 14, 1990), for the dry-snow zone
//       T_ice = 34.46 - 0.00914 h - 0.68725 |lat|    (h = surface height [m], lat in degrees)
//     and the recipe's seasonal departure T(s) - T(s = 0, annual pressure) rides on it:
//       T = T_ice + T(s) - T_annual.  (Applied also below 1,500 m and, if a scene asks, in the north: an
//     extrapolation of an Antarctic fit, within ~3 °C at Antarctica's coast.)
//   wind: the surface layer's balance of pressure gradient, Coriolis force and linear (Rayleigh)
//     friction,  f k x u = -grad(p) / rho - r u,  solved for u (e.g. Stevens et al., "Entrainment,
//     Rayleigh friction, and boundary layer winds over the tropical Pacific", J. Climate 15, 2002):
//       u = (f k x grad(p) - r grad(p)) / (rho (r^2 + f^2)),  f = 2 Omega sin(lat),  k x (a, b) = (-b, a),
//       r the friction rate (below)
//     i.e. the reference's "15 sin(lat) (-g_y, g_x) - g" in m/s: flow turned by Coriolis around lows
//     (counter-clockwise in the north, clockwise in the south) and across the isobars into them.
//     r > 0 keeps the denominator positive, so the sign flip of f at the equator needs no special case.
//   Beyond the reference (issue 15): cumulus friction. Deep convection mixes the surface layer's momentum
//     through the troposphere and damps the low-level wind where it convects (Schneider & Lindzen, "A
//     discussion of the parameterization of momentum exchange by cumulus convection", J. Geophys. Res.
//     81, 1976), i.e. in the belt about the thermal equator:
//       r = r0 (1 + K exp(-((lat - lat_t) / w)^2 / 2)),   lat_t = -5 s degrees (the temperature's thermal
//     equator, below), K = u_convective_friction, w = u_convective_width [degrees].
//     Without it the frictional inflow at f ~ 0 runs at 20-25 m/s across the equator and converges into a
//     6° bar of ~18,000 mm/yr; with K = 6, w = 11° the cross-equatorial wind is a few m/s (Earth: 2-5 m/s)
//     and, with the calmer air evaporating less (climate/vapour.glsl), the zonal-mean rain peaks at
//     ~3,300 mm/yr (Earth, GPCP: ~2,000-2,500 in the zonal mean). The price: the trade winds nearest the
//     thermal equator blow further across the isobars than Earth's.
//   grad(p): central differences over metric spacings (grid.glsl; across a pole onto the opposite meridian).
// Cost (issue 16; a CPU rasterizer runs this for every cell each tick): the season's tick mod N comes from
// the CPU (climate/physics.glsl), and the ice sheet's annual recipe temperature is a real branch, which a
// block of cells without an ice sheet skips (~5 % each at 512x256).
// Reads  mslp: annual = annual-mean sea-level pressure [hPa], swing = January - July difference [hPa].
//        terrain: bedrock [m above datum], sea_level [m above datum], ice_sheet [0/1].
// Writes atmosphere: pressure = sea-level pressure [hPa], temperature = surface air temperature [°C],
//                    wind_east, wind_north = wind towards the east, the north [m/s].
#include "climate/physics.glsl"
#include "climate/warming.glsl"

uniform float u_land_trough;          // [hPa] the land's equatorial trough (climate/physics.glsl)
uniform float u_subtropical_warming;   // [°C] S: the subtropical correction's amplitude (header)
uniform float u_lapse_rate;   // [°C/km] cooling with height above sea level
uniform float u_temperature_offset;   // [°C] added everywhere: a planet nearer to or farther from its sun
uniform float u_omega;        // [rad/s] planet's rotation rate (derived from rotation_period)
uniform float u_drag;         // [1/s] Rayleigh friction rate of the surface wind (derived from friction_time)
uniform float u_convective_friction;   // [-] K: how many times more friction at the thermal equator
uniform float u_convective_width;      // [degrees] w: the convecting belt's half-width (Gaussian std)

float pressure_at(ivec2 c, float s) { Mslp m = mslp_near(c); return m.annual + s * m.swing; }

// The recipe's surface air temperature [°C] at latitude lat_deg, season s, sea-level pressure p [hPa],
// land 0/1 and height above sea [km] (the header's formula, without the warming terms).
float recipe_temperature(float lat_deg, float s, float p, float land, float height_km) {
    float x = (lat_deg + 5.0 * s) / 30.0;
    float y = (abs(lat_deg + 5.0 * s) - 30.0) / 10.0;   // degrees from 30° off the thermal equator, / 10°
    return 40.0 * tanh(2.2 * exp(-0.5 * x * x)) - 15.0 - (p - 1012.0) / 1.8 + 1.5 * land - u_lapse_rate * height_km
         + u_subtropical_warming * exp(-0.5 * y * y);
}

// Annual-mean surface temperature of an ice sheet [°C] at latitude lat_deg and surface height h [m]:
// Fortuin & Oerlemans's fit to Antarctica's 10 m firn temperatures (see the header).
float ice_sheet_temperature(float lat_deg, float h) { return 34.46 - 0.00914 * h - 0.68725 * abs(lat_deg); }

void pass_main(ivec2 cell) {
    float s = season(TICK_AHEAD);
    float lat = cell_lonlat(cell).y;
    Mslp here = mslp_at(cell);
    float p = here.annual + s * here.swing;
    // Pressure gradient [Pa/m] east and north.
    vec2 grad = vec2(
        (pressure_at(cell + ivec2(1, 0), s) - pressure_at(cell - ivec2(1, 0), s)) / (2.0 * cell_dx_km(cell.y)),
        (pressure_at(cell + ivec2(0, 1), s) - pressure_at(cell - ivec2(0, 1), s)) / (2.0 * cell_dy_km()))
        * 100.0 / 1000.0;   // hPa/km -> Pa/m
    // Friction-Coriolis balance of the surface wind [m/s].
    float f = 2.0 * u_omega * sin(lat);
    // Surface friction plus cumulus friction in the convecting belt about the thermal equator [1/s].
    float belt = (degrees(lat) + 5.0 * s) / u_convective_width;
    float r = u_drag * (1.0 + u_convective_friction * exp(-0.5 * belt * belt));
    vec2 wind = (f * vec2(-grad.y, grad.x) - r * grad) / (RHO_AIR * (r * r + f * f));
    // Temperature: latitude and season, pressure, land, and the lapse rate with height above sea.
    Terrain t = terrain_at(cell);
    float land = t.bedrock > t.sea_level ? 1.0 : 0.0;
    float height_km = max(t.bedrock - t.sea_level, 0.0) / 1000.0;
    // The land's equatorial trough is a convective low, not a thermal one: the temperature reads the
    // pressure without it (climate/physics.glsl).
    float g = degrees(lat) / 10.0;
    float p_thermal = p + land * u_land_trough * exp(-0.5 * g * g);
    float temp = recipe_temperature(degrees(lat), s, p_thermal, land, height_km);
    // On an ice sheet the annual mean is Fortuin & Oerlemans's; the recipe gives the seasons about it.
    // Only there (issue 16: a block of cells with none skips the second recipe; elsewhere the mix with
    // weight 0 returned temp as it was).
    if (t.ice_sheet != 0.0) {
        float annual = recipe_temperature(degrees(lat), 0.0, here.annual + p_thermal - p, land, height_km);
        temp = mix(temp, ice_sheet_temperature(degrees(lat), 1000.0 * height_km) + (temp - annual), t.ice_sheet);
    }
    temp += warming(lat)              // + greenhouse warming (climate/warming.glsl)
          + u_temperature_offset;     // + a nearer (warmer) or farther (colder) sun
    o_atmosphere = Atmosphere(p, temp, wind.x, wind.y);
}

// shaders/climate/lift.glsl — where the surface air rises, how much vapour it can hold, and how freely
// the surface evaporates: the local conditions the vapour pass meets along its trajectories.
//   divergence  div u = (1/A) sum over the cell's faces of (u . n) * face length   (finite volume; the
//     north/south faces of the pole rows have zero length, so nothing flows "through" a pole)  [1/s]
//   rising air  w = u . grad(z_s) - h_bl div u - w_H exp(-((|lat + 5 s| - 25) / 8)^2 / 2): forced up the
//     slope of the surface z_s (height above sea, 0 over the ocean) plus boundary-layer convergence pumping
//     air out of the top of a layer h_bl deep (Ekman pumping; e.g. Holton, "An Introduction to Dynamic
//     Meteorology", §5.4), less (beyond the reference, issue 18) the large-scale descent of the Hadley
//     cells' sinking branches, centred 25° from the thermal equator (lat_t = -5 s, as in weather.glsl);
//     w_H = u_subsidence, a few mm/s (~30 hPa/day in the subtropical mid-troposphere: Peixoto & Oort,
//     "Physics of Climate", 1992, ch. 7). It keeps the deserts dry where the heat lows draw surface air
//     in: the air above them sinks (Rodwell & Hoskins 1996)  [m/s]
//   W_s   water-vapour column at saturation for the cell's temperature (climate/physics.glsl)  [mm]
//   beta  evaporation efficiency: 1 over the sea; on land the bucket model of Manabe ("Climate and the
//     ocean circulation I", Mon. Wea. Rev. 97, 1969): beta = min(1, soil / (0.75 soil_capacity))
// Cost (issue 16): the season's tick mod N comes from the CPU (climate/physics.glsl), not an integer
// division per cell.
// Reads  atmosphere: temperature [°C], wind_east, wind_north [m/s].
//        terrain: bedrock [m above datum], sea_level [m above datum].
//        precipitation: soil = soil moisture [mm].
// Writes lift: rise = rising air speed w [m/s] (< 0 sinking), divergence = wind divergence [1/s],
//              saturation = saturation water-vapour column W_s [mm], evaporation = efficiency beta [0..1].
//        flow: x, y, z = the wind as a 3-D vector [m/s] (x towards lon 0 on the equator, z north; it
//              blends and interpolates across the poles, unlike east/north components), speed [m/s].
#include "climate/physics.glsl"

// TICK_AHEAD: the season of the state this pass describes, as in weather.glsl (init 0, step 1).
uniform float u_boundary_layer;   // [m] depth of the surface layer whose convergence lifts air
uniform float u_vapour_height;    // [m] scale height of water vapour
uniform float u_soil_capacity;    // [mm] water the soil holds at field capacity
uniform float u_subsidence;       // [mm/s] w_H: the Hadley cells' descent at 25° from the thermal equator

vec2 wind_at(ivec2 c) { Atmosphere a = atmosphere_near(c); return vec2(a.wind_east, a.wind_north); }
float height_at(ivec2 c) { Terrain t = terrain_near(c); return max(t.bedrock - t.sea_level, 0.0); }

void pass_main(ivec2 cell) {
    Atmosphere a = atmosphere_at(cell);
    vec2 u = vec2(a.wind_east, a.wind_north);
    // Face-normal winds (mean of the two cells) times face lengths [m/s * km].
    float dy = cell_dy_km(), dx = cell_dx_km(cell.y);
    float east = 0.5 * (u.x + wind_at(cell + ivec2(1, 0)).x) * dy;
    float west = 0.5 * (u.x + wind_at(cell - ivec2(1, 0)).x) * dy;
    float north = cell.y + 1 < u_grid.y ? 0.5 * (u.y + wind_at(cell + ivec2(0, 1)).y) * row_edge_dx_km(cell.y + 1) : 0.0;
    float south = cell.y > 0 ? 0.5 * (u.y + wind_at(cell - ivec2(0, 1)).y) * row_edge_dx_km(cell.y) : 0.0;
    float div = (east - west + north - south) / cell_area_km2(cell.y) / 1000.0;   // [1/s]
    // Air forced up the terrain slope, plus convergence lifting the boundary layer [m/s].
    vec2 slope = vec2(height_at(cell + ivec2(1, 0)) - height_at(cell - ivec2(1, 0)),
                      height_at(cell + ivec2(0, 1)) - height_at(cell - ivec2(0, 1))) / (2000.0 * vec2(dx, dy));
    // ... less the Hadley cells' large-scale descent in the subtropics of the thermal equator [m/s].
    float y = (abs(degrees(cell_lonlat(cell).y) + 5.0 * season(TICK_AHEAD)) - 25.0) / 8.0;
    float w = dot(u, slope) - u_boundary_layer * div - 0.001 * u_subsidence * exp(-0.5 * y * y);
    // Evaporation: open water evaporates freely, soil by the bucket model.
    Terrain t = terrain_at(cell);
    float soil = precipitation_at(cell).soil;
    float beta = t.bedrock > t.sea_level ? min(1.0, soil / (0.75 * u_soil_capacity)) : 1.0;
    o_lift = Lift(w, div, saturation_column(a.temperature, u_vapour_height), beta);
    vec3 v = en_to_3d(cell_lonlat(cell), u);
    o_flow = Flow(v.x, v.y, v.z, length(u));
}

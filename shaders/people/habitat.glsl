// shaders/people/habitat.glsl — what the climate offers people (planet.stages.people, step 1).
// Running means over M = u_memory climate steps (the climate advances one step per tick); a run stands for
// n = u_habitat_steps steps (1 from `start` on; before, the pass runs every n-th tick: people.habitat_due),
// w = 1 - e^(-n/M):
//   temperature_mean += w (T - temperature_mean)
//   temperature_peak  = max(T, temperature_peak + w (T - temperature_peak))   rises at once, falls back slowly
//   plants           += w (plants now - plants),  plants now = life's plants (HAVE_LIFE) or, without a life
//                       stage, the proxy smoothstep(0, 10, T_mean) (1 - smoothstep(35, 45, T_mean))
//                       smoothstep(100, 1000, rain); 0 at sea
// Habitability 0..1 (0 at sea) is the product of
//   cold   smoothstep(0, cold_limit, T_mean)                     0 at and below 0 °C: frozen ground, ice
//   warm   1 - smoothstep(warm_limit, heat_limit, T_mean)
//   heat   1 - smoothstep(heat_limit - 1, heat_limit, T_peak)    human heat tolerance (Sherwood & Huber 2010)
//   dry    smoothstep(dry_limit / 2, 2 dry_limit, rain)
//   green  smoothstep(0, 0.5, plants)
//   water  0.3 + 0.7 access: people cluster by the sea and the rivers. The shore's access is a distance
//          transform in km, alike on every grid: access = max(here, max over the D8 neighbours k of
//          access_k - d_k / shore_reach) (d_k: distance to k [km]; it advances one cell per tick), with
//          here = 1 next to the sea (a D8 neighbour at sea) or on a river, smoothstep(1, 3, log10(Q / 1 m³/s))
//          (HAVE_DRAINAGE); 0 at sea.
// INIT (people.habitat_init): the running means start at the climate of the moment.
// Sea cells (people.sea's mask) run pass_quiet, the running means alone (Pass.quiet). Cost (issue 16): the
// shore's distance transform, the rivers' log and the plants cost as much in a sea SIMD group as on land
// on llvmpipe, and ~70 % of the planet is sea: with the mask the pass takes ~0.55 of its time at 512x256.
// Reads  people_habitat: temperature_mean, temperature_peak [°C], plants [1];  shore: access [1] (the previous
//        tick's; not in INIT).
//        atmosphere: temperature = surface air temperature [°C].
//        terrain: bedrock, sea_level [m above datum] (land where bedrock > sea_level).
//        precipitation: annual = precipitation, running annual mean [mm/yr].
//        life (HAVE_LIFE): plants = plant density [1].   drainage (HAVE_DRAINAGE): discharge [m³/s].
// Writes people_habitat: temperature_mean [°C], temperature_peak [°C], plants [1], habitability [0..1].
//        shore: access [0..1].
#ifndef INIT
#define INIT 0
#endif

uniform float u_memory;       // [climate steps] memory of the running means
uniform float u_habitat_steps; // [climate steps] since the last run (derived: 1, or habitat_every before start)
uniform float u_cold_limit;   // [°C] annual mean below which land supports fewer people
uniform float u_warm_limit;   // [°C] annual mean above which land supports fewer people
uniform float u_heat_limit;   // [°C] warm-season temperature nobody can live above
uniform float u_dry_limit;    // [mm/yr] precipitation below which land is desert
uniform float u_shore_reach;  // [km] how far inland the sea's and rivers' pull reaches

bool is_sea(ivec2 c) { Terrain t = terrain_near(c); return t.bedrock <= t.sea_level; }

#if !INIT
// A sea cell (people.sea's mask; pass_main's sea cells too): the running means of the temperatures, the
// plants' fading to the sea's 0; no habitability, no access.
void pass_quiet(ivec2 cell) {
    float temp = atmosphere_at(cell).temperature;
    float w = 1.0 - exp(-u_habitat_steps / u_memory);
    PeopleHabitat old = people_habitat_at(cell);
    float t_mean = old.temperature_mean + w * (temp - old.temperature_mean);
    float t_peak = max(temp, old.temperature_peak + w * (temp - old.temperature_peak));
    float plants = old.plants + w * (0.0 - old.plants);
    o_people_habitat = PeopleHabitat(t_mean, t_peak, plants, 0.0);
    o_shore = Shore(0.0);
}
#endif

void pass_main(ivec2 cell) {
#if !INIT
    if (is_sea(cell)) {
        pass_quiet(cell);
        return;
    }
#endif
    float temp = atmosphere_at(cell).temperature;
    float rain = precipitation_at(cell).annual;
    bool land = !is_sea(cell);
    // Running means of the climate (INIT: the climate of the moment).
    float w = 1.0 - exp(-u_habitat_steps / u_memory);
    float t_mean = temp, t_peak = temp, plants_old = 0.0;
#if !INIT
    PeopleHabitat old = people_habitat_at(cell);
    t_mean = old.temperature_mean + w * (temp - old.temperature_mean);
    t_peak = max(temp, old.temperature_peak + w * (temp - old.temperature_peak));
    plants_old = old.plants;
#endif
#if HAVE_LIFE
    float green_now = max(life_at(cell).plants, 0.0);
#else
    float green_now = smoothstep(0.0, 10.0, t_mean) * (1.0 - smoothstep(35.0, 45.0, t_mean))
                    * smoothstep(100.0, 1000.0, rain);
#endif
    green_now = land ? green_now : 0.0;
    float plants = INIT == 1 ? green_now : plants_old + w * (green_now - plants_old);
    // Climate, water and plants: the fraction of the best land's capacity this cell supports.
    float cold = smoothstep(0.0, u_cold_limit, t_mean);
    float warm = 1.0 - smoothstep(u_warm_limit, max(u_heat_limit, u_warm_limit + 0.1), t_mean);
    float heat = 1.0 - smoothstep(u_heat_limit - 1.0, u_heat_limit, t_peak);
    float dry = smoothstep(0.5 * u_dry_limit, 2.0 * u_dry_limit + 1.0, rain);
    float green = smoothstep(0.0, 0.5, plants);
    // Access to water: next to the sea or on a river, or near such land (within shore_reach).
    float access = 0.0;
    for (int k = 0; k < 8; ++k) access = max(access, is_sea(cell + GRID_D8[k]) ? 1.0 : 0.0);
#if HAVE_DRAINAGE
    access = max(access, smoothstep(1.0, 3.0, log(max(drainage_at(cell).discharge, 1.0)) / log(10.0)));
#endif
#if !INIT
    // The distance is grid.glsl's cell_distance_km written out for a neighbour wrapped without the
    // integer division (grid_wrap_near: the same cell; llvmpipe's integer modulo is slow), with the
    // cosine and sine of each neighbour row's latitude and each column's longitude computed once:
    // the same floats as cell_pos of each neighbour. Across a pole the neighbour row is the cell's
    // own row on the opposite meridian (columns W/2 away).
    vec2 lat_cs[3];   // (cos, sin) of the latitude of the neighbour rows south, here, north
    bool far[3];      // that row lies across a pole
    for (int r = 0; r < 3; ++r) {
        ivec2 c = grid_wrap_near(cell + ivec2(0, r - 1));
        float lat = cell_lonlat(c).y;
        lat_cs[r] = vec2(cos(lat), sin(lat));
        far[r] = c.x != cell.x;
    }
    vec2 lon_cs[3], far_cs[3];   // (cos, sin) of the longitude of the columns west, here, east (and W/2 away)
    for (int d = 0; d < 3; ++d) {
        float lon = cell_lonlat(grid_wrap_near(cell + ivec2(d - 1, 0))).x;
        lon_cs[d] = vec2(cos(lon), sin(lon));
        far_cs[d] = lon_cs[d];
    }
    if (far[0] || far[2]) {   // the pole rows only
        for (int d = 0; d < 3; ++d) {
            float lon = cell_lonlat(grid_wrap_near(ivec2(cell.x + u_grid.x / 2 + d - 1, cell.y))).x;
            far_cs[d] = vec2(cos(lon), sin(lon));
        }
    }
    vec3 here = vec3(lat_cs[1].x * lon_cs[1].x, lat_cs[1].x * lon_cs[1].y, lat_cs[1].y);   // cell_pos(cell)
    for (int k = 0; k < 8; ++k) {
        ivec2 step = GRID_D8[k];
        ivec2 n = grid_wrap_near(cell + step);
        vec2 la = lat_cs[step.y + 1], lo = far[step.y + 1] ? far_cs[step.x + 1] : lon_cs[step.x + 1];
        vec3 there = vec3(la.x * lo.x, la.x * lo.y, la.y);                                 // cell_pos(n)
        float d = 2.0 * u_radius * asin(min(0.5 * length(here - there), 1.0));   // [km]
        access = max(access, shore_at(n).access - d / u_shore_reach);
    }
#endif
    access = land ? access : 0.0;
    float water = 0.3 + 0.7 * access;
    float habitability = land && t_mean > 0.0 ? cold * warm * heat * dry * green * water : 0.0;
    o_people_habitat = PeopleHabitat(t_mean, t_peak, plants, habitability);
    o_shore = Shore(access);
}

// shaders/tectonics/uplift.glsl — step: new ocean floor at rifts, subsidence, mountain building.
// With h = z - sea the height above sea level [m]:
//  1. Rift (plate_motion.event = 2): h = -rift_depth, cold (glow 0): fresh floor at a spreading ridge.
//     Sub-resolution rifts near the poles (beyond): there a row's cells are m = floor(dy / dx) times
//     narrower east-west than the grid's resolution dy, so a boundary move of a few columns opens a
//     rift strip a few dx wide, far narrower than the resolution element (about dy wide) it lies in
//     (issue 15's dotted polar rows of 3-km pits). Such a rift opens only a fraction of the element:
//     in a continent it is continental stretching, not new ocean floor (McKenzie, "Some remarks on
//     the development of sedimentary basins", EPSL 40, 1978: lithosphere stretched by a factor beta
//     thins to 1 / beta of its thickness and subsides), and in an ocean a ridge segment that only a
//     fraction of the element's floor is new. Over the row's window of w = 2 floor(m / 2) + 1
//     columns about the cell (about dy wide) the opened fraction is f = n / w, with n the window's
//     rift cells of the cell's own kind of crust (continental: shallower than shelf_depth below sea
//     level; 1 - f = 1 / beta), and the cell subsides (or an old, deep floor rises) towards the rift
//     floor by that fraction: h' = h - f (h + rift_depth), the same opened area as n cells of new
//     floor, spread over the element. Where m < 2 (|lat| < 60 deg) w = 1, so this is exactly the rule
//     above (f = 1 at a rift, 0 elsewhere); a window opened whole (n = w) is new floor too (f = 1).
//  2. Thermal subsidence: oceanic crust (deeper than shelf_depth) sinks towards the abyssal depth D
//     as the lithosphere cools, d(h)/dt = -(h + D) / tau, integrated exactly over the tick:
//     h' = -D + (h + D) exp(-dt / tau) (the plate-cooling model of Parsons & Sclater, "An analysis
//     of the variation of ocean floor bathymetry and heat flow with age", JGR 82, 1977: depth =
//     6400 m - 3200 m exp(-age / 62.8 Myr)).
//  3. Crustal thickening: continental crust piled onto the cell by a collision (plate_pile.pile = P
//     [m], tectonics/move.glsl) raises it by P (1 - h/H), at most to the peak height H; the rest of
//     the piled crust goes into the orogen's root (Airy isostasy: a thick belt stands on a deep root,
//     Turcotte & Schubert, "Geodynamics", 2014, sect. 2.2), from where it founders into the mantle.
//  4. Uplift under stress s: d(h)/dt = U s (1 - h/H), integrated exactly over the tick,
//     h' = H - (H - h) exp(-U s dt / H). Steps 3-4 never lower crust (crust above H stays).
//  5. Freeboard (beyond; MODEL.md §2: "isostasy lifts eroded continents back"): continental crust
//     (shallower than shelf_depth) rises or sinks as a whole with the planet's land fraction f (the
//     terrain stage's scalar, at the end of the previous tick) against the target f0:
//     d(h)/dt = F clamp((f0 - f) / f0, -1, 1) clamp(1 - h / h_f, 0, 1), the most for low crust
//     (shelves and lowlands, h_f = freeboard_height; mountains stand on their own roots), explicit over
//     min(dt, freeboard_step): a feedback on a planet-wide scalar overshoots once one step is longer
//     than its response time (f0 / (F df/dh), a few Myr: the land fraction flips between ~0.2 and 0.3
//     every 16 Myr update, drowning what lives on the lowlands), so longer updates apply the
//     adjustment of freeboard_step years and the land fraction catches up over a few. Isostatic
//     rebound of eroded, thinned continents and the subsidence of swollen ones keep the continents'
//     freeboard, and so the land fraction, nearly
//     constant over geological time, as on Earth (Wise, "Continental margins, freeboard and the
//     volumes of continents and oceans through time", 1974).
// Before tectonics starts the terrain passes through unchanged.
// Reads  terrain: bedrock = bedrock elevation [m above datum], sea_level = sea level [m above datum],
//                 glow = lava glow [0..1].
//        plate_state: stress = uplift stress [0..1].
//        plate_motion: event (0 none, 1 collision, 2 rift).   plate_pile: pile = crust piled on [m].
//        scalar land_fraction: area fraction of the planet above sea level [1].
// Writes terrain: same channels; bedrock (and glow at rifts) changed.
#include "tectonics/plate.glsl"

uniform float u_rift_depth;       // [m] depth of fresh ocean floor below sea level
uniform float u_shelf_depth;      // [m] crust deeper than this below sea level is oceanic
uniform float u_abyss_depth;      // [m] depth that old ocean floor subsides to (D)
uniform float u_subsidence_time;  // [years] e-folding time of the subsidence (tau)
uniform float u_uplift_rate;      // [m/yr] rock uplift at full stress (U)
uniform float u_peak_height;      // [m] height above sea level that uplift approaches (H)
uniform float u_land_fraction;    // [1] target land fraction (f0)
uniform float u_freeboard_rate;   // [m/yr] freeboard adjustment rate at full deficit (F)
uniform float u_freeboard_height; // [m] height above sea level above which crust keeps its height (h_f)
uniform float u_freeboard_step;   // [yr] longest step the freeboard feedback takes at once

const int MAX_POLAR_CELLS = 16;   // widest east-west stretching window near the poles [cells] (as tectonics.talus)

// The row's window of w = 2 r + 1 columns about the cell (step 1): the counts of this tick's rift cells
// in it with oceanic (x) and continental (y) crust (shallower than shelf_depth below sea level), and
// the cell's own terrain and event, read in the window's middle trip (so not fetched a second time).
ivec2 window_rifts(ivec2 cell, out int r, out Terrain here, out int event) {
    int m = min(int(floor(cell_dy_km() / cell_dx_km(cell.y))), MAX_POLAR_CELLS);
    r = m / 2;   // half-width [columns]
    ivec2 n = ivec2(0);
    here = Terrain(0.0, 0.0, 0.0, 0.0);
    event = EVENT_NONE;
    for (int o = -r; o <= r; ++o) {
        ivec2 c = grid_wrap_near(cell + ivec2(o, 0));
        Terrain t = terrain_at(c);
        int ev = plate_motion_at(c).event;
        if (ev == EVENT_RIFT) n += t.bedrock - t.sea_level > -u_shelf_depth ? ivec2(0, 1) : ivec2(1, 0);
        if (o == 0) {
            here = t;
            event = ev;
        }
    }
    return n;
}

void pass_main(ivec2 cell) {
    int r, event;
    Terrain t;
    ivec2 rifts = window_rifts(cell, r, t, event);
    if (tect_cycle() < 0) {
        o_terrain = t;
        return;
    }
    float h = t.bedrock - t.sea_level;
    // 1. Rift: fresh, cold floor over the fraction f = n / w of the cell's resolution element opened by
    //    the window's n rifts in crust of the cell's kind.
    bool rift = event == EVENT_RIFT;
    float opened = float(h > -u_shelf_depth ? rifts.y : rifts.x) / float(2 * r + 1);
    h -= opened * (h + u_rift_depth);
    if (rift) t.glow = 0.0;
    // 2. Thermal subsidence of oceanic crust.
    if (h < -u_shelf_depth && h > -u_abyss_depth) {
        h = -u_abyss_depth + (h + u_abyss_depth) * exp(-u_dt / u_subsidence_time);
    }
    // 3. Crustal thickening.
    h = max(h, min(h + plate_pile_at(cell).pile * (1.0 - h / u_peak_height), u_peak_height));
    // 4. Uplift under stress.
    float s = plate_state_at(cell).stress;
    // (ftz: the exponent of a faint stress over a short tick can be subnormal; shaders/common/math.glsl)
    h = max(h, u_peak_height - (u_peak_height - h) * exp(-ftz(u_uplift_rate * s * u_dt / u_peak_height)));
    // 5. Freeboard of continental crust.
    if (h > -u_shelf_depth) {
        float deficit = clamp((u_land_fraction - scalar_land_fraction()) / u_land_fraction, -1.0, 1.0);
        h += u_freeboard_rate * deficit * clamp(1.0 - h / u_freeboard_height, 0.0, 1.0) * min(u_dt, u_freeboard_step);
    }
    t.bedrock = t.sea_level + h;
    o_terrain = t;
}

// shaders/erosion/incise.glsl — step 7: the ground changes. Stream-power incision (Howard 1994;
// Whipple & Tucker 1999): dz/dt = -K Q^m S^n (1 - glow) on a land cell that drains by a D8 step and is
// not under a lake, with Q = discharge [m³/s], S = drop to the receiver over the great-circle distance
// [m/m], K = u_erodibility [m/yr at Q = 1 m³/s, S = 1]; explicit over the tick, capped so the cell
// stays DROP_M above its receiver's new height and above sea level (rivers cut down to their base
// level, never below it), so incision makes no new pit. Lava (glow 1) does not erode.
// Sediment: what a cell loses it releases at the next tick (erosion.tree), to flow to its tree's
// root. A land root (a lake with no outlet yet) fills its pit with what arrives, up to DROP_M below
// its lowest neighbour, so it stays the lowest cell; the rest waits there. What reaches the sea leaves.
// Uplift: all land rises u_uplift [m/yr] (uniform rock uplift; 0 by default).
// Marks: the pass cell of each spill record (erosion.collect) names the record's pit (up to two).
// Reads  terrain (r = z [m above datum], g = sea level, b = glow), route, drainage (g = Q, a = lake
//        depth), sediment (a = arrived [km³]), lakes (r, g = spill records; b, a = marks).
// Writes terrain: r = new z [m above datum]; g, b, a unchanged.
//        sediment: r = released next tick [km³] (eroded + what waits at a root), g = eroded [km³],
//                  b = deposited [km³], a = arrived (unchanged).
//        lakes: r, g unchanged; b, a = marks (offset codes to the pits spilling over this cell, -1 none).
#include "erosion/flow.glsl"

uniform sampler2D t_terrain;
uniform sampler2D t_route;
uniform sampler2D t_drainage;
uniform sampler2D t_sediment;
uniform sampler2D t_lakes;
uniform float u_erodibility;   // K [m/yr at Q = 1 m^3/s and S = 1]
uniform float u_m;             // discharge exponent
uniform float u_n;             // slope exponent
uniform float u_uplift;        // [m/yr]

const float DROP_M = 0.1;      // [m] a cell always stays this much above its receiver / sea level

// Metres of sediment that the land root c lays down this tick (the same for c and for its donors).
float deposit_at(ivec2 c) {
    float z = texelFetch(t_terrain, c, 0).r, lowest = BIG;
    for (int k = 0; k < 8; ++k) lowest = min(lowest, texelFetch(t_terrain, grid_wrap_near(c + GRID_D8[k]), 0).r);
    float room = max(lowest - DROP_M - z, 0.0);
    return min(texelFetch(t_sediment, c, 0).a / (1.0e-3 * cell_area_km2(c.y)), room);
}

bool is_land_root(ivec2 c) {
    vec2 t = texelFetch(t_terrain, c, 0).rg;
    return t.r > t.g && texelFetch(t_route, c, 0).r == NONE;
}

// Marks: the (up to two) pits whose spill records name `cell` as their pass cell: this cell's root's
// new pick first, then the pits of its old marks that still spill over it.
vec2 marks_of(ivec2 cell, float root, vec2 old) {
    vec2 marks = vec2(NONE);
    for (int i = 0; i < 3; ++i) {
        float mark = i == 0 ? 0.0 : old[i - 1];
        if (mark < 0.0) continue;
        ivec2 pit = i == 0 ? ptr_cell(root) : offset_target(cell, mark);
        float code = offset_code(cell, pit);
        if (!passes_over(pit, texelFetch(t_lakes, pit, 0).rg, cell) || code == marks.x) continue;
        if (marks.x == NONE) marks.x = code; else if (marks.y == NONE) marks.y = code;
    }
    return marks;
}

void pass_main(ivec2 cell) {
    vec4 t = texelFetch(t_terrain, cell, 0), r = texelFetch(t_route, cell, 0);
    vec4 d = texelFetch(t_drainage, cell, 0), s = texelFetch(t_sediment, cell, 0);
    bool land = t.r > t.g;
    float km3_per_m = 1.0e-3 * cell_area_km2(cell.y);
    float z = t.r, eroded = 0.0, deposited = 0.0, waiting = 0.0;
    if (land && r.r != NONE && r.g < 0.0 && d.a <= 0.0) {
        // Incision towards the receiver, never below its new height (+ DROP_M) or sea level.
        ivec2 rc = ptr_cell(r.r);
        float zr = texelFetch(t_terrain, rc, 0).r;
        float slope = (t.r - zr) / (1000.0 * cell_distance_km(cell, rc));
        float rate = d.g > 0.0 ? u_erodibility * pow(d.g, u_m) * pow(slope, u_n) : 0.0;
        float floor_z = max(zr + (is_land_root(rc) ? deposit_at(rc) : 0.0), t.g) + DROP_M;
        z = max(t.r - rate * u_dt * (1.0 - t.b), min(t.r, floor_z));
        eroded = (t.r - z) * km3_per_m;
    } else if (land && r.r == NONE) {
        // A lake with no outlet: its pit fills with the sediment that arrives.
        float dz = deposit_at(cell);
        z += dz;
        deposited = dz * km3_per_m;
        waiting = s.a - deposited;
    }
    if (land) z += u_uplift * u_dt;
    o_terrain = vec4(z, t.gba);
    o_sediment = vec4(eroded + waiting, eroded, deposited, s.a);
    vec4 lk = texelFetch(t_lakes, cell, 0);
    o_lakes = vec4(lk.rg, land ? marks_of(cell, r.b, lk.ba) : vec2(NONE));
}

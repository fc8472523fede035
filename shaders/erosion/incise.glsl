// shaders/erosion/incise.glsl — step 7: the ground changes. Stream-power incision (Howard 1994;
// Whipple & Tucker 1999): dz/dt = -K Q^m S^n (1 - glow) on a land cell that drains by a D8 step and is
// not under a lake, with Q = discharge [m³/s], S = drop to the receiver over the great-circle distance
// [m/m], K = u_erodibility [m/yr at Q = 1 m³/s, S = 1]; explicit over the tick, capped so the cell
// stays DROP_M above its receiver's new height and above sea level (rivers cut down to their base
// level, never below it), so incision makes no new pit. Lava (glow 1) does not erode.
// Sediment: what a cell loses it releases at the next tick (erosion.tree), to flow to its tree's
// root. A land root (a lake with no outlet yet) fills its pit with what arrives, up to DROP_M below
// its lowest neighbour, so it stays the lowest cell; the rest waits there. What reaches the sea lands
// at the river mouth (MODEL.md §2-3, beyond: "eroded sediment lands on shelves and accretes"): the
// share u_delta of it fills the mouth cell up to DROP_M below sea level, so the delta stays sea (a
// root); tectonics.talus spreads it over the shelf as continental crust. The rest, and what does not
// fit, is carried to the deep ocean.
// Uplift: all land rises u_uplift [m/yr] (uniform rock uplift; 0 by default).
// Marks: the pass cell of each spill record (erosion.collect) names the record's pit (up to two).
// Reads  terrain (bedrock z [m above datum], sea_level, glow), route (receiver, spill, root), drainage
//        (discharge Q, lake_depth, arrived: sediment arriving at a root [km³], erosion.collect), lakes
//        (target, direction: spill records; mark1, mark2).
// Writes terrain: bedrock = new z [m above datum]; sea_level, glow unchanged.
//        sediment: release = released next tick [km³] (eroded + what waits at a land root), eroded [km³],
//                  deposited [km³] (in a lake's pit or at a river mouth), arrived [km³] (drainage's).
//        lakes: target, direction unchanged; mark1, mark2 = offset codes to the pits spilling over
//               this cell (-1 none).
// Sea cells (erosion.sea's mask) run pass_quiet, the river mouth's delta alone (Pass.quiet, issue 16).
#include "erosion/flow.glsl"

uniform float u_erodibility;   // K [m/yr at Q = 1 m^3/s and S = 1]
uniform float u_m;             // discharge exponent
uniform float u_n;             // slope exponent
uniform float u_uplift;        // [m/yr]
uniform float u_delta;         // [1] share of the sediment reaching the sea laid at the river mouth

const float DROP_M = 0.1;      // [m] a cell always stays this much above its receiver / sea level

// Marks: the (up to two) pits whose spill records name `cell` as their pass cell: this cell's root's
// new pick first, then the pits of its old marks that still spill over it. (A loop over the marks that
// are set, so the groups without old marks look at the root only; none at sea.)
ivec2 marks_of(ivec2 cell, bool land, int root, ivec2 old) {
    ivec2 marks = ivec2(NONE);
    int todo = land ? 1 + (old.x >= 0 ? 2 : 0) + (old.y >= 0 ? 4 : 0) : 0;
    for (; todo != 0; todo &= todo - 1) {
        int i = lowest_bit(todo);
        ivec2 pit = i == 0 ? grid_cell(root) : offset_target(cell, i == 1 ? old.x : old.y);
        int code = offset_code(cell, pit);
        Lakes rec = lakes_at(pit);
        if (!passes_over(pit, rec.target, rec.direction, cell) || code == marks.x) continue;
        if (marks.x == NONE) marks.x = code; else if (marks.y == NONE) marks.y = code;
    }
    return marks;
}

// A sea cell (erosion.sea's mask; pass_main's sea cells too): a root, so a river mouth, where the
// delta fills the cell with the share u_delta of the sediment that arrives, up to DROP_M below sea
// level (it stays sea); no incision, uplift nor marks at sea.
void pass_quiet(ivec2 cell) {
    Terrain t = terrain_at(cell);
    float arrived = drainage_at(cell).arrived;
    float km3_per_m = 1.0e-3 * cell_area_km2(cell.y);
    float dz = min(u_delta * arrived / km3_per_m, max(t.sea_level - DROP_M - t.bedrock, 0.0));
    Terrain moved = t;
    moved.bedrock = t.bedrock + dz;
    o_terrain = moved;
    o_sediment = Sediment(0.0, 0.0, dz * km3_per_m, arrived);
    Lakes lk = lakes_at(cell);
    o_lakes = Lakes(lk.target, lk.direction, NONE, NONE);
}

void pass_main(ivec2 cell) {
    Terrain t = terrain_at(cell);
    Route r = route_at(cell);
    Drainage d = drainage_at(cell);
    bool land = t.bedrock > t.sea_level;
    if (!land) {   // a sea cell is a root (erosion.receivers): a river mouth
        pass_quiet(cell);
        return;
    }
    float km3_per_m = 1.0e-3 * cell_area_km2(cell.y);
    float z = t.bedrock, eroded = 0.0, deposited = 0.0, waiting = 0.0;
    bool incising = land && r.receiver != NONE && r.spill < 0 && d.lake_depth <= 0.0;
    bool pit = land && r.receiver == NONE;
    ivec2 rc = grid_cell(r.receiver);
    float arrived_rc = drainage_at(rc).arrived;
    // The one deposit a cell needs: the metres of sediment that the land root c lays down this tick
    // (the same for c and for its donors), its receiver's where that is a land root and this cell
    // incises (the receiver is a root exactly when it is this cell's root: erosion.roots, also for a
    // cut pit), or its own where it is a lake's pit; up to DROP_M below c's lowest neighbour. One
    // flat loop: first (k = -1) the receiver's terrain, which every cell needs, then c's 8
    // neighbours: llvmpipe (the CPU backend) runs an if's body in every SIMD group, but a loop only
    // while a lane is in it (its first iteration always: common/math.glsl).
    Terrain tr = t;
    ivec2 c = cell;
    bool need = pit;
    float lowest = BIG;
    int k = -1;
    do {
        Terrain tn = terrain_at(k < 0 ? rc : grid_wrap_near(c + GRID_D8[k]));
        if (k < 0) {
            tr = tn;
            need = pit || (incising && tr.bedrock > tr.sea_level && r.root == r.receiver);
            c = pit ? cell : rc;
        } else {
            lowest = min(lowest, tn.bedrock);
        }
    } while (++k < (need ? 8 : 0));
    float zr = tr.bedrock;
    float room = max(lowest - DROP_M - (pit ? t.bedrock : zr), 0.0);
    float deposit = need ? min((pit ? d.arrived : arrived_rc) / (1.0e-3 * cell_area_km2(c.y)), room) : 0.0;
    if (incising) {
        // Incision towards the receiver, never below its new height (+ DROP_M) or sea level.
        float slope = (t.bedrock - zr) / (1000.0 * cell_distance_km(cell, rc));
        float rate = d.discharge > 0.0 ? u_erodibility * pow(d.discharge, u_m) * pow(slope, u_n) : 0.0;
        float floor_z = max(zr + deposit, t.sea_level) + DROP_M;
        z = max(t.bedrock - rate * u_dt * (1.0 - t.glow), min(t.bedrock, floor_z));
        eroded = (t.bedrock - z) * km3_per_m;
    } else if (pit) {
        // A lake with no outlet: its pit fills with the sediment that arrives.
        float dz = deposit;
        z += dz;
        deposited = dz * km3_per_m;
        waiting = d.arrived - deposited;
    }
    // Uplift of all land.
    if (land) z += u_uplift * u_dt;
    Terrain moved = t;
    moved.bedrock = z;
    o_terrain = moved;
    o_sediment = Sediment(eroded + waiting, eroded, deposited, d.arrived);
    Lakes lk = lakes_at(cell);
    ivec2 marks = marks_of(cell, land, r.root, ivec2(lk.mark1, lk.mark2));
    o_lakes = Lakes(lk.target, lk.direction, marks.x, marks.y);
}

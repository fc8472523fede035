// shaders/erosion/receivers.glsl — step 1 of the flow routing (MODEL.md §3): each land cell's receiver.
// Stochastic steepest descent: Rho8 (Fairfield & Leymarie 1991, "Drainage networks from grid digital
// elevation models", Water Resources Research 27(5), 709-717) on the sphere's rectangular cells. D8
// (O'Callaghan & Mark 1984) sends every cell of a planar slope the same way, so channels run parallel
// and never meet; Rho8 keeps the cardinal slopes and divides a diagonal's drop by 2 - r, r ~ U[0,1) per
// cell, so on a plane whose aspect lies between E and NE the flow goes NE with probability tan(aspect):
// the mean step follows the aspect and neighbouring paths wander and converge. On a cell of legs
// L_x = E-W and L_y = N-S great-circle distances [km] (L_x shrinks with cos lat) the same property
// holds with the score [m/km²] of neighbour n, for drop dz_n = z_c - z_n [m]:
//     cardinal:  s_n = dz_n / L_n²                 (slope / L: E and N tie where the aspect points
//                                                    at NE, the edge between the E-NE and NE-N wedges)
//     diagonal:  s_n = dz_n / (L_w² + L_o² r),
// where w is the diagonal's adjacent cardinal of larger score and o the other (on a plane with gradient
// in the E-NE wedge, tan(aspect) < L_y/L_x: E wins, and NE wins with probability (L_x/L_y) tan(aspect),
// the step mix whose mean is along the aspect; with L_x = L_y = 1 the scores are dz and dz / (1 + r),
// Rho8's dz / (2 - r) with r -> 1 - r). The receiver is the neighbour of largest s_n > 0 (ties: the
// first in GRID_D8 order), always strictly lower, so every path goes down and the flow graph stays a
// forest; pits and lakes are as for D8 (below). r = u01(pcg3d(i, j, epoch) ^ seed key) (common/hash.glsl
// hash_cell: bit-identical on every GPU). Epoch: a cell keeps its r for the param `redraw` years (1e8 by
// default), a 1/64 of the cells redrawing at a time: epoch = (u_flow_epoch + phase) / 64 with u_flow_epoch
// = floor(64 years / redraw) from the stage (float64 on the CPU, the same integer for both backends) and
// phase in [0, 64) the top 6 bits of pcg3d(i, j, 0x68E31DA4) ^ seed key. Tied to simulated time, not to
// ticks: the rivers do not flicker from tick to tick in the historical era (years per tick), no update
// reroutes them all at once, and in the geological eras the plates carry the ground across the cells
// faster than the draws change anyway. Sea cells are roots:
// the ocean resets the flow. A land pit (no lower neighbour) drains over its lake's pass while the
// spill record it keeps is consistent — the pass cell a = b + GRID_D8[k] still carries the mark naming
// this pit — else it is a root: a lake with no outlet yet (erosion.collect finds one).
// Starts the pointer jumping of erosion.jump at each cell's receiver.
// Sea cells (erosion.sea's mask) run pass_quiet, the roots' outputs alone (Pass.quiet, issue 16).
// Uniforms: u_flow_epoch (uint: floor(64 x simulated years / redraw)), u_seed.
// Reads  terrain: bedrock z [m above datum], sea_level [m].
//        lakes: target (spill target b, offset code from this pit, -1 none), direction (k, b -> a),
//               mark1, mark2 (offset codes to the pits whose lakes spill over this cell, -1 none).
// Writes route: receiver (cell index, -1 at a root), spill (pass direction k of a spill, -1 for a D8
//               step or a root), root = -1 (erosion.roots finds it).
//        jump: pointer (the receiver; the cell itself at a root), min_pit (smallest index of a spilling
//              pit on the segment [cell, pointer): the pit itself for a spill, BIG_INDEX none),
//              max_pass_bits (highest pass on that segment [m above datum], -BIG none; a float's bits).
#include "erosion/flow.glsl"
#include "common/hash.glsl"

uniform uint u_flow_epoch;

const uint REDRAW_PHASES = 64u;     // the cells redraw their r in 64 staggered groups

// Rho8's r of a cell: uniform [0, 1), fixed for `redraw` years, its group's epoch staggered by phase.
float rho8_r(ivec2 cell) {
    uint phase = pcg3d(uvec3(uvec2(cell), 0x68E31DA4u) ^ uvec3(u_seed, u_seed * 0x9E3779B9u, 0u)).x >> 26u;
    uint epoch = (u_flow_epoch + phase) / REDRAW_PHASES;
    return hash_cell(cell, epoch, u_seed).x;
}

// A root: no receiver, the pointer jumping starts (and stays) at the cell. All a sea cell gets (its
// program on erosion.sea's cells, Pass.quiet).
void pass_quiet(ivec2 cell) {
    o_route = Route(NONE, NONE, NONE);
    o_jump = Jump(grid_index(cell), BIG_INDEX, floatBitsToInt(-BIG));
}

void pass_main(ivec2 cell) {
    Terrain t = terrain_at(cell);
    int self = grid_index(cell);
    pass_quiet(cell);
    if (t.bedrock <= t.sea_level) return;
    // Drops dz_k [m] and squared great-circle distances L_k² [km²] to the 8 neighbours (grid.glsl's
    // cell_distance_km, written out for a neighbour that is already on the grid: no integer wrap).
    float drop[8];
    float len2[8];
    int index[8];
    vec3 here = cell_pos(cell);
    for (int k = 0; k < 8; ++k) {
        ivec2 n = grid_wrap_near(cell + GRID_D8[k]);
        float d = 2.0 * u_radius * asin(min(0.5 * length(here - cell_pos(n)), 1.0));
        drop[k] = t.bedrock - terrain_at(n).bedrock;
        len2[k] = d * d;
        index[k] = grid_index(n);
    }
    // Rho8 scores (header): cardinals dz / L², diagonals dz / (L_w² + L_o² r); the largest positive wins.
    float r = rho8_r(cell);
    float steepest = 0.0;
    for (int k = 0; k < 8; ++k) {
        float s;
        if ((k & 1) == 0) {
            s = drop[k] / len2[k];
        } else {
            int a = k - 1, b = (k + 1) & 7;                  // the adjacent cardinals
            bool a_wins = drop[a] / len2[a] >= drop[b] / len2[b];
            s = drop[k] / (a_wins ? len2[a] + len2[b] * r : len2[b] + len2[a] * r);
        }
        if (s > steepest) { steepest = s; o_route.receiver = index[k]; }
    }
    bool pit = steepest <= 0.0;
    if (!pit) o_jump.pointer = o_route.receiver;
    // A pit: its lake spills over the recorded pass if the pass cell still names this pit. Flat loops
    // that only such pits stay in (llvmpipe runs an if's body in every SIMD group, a loop only while a
    // lane is in it, its first iteration always): the record at the pit, then the marks at its pass
    // cell a = b + GRID_D8[k].
    Lakes rec = Lakes(NONE, NONE, NONE, NONE), at_a = rec;
    ivec2 a = cell, b = cell;
    int look = 0;
    do {
        Lakes l = lakes_at(look == 0 ? cell : a);
        if (look == 0) {
            rec = l;
            b = offset_target(cell, rec.target);
            a = grid_wrap_near(b + GRID_D8[max(rec.direction, 0)]);
        } else {
            at_a = l;
        }
    } while (++look < (pit && rec.target >= 0 && rec.direction >= 0 ? 2 : 1));
    bool named = (at_a.mark1 >= 0 && offset_target(a, at_a.mark1) == cell)
              || (at_a.mark2 >= 0 && offset_target(a, at_a.mark2) == cell);
    bool spills = pit && rec.target >= 0 && rec.direction >= 0 && b != cell && named;
    // The spill's pass height: the higher of a and b (the same kind of loop).
    float z_a = 0.0, z_b = 0.0;
    look = 0;
    do {
        float z = terrain_at(look == 0 ? a : b).bedrock;
        if (look == 0) z_a = z; else z_b = z;
    } while (++look < (spills ? 2 : 1));
    if (spills) {
        o_route.receiver = grid_index(b);
        o_route.spill = rec.direction;
        o_jump = Jump(o_route.receiver, self, floatBitsToInt(max(z_a, z_b)));
    }
}

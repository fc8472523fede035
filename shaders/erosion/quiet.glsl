// shaders/erosion/quiet.glsl — mask (Pass.mask): the open sea, where the flow trees and lakes are trivial.
// A sea cell whose 8 neighbours are sea too, and none of the 9 carries a lake's mark (lakes.mark1/mark2,
// which erosion.incise sets on a lake's pass cell), has no child in the flow forest: no neighbour drains
// into it (sea cells have no receiver) and no lake spills into it (a spill into x goes over a marked
// neighbour of x). So erosion.tree gives it no links and only its own released sediment, and
// erosion.collect no drainage and no lake; both run their pass_quiet on these cells (Pass.quiet).
// The test per cell (sea and unmarked) is erosion.open's, drawn from this very terrain and lakes just
// before: here the minimum of its 9 values (one-channel fetches, not 18 of terrain and lakes, issue 16).
// Reads open_sea: open (1 sea and unmarked, else 0). Also declares terrain and lakes, which open_sea is
// drawn from, so that a change to either leaves the mask stale (Pipeline._current_mask).
#include "erosion/flow.glsl"

bool pass_mask(ivec2 cell) {
    int W = u_grid.x;
    int open = 1;
    // The 3 rows around the cell, each row's centre wrapped once (grid_wrap_near: longitude, and across
    // a pole onto the opposite meridian); a row's west and east cells are its centre's neighbours.
    for (int dy = -1; dy <= 1; ++dy) {
        ivec2 m = grid_wrap_near(cell + ivec2(0, dy));
        int west = m.x == 0 ? W - 1 : m.x - 1, east = m.x == W - 1 ? 0 : m.x + 1;
        open &= open_sea_at(ivec2(west, m.y)).open & open_sea_at(m).open & open_sea_at(ivec2(east, m.y)).open;
    }
    return open != 0;
}

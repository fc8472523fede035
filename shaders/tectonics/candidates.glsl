// shaders/tectonics/candidates.glsl — step: which plates hold a cell of each cell's row run, the first
// half of tectonics.move's separable gather of candidate plates (MODEL.md §2).
// A plate can claim a cell only if it holds a cell of the box about it that contains every pre-image
// (tectonics/box.glsl: half-widths r = (r_x, r_y)). The box is a column of 2 r_y + 1 row runs, so this pass
// gathers the plates of a run of 2 R + 1 cells of the cell's own row (wrapped in longitude), and move ORs
// the runs of the column: 2 R + 1 + 2 r_y + 1 fetches a cell instead of (2 r_x + 1) (2 r_y + 1).
// R covers every cell whose column holds this row: the half-width of the row up to r_y rows nearer the
// pole (the half-width grows towards the poles; across a pole a column reaches rows next to the pole),
// at most MAX_RUN (move ORs several runs of a row where its box is wider).
// Cost (issue 16): at 512x256 (2 Myr updates) the box is 5 x 5 cells at low latitudes, 7 x 5 at 60 deg
// and 13 x 5 at 76 deg: 5 + 5, 7 + 5 and 13 + 5 fetches a cell instead of the one-pass gather's 30, 42
// and 78; from 85 deg, where that gather tried every plate (12 plates: on llvmpipe as costly as 100 or
// more fetches), 33 + 15 to 33 + 85 (whole rows next to the poles).
// Reads  plates: plate = plate id (-1 unassigned).
// Writes plate_row: ids_low, ids_high = bit k (k < 32 in ids_low, 32 + k in ids_high) set when plate k
//        holds a cell of the run [1].
#include "tectonics/box.glsl"

void pass_main(ivec2 cell) {
    int W = u_grid.x, H = u_grid.y, ry = box_rows();
    int pole = cell.y >= H / 2 ? min(cell.y + ry, H - 1) : max(cell.y - ry, 0);   // the row nearest the pole
    int R = min(box_columns(pole), MAX_RUN);
    uvec2 bits = uvec2(0u);
    for (int di = -R; di <= R; ++di) {
        int x = cell.x + di;
        x += x < 0 ? W : (x >= W ? -W : 0);    // |di| <= W/2: within a grid
        int id = plates_at(ivec2(x, cell.y)).plate;
        uint bit = 1u << uint(id & 31);
        bits |= uvec2(id >= 0 && id < 32 ? bit : 0u, id >= 32 && id < 64 ? bit : 0u);
    }
    o_plate_row = PlateRow(int(bits.x), int(bits.y));
}

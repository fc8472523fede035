"""The ocean floor is coloured smoothly (issue #15): where the sea floor steps from shelf to abyss between
cells, the depth colour of the elevation and satellite layers comes from the smooth (cubic B-spline)
height (shaders/common/grid.glsl grid_sample_smooth), so a shelf edge is a soft ramp along a smooth line,
not cell-aligned blocks with stair-step edges (the bilinear height's level sets)."""
import numpy as np
import pytest

W, H, K = 64, 32, 4            # grid, and picture pixels per cell
SHELF, ABYSS = -200.0, -4000.0  # [m] below sea level


def edge_col(j):
    """The shelf edge [columns from the west]: a shallow slant, one column per three rows."""
    return 20.0 + j / 3.0


def shelf_sim(make_sim):
    """An ocean planet (sea level 0, no land) with a shelf west of edge_col(j) and abyss east of it."""
    sim = make_sim({"planet": {"grid": f"{W}x{H}", "stages": ["terrain"]}}, backend="fragment")
    t = np.zeros((H, W, 4), np.float32)
    i = np.arange(W)[None, :] + 0.5
    j = np.arange(H)[:, None]
    t[..., 0] = np.where(i < edge_col(j), SHELF, ABYSS)
    sim.write("terrain", t)
    return sim


def crossings(lum, mid):
    """Per picture row: the sub-pixel column where the row's brightness first crosses `mid` going east
    from the middle of the shelf (brighter than the abyss; west of it the map wraps onto the abyss), or NaN."""
    out = np.full(lum.shape[0], np.nan)
    start = 8 * K
    for r, row in enumerate(lum):
        below = np.flatnonzero(row[start: W * K // 2] < mid)
        if below.size and below[0] > 0:
            k = start + below[0]
            out[r] = k - 1 + (row[k - 1] - mid) / (row[k - 1] - row[k])
    return out


@pytest.mark.parametrize("layer", ["elevation", "satellite"])
def test_a_shelf_edge_is_a_smooth_soft_line_not_a_staircase(make_sim, layer):
    sim = shelf_sim(make_sim)
    img = sim.snapshot("map", layer, (W * K, H * K)).astype(float)[::-1]   # row 0 = south, like the grid
    lum = img.mean(axis=-1)
    rows = slice(H * K // 4, 3 * H * K // 4)                               # |lat| < 45: clear of the poles
    band = lum[rows]
    shelf, abyss = np.median(band[:, 4:8 * K]), np.median(band[:, 40 * K:])
    assert shelf > abyss + 40, "test premise: the shelf is drawn brighter than the abyss"
    # Across the edge the colour ramps over more than a cell: no pixel-to-pixel step of more than 1 / K
    # of the shelf-abyss difference (the elevation colormap is linear in depth; the satellite's
    # 1 - exp(-d / 1200 m) is steeper at the shelf's end, hence its larger bound). Bilinear depth:
    # 0.25 and 0.38; the cubic B-spline's steepest slope is 2/3 of a step per cell: 0.19 and 0.24.
    step = np.abs(np.diff(band[:, 8 * K: W * K // 2], axis=1)).max() / (shelf - abyss)
    assert step < {"elevation": 0.22, "satellite": 0.30}[layer], f"a step of {step:.2f} of the difference"
    # The colour's mid-level follows the slanted edge (a staircase of cells, one column per three
    # rows) as a smooth line: it wanders less about the straight line (bilinear: 0.33-0.35 cells,
    # B-spline 0.22) and never jumps sideways from one picture row to the next by more than 4x the
    # line's own slope (bilinear 4.8-6.2, the stairs' risers; B-spline 3).
    x = crossings(band, 0.5 * (shelf + abyss))
    y = np.arange(x.size)
    ok = ~np.isnan(x)
    assert ok.mean() > 0.9
    fit = np.polyval(np.polyfit(y[ok], x[ok], 1), y[ok])
    wobble = np.abs(x[ok] - fit).max() / K                                 # [cells]
    assert wobble < 0.27, f"the shelf edge wobbles by {wobble:.2f} cells about a straight line"
    jump = np.abs(np.diff(x[ok])).max() / (1.0 / 3.0)         # [the line's slope: 1/3 pixel a row]
    assert jump < 4.0, f"the shelf edge jumps {jump:.1f}x its slope between rows: stair-steps"

"""Rivers and basins as a viewer reads them (issue #15, "Rivers, lakes, basins"): no hatching of parallel
little channels down coastal slopes, smooth river lines instead of D8's 45-degree steps, tiny coastal
basins in one neutral tone. Each test draws a synthetic flow network written straight into the
erosion stage's fields (route, drainage, basins), so it tests the views alone (view/rivers.glsl,
view/layers/basins.glsl)."""
import numpy as np

from planet.constants import SECONDS_PER_YEAR

YEAR_RAIN_M = 1.0   # [m/yr] rain on every cell of the networks below


def scene(grid):
    return {"planet": {"grid": grid, "stages": ["terrain", "erosion"]}}


def cell_km2(sim):
    """(H,) area of a cell in each row [km²] (common/grid.glsl: cell_area_km2)."""
    W, H = sim.scene.grid
    lat = -np.pi / 2 + (np.arange(H) + 0.5) * np.pi / H
    return sim.scene.radius ** 2 * 2 * np.cos(lat) * np.sin(0.5 * np.pi / H) * 2 * np.pi / W


def write_network(sim, land, receiver, rain_m=YEAR_RAIN_M):
    """Flat land where `land` (H, W) is true (sea elsewhere), the flow forest `receiver` ((H, W) cell
    index j*W+i, -1 at a root) and the drainage and basins the erosion stage would derive from it:
    area (upstream, including the cell; at a root also everything draining into it), discharge = area
    x rain, basin = root."""
    W, H = sim.scene.grid
    t = sim.read("terrain")
    t[..., 0] = np.where(land, 500.0, -3000.0)
    t[..., 1], t[..., 2] = 0.0, 0.0
    sim.write("terrain", t)
    r = receiver.reshape(-1)
    own = np.where(land, cell_km2(sim)[:, None], 0.0).reshape(-1)
    area = np.zeros(W * H)
    root = np.arange(W * H)
    for k in np.flatnonzero(own > 0):    # walk each land cell down to its root
        c = k
        area[c] += own[k]
        while r[c] >= 0:
            c = r[c]
            area[c] += own[k]
        root[k] = c
    d = np.zeros_like(sim.read("drainage"))
    d[..., 0] = area.reshape(H, W)
    d[..., 1] = (area * 1e6 * rain_m / SECONDS_PER_YEAR).reshape(H, W)
    sim.write("drainage", d)
    route = np.full_like(sim.read("route"), -1)
    route[..., 0] = receiver
    sim.write("route", route)
    b = sim.read("basins")
    b[..., 0] = root.reshape(H, W)
    sim.write("basins", b)


def chain(receiver, W, cells, end):
    """cells[i] drains to cells[i + 1], the last to `end` (i, j)."""
    for (i, j), (i2, j2) in zip(cells, list(cells[1:]) + [end], strict=True):
        receiver[j, i] = j2 * W + i2


def river_ink(sim, land, receiver, size):
    """How much the rivers change each pixel of the satellite map: |with the flow forest - without| summed
    over RGB (the land's own colour, which varies with latitude, cancels)."""
    write_network(sim, land, np.full_like(receiver, -1))
    ground = sim.snapshot("map", "satellite", size).astype(int)
    write_network(sim, land, receiver)
    return np.abs(sim.snapshot("map", "satellite", size).astype(int) - ground).sum(axis=2)


def coastal_slope(make_sim):
    """256x128: a flat continent (columns 60..139, rows 44..83) whose east coast is a planar slope:
    in rows 48..79 every cell of columns 128..139 drains east, straight into the sea (one flow line,
    and one basin of 12 cells ~2.9e5 km², per row: what D8 makes of a planar slope), and one trunk
    river along row 64 from column 62 to 127 that joins the slope's line there, fed by the cells of rows
    56..72 (a major basin)."""
    sim = make_sim(scene("256x128"), backend="fragment")
    W, H = sim.scene.grid
    jj, ii = np.mgrid[0:H, 0:W]
    land = (ii >= 60) & (ii < 140) & (jj >= 44) & (jj < 84)
    receiver = np.full((H, W), -1, np.int32)
    for j in range(48, 80):
        chain(receiver, W, [(i, j) for i in range(128, 140)], (140, j))
    chain(receiver, W, [(i, 64) for i in range(62, 128)], (128, 64))
    for i in range(62, 128):                      # the trunk's basin: short tributaries from north and south
        chain(receiver, W, [(i, j) for j in range(56, 64)], (i, 64))
        chain(receiver, W, [(i, j) for j in range(72, 64, -1)], (i, 64))
    write_network(sim, land, receiver)
    return sim, land, receiver


def test_no_hatching_of_parallel_channels_down_a_coastal_slope(make_sim):
    sim, land, receiver = coastal_slope(make_sim)
    W, H = sim.scene.grid
    scale = 4
    ink = river_ink(sim, land, receiver, (W * scale, H * scale))
    # A transect across the slope's flow lines (north-south, at column 136), away from the trunk:
    # how many separate river lines it crosses in rows 48..79 (32 rows, ~5,000 km).
    col = (136 * scale + scale // 2)
    rows = [(H - 1 - j) * scale + s for j in range(79, 47, -1) if abs(j - 64) > 9 for s in range(scale)]
    wet = ink[rows, col - 1:col + 2].max(axis=1) > 12
    crossings = int(np.count_nonzero(wet[1:] & ~wet[:-1]) + wet[0])
    assert crossings <= 2, f"{crossings} parallel channels cross the slope (D8's hatching drawn as rivers)"
    # The trunk of the major basin is still drawn, along row 64.
    trunk = ink[(H - 1 - 64) * scale:(H - 64) * scale, 80 * scale:120 * scale]
    assert (trunk.max(axis=0) > 12).mean() > 0.9, "the major basin's trunk river is drawn"


def test_a_staircase_river_is_drawn_as_a_smooth_line(make_sim):
    """A river stepping E, NE, E, NE, ... (slope 1/2) is a straight line on the map, not a zigzag of
    45-degree steps: its pixel centre line deviates from a straight fit by less than 0.16 cell (the
    polyline through the cell centres zigzags 0.25 cell off it; Chaikin's curve through the midpoints,
    0.125 cell)."""
    sim = make_sim(scene("64x32"), backend="fragment")
    W, H = sim.scene.grid
    jj, ii = np.mgrid[0:H, 0:W]
    land = (ii >= 10) & (ii < 56) & (jj >= 6) & (jj < 28)
    cells = [(12 + k, 9 + k // 2) for k in range(30)]       # E from even k, NE from odd k
    receiver = np.full((H, W), -1, np.int32)
    chain(receiver, W, cells[:-1], cells[-1])               # the last cell: a lake's pit (a root)
    scale = 16
    ink = river_ink(sim, land, receiver, (W * scale, H * scale)).astype(float)
    y = np.arange(H * scale)[:, None] + 0.5
    xs, ys = [], []
    for px in range((12 + 8) * scale, (12 + 26) * scale):   # past the source (Q_min: 6 cells here), before the pit
        w = ink[:, px]
        if w.sum() > 0:
            xs.append(px + 0.5)
            ys.append((w[:, None] * y).sum() / w.sum())
    xs, ys = np.array(xs), np.array(ys)
    assert len(xs) > 0.95 * 18 * scale, "the river is drawn all along"
    fit = np.polyval(np.polyfit(xs, ys, 1), xs)
    dev = np.abs(ys - fit).max() / scale
    assert dev < 0.16, f"centre line off a straight fit by {dev:.3f} cells (45-degree steps)"


def test_tiny_coastal_basins_share_one_neutral_tone(make_sim):
    """The slope's 32 one-row basins (~2.9e5 km² each, below MAJOR_BASIN_KM2) are drawn in one colour on
    the basins layer, not a stripe of a hue per basin; the major basin is coloured."""
    sim, _, _ = coastal_slope(make_sim)
    W, H = sim.scene.grid
    scale = 2
    img = sim.snapshot("map", "basins", (W * scale, H * scale)).astype(int)
    slope = img[(H - 80) * scale:(H - 48) * scale, 129 * scale:138 * scale].reshape(-1, 3)
    colours, counts = np.unique(slope // 8, axis=0, return_counts=True)
    many = int((counts >= 0.01 * len(slope)).sum())
    assert many <= 2, f"{many} colours on the slope's tiny basins (a hue per basin)"
    assert (np.ptp(slope, axis=1) < 12).mean() > 0.9, "the tiny basins are a neutral grey"
    inland = img[(H - 71) * scale:(H - 58) * scale, 70 * scale:120 * scale].reshape(-1, 3)
    assert np.median(np.ptp(inland, axis=1)) > 30, "the major basin has a hue"


def test_the_river_cells_pre_pass_is_the_rule_at_every_cell(make_sim):
    """view/rivers.glsl's rule (which cells draw as rivers, their discharge and step) runs once per tick
    at every cell (Overlay.cells: river_cells) and the pixels read it back: the texture holds exactly the
    rule evaluated in numpy, (Q, step east, step north, 1) on river cells and 0 elsewhere, and is drawn
    again when the fields change."""
    sim, land, receiver = coastal_slope(make_sim)
    W, H = sim.scene.grid
    sim.snapshot("map", "satellite", (W, H))
    cells = np.frombuffer(sim.viewer._cell_textures["river_cells"][1].color_attachments[0].read(),
                          np.float32).reshape(H, W, 4)
    q = sim.channel("drainage", "discharge")
    mean_cell_km2 = 4 * np.pi * sim.scene.radius ** 2 / (W * H)
    qmin = max(2.0e5, 6.0 * mean_cell_km2) * 1e6 / SECONDS_PER_YEAR    # RIVER_KM2, RIVER_CELLS
    basin = sim.channel("basins", "basin").astype(int)
    major = sim.channel("drainage", "area").reshape(-1)[basin] >= 5.0e5   # MAJOR_BASIN_KM2
    jj, ii = np.mgrid[0:H, 0:W]
    rj, ri = receiver // W, receiver % W
    di = (ri - ii + W // 2) % W - W // 2
    river = (q >= qmin) & (receiver >= 0) & (np.abs(di) <= 1) & (np.abs(rj - jj) <= 1) & major
    assert 50 < river.sum() < land.sum(), "test premise: some land is river, not all"
    want = np.where(river[..., None], np.stack([q, di, rj - jj, np.ones_like(q)], -1), 0.0)
    assert np.array_equal(cells, want.astype(np.float32))
    write_network(sim, land, np.full_like(receiver, -1))   # no rivers: the pre-pass follows the fields
    sim.snapshot("map", "satellite", (W, H))
    assert not sim.viewer._cell_textures["river_cells"][1].color_attachments[0].read().strip(b"\0")

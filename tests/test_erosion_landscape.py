"""The erosion stage over many ticks (issue 6): a steady state under uniform uplift whose rivers branch and
follow the slope-area power law S ~ Q^(-m/n); both backends agree and replay; rivers and lakes on the
satellite view and the river-basins layer."""
import numpy as np
import pytest

from planet import grid
from planet.constants import SECONDS_PER_YEAR
from planet.stages import erosion

import backends
import erosion_reference as ref
from conftest import BACKENDS, TINY_ALL
from test_erosion import cell_areas, scene, with_terrain


def continent(sim, half_height_deg=30.0):
    """Land 1-2 m high where |lat| < h and |lon| < 2h, deep sea around it (uplift does the rest)."""
    W, H = sim.scene.grid
    lon, lat = (np.degrees(a) for a in grid.cell_lonlat(W, H))
    land = (np.abs(lat) < half_height_deg) & (np.abs(lon) < 2 * half_height_deg)
    z = np.where(land, 1.0 + np.random.default_rng(0).uniform(0, 1, (H, W)), -2000.0)
    return with_terrain(sim, z.astype(np.float32))


@pytest.mark.parametrize("m,n,k", [(0.8, 2.0, 1.0), (0.5, 2.0, 4.0)])
def test_steady_state_slope_area_power_law(make_sim, m, n, k):
    """Uniform uplift U against stream power K Q^m S^n on a small continent reaches a steady state
    (uplift = incision everywhere) whose river network branches and whose channel slopes follow
    S = (U / K)^(1/n) Q^(-m/n): a least-squares fit of log S on log Q gives the exponent -m/n within
    0.02 and the points lie on the line (residual < 0.05 in ln S). Outlets into the sea, which the
    base level holds, are left out of the fit. (A small planet, radius 250 km, keeps cells ~25 km.)"""
    U, dt = 1.0e-3, 2.0e3
    # (no deltas: the sea's base level stays put, as the steady state assumes)
    sim = continent(make_sim(scene(radius=250.0, dt=dt, erodibility=k, m=m, n=n, uplift=U, delta=0.0),
                             backend="fragment"), 40.0)
    W, H = sim.scene.grid
    sim.step(750)
    z0 = sim.read("terrain")[..., 0].astype(np.float64)
    sim.step(50)
    z = sim.read("terrain")[..., 0].astype(np.float64)
    land = z > 0
    assert np.abs(z - z0)[land].mean() / 50 < 0.01 * U * dt, "not yet steady: uplift and incision differ"
    d = sim.read("drainage")
    recv = sim.channel("route", "receiver").astype(np.int64)
    rj, ri = np.divmod(np.where(recv >= 0, recv, 0), W)
    channel = land & (recv >= 0) & (z[rj, ri] > 0) & (sim.channel("drainage", "lake_depth") == 0)
    p = grid.cell_pos(W, H)
    dist = 1e3 * grid.distance_km(p[channel], p[rj, ri][channel], sim.scene.radius)
    slope, q = (z[channel] - z[rj, ri][channel]) / dist, d[..., 1][channel]
    assert channel.sum() > 80 and q.max() / q.min() > 10, "too few channels or too small a range of Q"
    b, a = np.polyfit(np.log(q), np.log(slope), 1)
    residual = np.std(np.log(slope) - (a + b * np.log(q)))
    assert abs(b + m / n) < 0.02 and residual < 0.05, f"fit: S ~ Q^{b:.3f} (want {-m / n:.3f}), residual {residual:.3f}"
    assert np.exp(a) == pytest.approx((U / k) ** (1 / n), rel=0.05), "the prefactor (U/K)^(1/n)"
    # Branching: confluences, where two or more tributaries that are rivers themselves (each draining at
    # least two cells) meet, and rivers that gather many of them.
    cells = d[..., 0] / cell_areas(sim)
    tributaries = np.bincount(recv[(cells >= 1.9) & land & (recv >= 0)], minlength=W * H)
    assert (tributaries >= 2).sum() >= 10 and cells[land].max() > 25, "the network should branch"


def test_backends_agree_and_replay(make_sim):
    """The same scene on the fragment and compute backends gives the same erosion fields after many
    ticks, and a reset replays them exactly (integer hashes, no clock)."""
    sims = {b: make_sim(scene(erodibility=2e-3, terrain={"ocean_start": 2e7, "ocean_fill": 3e7, "sea_level": 2600.0,
                                                          "cooling_time": 1e7}), backend=b, seed=11)
            for b in BACKENDS}
    a, b = sims["fragment"], sims["compute"]
    for ticks in (25, 35):                       # lakes that spill on the young land; then the sea floods them
        # Bit for bit on llvmpipe; on other drivers pass by pass within a bound (tests/backends.py).
        backends.assert_agree(a, b, ticks, ("terrain", "drainage", "basins", "route", "lakes", "sediment"))
        if ticks == 25:
            assert (a.quantity("lake_depth") > 0).sum() > 50 and (a.channel("route", "spill") >= 0).sum() > 20
    before = a.read("drainage"), a.read("basins")
    a.reset()
    a.step(60)
    assert np.array_equal(a.read("drainage"), before[0]) and np.array_equal(a.read("basins"), before[1])


def river_world(make_sim, stages):
    """A continent sloping east into the sea, rough enough for many rivers, and a crater lake."""
    sim = make_sim(scene(stages=stages, erodibility=0.0), backend="fragment")
    W, H = sim.scene.grid
    j, i = np.mgrid[0:H, 0:W]
    z = 2500.0 - 55.0 * i + np.random.default_rng(4).uniform(0, 300, (H, W))
    rim = (j - 16) ** 2 + (i - 12) ** 2
    z = np.where(rim <= 9, 1200.0 + 50.0 * rim, z)
    sim.write("terrain", np.stack([z, 0 * z, 0 * z, 0 * z], -1).astype(np.float32))
    return sim


def test_rivers_and_lakes_on_the_satellite_view(make_sim):
    """With erosion, the satellite view draws rivers and lakes on land (bluer pixels there) and is
    unchanged at sea; without it (stages = terrain only) the same terrain shows neither."""
    wet = river_world(make_sim, ("terrain", "erosion"))
    dry = river_world(make_sim, ("terrain",))
    wet.step(2)                                  # the crater lake needs a tick to find its outlet
    dry.step(2)
    size = (256, 128)
    a, b = wet.snapshot("map", "satellite", size).astype(int), dry.snapshot("map", "satellite", size).astype(int)
    land = np.kron((wet.read("terrain")[..., 0] > 0)[::-1], np.ones((4, 4), bool))
    sea_cells = wet.read("terrain")[..., 0] <= 0
    H, W = sea_cells.shape
    open_sea = sea_cells.copy()                      # sea all round (pixels blend with neighbouring cells)
    for d in grid.D8:
        ni, nj = grid.neighbour(W, H, d)
        open_sea &= sea_cells[nj, ni]
    sea = np.kron(open_sea[::-1], np.ones((4, 4), bool))
    changed = np.abs(a - b).sum(-1) > 30
    assert not changed[sea].any(), "rivers drawn at sea (away from the coast)"
    assert 0.02 < changed[land].mean() < 0.6, f"rivers and lakes should cover part of the land: {changed[land].mean():.3f}"
    blue = (a[..., 2] - a[..., 0]) - (b[..., 2] - b[..., 0])
    assert blue[changed].mean() > 40, "rivers and lakes are bluer than the rock"
    deep = wet.quantity("lake_depth") > 50
    inner = deep.copy()   # lake cells with lake all round (the smooth shore runs between cell centres)
    for d in grid.D8:
        ni, nj = grid.neighbour(W, H, d)
        inner &= deep[nj, ni]
    lake = np.kron(inner[::-1], np.ones((4, 4), bool))
    assert lake.sum() > 0 and changed[lake].mean() > 0.9, "the crater lake is drawn"
    big = wet.quantity("discharge") > np.percentile(wet.quantity("discharge")[wet.quantity("land") > 0], 97)
    # Rivers are lines (view/rivers.glsl) at most ~2/3 of a cell wide: they cover over half of a big river's cells.
    assert changed[np.kron(big[::-1], np.ones((4, 4), bool))].mean() > 0.5, "the largest rivers are drawn"


def test_river_basins_layer(make_sim):
    """The basins layer gives each basin (river mouth) its colour, blue rivers over it, dark sea; its
    legend is the river-discharge colormap."""
    sim = river_world(make_sim, ("terrain", "erosion"))
    sim.step(2)
    W, H = sim.scene.grid
    img = sim.snapshot("map", "basins", (W, H))[::-1].astype(float)   # row 0 = south, like the fields
    basin = sim.quantity("basin").astype(np.int64)
    land = sim.quantity("land") > 0
    # Cells away from any drawn river or lake (view/rivers.glsl: Q_min is at least 6 mean cells' worth of 1 m/yr of rain).
    wet = (sim.quantity("discharge") >= 6 * cell_areas(sim).mean() * 1e6 / SECONDS_PER_YEAR) | (sim.quantity("lake_depth") > 0)
    near = wet.copy()
    for dj in (-1, 0, 1):
        for di in (-1, 0, 1):
            near |= np.roll(np.roll(wet, dj, 0), di, 1)
    small = land & ~near
    hue = img / np.maximum(img.sum(-1, keepdims=True), 1)                # colour without the hillshade
    colours = {}
    for k in np.unique(basin[small]):
        cells = small & (basin == k)
        if cells.sum() >= 3:
            assert np.ptp(hue[cells], axis=0).max() < 0.05, f"basin {k} is not one colour"
            colours[k] = tuple(np.round(hue[cells].mean(0), 2))
    assert len(colours) >= 5 and len(set(colours.values())) >= 4, "basins should get different colours"
    coast = land.copy()   # land and the sea cells next to it (the smooth coast runs between their centres)
    for dj in (-1, 0, 1):
        for di in (-1, 0, 1):
            coast |= np.roll(np.roll(land, dj, 0), di, 1)
    bright = img[~coast].max(-1)
    assert bright.max() < 70 and np.median(bright) < 60, f"the sea is dark: {np.sort(bright)[-5:]}"
    legend = sim.layers["basins"].legend
    assert legend.colormap == "rivers" and legend.unit == "log10 m³/s"
    assert sim.layers["basins"] is erosion.STAGE.layers[0]


def test_exact_while_plates_move_and_it_rains(make_sim):
    """The tiny scene with every stage, after the plates start moving (tectonics carries the lake and
    sediment fields, climate brings the rain): a tick's drainage is still exact on the terrain that
    tectonics left, the receivers are a forest, and no field holds NaN."""
    sim = make_sim(TINY_ALL, backend="fragment")
    start = sim.params["tectonics"]["start"]
    sim.step(int(start / sim.dt) + 5)
    moved = None
    for st in sim.stages:                            # one tick by hand, to see the terrain erosion sees
        if st.name == "erosion":
            moved = sim.read("terrain")
        sim.run_passes([p.name for p in st.step])
    W, H = sim.scene.grid
    land = moved[..., 0] > moved[..., 1]
    recv = sim.channel("route", "receiver").astype(np.int64)
    area = np.where(land, cell_areas(sim), 0.0)
    np.testing.assert_allclose(sim.quantity("drainage_area"), ref.accumulate(recv, area).reshape(H, W), rtol=1e-5)
    q = area * np.maximum(sim.channel("precipitation", "annual"), 0) * 1e3 / SECONDS_PER_YEAR
    np.testing.assert_allclose(sim.quantity("discharge"), ref.accumulate(recv, q).reshape(H, W), rtol=1e-4, atol=1e-6)
    assert np.abs(sim.read("plate_state")[..., 1:]).max() > 0, "the plates should be moving"
    for name in sim.fields:
        assert np.isfinite(sim.read(name)).all(), name

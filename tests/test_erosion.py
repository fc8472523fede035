"""The erosion stage (issue 6): exact drainage after one tick on both backends against a float64 NumPy
reference (seams and poles included), no receiver cycles (also when stale lake records close a loop),
incision that never digs below a receiver and makes no new pits, area-weighted mass bookkeeping,
fill and spill against a priority flood, the switch to climate's rain, and passes per tick that grow
with log(cells)."""
import math

import numpy as np
import pytest

import planet
import planet.grid
from planet.constants import SECONDS_PER_YEAR
from planet.fields import Ch, Field
from planet.params import Param
from planet.passes import Pass
from planet.pipeline import Pipeline
from planet.stages import Stage, erosion, registry

import erosion_reference as ref
from conftest import BACKENDS, TINY_ALL

SEA_FIXED = {"ocean_start": 0.0, "ocean_fill": 1.0, "sea_level": 0.0, "cooling_time": 1.0}  # sea level 0 always


def scene(grid="64x32", stages=("terrain", "erosion"), radius=6371.0, dt=1.0e6, terrain=(), **erosion_params):
    out = {"planet": {"seed": 1, "grid": grid, "dt": dt, "radius": radius, "stages": list(stages)},
           "terrain": {**SEA_FIXED, **dict(terrain)}}
    if "erosion" in stages:
        out["erosion"] = erosion_params
    return out


def with_terrain(sim, z):
    """Replace the bedrock by z [m] (sea level 0, cold crust) and forget all lakes and sediment."""
    t = sim.read("terrain")
    t[..., 0], t[..., 1], t[..., 2] = z, 0.0, 0.0
    sim.write("terrain", t)
    sim.write("lakes", np.full(t.shape[:2] + (4,), -1, np.int32))
    sim.write("sediment", np.zeros(t.shape[:2] + (4,), np.float32))
    return sim


def random_terrain(seed, shape=(32, 64), lo=-800.0, hi=2200.0):
    return np.random.default_rng(seed).uniform(lo, hi, shape).astype(np.float32)


def cell_areas(sim):
    W, H = sim.scene.grid
    return np.repeat(planet.grid.cell_area_km2(W, H, sim.scene.radius)[:, None], W, axis=1)


def step_pass(sim, name):
    return next(p for st in sim.stages for p in st.step if p.name == name)


# -- exact drainage -----------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("seed", [0, 1])
def test_one_tick_drainage_equals_cpu_reference(make_sim, backend, seed):
    """Rho8 receivers equal the CPU's; drainage area, discharge and basins after ONE tick equal a
    sequential float64 accumulation over them — including flow across the seam and over the poles."""
    sim = make_sim(scene(rain=750.0), backend=backend)
    W, H = sim.scene.grid
    lon, lat = planet.grid.cell_lonlat(W, H)
    # Random relief, plus high ground on one side of each pole so that rivers run over the poles.
    z = random_terrain(seed) + (1500.0 * (1 + np.cos(lon)) * np.sin(lat) ** 16).astype(np.float32)
    with_terrain(sim, z)
    sim.step(1)
    d = sim.read("drainage")
    recv = sim.channel("route", "receiver").astype(np.int64)
    want = ref.rho8(z.astype(np.float64), 0.0, sim.scene.radius, sim.scene.stage_seed("erosion"), 0)
    pits = ref.local_minima(z.astype(np.float64), 0.0)
    assert np.array_equal(recv[~pits], want[~pits]), "Rho8 receivers differ from the CPU's"
    assert (recv[pits] == -1).all() and pits.sum() > 3, "fresh pits are lakes with no outlet (roots)"
    # The test covers the seam and both poles: some flow crosses them.
    rj, ri = np.divmod(np.where(recv >= 0, recv, 0), W)
    i = np.arange(W)[None, :]
    assert ((recv >= 0) & (np.abs(ri - i) == W - 1)).sum() > 5, "no flow across the seam"
    for row in (0, H - 1):
        assert ((recv[row] >= 0) & (rj[row] == row) & (np.abs(ri[row] - i[0]) > 1)
                & (np.abs(ri[row] - i[0]) < W - 1)).sum() > 5, f"no flow over the pole at row {row}"
    land = z > 0
    area = np.where(land, cell_areas(sim), 0.0)
    np.testing.assert_allclose(d[..., 0], ref.accumulate(recv, area).reshape(H, W), rtol=1e-5)
    q = area * 750.0 * 1e3 / SECONDS_PER_YEAR
    np.testing.assert_allclose(d[..., 1], ref.accumulate(recv, q).reshape(H, W), rtol=1e-5)
    basin = sim.channel("basins", "basin")
    assert basin.dtype == np.int32 and np.array_equal(basin, ref.roots(recv).reshape(H, W))
    # Quantities: the same numbers in their units.
    assert sim.quantities["drainage_area"] == "km²" and sim.quantities["discharge"] == "m³/s"
    np.testing.assert_array_equal(sim.quantity("drainage_area"), d[..., 0])
    np.testing.assert_array_equal(sim.quantity("basin"), basin)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("centre", [0.0, 55.0])
def test_flow_on_a_planar_slope_follows_the_aspect_and_converges(make_sim, backend, centre):
    """Rho8 (erosion.receivers) on a plane tilted down towards 27° north of east, with millimetre noise,
    on the equator's square cells and at 55° N, where the cells are 0.57 times as wide as tall:
    D8 sends (nearly) every cell the same way, in parallel lines that never meet; Rho8 mixes east and north-east
    steps so the mean step follows the aspect (within 3°), a cell and the cell two rows across its flow
    drain the same way about half as often as D8's always, and the paths merge into far fewer trunks
    reaching the sea than D8's parallel lines. Fails with D8 (main before Rho8)."""
    sim = make_sim(scene(grid="256x128", erodibility=0.0), backend=backend)
    W, H = sim.scene.grid
    lon, lat = planet.grid.cell_lonlat(W, H)
    aspect, g, R = np.radians(27.0), 1.0, sim.scene.radius           # g: the plane's gradient [m/km]
    c = np.radians(centre)
    patch = (np.abs(lat - c) < np.radians(12.0)) & (np.abs(lon) < np.radians(45.0))
    plane = 6000.0 - g * R * (np.cos(aspect) * np.cos(c) * lon + np.sin(aspect) * (lat - c))
    noise = np.random.default_rng(3).uniform(0.0, 1e-3, (H, W))
    z = np.where(patch, plane + noise, -1000.0).astype(np.float32)
    with_terrain(sim, z)
    sim.step(1)
    recv = sim.channel("route", "receiver").astype(np.int64)
    assert (recv[patch] >= 0).all() and (recv[~patch] == -1).all()
    rj, ri = np.divmod(np.where(recv >= 0, recv, 0), W)
    inner = patch.copy()                     # the slope but its two outer rings (the coast drains to the sea)
    for dj in range(-2, 3):
        for di in range(-2, 3):
            inner &= np.roll(patch, (dj, di), axis=(0, 1))
    # Mean step in local east/north [km] against the local aspect (tan = tan 27° cos lat / cos centre).
    east = R * np.cos(lat) * np.angle(np.exp(1j * (lon[rj, ri] - lon)))
    north = R * (lat[rj, ri] - lat)
    mean_step = np.degrees(np.arctan2(north[inner].sum(), east[inner].sum()))
    mean_aspect = np.degrees(np.arctan(np.tan(aspect) * np.cos(lat[inner]) / np.cos(c))).mean()
    assert abs(mean_step - mean_aspect) < 3.0, f"mean flow {mean_step:.1f}° vs the aspect {mean_aspect:.1f}°"
    # Parallel hatching: a cell and the cell 2 rows north of it (across the flow) take the same step.
    step = (ri - np.arange(W)[None, :]) % W * 3 + (rj - np.arange(H)[:, None])
    inner &= np.roll(inner, -2, axis=0)
    same = (step == np.roll(step, -2, axis=0))[inner].mean()
    d8 = ref.d8(z.astype(np.float64), 0.0, R)[0]
    d8_step = (d8 % W - np.arange(W)[None, :]) % W * 3 + (d8 // W - np.arange(H)[:, None])
    d8_same = (d8_step == np.roll(d8_step, -2, axis=0))[inner].mean()
    assert d8_same > 0.8, "D8: (nearly) all the same way"
    assert same < 0.65, f"{same:.0%} drain the same way as the cell two rows across (D8: {d8_same:.0%})"
    # Trunks: distinct sea cells the inner slope drains into (the coast's own cells drain straight down);
    # on the equator's plane D8's lines stay parallel (at 55° the aspect turns with latitude, so they meet).
    if centre != 0.0:
        return
    trunks = np.unique(sim.channel("basins", "basin")[inner]).size
    d8_trunks = np.unique(ref.roots(np.where(patch.ravel(), d8.ravel(), -1))[inner.ravel()]).size
    assert trunks < 0.5 * d8_trunks, f"{trunks} trunks reach the sea (D8: {d8_trunks})"


@pytest.mark.parametrize("backend", BACKENDS)
def test_rho8_draws_change_a_64th_of_the_cells_at_a_time(make_sim, backend):
    """The random factor r of erosion.receivers follows simulated time: with redraw = 64 ticks one group
    of cells (1/64) redraws per tick, so few receivers change from one tick to the next and most of the
    planar-slope choices after a full redraw; the receivers at every tick are the CPU's at that tick's
    epoch (erosion.flow_epoch), on still terrain (no incision)."""
    dt = 1.0e6
    sim = make_sim(scene(dt=dt, erodibility=0.0, redraw=64 * dt), backend=backend)
    W, H = sim.scene.grid
    z = random_terrain(4).astype(np.float64)
    with_terrain(sim, z.astype(np.float32))
    seed, pits = sim.scene.stage_seed("erosion"), ref.local_minima(z, 0.0)
    got = []
    for _ in range(4):
        epoch = erosion.flow_epoch(64 * dt, sim.years)
        sim.step(1)
        recv = sim.channel("route", "receiver").astype(np.int64)
        assert np.array_equal(recv[~pits], ref.rho8(z, 0.0, sim.scene.radius, seed, epoch)[~pits]), \
            f"receivers differ from the CPU's at epoch {epoch}"
        got.append(recv)
    r = [ref.rho8_r(W, H, seed, e) for e in (0, 1, 64)]
    assert 0.5 / 64 < (r[1] != r[0]).mean() < 2.0 / 64, "one group of cells redraws per step"
    assert (r[2] != r[0]).mean() > 0.99, "after 64 steps every cell has redrawn"
    changed = [(a != b).mean() for a, b in zip(got, got[1:], strict=False)]
    assert 0 < max(changed) < 0.02, f"receivers changed per tick: {changed}"


def serpentine(W, H):
    """A path through every cell, row after row, each row swept once round the planet across the seam:
    the deepest tree a grid can hold (N = W*H cells in one chain)."""
    order = []
    col = W // 2
    for j in range(H):
        step = 1 if j % 2 == 0 else -1
        for k in range(W):
            order.append((j, (col + step * k) % W))
        col = (col + step * (W - 1)) % W
    return order


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("grid", ["64x32", "128x64"])
def test_a_chain_through_every_cell_is_exact(make_sim, backend, grid):
    """The worst case for both pointer jumping and tree contraction: one river through all N cells.
    The build-time run counts (ceil(log4 N) jumps, contract_runs(N)) must still give exact sums."""
    sim = make_sim(scene(grid=grid), backend=backend)
    W, H = sim.scene.grid
    order = serpentine(W, H)
    z = np.zeros((H, W), np.float32)
    route = np.zeros((H, W, 3), np.int32)
    jump = np.zeros((H, W, 3), np.int32)
    no_pass = np.float32(-1e30).view(np.int32)       # max_pass_bits: the bits of -1e30 (no pass)
    for k, (j, i) in enumerate(order):
        z[j, i] = 100.0 + (len(order) - k) * 0.5
        nxt = order[k + 1] if k + 1 < len(order) else None
        recv = nxt[0] * W + nxt[1] if nxt else -1
        route[j, i] = (recv, -1, -1)
        jump[j, i] = (recv if nxt else j * W + i, 2**31 - 1, no_pass)
    with_terrain(sim, z)
    sim.write("route", route)
    sim.write("jump", jump)
    names = ["erosion.jump", "erosion.roots", "erosion.tree", "erosion.contract", "erosion.collect"]
    sim.run_passes(names)
    d = sim.read("drainage")
    area = cell_areas(sim)
    along = np.array([area[j, i] for j, i in order])
    got = np.array([d[j, i, 0] for j, i in order])
    np.testing.assert_allclose(got, np.cumsum(along), rtol=1e-5)
    end = order[-1][0] * W + order[-1][1]
    assert (sim.channel("basins", "basin") == end).all(), "every cell's basin is the chain's end"
    assert sim.pipeline.repeats["erosion.jump"] == erosion.jump_runs(W, H)
    # The convergence stop (Pass.until) waits for the chain: it needs every one of ceil(log3 N) runs.
    runs = sim.pipeline.runs_done
    assert math.ceil(math.log(W * H, 3)) <= runs["erosion.contract"] <= erosion.contract_runs(W, H), runs
    assert math.ceil(math.log(W * H, 4)) <= runs["erosion.jump"] <= erosion.jump_runs(W, H), runs


def stale_loop(sim):
    """The lakes of test_a_loop_of_stale_spill_records_is_cut: two pits whose records spill into each
    other, so the spill edges close a loop that erosion.jump goes round and erosion.roots cuts."""
    W, H = sim.scene.grid
    pa, pb = (16, 20), (16, 28)
    with_terrain(sim, cones(sim, [pa, pb]))
    lakes = sim.read("lakes")

    def code(frm, to):                               # erosion/flow.glsl offset_code
        dx = (to[1] - frm[1] + W // 2) % W - W // 2
        return (to[0] - frm[0] + 16384) * 65536 + dx + 32768
    lakes[pa] = (code(pa, (16, 24)), 4, -1, -1)
    lakes[pb] = (code(pb, (16, 23)), 0, -1, -1)
    lakes[16, 23, 2] = code((16, 23), pa)
    lakes[16, 24, 2] = code((16, 24), pb)
    sim.write("lakes", lakes)
    return sim


def three_lake_loop(sim):
    """Four cone lakes whose records close a loop A -> B -> C -> A of 6 steps (each spills into the next
    one's pit's neighbour), with a lake D spilling into A from outside it, D's pit the smallest index
    (1032 < A = 1044 < B = 1056 < C = 1434 on 64x32). Returns the pits (A, B, C, D) as (j, i)."""
    W, H = sim.scene.grid
    pa, pb, pc, pd = (16, 20), (16, 32), (22, 26), (16, 8)
    with_terrain(sim, cones(sim, [pa, pb, pc, pd]))
    lakes = sim.read("lakes")

    def code(frm, to):                               # erosion/flow.glsl offset_code
        dx = (to[1] - frm[1] + W // 2) % W - W // 2
        return (to[0] - frm[0] + 16384) * 65536 + dx + 32768
    # pit -> b (a cardinal neighbour of the next pit) over the pass cell a = b + GRID_D8[k], marked
    for pit, b, a, k in ((pa, (16, 31), (16, 30), 4), (pb, (22, 27), (22, 28), 0), (pc, (17, 20), (18, 20), 2),
                         (pd, (16, 19), (16, 18), 4)):
        lakes[pit] = (code(pit, b), k, -1, -1)
        lakes[a][2] = code(a, pit)
    sim.write("lakes", lakes)
    return pa, pb, pc, pd


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_loop_is_cut_at_its_smallest_pit_and_its_jumps_stop_early(make_sim, backend):
    """A loop of spill edges (three_lake_loop: 6 steps, so a pointer spanning 4^k steps never comes round
    to itself) with a smaller spilling pit on the way into it: the cut is at the loop's smallest pit (A,
    not D), every cell drains there, drainage is exact, and erosion.jump stops after a few runs (cells
    stop on the loop once the two segments ahead share their smallest pit: shaders/erosion/jump.glsl)
    with the bits of the full count. Fails on the jump runs without that rule (all ceil(log4 N) run)."""
    sims = []
    for early in (False, True):
        sim = make_sim(scene(erodibility=0.0), backend=backend)
        sim.pipeline.early_stop = early
        pa, pb, pc, pd = three_lake_loop(sim)
        sim.step(1)
        sims.append(sim)
    W, H = sim.scene.grid
    recv = sim.channel("route", "receiver").astype(np.int64)
    index = {p: p[0] * W + p[1] for p in (pa, pb, pc, pd)}
    assert recv[pa] == -1, "A, the loop's smallest pit, drops its spill"
    assert (recv[pb], recv[pc], recv[pd]) == (22 * W + 27, 17 * W + 20, 16 * W + 19), "B, C and D still spill"
    assert (sim.channel("basins", "basin") == index[pa]).all() and index[pd] < index[pa]
    np.testing.assert_allclose(sim.read("drainage")[..., 0], ref.accumulate(recv, cell_areas(sim)).reshape(H, W), rtol=1e-5)
    assert sims[0].pipeline.runs_done["erosion.jump"] == erosion.jump_runs(W, H) == 6
    assert sims[1].pipeline.runs_done["erosion.jump"] <= 4, sims[1].pipeline.runs_done
    for name in sim.fields:
        full, early = sims[0].read(name), sims[1].read(name)
        assert np.array_equal(full.view(np.uint32), early.view(np.uint32)), name


def graph_roots(f, pit, passes):
    """Reference of erosion.jump + erosion.roots on a functional graph f (f[c] == c at a root): each
    cell's root, or the smallest pit on the loop its path runs into; and its highest pass on the way
    to a root (-1e30 none, and behind a loop)."""
    root, high = np.empty(len(f), np.int64), np.full(len(f), -1e30, np.float32)
    for c in range(len(f)):
        seen, x, h = [], c, np.float32(-1e30)
        while f[x] != x and x not in seen:
            seen.append(x)
            h = max(h, passes[x])
            x = f[x]
        if f[x] == x:
            root[c], high[c] = x, h
        else:
            loop = seen[seen.index(x):]
            root[c] = min(q for q in loop if pit[q])
    return root, high


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_jumps_on_random_graphs_with_loops_find_roots_and_cuts(make_sim, backend, seed):
    """erosion.jump + erosion.roots on random functional graphs over all cells (many loops of every
    length, spilling pits on and off them, each loop holding one at least, as only spill edges close
    loops), written straight into route and jump: every cell's root is its tree's root or the smallest
    spilling pit of the loop it runs into (that pit alone is cut), its pass the highest on the way to
    a root (none behind a cut), the same bits with the convergence stop as with the full count, and the
    stop comes before the full count (cells stop on loops: shaders/erosion/jump.glsl)."""
    rng = np.random.default_rng(seed)
    sims = []
    for early in (False, True):
        sim = make_sim(scene(), backend=backend)
        sim.pipeline.early_stop = early
        sims.append(sim)
    W, H = sim.scene.grid
    n = W * H
    # In a random order of the cells: loops of 2 to 40 cells first, then roots, then tree cells, each
    # pointing back to a cell before it (one of the last few: long paths; or any: bushy trees). Pits:
    # a random 30% of the cells but roots, and one on every loop at least (only spills close loops).
    order = rng.permutation(n)
    f = np.empty(n, np.int64)
    pit = rng.random(n) < 0.3
    start = 0
    while start < 400:
        loop = order[start:start + int(rng.integers(2, 41))]
        f[loop] = np.roll(loop, -1)
        pit[rng.choice(loop)] = True
        start += len(loop)
    on_loop = np.isin(np.arange(n), order[:start])
    is_root = np.isin(np.arange(n), order[start:start + 20])
    f[is_root] = np.nonzero(is_root)[0]
    pit &= ~is_root
    for k in range(start + 20, n):
        f[order[k]] = order[k - int(rng.integers(1, 6))] if rng.random() < 0.5 else order[int(rng.integers(0, k))]
    passes = np.where(pit, rng.uniform(0.0, 3000.0, n), -1e30).astype(np.float32)
    route = np.stack([np.where(is_root, -1, f), np.where(pit, 0, -1), np.full(n, -1)], -1).astype(np.int32)
    jump = np.stack([f, np.where(pit, np.arange(n), 2**31 - 1), passes.view(np.int32)], -1).astype(np.int32)
    root, high = graph_roots(f, pit, passes)
    assert on_loop.sum() > 100 and (root != f[root]).sum() > 500, "the graph should hold loops and their cells"
    for sim in sims:
        with_terrain(sim, np.full((H, W), 100.0, np.float32))
        sim.write("route", route.reshape(H, W, 3))
        sim.write("jump", jump.reshape(H, W, 3))
        sim.run_passes(["erosion.sea", "erosion.jump", "erosion.roots"])
    got = sims[1].read("route").reshape(n, 3)
    assert np.array_equal(got[:, 2], root), "roots and loop cuts"
    cut = root[on_loop]
    assert np.array_equal(got[:, 0] == -1, is_root | np.isin(np.arange(n), cut)), "exactly the roots and the cut pits"
    assert np.array_equal(sims[1].read("route_pass").reshape(n), np.where(f[root] == root, high, -1e30).astype(np.float32))
    for name in ("route", "route_pass", "jump"):
        assert np.array_equal(sims[0].read(name).view(np.uint32), sims[1].read(name).view(np.uint32)), name
    assert sims[1].pipeline.runs_done["erosion.jump"] < erosion.jump_runs(W, H), sims[1].pipeline.runs_done


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("lag", [0, 1])
@pytest.mark.parametrize("world", ["random", "loop"])
def test_the_convergence_stop_gives_the_same_bits(make_sim, backend, lag, world):
    """erosion.jump and erosion.contract stop once a run leaves every cell done (Pass.until, checked by
    an occlusion query after each run, read at once on a CPU and one run late on a GPU: lag): every
    field, the jumps' scratch included, is bit-identical to running the worst-case count, over several
    eroding ticks, also when a stale loop of spill records would keep the pointer jumping going round;
    real terrain and the loop both stop early (cells stop on a loop: shaders/erosion/jump.glsl)."""
    sims = []
    for early in (False, True):
        sim = make_sim(scene(erodibility=2e-3), backend=backend)
        sim.pipeline.early_stop, sim.pipeline.check_lag = early, lag
        if world == "random":
            with_terrain(sim, random_terrain(7, lo=-60.0, hi=3000.0))
        else:
            stale_loop(sim)
        sims.append(sim)
    W, H = sims[0].scene.grid
    runs = []
    for _ in range(4):
        for sim in sims:
            sim.step(1)
        for name in sims[0].fields:
            full, early = sims[0].read(name), sims[1].read(name)
            assert full.dtype == early.dtype and np.array_equal(full.view(np.uint32), early.view(np.uint32)), name
        assert sims[0].pipeline.runs_done == {"erosion.jump": erosion.jump_runs(W, H),
                                              "erosion.contract": erosion.contract_runs(W, H)}
        runs.append(dict(sims[1].pipeline.runs_done))
    assert min(r["erosion.contract"] for r in runs) < erosion.contract_runs(W, H), runs
    assert max(r["erosion.jump"] for r in runs) < erosion.jump_runs(W, H), runs   # the loop's tick too


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_k_ticks_is_one_update_of_k_dt(make_sim, backend):
    """erosion.every = 2 (planet.Simulation.step's cadence): the stage runs on even ticks with u_dt =
    2 dt and its fields stand still on odd ticks, so two ticks equal one tick of a scene with dt doubled
    (the terrain here is cold with a fixed sea: terrain.cool changes nothing), bit for bit."""
    z = random_terrain(3, lo=-500.0, hi=2500.0)
    a = with_terrain(make_sim(scene(erodibility=2e-3, every=2), backend=backend), z)
    b = with_terrain(make_sim(scene(erodibility=2e-3, dt=2.0e6), backend=backend), z)
    a.step(1)
    after_one = {name: a.read(name) for name in a.fields}
    a.step(1)
    b.step(1)
    for name in a.fields:
        assert np.array_equal(a.read(name), after_one[name]), f"{name} changed on a skipped tick"
        assert np.array_equal(a.read(name), b.read(name)), name
    a.step(1)
    assert not np.array_equal(a.read("terrain"), after_one["terrain"]), "tick 2 updates again"
    with pytest.raises(planet.SceneError, match="every"):
        make_sim(scene(every=0))


# -- the flow graph is a forest -----------------------------------------------------------------------
def cones(sim, centres):
    """Bedrock that falls towards each centre (cell) like a cone: one D8 basin and one pit per centre."""
    W, H = sim.scene.grid
    p = planet.grid.cell_pos(W, H)
    dist = np.min([np.linalg.norm(p - p[j, i], axis=-1) for j, i in centres], axis=0)
    return (100.0 + 4000.0 * dist).astype(np.float32)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_loop_of_stale_spill_records_is_cut(make_sim, backend):
    """Two lakes whose records spill into each other (as changed terrain can leave them) close a loop;
    the smallest pit on it drops its spill, so the receivers stay a forest and drainage stays exact."""
    sim = make_sim(scene(erodibility=0.0), backend=backend)
    W, H = sim.scene.grid
    pa, pb = (16, 20), (16, 28)                      # two pits on one row, ridge at column 24
    with_terrain(sim, cones(sim, [pa, pb]))
    lakes = sim.read("lakes")

    def code(frm, to):                               # erosion/flow.glsl offset_code
        dx = (to[1] - frm[1] + W // 2) % W - W // 2
        return (to[0] - frm[0] + 16384) * 65536 + dx + 32768
    # pit A spills from a = (16, 23) into b = (16, 24) (direction 4, west, from b to a); pit B from
    # (16, 24) into (16, 23) (direction 0, east): each lake's outlet is in the other's basin.
    lakes[pa] = (code(pa, (16, 24)), 4, -1, -1)
    lakes[pb] = (code(pb, (16, 23)), 0, -1, -1)
    lakes[16, 23, 2] = code((16, 23), pa)
    lakes[16, 24, 2] = code((16, 24), pb)
    sim.write("lakes", lakes)
    sim.step(1)
    d = sim.read("drainage")
    recv = sim.channel("route", "receiver").astype(np.int64)
    ia, ib = pa[0] * W + pa[1], pb[0] * W + pb[1]
    assert recv[pa] == -1 and recv[pb] == 16 * W + 23, "the smaller pit (A) is cut, B still spills"
    area = cell_areas(sim)
    np.testing.assert_allclose(d[..., 0], ref.accumulate(recv, area).reshape(H, W), rtol=1e-5)
    assert (sim.channel("basins", "basin") == ia).all() and ib != ia


@pytest.mark.parametrize("backend", BACKENDS)
def test_many_ticks_no_cycles_and_every_lake_drains(make_sim, backend):
    """Eroding random terrain with many pits for several ticks: the receivers are a forest every tick
    (Kahn's sweep visits every cell), every root is a sea cell or a land pit, drainage stays exact,
    and after a few ticks no lake is without an outlet (fill and spill, one Borůvka step a tick)."""
    sim = with_terrain(make_sim(scene(erodibility=2e-3), backend=backend), random_terrain(7, lo=-60.0, hi=3000.0))
    W, H = sim.scene.grid
    lake_roots = []
    for _ in range(8):
        z = sim.read("terrain")[..., 0].astype(np.float64)
        sim.step(1)
        d = sim.read("drainage")
        recv = sim.channel("route", "receiver").astype(np.int64)
        area = np.where(z > 0, cell_areas(sim), 0.0)
        np.testing.assert_allclose(d[..., 0], ref.accumulate(recv, area).reshape(H, W), rtol=1e-5)
        roots = recv == -1
        assert not (roots & (z > 0) & ~ref.local_minima(z, 0.0)).any(), "a land root that is not a pit"
        spill = sim.channel("route", "spill") >= 0
        assert not (spill & ~ref.local_minima(z, 0.0)).any(), "a spill edge from a cell that is not a pit"
        lake_roots.append(int((roots & (z > 0)).sum()))
    assert lake_roots[0] > 50 and lake_roots[-1] == 0, f"lakes without outlet per tick: {lake_roots}"


# -- fill and spill -----------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_lakes_fill_to_their_spill_level(make_sim, backend):
    """Once every lake spills, each cell's lake surface is the lowest level at which its water can
    reach the sea: the same as a priority flood (Barnes et al. 2014) of the whole map."""
    sim = with_terrain(make_sim(scene(erodibility=0.0), backend=backend), z := random_terrain(5, lo=-60.0, hi=3000.0))
    sim.step(6)
    surface = ref.flooded_surface(z.astype(np.float64), 0.0)
    want = np.where(z > 0, surface - z, 0.0)
    depth = sim.quantity("lake_depth")
    assert (want > 0).sum() > 100
    np.testing.assert_allclose(depth, want, atol=1e-3 * np.abs(z).max())
    assert np.array_equal(depth > 0, want > 0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_crater_lake_spills_towards_the_sea(make_sim, backend):
    """A closed crater high on a slope to the sea: its river ends in the crater at first (an explicit
    lake with no outlet), then the lake spills over the rim and its water reaches the sea."""
    sim = make_sim(scene(erodibility=0.0), backend=backend)
    W, H = sim.scene.grid
    j, i = np.mgrid[0:H, 0:W]
    z = (3000.0 - 60.0 * i).astype(np.float32)                 # a slope east into the sea
    rim = (j - 16) ** 2 + (i - 15) ** 2
    z = np.where(rim <= 9, 1500.0 + 40.0 * rim, z)              # a crater 600 m deep, rim at ~1860 m
    with_terrain(sim, z)
    crater = rim <= 4
    sim.step(1)
    pit = 16 * W + 15
    assert (sim.channel("basins", "basin")[crater] == pit).all(), "first tick: the crater drains to its own pit"
    sim.step(1)
    d = sim.read("drainage")
    mouths = np.unique(sim.channel("basins", "basin")[crater].astype(np.int64))
    assert len(mouths) == 1 and z.ravel()[mouths[0]] <= 0, "second tick: the crater's water reaches the sea"
    depth = sim.channel("drainage", "lake_depth")
    assert (depth[crater] > 0).all() and depth[16, 15] > 300, "the crater holds a lake"
    assert d[..., 0].ravel()[mouths[0]] >= d[16, 15, 0] > 5 * cell_areas(sim)[16, 15]


# -- incision -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_incision_never_below_receiver_and_makes_no_pits(make_sim, backend):
    """With an erodibility so large that every cap binds: no cell ends below (or level with) its
    receiver or below sea level, no land cell becomes a new local minimum, and erosion happened."""
    sim = with_terrain(make_sim(scene(erodibility=10.0), backend=backend), z0 := random_terrain(3, lo=-300.0, hi=3000.0))
    W, H = sim.scene.grid
    for _ in range(3):
        before = sim.read("terrain")[..., 0].astype(np.float64)
        sim.step(1)
        after = sim.read("terrain")[..., 0].astype(np.float64)
        recv = sim.channel("route", "receiver").astype(np.int64)
        d8 = (recv >= 0) & (sim.channel("route", "spill") < 0) & (before > 0)
        rz = after.ravel()[np.where(recv >= 0, recv, 0)]
        assert (after[d8] > rz[d8]).all(), "a cell was cut level with or below its receiver"
        assert (after[before > 0] > 0).all(), "a land cell was cut below sea level"
        new_pits = ref.local_minima(after, 0.0) & ~ref.local_minima(before, 0.0)
        assert not new_pits.any(), f"incision made {new_pits.sum()} new pits"
    assert (z0 - after > 1.0).mean() > 0.2, "the caps should have bitten: most land should erode"


@pytest.mark.parametrize("backend", BACKENDS)
def test_stream_power_matches_its_formula(make_sim, backend):
    """Where no cap binds, dz = -K Q^m S^n dt with Q the discharge and S the drop over the great-circle
    distance to the receiver; nothing erodes under a lake or at sea; lava does not erode."""
    K, m, n, dt = 3.0e-4, 0.7, 1.6, 1.0e6
    sim = make_sim(scene(erodibility=K, m=m, n=n, dt=dt, terrain={"cooling_time": 1e11}), backend=backend)
    with_terrain(sim, z := random_terrain(4))
    t = sim.read("terrain")
    t[:, : 8, 2] = 1.0                                       # a molten strip: no erosion there
    sim.write("terrain", t)
    sim.step(1)
    W, H = sim.scene.grid
    after = sim.read("terrain")[..., 0].astype(np.float64)
    recv = sim.channel("route", "receiver").astype(np.int64)
    rj, ri = np.divmod(np.where(recv >= 0, recv, 0), W)
    p = planet.grid.cell_pos(W, H)
    dist = 1000 * planet.grid.distance_km(p, p[rj, ri], sim.scene.radius)
    z64 = z.astype(np.float64)
    slope = (z64 - z64[rj, ri]) / dist
    want = K * sim.channel("drainage", "discharge").astype(np.float64) ** m * np.maximum(slope, 0) ** n * dt
    free = ((recv >= 0) & (z64 > 0) & (sim.channel("drainage", "lake_depth") == 0)
            & (z64 - want > np.maximum(z64[rj, ri], 0) + 1.0))
    free[:, :8] = False
    assert free.sum() > 200
    np.testing.assert_allclose((z64 - after)[free], want[free], rtol=2e-4, atol=2e-3)
    lava = (z64 - after)[:, :8]
    assert (lava <= 1e-3 * want[:, :8] + 1e-3).all() and want[:, :8].max() > 10, "lava eroded like rock"
    assert (after[z64 <= 0] == z64[z64 <= 0]).all(), "the sea floor eroded"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("world", ["sea", "closed"])
def test_mass_bookkeeping_by_cell_area(make_sim, backend, world):
    """Volumes close, weighted by cell area: the bedrock lost equals the eroded minus the deposited
    volume, and every km³ released at a tick arrives at a root: out to sea, or into a lake's pit
    (deposited there, or waiting for room). "closed": a world with no sea, whose water all ends in one
    lake with no outlet, which fills."""
    lo = -300.0 if world == "sea" else 100.0
    sim = with_terrain(make_sim(scene(erodibility=2e-3), backend=backend), random_terrain(8, lo=lo, hi=3000.0))
    area = cell_areas(sim)
    deposited_total = 0.0
    for _ in range(6):
        z = sim.read("terrain")[..., 0].astype(np.float64)
        released = sim.read("sediment")[..., 0].astype(np.float64)
        sim.step(1)
        after = sim.read("terrain")[..., 0].astype(np.float64)
        s = sim.read("sediment").astype(np.float64)
        roots = sim.channel("route", "receiver") < 0
        lost = ((z - after) * area * 1e-3).sum()                          # km³ of bedrock
        eroded, deposited = s[..., 1].sum(), s[..., 2].sum()
        assert lost == pytest.approx(eroded - deposited, rel=1e-4, abs=1e-3)
        arrived = s[..., 3]
        assert (arrived[~roots] == 0).all()
        assert arrived.sum() == pytest.approx(released.sum(), rel=1e-4, abs=1e-3)
        to_sea = arrived[roots & (z <= 0)].sum()
        land_roots = roots & (z > 0)
        waiting = (s[..., 0] - s[..., 1])[land_roots].sum()
        assert arrived[land_roots].sum() == pytest.approx(s[..., 2][land_roots].sum() + waiting, rel=1e-4, abs=1e-3)
        assert to_sea + arrived[land_roots].sum() == pytest.approx(released.sum(), rel=1e-4, abs=1e-3)
        deposited_total += deposited
    assert eroded > 1.0, "the test must move some rock"
    assert (to_sea > 1.0) if world == "sea" else (deposited_total > 1.0 and waiting > 1.0)


# -- rain ---------------------------------------------------------------------------------------------
FAKE_CLIMATE = Stage("fakeclimate", "test stand-in for a climate: rain that grows from west to east",
                     (Field("precipitation", "rain", (Ch("annual", "mm/yr", "P"),), carried=False),), (),
                     init=(Pass("fakeclimate.rain", reads=(), writes=("precipitation",), shader="tests/erosion_rain.glsl"),))


def test_rain_switches_to_a_climate_precipitation_field(make_sim, monkeypatch):
    """Without a climate the discharge is the uniform `rain`; once a stage declares `precipitation`,
    the erosion passes read it (HAVE_PRECIPITATION) and the discharge follows it, whatever `rain` is."""
    stages = registry()
    monkeypatch.setattr(planet.simulation, "registry",
                        lambda: {"terrain": stages["terrain"], "fakeclimate": FAKE_CLIMATE, "erosion": stages["erosion"]})
    z = random_terrain(2)
    for backend in BACKENDS:
        sim = with_terrain(make_sim(scene(stages=("terrain", "fakeclimate", "erosion"), rain=5.0), backend=backend), z)
        assert dict(step_pass(sim, "erosion.tree").defines)["HAVE_PRECIPITATION"] == 1
        sim.step(1)
        W, H = sim.scene.grid
        rain = 200.0 + 1800.0 * (np.arange(W) + 0.5) / W
        q = np.where(z > 0, cell_areas(sim) * rain[None, :] * 1e3 / SECONDS_PER_YEAR, 0.0)
        recv = sim.channel("route", "receiver").astype(np.int64)
        np.testing.assert_allclose(sim.quantity("discharge"), ref.accumulate(recv, q).reshape(H, W), rtol=1e-5)
    plain = make_sim(scene(rain=5.0))
    assert dict(step_pass(plain, "erosion.tree").defines)["HAVE_PRECIPITATION"] == 0


def test_with_every_stage_the_climate_rain_is_used(make_sim):
    """The tiny scene with all stages (tectonics, climate): erosion takes climate's precipitation and
    its drainage is exact, with no NaN anywhere."""
    sim = make_sim(TINY_ALL, backend="fragment")
    assert "precipitation" in sim.fields
    sim.step(3)
    W, H = sim.scene.grid
    z = sim.read("terrain")
    land = z[..., 0] > z[..., 1]
    rain = np.maximum(sim.channel("precipitation", "annual"), 0)
    area = cell_areas(sim)
    recv = sim.channel("route", "receiver").astype(np.int64)
    q = np.where(land, area * rain * 1e3 / SECONDS_PER_YEAR, 0.0)
    np.testing.assert_allclose(sim.quantity("discharge"), ref.accumulate(recv, q).reshape(H, W), rtol=1e-4, atol=1e-6)
    for name in sim.fields:
        assert np.isfinite(sim.read(name)).all(), name


# -- schedule -----------------------------------------------------------------------------------------
def test_passes_per_tick_grow_with_log_cells(make_sim):
    """The erosion tick is 6 + ceil(log4 N) + contract_runs(N) dispatches: each 4x more cells adds at
    most 3, and the count stays far below the grid width (a one-cell-per-pass ripple would need W)."""
    def per_tick(w, h):
        return 6 + erosion.jump_runs(w, h) + erosion.contract_runs(w, h)

    sizes = [(64, 32), (128, 64), (256, 128), (512, 256), (1024, 512), (2048, 1024), (4096, 2048)]
    counts = [per_tick(w, h) for w, h in sizes]
    assert all(0 < b - a <= 3 for a, b in zip(counts, counts[1:], strict=False)), counts
    for (w, h), c in zip(sizes, counts, strict=True):
        assert c <= 2.0 * math.log2(w * h) and c < w / 2, (w, h, c)
    assert counts[-2] == 6 + 11 + 17, "2048x1024: 11 jump runs and 17 contraction runs"
    for grid in ("64x32", "128x64"):
        sim = make_sim(scene(grid=grid))
        w, h = sim.scene.grid
        step = [p for st in sim.stages if st.name == "erosion" for p in st.step]
        # On the fragment backend, also the two quiet-cell masks and the second draw of each of the 5
        # passes with quiet cells (Pass.quiet; the 2 convergence passes with quiet= start with those
        # cells done instead: no second draw); on compute, the passes alone.
        extra = 2 + 5 if sim.backend == "fragment" else 0
        assert sum(p.mask for p in step) == 2 and sum(bool(p.quiet) and not p.until for p in step) == 5
        assert [p.name for p in step if p.quiet and p.until] == ["erosion.jump", "erosion.contract"]
        assert sim.pipeline.dispatches(step) == per_tick(w, h) + extra
    # Int cell pointers: no 2^24-cell cap; only the lakes' offset codes bound the grid (15 bits of dy).
    assert erosion.jump_runs(8192, 4096) == 13 and erosion.contract_runs(8192, 4096) > erosion.contract_runs(4096, 2048)
    with pytest.raises(planet.PipelineError, match="offset codes") as err:
        erosion.jump_runs(65536, 32768)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_repeated_pass_iterates_within_one_use(ctx, backend):
    """Pass(repeat=f(W, H)) runs f(W, H) times per use, each run reading the last one's output (how
    erosion.jump and erosion.contract iterate within a tick); a bad count is a one-line build error."""
    ch = tuple(Ch(c, "1", c) for c in "xyzw")
    init = Pass("probe.init", reads=(), writes=("a", "b"), shader="tests/mrt_init.glsl")
    probe = Pass("probe.mrt", reads=("a",), writes=("a", "b"), repeat=lambda w, h: w // 4, shader="tests/mrt_probe.glsl")
    stage = Stage("probe", "", (Field("a", "", ch), Field("b", "", ch)), (Param("gain", 1.0, "", "", 0.0, 10.0),),
                  init=(init,), step=(probe,))
    pipe = Pipeline(ctx, [stage], (16, 8), backend)
    try:
        start = np.random.default_rng(2).uniform(-1, 1, (8, 16, 4)).astype(np.float32)
        pipe.fields["a"].write(start)
        pipe.run([probe], {"probe": {"u_gain": 1.0, "u_tick": 0}})
        assert pipe.repeats["probe.mrt"] == 4 and pipe.dispatches([probe, probe]) == 8
        np.testing.assert_allclose(pipe.fields["a"].read(), start + 4 * np.float32([1, 2, 3, 4]), rtol=1e-6)
        np.testing.assert_allclose(pipe.fields["b"].read()[..., 2], start[..., 0] + 3, rtol=1e-6)
    finally:
        pipe.release()
    bad = Stage("probe", "", stage.fields, stage.params, init=(init,), step=(Pass("probe.mrt",
                ("a",), ("a", "b"), repeat=lambda w, h: 0, shader="tests/mrt_probe.glsl"),))
    with pytest.raises(planet.PipelineError, match="pass probe.mrt: repeat must give a positive integer, got 0"):
        Pipeline(ctx, [bad], (16, 8), backend)


def test_params_are_declared_with_units_and_ranges(make_sim):
    p = erosion.STAGE.param_map
    assert p["m"].default == 0.8 and p["n"].default == 2.0
    assert p["rain"].unit == "mm/yr" and p["erodibility"].unit == "m/yr" and p["uplift"].unit == "m/yr"
    with pytest.raises(planet.SceneError, match=r"erosion\.erodibility.*out of range"):
        planet.load_scene(scene(erodibility=-1.0))
    with pytest.raises(planet.SceneError, match="did you mean 'rain'"):
        planet.load_scene(scene(rainfall=3.0))
    sim = make_sim(scene())
    with pytest.raises(planet.SceneError, match="erosion.n"):
        sim.set_params(erosion={"n": 9.0})


def contraction_runs_needed(t1, t2):
    """A NumPy model of shaders/erosion/contract.glsl's rule on a binary tree (child pointers t1, t2,
    -1 none; node 0 the root): each run, a pending child u is replaced by what u becomes in the run.
    Returns (runs until no pointer is left, the root's sum of ones = the tree size)."""
    t1, t2 = np.array(t1), np.array(t2)
    acc = np.ones(len(t1))
    for runs in range(200):
        if (t1 < 0).all() and (t2 < 0).all():
            return runs, acc[0]
        # What every node u becomes this run: rake finished children, jump over one-child children.
        vacc, vptr = acc.copy(), []
        for x in (t1, t2):
            xs = np.maximum(x, 0)
            left = (t1[xs] >= 0).astype(int) + (t2[xs] >= 0)
            take = (x >= 0) & (left < 2)
            vacc = vacc + np.where(take, acc[xs], 0.0)
            vptr.append(np.where(x < 0, -1, np.where(left == 2, x, np.maximum(t1[xs], t2[xs]))))
        vp1 = np.where(vptr[0] >= 0, vptr[0], vptr[1])
        vp2 = np.where(vptr[0] >= 0, vptr[1], -1)
        new = []
        for x in (t1, t2):
            xs = np.maximum(x, 0)
            take = (x >= 0) & (vp2[xs] < 0)
            acc = acc + np.where(take, vacc[xs], 0.0)
            new.append(np.where(take, vp1[xs], x))
        t1, t2 = new
    raise AssertionError("no convergence")


def test_contraction_runs_bound_the_slowest_trees_known():
    """contract_runs(N) runs finish chains (ceil(log3 N) runs) and Fibonacci trees (the slowest shape
    known for this rule: ~log_{phi^2} N runs), which the model of the rule shows up to ~2e5 nodes."""
    def fibonacci(k, t1, t2):
        i = len(t1)
        t1.append(-1), t2.append(-1)
        if k >= 2:
            t1[i] = fibonacci(k - 1, t1, t2)
        if k >= 3:
            t2[i] = fibonacci(k - 2, t1, t2)
        return i
    for k in range(4, 26, 3):
        t1, t2 = [], []
        fibonacci(k, t1, t2)
        runs, total = contraction_runs_needed(t1, t2)
        assert total == len(t1) and runs <= erosion.contract_runs(len(t1), 1), (k, len(t1), runs)
        assert runs >= erosion.contract_runs(len(t1), 1) - 2, "the bound should be nearly tight here"
    for n in (10, 1000, 100000):
        runs, total = contraction_runs_needed(list(range(1, n)) + [-1], [-1] * n)
        assert total == n and runs == math.ceil(math.log(n, 3) - 1e-9) <= erosion.contract_runs(n, 1)

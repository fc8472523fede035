"""The terrain stage: backends agree, seeds reproduce, no seams, no NaN, cooling matches its formula."""
import numpy as np
import pytest

import planet
from planet.stages.terrain import sea_level_now

from conftest import BACKENDS, TINY


def terrain(make_sim, **kw):
    return make_sim(**kw).read("terrain")


def test_backends_agree(make_sim):
    sims = {b: make_sim(backend=b) for b in BACKENDS}
    for sim in sims.values():
        sim.step(5)
    a, b = (sims[k].read("terrain") for k in BACKENDS)
    scale = np.abs(a).max(axis=(0, 1)) + 1e-12
    rel = (np.abs(a - b).max(axis=(0, 1)) / scale).max()
    assert rel <= 1e-5, f"fragment vs compute differ by {rel:.2e} (relative)"


@pytest.mark.parametrize("backend", BACKENDS)
def test_same_seed_identical_other_seed_differs(make_sim, backend):
    a = make_sim(backend=backend, seed=3)
    b = make_sim(backend=backend, seed=3)
    c = make_sim(backend=backend, seed=4)
    for sim in (a, b, c):
        sim.step(3)
    assert np.array_equal(a.read("terrain"), b.read("terrain"))
    za, zc = a.read("terrain")[..., 0], c.read("terrain")[..., 0]
    assert np.mean(np.abs(za - zc)) > 0.1 * np.std(za), "a different seed must give a different planet"
    # reset() with the same seed replays exactly; reset(seed) switches planets.
    a.reset()
    a.step(3)
    assert np.array_equal(a.read("terrain"), b.read("terrain"))
    a.reset(seed=4)
    a.step(3)
    assert np.array_equal(a.read("terrain"), c.read("terrain"))


def test_no_seam_and_continuous_across_poles(make_sim):
    sim = make_sim(grid="256x128")
    z = sim.read("terrain")[..., 0].astype(np.float64)
    H, W = z.shape
    # East-west steps between neighbouring columns, per column pair; the seam pair is (W-1, 0).
    steps = np.abs(np.diff(np.concatenate([z, z[:, :1]], axis=1), axis=1)).mean(axis=0)
    interior, seam = steps[:-1], steps[-1]
    lo, hi = np.percentile(interior, [0.5, 99.5])
    assert lo <= seam <= hi, f"seam step {seam:.1f} m outside the interior range [{lo:.1f}, {hi:.1f}] m"
    # Across a pole the neighbour of (i, H-1) is (i + W/2, H-1), one row spacing away. A terrain made on
    # raw uv would differ there by the field's whole spread; ours must step no more than an ordinary
    # one-row north-south step does (on average over the globe), and the tiny ring of cells around
    # each pole must vary less from one column to the next than an average east-west step.
    ns_step = np.abs(np.diff(z, axis=0)).mean()
    ew_step = steps.mean()
    for row in (H - 1, 0):
        across = np.abs(z[row] - np.roll(z[row], W // 2)).mean()
        assert across <= 1.5 * ns_step, f"pole row {row}: across-pole step {across:.1f} m vs {ns_step:.1f} m"
        ring = np.abs(z[row] - np.roll(z[row], 1)).mean()
        assert ring <= ew_step, f"pole row {row}: ring step {ring:.1f} m vs east-west {ew_step:.1f} m"
    assert ns_step < 0.5 * np.std(z)


@pytest.mark.parametrize("backend", BACKENDS)
def test_no_nan_or_inf_and_sane_ranges(make_sim, backend):
    sim = make_sim(backend=backend)
    sim.step(600)  # past ocean filling and cooling with dt = 1 Myr
    for name in sim.fields:
        assert np.isfinite(sim.read(name)).all(), f"field {name} has NaN/Inf"
    t = sim.read("terrain")
    assert (t[..., 2] >= 0).all() and (t[..., 2] <= 1).all()
    land = sim.quantity("land").mean()
    assert 0.05 < land < 0.95, f"land fraction {land:.2f}"
    e = sim.quantity("elevation")
    assert e.dtype == np.float32 and e.shape == t.shape[:2]
    assert -20000 < e.min() < 0 < e.max() < 30000


@pytest.mark.parametrize("backend", BACKENDS)
def test_protoplanet_matches_numpy_reference(make_sim, backend):
    """terrain.protoplanet vs a float64 NumPy transcription of the same formulas (tests/reference.py)."""
    import reference

    sim = make_sim(backend=backend, grid="32x16")
    p = sim.params["terrain"]
    ref = reference.protoplanet(32, 16, sim.scene.stage_seed("terrain"), p["height_scale"], p["fbm_octaves"],
                                (p["basin_diameter"], p["basin_octaves"], p["basin_spacing"], sim.scene.radius))
    got = sim.read("terrain")[..., 0]
    np.testing.assert_allclose(got, ref, rtol=1e-4, atol=1e-5 * np.abs(ref).max())


def test_cooling_matches_reference_on_a_handmade_state(make_sim):
    """terrain.cool on a hand-made state vs the float64 NumPy version of the same discrete update."""
    sim = make_sim(backend="compute")
    rng = np.random.default_rng(0)
    H, W = sim.scene.grid[1], sim.scene.grid[0]
    state = np.zeros((H, W, 4), np.float32)
    state[..., 0] = rng.uniform(0, 8000, (H, W))
    state[..., 2] = rng.uniform(0, 1, (H, W))
    p = sim.params["terrain"]
    sim.years = p["ocean_start"] + 0.5 * p["ocean_fill"]  # half-filled ocean: both branches occur
    sim.write("terrain", state)
    sim.step(1)
    out = sim.read("terrain").astype(np.float64)
    sea = sea_level_now(p, sim.years - sim.dt)
    z, glow = state[..., 0].astype(np.float64), state[..., 2].astype(np.float64)
    tau = p["cooling_time"] / (1 + np.maximum(z, 0) / p["height_scale"])
    tau = np.where(z < sea, tau / p["quench"], tau)
    np.testing.assert_allclose(out[..., 2], glow * np.exp(-sim.dt / tau), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(out[..., 1], sea, rtol=1e-6)
    np.testing.assert_array_equal(out[..., 0], z)


def test_sea_level_rises_and_floods_low_ground(make_sim):
    sim = make_sim()
    assert sim.quantity("land").mean() > 0.95  # before ocean_start there is no sea
    p = sim.params["terrain"]
    sim.step(int((p["ocean_start"] + p["ocean_fill"]) / sim.dt) + 1)
    assert sim.read("terrain")[..., 1] == pytest.approx(p["sea_level"])
    assert sim.quantity("land").mean() < 0.6


def test_timeline_and_set_params(make_sim):
    scene = planet.load_scene(TINY)
    scene.timeline = (planet.scene.Event(at=2.5e6, dt=5e5, params={"terrain": {"cooling_time": 1e6}}),)
    sim = make_sim(scene)
    sim.step(2)  # t = 2 Myr: not yet
    assert sim.dt == 1e6 and sim.params["terrain"]["cooling_time"] == 1.5e8
    sim.step(1)  # t = 3 Myr: the event at 2.5 Myr fires on reaching it, before the tick from 3 Myr
    assert sim.dt == 5e5 and sim.params["terrain"]["cooling_time"] == 1e6
    sim.step(1)
    assert sim.years == pytest.approx(3.5e6)
    sim.set_params(terrain={"quench": 2.0})
    assert sim.params["terrain"]["quench"] == 2.0
    with pytest.raises(planet.SceneError, match="quench"):
        sim.set_params(terrain={"quench": 0.5})
    with pytest.raises(planet.SceneError, match="valid: terrain"):
        sim.set_params(oceans={"x": 1})
    sim.reset()
    assert sim.params["terrain"]["quench"] == 10.0 and sim.dt == 1e6


def test_api_surface(make_sim):
    sim = make_sim()
    assert sim.fields == ["terrain"]
    assert sim.quantities == {"elevation": "m", "land": "1"}
    f = sim.read("terrain")
    assert f.dtype == np.float32 and f.shape == (32, 64, 4)
    assert [c.name for c in sim.channels("terrain")] == ["bedrock", "sea_level", "glow", "ice_sheet"]
    assert np.array_equal(sim.channel("terrain", "glow"), f[..., 2])
    with pytest.raises(planet.PlanetError, match="valid: terrain"):
        sim.read("terain")
    with pytest.raises(planet.PlanetError, match="valid: elevation, land"):
        sim.quantity("height")
    with pytest.raises(planet.PlanetError):
        sim.step(-1)
    assert sim.tick == 0
    sim.step(2)
    assert sim.tick == 2


def test_headless_context_manager():
    with planet.Simulation.headless(TINY, seed=9, grid="32x16", backend="fragment") as sim:
        assert sim.scene.seed == 9 and sim.scene.grid == (32, 16)
        img = sim.snapshot("globe", "elevation", (40, 30))
        assert img.shape == (30, 40, 3) and img.dtype == np.uint8
    assert sim.ctx is None
    with pytest.raises(planet.PlanetError, match="unknown backend"):
        planet.Simulation.headless(TINY, backend="vulkan")


def test_two_headless_simulations_side_by_side():
    """Each simulation makes its own context current for its GL calls: interleaved use of two
    headless simulations gives the same fields as using each alone."""
    with planet.Simulation.headless(TINY, seed=1) as a, planet.Simulation.headless(TINY, seed=2) as b:
        for _ in range(3):
            a.step(2)
            b.step(2)
        fa, fb = a.read("terrain"), b.read("terrain")
    with planet.Simulation.headless(TINY, seed=1) as a:
        a.step(6)
        assert np.array_equal(a.read("terrain"), fa)
    with planet.Simulation.headless(TINY, seed=2) as b:
        b.step(6)
        assert np.array_equal(b.read("terrain"), fb)


# -- ice sheets on an imported land mask (Nye's plastic profile) ---------------------------------------

def _ice_values(south=-60.0, north=90.0, tau=50.0):
    return {"ice_sheet_south": south, "ice_sheet_north": north, "ice_yield_stress": tau}


def test_ice_sheet_follows_nyes_profile_from_the_coast():
    from planet import grid as sphere
    from planet.stages.terrain import ICE_DENSITY, GRAVITY, ice_sheet_height

    w, h = 256, 128
    lat = np.degrees(sphere.cell_lonlat(w, h)[1])
    land = lat < -65.0                      # a polar cap of land, coast at 65 S
    land |= (lat > 10.0) & (lat < 40.0)     # and land elsewhere, which carries no ice
    z = ice_sheet_height(land, _ice_values(), 6371.0)
    assert (z[~(land & (lat < -60.0))] == 0.0).all(), "ice only on land south of ice_sheet_south"
    # Along a meridian the height grows with the distance d from the coastline as sqrt(2 tau0 d / (rho g)).
    col = z[:, 0]
    rows = np.flatnonzero(lat[:, 0] < -65.0)
    coast_lat = lat[rows[-1] + 1, 0] - 90.0 / h    # the coastline: the edge of the first sea row
    d = np.radians(coast_lat - lat[rows, 0]) * 6371.0e3
    expected = np.sqrt(2.0 * 50.0e3 * d / (ICE_DENSITY * GRAVITY))
    np.testing.assert_allclose(col[rows], expected, rtol=1e-6)
    assert 5000.0 < col[0] < 6000.0, f"the pole, 2,780 km from the coast: {col[0]:.0f} m"
    assert np.all(np.diff(col[rows]) < 0.0), "higher towards the pole (rows run south to north)"
    # A stiffer ice (larger yield stress) stands higher by the square root.
    np.testing.assert_allclose(ice_sheet_height(land, _ice_values(tau=200.0), 6371.0), 2.0 * z, rtol=1e-12)
    assert not ice_sheet_height(land, _ice_values(south=-90.0), 6371.0).any(), "-90: no ice sheet"


def test_imported_mask_raises_and_flags_its_ice_sheet(make_sim, tmp_path):
    import imageio.v3 as iio

    h, w = 64, 128
    img = np.zeros((h, w), np.uint8)
    img[-8:] = 255                         # row 0 = north: the last rows are a south polar continent
    img[20:30, 40:70] = 255                # and a temperate one
    path = tmp_path / "mask.png"
    iio.imwrite(path, img)
    scene = tmp_path / "ice.toml"
    scene.write_text(TINY.read_text() + "ice_sheet_south = -70.0\n")   # TINY ends in its [terrain] table
    sim = make_sim(scene, land_mask=path)
    t = sim.read("terrain")
    from planet import grid as sphere

    lat = np.degrees(sphere.cell_lonlat(*sim.scene.grid)[1])
    land = t[..., 0] > t[..., 1]
    ice = t[..., 3]
    assert set(np.unique(ice)) <= {0.0, 1.0}
    assert (ice[land & (lat < -72.0)] == 1.0).all() and (ice[lat > -70.0] == 0.0).all()
    above = (t[..., 0] - t[..., 1])[ice == 1.0]
    assert above.max() > 1000.0, f"the polar continent's ice stands {above.max():.0f} m at most"

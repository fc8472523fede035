"""Each climate pass on a hand-made state against a float64 NumPy version of the same discrete update
(tests/reference_climate.py), on both backends; and the semi-Lagrangian transport through the poles."""
import numpy as np
import pytest

from planet import grid
from planet.stages import climate

import reference_climate as ref
from conftest import BACKENDS, ROOT

CLIMATE = ROOT / "scenes" / "tests" / "climate.toml"


def make(make_sim, backend, grid="128x64", **params):
    sim = make_sim(CLIMATE, backend=backend, grid=grid)
    if params:
        sim.set_params(climate=params)
    return sim


def run(sim, *passes):
    sim.run_passes([f"climate.{p.name}" for p in passes])
    return sim


def smooth_noise(rng, H, W, scale):
    """A smooth random field (sum of a few low spherical-ish harmonics in lon/lat)."""
    lon, lat = grid.cell_lonlat(W, H)
    out = np.zeros((H, W))
    for _ in range(6):
        k, m, ph = rng.integers(1, 4), rng.integers(0, 4), rng.uniform(0, 2 * np.pi)
        out += rng.normal() * np.cos(k * lat) * np.cos(m * lon + ph)
    return scale * out


def bedrock_with(rng, H, W, land_fraction=0.4):
    """Blocky continents (so coasts are long) with random heights [m above sea level 0]."""
    coarse = rng.uniform(0, 1, (H // 4, W // 4)) < land_fraction
    land = np.kron(coarse, np.ones((4, 4), bool))
    return np.where(land, rng.uniform(1, 4000, (H, W)), -rng.uniform(1, 5000, (H, W)))


def terrain_with(sim, rng, land_fraction=0.4):
    """Write bedrock_with's planet (sea level 0) into the terrain field; returns the terrain state."""
    W, H = sim.scene.grid
    return ref.state(sim, "terrain", bedrock=bedrock_with(rng, H, W, land_fraction))


@pytest.mark.parametrize("backend", BACKENDS)
def test_pressure_blur_matches_reference(make_sim, backend):
    """The four blur passes (two-stage Gaussian east-west, then north-south across the poles); sigma =
    20° makes stage 2 sparse (stride 2 and more) on this grid."""
    sim = make(make_sim, backend, blur_sigma=20.0)
    t = terrain_with(sim, np.random.default_rng(1))
    run(sim, *climate.BLUR)
    got = sim.read("mslp").astype(np.float64)
    expect = ref.blur(t[..., 0] > t[..., 1], 20.0)
    np.testing.assert_allclose(got, expect, atol=5e-3, rtol=0)
    # The two-stage split is a Gaussian too: within 0.5 hPa of one exact Gaussian per axis, where the
    # land/sea contrast it smooths is tens of hPa.
    exact = ref.exact_blur(t[..., 0] > t[..., 1], 20.0)
    assert np.abs(got[..., 2:] - exact).max() < 0.5
    assert np.ptp(sim.channel("mslp", "swing")) > 10
    land = sim.channel("land_blur", "land")   # the blur's scratch: a land fraction
    assert 0 <= land.min() < land.max() <= 1


def test_pressure_blur_has_no_seam(make_sim):
    """Rolling the planet east by any number of columns rolls the blurred pressure exactly."""
    sim = make(make_sim, "fragment")
    W, H = sim.scene.grid
    t = terrain_with(sim, np.random.default_rng(2))
    base = run(sim, *climate.BLUR).read("mslp")
    for shift in (1, 37, W // 2):
        sim.write("terrain", np.roll(t, shift, axis=1))
        assert np.array_equal(run(sim, *climate.BLUR).read("mslp"), np.roll(base, shift, axis=1)), shift


@pytest.mark.parametrize("backend", BACKENDS)
def test_weather_matches_reference(make_sim, backend):
    sim = make(make_sim, backend)
    W, H = sim.scene.grid
    rng = np.random.default_rng(3)
    bedrock = bedrock_with(rng, H, W, 0.4)
    ice = (bedrock > 0) & (rng.uniform(0, 1, (H, W)) < 0.5)   # half the land under an ice sheet
    t = ref.state(sim, "terrain", bedrock=bedrock, ice_sheet=ice.astype(np.float64))
    mslp = ref.state(sim, "mslp", annual=1012 + smooth_noise(rng, H, W, 8.0), swing=smooth_noise(rng, H, W, 6.0))
    p = sim.params["climate"]
    for tick in (0, 44, 90):   # the step makes the state after the tick: season of tick + 1
        sim.tick = tick
        run(sim, climate.WEATHER)
        d = climate.derive(p, 0.0)
        season = np.cos(2 * np.pi * ((tick + 1) % p["steps_per_year"]) / p["steps_per_year"])
        expect = ref.weather(mslp, t, season, p["lapse_rate"], d["omega"], d["drag"],
                             sim.scene.radius, p["convective_friction"], p["convective_width"],
                             p["subtropical_warming"], p["land_trough"])
        got = sim.read("atmosphere").astype(np.float64)
        np.testing.assert_allclose(got[..., :2], expect[..., :2], atol=2e-3, rtol=0)
        np.testing.assert_allclose(got[..., 2:], expect[..., 2:], atol=2e-3 * np.abs(expect[..., 2:]).max(), rtol=0)
    assert np.isfinite(got).all() and np.abs(got[..., 2:]).max() > 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_lift_matches_reference(make_sim, backend):
    sim = make(make_sim, backend)
    W, H = sim.scene.grid
    rng = np.random.default_rng(4)
    t = terrain_with(sim, rng)
    atm = ref.state(sim, "atmosphere", temperature=rng.uniform(-40, 35, (H, W)),
                    wind_east=smooth_noise(rng, H, W, 6.0), wind_north=smooth_noise(rng, H, W, 6.0))
    soil = ref.state(sim, "precipitation", soil=rng.uniform(0, 150, (H, W)))[..., 1]
    run(sim, climate.LIFT_PASS)
    p = sim.params["climate"]
    season = np.cos(2 * np.pi * ((sim.tick + 1) % p["steps_per_year"]) / p["steps_per_year"])
    lift, flow = ref.lift(atm, t, soil, p["boundary_layer"], p["vapour_height"], p["soil_capacity"],
                          sim.scene.radius, season, p["subsidence"])
    for k, (ch, scale) in enumerate(zip(sim.channels("lift"), np.abs(lift).max(axis=(0, 1)), strict=True)):
        got = sim.channel("lift", ch.name).astype(np.float64)
        np.testing.assert_allclose(got, lift[..., k], atol=1e-4 * scale, rtol=0, err_msg=f"lift.{ch.name}")
    np.testing.assert_allclose(sim.read("flow"), flow, atol=1e-4 * np.abs(flow).max(), rtol=0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_vapour_sources_and_sinks_match_reference(make_sim, backend):
    """No wind (the air stays put): one climate step of evaporation, dew, rain and lift-driven rain-out,
    each regime of the implicit update, against the reference."""
    sim = make(make_sim, backend)
    W, H = sim.scene.grid
    rng = np.random.default_rng(5)
    lift = ref.state(sim, "lift", rise=rng.uniform(-0.01, 0.02, (H, W)), divergence=rng.uniform(-2e-5, 2e-5, (H, W)),
                     saturation=rng.uniform(1, 60, (H, W)), evaporation=rng.uniform(0, 1, (H, W)))
    ref.state(sim, "flow")   # calm
    # Columns below, between and above rh W_s and W_s.
    vap = ref.state(sim, "vapour", column=lift[..., 2] * rng.uniform(0, 1.3, (H, W)))
    sim.set_params(climate={"storm_track": 5.0})   # the storm tracks' rain-out too
    run(sim, climate.VAPOUR_PASS)
    p = sim.params["climate"]
    h = climate.derive(p, 0.0)["step_seconds"]
    season = np.cos(2 * np.pi * ((sim.tick + 1) % p["steps_per_year"]) / p["steps_per_year"])
    storm = ref.storm_rate(grid.cell_lonlat(W, H)[1], season, p)
    w = ref.vapour_substep(vap[..., 0].astype(np.float64), lift.astype(np.float64), h, p, storm=storm)
    rain, evap = ref.vapour_rates(w, lift.astype(np.float64), p, storm=storm)
    got = {ch.name: sim.channel("vapour", ch.name).astype(np.float64) for ch in sim.channels("vapour")}
    np.testing.assert_allclose(got["column"], w, rtol=1e-4, atol=2e-3)          # [mm]
    np.testing.assert_allclose(got["rain"], rain, rtol=1e-4, atol=10.0)         # [mm/yr]
    np.testing.assert_allclose(got["evaporation"], evap, rtol=1e-4, atol=0.5)   # [mm/yr]
    np.testing.assert_allclose(got["humidity"] * lift[..., 2], w, rtol=1e-4, atol=2e-3)   # RH = W / W_s


@pytest.mark.parametrize("backend", BACKENDS)
def test_vapour_is_carried_over_the_poles(make_sim, backend):
    """Pure transport (no sources or sinks) by a solid-body rotation about an equatorial axis, 10° per
    climate step: a blob of vapour starting on the equator crosses the north pole and comes down the far
    side, where the rotation puts it, keeping its shape and amount, with nothing negative or NaN."""
    sim = make(make_sim, backend)
    W, H = sim.scene.grid
    lon, lat = grid.cell_lonlat(W, H)
    x = grid.cell_pos(W, H)
    h = climate.derive(sim.params["climate"], 0.0)["step_seconds"]
    omega = np.radians(10.0) / h
    v = 1000.0 * sim.scene.radius * omega * np.cross([1.0, 0.0, 0.0], x)   # [m/s]
    ref.state(sim, "flow", x=v[..., 0], y=v[..., 1], z=v[..., 2], speed=np.linalg.norm(v, axis=-1))
    sim.set_params(climate={"storm_track": 0.0})
    ref.state(sim, "lift", saturation=1e9)   # no evaporation or rain

    def blob(centre):
        return 50.0 * np.exp(-0.5 * (np.arccos(np.clip(x @ centre, -1, 1)) / np.radians(12)) ** 2)

    area = grid.area_weights(H)[:, None]
    start = blob(np.array([0.0, 1.0, 0.0]))   # lat 0, lon 90° E
    ref.state(sim, "vapour", column=start)
    for steps, angle in ((9, 90), (9, 180)):
        for _ in range(steps):
            run(sim, climate.VAPOUR_PASS)
        a = np.radians(angle)
        expect = blob(np.array([0.0, np.cos(a), np.sin(a)]))   # rotated about the x axis
        got = sim.channel("vapour", "column").astype(np.float64)
        assert np.isfinite(got).all() and got.min() >= 0
        assert np.corrcoef(got.ravel(), expect.ravel())[0, 1] > 0.95, f"blob not where the wind took it ({angle}°)"
        assert (got * area).sum() == pytest.approx((start * area).sum(), rel=0.1)
        assert got.max() > 0.6 * start.max()
    # Halfway it sat on the north pole; now it is on the equator at 90° W, not smeared along a row.
    assert abs(np.degrees(lon[np.unravel_index(np.argmax(got), got.shape)]) + 90) < 8


@pytest.mark.parametrize("backend", BACKENDS)
def test_soil_matches_reference(make_sim, backend):
    sim = make(make_sim, backend)
    W, H = sim.scene.grid
    rng = np.random.default_rng(6)
    t = terrain_with(sim, rng)
    # Columns from dry to far above saturation, so that the pass's rain ranges from none to overflowing.
    ref.state(sim, "vapour", column=rng.uniform(0, 150, (H, W)) * (rng.uniform(0, 1, (H, W)) < 0.7))
    old = ref.state(sim, "precipitation", annual=rng.uniform(0, 3000, (H, W)), soil=rng.uniform(0, 150, (H, W)),
                    runoff=rng.uniform(0, 500, (H, W)), rate=rng.uniform(0, 100, (H, W)))
    run(sim, climate.VAPOUR_PASS, climate.SURFACE)   # the vapour, then sea ice, snow and the soil under it
    vap = sim.read("vapour").astype(np.float64)   # the rain the soil got: this step's, as the pass wrote it
    p = sim.params["climate"]
    d = climate.derive(p, 0.0)
    expect = ref.soil(vap, old, t, d["step_seconds"], d["year_weight"], p["soil_capacity"])
    np.testing.assert_allclose(sim.read("precipitation"), expect, rtol=1e-5, atol=1e-3)
    soil = sim.channel("precipitation", "soil")
    assert soil.min() >= 0 and soil.max() <= p["soil_capacity"] and soil.max() == pytest.approx(p["soil_capacity"])


def test_init_state(make_sim):
    sim = make(make_sim, "fragment")
    p = sim.params["climate"]
    land = sim.channel("terrain", "bedrock") > sim.channel("terrain", "sea_level")
    temperature = sim.channel("atmosphere", "temperature").astype(np.float64)
    np.testing.assert_allclose(sim.channel("vapour", "column"),
                               p["rain_humidity"] * ref.saturation_column(temperature, p["vapour_height"]), rtol=1e-4)
    np.testing.assert_array_equal(sim.channel("precipitation", "soil"), np.where(land, p["soil_capacity"] / 2, 0))

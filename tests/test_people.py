"""The people stage (issue 13) on a synthetic planet: what MODEL.md §6-§7 and the issue say it must show.

The planet (scenes/tests/people.toml: terrain + climate + people, 64x32, dt = 1 year) is written into
the terrain field: a continent from the tropics to the poles with a frozen plateau, an island, sea
elsewhere. Its rain (the climate's running annual mean, which starts at 0) is written too, and the
people's habitat is re-initialised on it, so tests need no spin-up.
"""
import numpy as np
import pytest

import planet
from planet import gl, grid
from planet.constants import CARBON_PER_PPM
from planet.errors import PlanetError, SceneError
from planet.video import Story

import reference_people as ref
from conftest import BACKENDS, ROOT, TINY, ran_each_tick

SCENE = ROOT / "scenes" / "tests" / "people.toml"
W, H = 64, 32
LON, LAT = (np.degrees(a) for a in grid.cell_lonlat(W, H))
CONTINENT = (LON > -100) & (LON < 20) & (np.abs(LAT) < 75)
PLATEAU = (LON > -70) & (LON < -40) & (LAT > 20) & (LAT < 45)    # 7 km high: frozen all year
ISLAND = (LON > 60) & (LON < 90) & (LAT > -20) & (LAT < 0)
LAND = CONTINENT | ISLAND
NEAR_LAND = np.zeros_like(LAND)   # land or next to it (lights blend across the coast)
for dj in (-1, 0, 1):
    for di in (-1, 0, 1):
        NEAR_LAND |= np.roll(np.roll(LAND, di, axis=1), dj, axis=0)
ELEVATION = np.where(PLATEAU, 7000.0, np.where(LAND, 300.0, -3000.0))
AREA = grid.cell_area_km2(W, H, 6371.0)[:, None] * np.ones((H, W))
DEFAULTS = planet.stages.registry()["people"].defaults()


@pytest.fixture(scope="module", params=BACKENDS)
def sim(request, gl_ctx):
    gl.make_current(gl_ctx)
    s = planet.Simulation(gl_ctx, SCENE, backend=request.param)
    yield s
    s.release()


def world(sim, people=None, climate=None, rain=1000.0):
    """The synthetic planet at tick 1 with people's params (and climate's) set; nobody lives there yet."""
    sim.reset()
    sim.dt = 1.0
    sim.set_params(people=people or {}, climate=climate or {})
    t = np.zeros((H, W, 4), np.float32)
    t[..., 0] = ELEVATION
    sim.write("terrain", t)
    sim.step(1)   # the climate's pressure and weather on this planet
    pr = sim.read("precipitation")
    pr[..., 0] = np.where(LAND, rain, 0.0)
    sim.write("precipitation", pr)
    sim.run_passes(["people.habitat_init"])
    return sim


def settle(sim, density):
    """Write a population density (H, W) [1/km²]."""
    p = sim.read("people")
    p[..., 0] = density
    sim.write("people", p)


def area_sum(x):
    return float((np.asarray(x, np.float64) * AREA).sum())


def test_people_never_settle_the_sea_or_ice(sim):
    world(sim, people={"seed_rate": 1.0e4, "growth_rate": 0.2, "spread": 1.0e5})
    settle(sim, np.full((H, W), 50.0))   # even put there, nobody stays at sea or on frozen ground
    for ticks in (1, 30):
        sim.step(ticks)
        density = sim.channel("people", "density")
        frozen = LAND & (sim.channel("people_habitat", "temperature_mean") <= 0.0)
        assert frozen[PLATEAU].all() and (frozen & ~PLATEAU).any(), "the plateau and the polar land are frozen"
        assert density[~LAND].max() == 0.0, "people at sea"
        assert density[frozen].max() == 0.0, "people on ice"
    habitable = sim.channel("people_habitat", "habitability") > 0.1
    assert (density[habitable] > 1.0).mean() > 0.9, "people settle the habitable land"
    assert density.min() >= 0.0


def test_land_past_the_heat_limit_loses_its_people(sim):
    # Spread off, so only the heat moves them: the tropics pass a heat limit of 24 °C.
    world(sim, people={"heat_limit": 24.0, "warm_limit": 18.0, "spread": 0.0, "leave_time": 3.0, "seed_rate": 0.0})
    settle(sim, np.where(LAND, 40.0, 0.0))
    hot = LAND & (sim.channel("people_habitat", "temperature_peak") > 24.5)   # hot from the start ...
    sim.step(40)
    peak = sim.channel("people_habitat", "temperature_peak")
    mean = sim.channel("people_habitat", "temperature_mean")
    density = sim.channel("people", "density")
    hot &= peak > 24.5                                                 # ... to the end
    mild = LAND & (peak < 17.0) & (mean > 8.0)
    assert hot.sum() > 20 and mild.sum() > 20
    # The hot land is the tropics and subtropics (summer peaks above 24.5 °C reach ~42° of latitude, as
    # July means do in the Earth's continental interiors).
    assert np.abs(LAT[hot]).max() < 45, "the hot land is the tropics and subtropics"
    assert density[hot].max() == 0.0, "people stay past the heat limit"
    assert sim.channel("people_habitat", "habitability")[hot].max() == 0.0
    assert density[mild].min() > 0.5 and density[mild].mean() > 5.0, "milder land keeps its people"


def test_carbon_budget_closes_and_the_reserve_runs_out(sim):
    # 60 ticks of 1 year then 10 of 5 years: settlements, growth, wind, mixing, uptake, a reserve that runs out.
    reserve = 150.0   # GtC
    world(sim, people={"seed_rate": 100.0, "growth_rate": 0.15, "per_capita": 5.0, "uptake_time": 40.0,
                       "mixing_time": 0.5, "reserve": reserve})
    history = []
    for dt, ticks in ((1.0, 60), (5.0, 10)):
        sim.dt = dt
        for _ in range(ticks):
            sim.step(1)
            emitted, uptake = sim.scalar("emitted"), sim.scalar("uptake")
            air = (sim.co2_ppm - DEFAULTS["co2_initial"]) * CARBON_PER_PPM * AREA.sum()
            # After every tick: emitted = atmospheric increase + plant uptake, within 0.1 % of what was
            # emitted plus 0.01 ppm of the whole air (float32 resolves a CO2 near 300 ppm to ~3e-5 ppm).
            tolerance = 1e-3 * emitted + 0.01 * CARBON_PER_PPM * AREA.sum()
            assert abs(emitted - (air + uptake)) <= tolerance, (sim.tick, emitted, air, uptake)
            history.append((emitted, sim.co2_ppm))
    carbon = sim.read("carbon").astype(np.float64)
    emitted, uptake = area_sum(carbon[..., 1]), area_sum(carbon[..., 2])
    air = area_sum(carbon[..., 0] - DEFAULTS["co2_initial"]) * CARBON_PER_PPM
    assert emitted > 0.9 * reserve * 1e9 and uptake > 0.2 * emitted and air > 0.2 * emitted
    # At the end, from the fields themselves: within 0.01 %.
    assert abs(emitted - (air + uptake)) <= 1e-4 * emitted, (emitted, air, uptake)
    assert sim.scalar("emitted") == pytest.approx(emitted, rel=1e-4)
    assert sim.scalar("uptake") == pytest.approx(uptake, rel=1e-4)
    # The reserve is never overdrawn, and its carbon went into the air: CO2 rose, then plants drew it down.
    assert max(e for e, _ in history) <= reserve * 1e9 * 1.0005
    assert sim.scalar("emission") < 1e-3 * 5.0 * sim.scalar("population")
    co2 = [c for _, c in history]
    assert max(co2) > DEFAULTS["co2_initial"] + 10 and co2[-1] < max(co2)


def test_emissions_change_no_temperature_with_zero_sensitivity(sim):
    runs = {}
    for per_capita, s in ((0.0, 0.0), (5.0, 0.0), (0.0, 3.0)):
        world(sim, people={"seed_rate": 100.0, "growth_rate": 0.15, "per_capita": per_capita},
              climate={"sensitivity": s})
        sim.step(20)
        runs[per_capita, s] = sim.channel("atmosphere", "temperature"), sim.co2_ppm
    assert runs[5.0, 0.0][1] > runs[0.0, 0.0][1] + 20, "the emissions raised the CO2"
    np.testing.assert_array_equal(runs[5.0, 0.0][0], runs[0.0, 0.0][0])
    # No emissions: no warming whatever the sensitivity.
    assert np.abs(runs[0.0, 3.0][0] - runs[0.0, 0.0][0]).max() < 1e-3


def test_doubling_co2_warms_the_global_mean_by_s_and_the_poles_most(sim):
    s = 3.0
    world(sim, climate={"sensitivity": s})
    out = []
    for c in (280.0, 560.0):
        carbon = sim.read("carbon")
        carbon[..., 0] = c
        sim.write("carbon", carbon)
        assert sim.co2_ppm == pytest.approx(c, rel=1e-6)
        sim.run_passes(["climate.weather"])
        out.append((sim.channel("atmosphere", "temperature").astype(np.float64), sim.global_temperature))
    dt = out[1][0] - out[0][0]
    # Within 1 % (the grid's area weights are exact cells, the amplification's mean is 1 on the sphere).
    assert out[1][1] - out[0][1] == pytest.approx(s, rel=0.01)
    assert area_sum(dt) / AREA.sum() == pytest.approx(s, rel=0.01)
    zonal = dt.mean(axis=1)
    lat = LAT[:, 0]
    assert zonal[np.abs(lat) > 60].min() > zonal[np.abs(lat) < 20].max(), "the poles warm more than the tropics"
    assert zonal[-1] / zonal[H // 2] == pytest.approx(2.0, rel=0.05)
    np.testing.assert_allclose(dt, s * (1 + 0.75 * (np.sin(np.radians(LAT)) ** 2 - 1 / 3)), atol=2e-3)


def test_grow_pass_matches_the_numpy_reference(sim):
    p = {**DEFAULTS, "start": 1e10, "spread": 2.0e4, "leave_time": 5.0, "growth_rate": 0.1}
    world(sim, people={k: p[k] for k in ("start", "spread", "leave_time", "growth_rate")})
    sim.dt = 3.0
    rng = np.random.default_rng(7)
    hab = np.where(LAND, rng.uniform(-0.3, 1.0, (H, W)).clip(0.0), 0.0).astype(np.float32)
    t_mean = rng.uniform(-10.0, 30.0, (H, W)).astype(np.float32)
    sim.write("people_habitat", np.stack([t_mean, t_mean + 2, hab, hab], axis=-1))
    density = (rng.uniform(0.0, 150.0, (H, W)) * (rng.uniform(size=(H, W)) < 0.7)).astype(np.float32)
    settle(sim, density)
    sim.run_passes(["people.grow"])
    land = sim.channel("terrain", "bedrock") > sim.channel("terrain", "sea_level")
    expect = ref.grow(density, hab, t_mean, land, p, 3.0, 6371.0)
    got = sim.read("people").astype(np.float64)
    for k, name in enumerate(("density", "capacity")):
        np.testing.assert_allclose(got[..., k], expect[k], rtol=2e-4, atol=1e-3, err_msg=name)
    assert (expect[0][~land] == 0).all() and (expect[0][land] > 0).mean() > 0.5


@pytest.mark.parametrize("reserve, burnt", [(1e4, 0.0), (40.0, 39.9)])   # [GtC]: all the demand met, or a share
def test_carbon_pass_matches_the_numpy_reference(sim, reserve, burnt):
    p = {**DEFAULTS, "uptake_time": 20.0, "mixing_time": 2.0, "reserve": reserve}
    world(sim, people={k: p[k] for k in ("uptake_time", "mixing_time", "reserve")})
    sim.dt = 1.5
    rng = np.random.default_rng(3)
    sim.write("flow", np.zeros((H, W, 4), np.float32))   # still air: the trace-back stays in the cell
    co2 = (280.0 + rng.uniform(0.0, 400.0, (H, W))).astype(np.float32)
    ledgers = rng.uniform(0.0, 5.0e3, (H, W, 2)).astype(np.float32)
    ledgers[..., 0] *= burnt * 1e9 / max(area_sum(ledgers[..., 0]), 1.0)
    sim.write("carbon", np.concatenate([co2[..., None], ledgers, np.zeros((H, W, 1))], axis=-1).astype(np.float32))
    hab = sim.read("people_habitat")
    hab[..., 2] = np.where(LAND, rng.uniform(0.0, 1.0, (H, W)), 0.0)
    sim.write("people_habitat", hab)
    density = np.where(LAND, rng.uniform(0.0, 100.0, (H, W)), 0.0).astype(np.float32)
    settle(sim, density)
    scalars = {n: sim.scalar(n) for n in ("co2_ppm", "emitted", "uptake", "population")}
    sim.run_passes(["people.carbon"])
    expect = ref.carbon(co2, ledgers[..., 0], ledgers[..., 1], density, hab[..., 2], p, 1.5, 6371.0, scalars)
    got = sim.read("carbon").astype(np.float64)
    for k, (name, atol) in enumerate((("co2", 0.02), ("emitted", 0.0), ("uptake", 0.05), ("emission", 0.0))):
        np.testing.assert_allclose(got[..., k], expect[k], rtol=1e-5, atol=atol, err_msg=name)
    full = DEFAULTS["per_capita"] * density
    if burnt:
        assert 0.0 < expect[3].sum() < 0.1 * full.sum(), "the reserve's last years are burnt ever more slowly"
    else:
        np.testing.assert_allclose(expect[3], full, rtol=1e-6)


def test_stable_and_deterministic_at_any_dt(sim):
    states = []
    for _ in range(2):
        world(sim, people={"seed_rate": 100.0, "growth_rate": 0.2})
        for dt in (1.0 / 180.0, 1.0, 50.0, 1.0e6, 2.0):
            sim.dt = dt
            sim.step(3)
            for name in ("people", "people_habitat", "carbon"):
                assert np.isfinite(sim.read(name)).all(), (name, dt)
            density = sim.channel("people", "density")
            assert density.min() >= 0.0 and density.max() <= DEFAULTS["capacity"] * 1.001, dt
            assert sim.channel("carbon", "co2").min() > 0.0
        states.append([sim.read(n) for n in ("people", "people_habitat", "carbon")])
    for a, b in zip(*states, strict=True):
        np.testing.assert_array_equal(a, b)


def _sun_elevation_globe(sim, size):
    """sin(sun elevation), land, and sea away from the coast at each pixel of a globe snapshot (row 0 =
    top; elevation NaN off the planet): the ray cast of shaders/view/globe.glsl in float64."""
    w, h = size
    inv = sim.camera.inv_viewproj(w / h).astype(np.float64)
    y, x = np.mgrid[h - 1:-1:-1, 0:w]
    ndc = np.stack([(x + 0.5) / w * 2 - 1, (y + 0.5) / h * 2 - 1], axis=-1)
    ends = []
    for z in (-1.0, 1.0):
        v = np.concatenate([ndc, np.full((h, w, 1), z), np.ones((h, w, 1))], axis=-1) @ inv
        ends.append(v[..., :3] / v[..., 3:])
    ro, rd = ends[0], ends[1] - ends[0]
    rd /= np.linalg.norm(rd, axis=-1, keepdims=True)
    b = (ro * rd).sum(-1)
    disc = b * b - ((ro * ro).sum(-1) - 1.0)
    p = ro + (-b - np.sqrt(np.maximum(disc, 0.0)))[..., None] * rd
    p /= np.linalg.norm(p, axis=-1, keepdims=True)
    elev = np.where(disc > 0, p @ sim.camera.sun(sim.season).astype(np.float64), np.nan)
    lon, lat = np.arctan2(p[..., 1], p[..., 0]), np.arcsin(np.clip(p[..., 2], -1, 1))
    i = np.clip(((lon + np.pi) / (2 * np.pi) * W).astype(int), 0, W - 1)
    j = np.clip(((lat + np.pi / 2) / np.pi * H).astype(int), 0, H - 1)
    return elev, LAND[j, i] & (disc > 0), ~NEAR_LAND[j, i] & (disc > 0)


def _populated_night(sim):
    world(sim)
    hab = sim.read("people_habitat")
    hab[..., 0] = 20.0
    sim.write("people_habitat", hab)
    cam = sim.camera
    cam.night, cam.sun_azimuth, cam.yaw, cam.pitch = 1.0, 90.0, -40.0, 0.0
    return cam


def test_the_night_side_has_lights_and_the_day_side_none(sim):
    _populated_night(sim)
    size = (160, 160)
    settle(sim, np.where(LAND, 60.0, 0.0))
    lit = sim.snapshot("globe", "satellite", size).astype(int)
    settle(sim, np.zeros((H, W)))
    empty = sim.snapshot("globe", "satellite", size).astype(int)
    elev, land, sea = _sun_elevation_globe(sim, size)
    day, night = elev > 0.12, elev < -0.12
    assert day.sum() > 2000 and (night & land).sum() > 500
    assert np.abs(lit - empty)[day].max() == 0, "lights on the day side"
    brighter = (lit - empty).sum(axis=-1) > 60
    assert brighter[night & land].mean() > 0.1, "no lights on the night side"
    assert not brighter[night & sea].any(), "lights out at sea"
    assert empty[night].mean() < 0.35 * empty[day].mean(), "the night side is dark"


def test_lights_do_not_flicker_between_frames_at_a_fixed_tick(sim):
    cam = _populated_night(sim)
    settle(sim, np.where(LAND, 60.0, 0.0))
    frames = [sim.snapshot("globe", "satellite", (128, 128)) for _ in range(3)]
    for f in frames[1:]:
        np.testing.assert_array_equal(f, frames[0])
    # The globe turns between frames: the lights stay on the ground they light (map: fixed pixels per cell).
    maps = []
    for spin in (0.0, 2.0):
        cam.spin = spin
        maps.append(sim.snapshot("map", "satellite", (256, 128)).astype(int))
    lon = np.radians(-180 + (np.arange(256) + 0.5) * 360 / 256)[None, :]
    lat = np.radians(90 - (np.arange(128) + 0.5) * 180 / 128)[:, None]
    pos = np.stack(np.broadcast_arrays(np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)), -1)
    deep = np.ones((128, 256), bool)
    for spin in (0.0, 2.0):
        cam.spin = spin
        deep &= pos @ cam.sun(sim.season).astype(np.float64) < -0.12
    assert deep.sum() > 3000 and (maps[0][deep].sum(-1) > 150).sum() > 50
    np.testing.assert_array_equal(maps[0][deep], maps[1][deep])


def test_layers_legends_quantities_and_scalars(sim):
    world(sim, people={"seed_rate": 100.0})
    sim.step(10)
    legends = {n: sim.layers[n].legend.unit for n in ("population", "co2")}
    assert legends == {"population": "people/km²", "co2": "ppm"}
    for view in ("map", "globe"):
        for name in legends:
            img = sim.snapshot(view, name, (64, 32))
            assert img.shape == (32, 64, 3) and img.std() > 1
    assert sim.quantities["population"] == "1/km²" and sim.quantities["co2"] == "ppm"
    np.testing.assert_array_equal(sim.quantity("population"), sim.channel("people", "density"))
    assert sim.scalar("population") == pytest.approx(area_sum(sim.quantity("population")), rel=1e-4)
    assert sim.co2_ppm == pytest.approx(area_sum(sim.quantity("co2")) / AREA.sum(), rel=1e-5)
    t = sim.channel("atmosphere", "temperature")
    assert sim.global_temperature == pytest.approx(area_sum(t) / AREA.sum(), abs=1e-3)


def test_the_timeline_sets_day_and_night_and_the_globe_turns(make_sim, tmp_path):
    scene = {"planet": {"grid": "32x16", "dt": 1.0, "stages": ["terrain", "climate", "people"]},
             "timeline": [{"at": 2.0, "camera": {"night": 0.7, "spin_rate": 12.0, "sun_azimuth": 30.0}}]}
    sim = make_sim(scene)
    assert (sim.camera.night, sim.camera.spin_rate) == (0.0, 0.0)
    sim.step(3)
    assert (sim.camera.night, sim.camera.spin_rate, sim.camera.sun_azimuth) == (0.7, 12.0, 30.0)
    story = Story(sim, fps=30.0, view=None, layer=None)
    tick = sim.tick
    for _ in range(15):
        story.advance()
    assert sim.camera.spin == pytest.approx(6.0) and sim.tick == tick, "the globe turns; simulated time does not"
    sim.save(tmp_path / "run.npz")
    loaded = planet.Simulation.load(tmp_path / "run.npz", ctx=sim.ctx)
    try:
        assert loaded.camera.night == 0.7, "a checkpoint resumes the timeline's camera"
    finally:
        loaded.release()
    sim.reset()
    assert (sim.camera.night, sim.camera.spin) == (0.0, 0.0)
    with pytest.raises(SceneError, match="nite"):
        planet.scene.load_scene({**scene, "timeline": [{"at": 1.0, "camera": {"nite": 1.0}}]})


def test_co2_and_global_temperature_need_their_stages(make_sim):
    sim = make_sim(TINY)
    with pytest.raises(PlanetError, match="people"):
        _ = sim.co2_ppm
    with pytest.raises(PlanetError, match="climate"):
        _ = sim.global_temperature


def test_carbon_is_skipped_before_start_unless_people_or_carbon_were_written(sim):
    """people.carbon (Pass.when) runs from `start` on, or once a script wrote people or carbon; before
    that the CO2 stands at co2_initial and the ledgers at 0 whether it runs or not."""
    from planet.stages.people import burning

    world(sim, people={"start": 1.0e9})
    assert sim.written >= {"terrain", "precipitation"} and not {"people", "carbon"} & sim.written
    ran = ran_each_tick(sim, "people.carbon", 3)
    assert ran == [False] * 3, "before start, with nobody written, the carbon pass is skipped"
    c = sim.read("carbon")
    assert (c[..., 0] == DEFAULTS["co2_initial"]).all() and (c[..., 1:] == 0).all()
    sim.run_passes(["people.carbon"])   # what it would have written: the same
    assert np.array_equal(sim.read("carbon"), c)
    # Written people burn at once, start or not.
    settle(sim, np.where(LAND & ~PLATEAU, 50.0, 0.0))
    sim.step(1)
    assert sim.scalar("emitted") > 0 and sim.read("carbon")[..., 0].max() > DEFAULTS["co2_initial"]
    u = {"u_settling": 0.0, "written": frozenset({"terrain"})}
    assert not burning(u) and burning({**u, "u_settling": 1.0}) and burning({**u, "written": {"carbon"}})
    assert burning({"u_settling": 0.0}), "without the written set, always run"


def test_grow_is_skipped_before_start_while_nobody_lives(sim):
    """people.grow (Pass.when=living) runs from `start` on, or once a script wrote the people; before that
    the density is 0 whether it runs or not (it would only write the capacity diagnostic, which stays 0)."""
    from planet.stages.people import living

    world(sim, people={"start": 1.0e9})
    assert not {"people"} & sim.written
    ran = ran_each_tick(sim, "people.grow", 3)
    assert ran == [False] * 3, "before start, with nobody written, the grow pass is skipped"
    p = sim.read("people")
    assert (p == 0).all()
    sim.run_passes(["people.grow"])   # what it would have written: the same density, and the capacity
    q = sim.read("people")
    assert np.array_equal(q[..., 0], p[..., 0]) and q[..., 1].max() > 0
    settle(sim, np.where(LAND & ~PLATEAU, 50.0, 0.0))   # written people live at once, start or not
    assert ran_each_tick(sim, "people.grow", 1) == [True]
    u = {"u_settling": 0.0, "written": frozenset({"terrain", "carbon"})}
    assert not living(u) and living({**u, "u_settling": 1.0}) and living({**u, "written": {"people"}})
    assert living({"u_settling": 0.0}), "without the written set, always run"


def test_before_start_the_habitat_keeps_a_cadence_and_the_same_means(sim):
    """people.habitat (Pass.when=habitat_due) runs every `habitat_every` ticks before `start`, each run
    weighing as many climate steps, and every tick from then on; the running means it keeps are those of
    an update every tick to within the sampling of the seasons."""
    from planet.stages.people import habitat_due

    means = {}
    for every in (1, 4):
        world(sim, people={"start": 1.0e9, "habitat_every": every})   # the clock at tick 1
        ran = ran_each_tick(sim, "people.habitat", 60)
        assert ran == [every == 1 or (tick % every == 0) for tick in range(1, 61)]
        means[every] = sim.read("people_habitat")
    a, b = means[1], means[4]
    land = LAND & ~PLATEAU
    for k, name in enumerate(("temperature_mean", "temperature_peak")):
        assert np.abs(a[..., k] - b[..., k])[land].max() < 0.5, name          # [°C]
    assert np.abs(a[..., 3] - b[..., 3]).max() < 0.05                         # habitability
    assert habitat_due({"u_habitat_steps": 1.0, "u_tick": 7}) and not habitat_due({"u_habitat_steps": 4.0, "u_tick": 7})
    world(sim, people={"start": 0.0})   # from start on: every tick, one climate step a run
    assert ran_each_tick(sim, "people.habitat", 3) == [True] * 3
    assert sim.stage_uniforms()["people"]["u_habitat_steps"] == 1.0

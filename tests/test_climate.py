"""The climate stage (issue 7) on synthetic planets: what MODEL.md §4 says the climate must show.

Planets are written straight into the terrain field (bedrock = height above sea level [m], sea_level = 0) of the
terrain + climate test scene (scenes/tests/climate.toml, 128x64). Pressure, temperature and wind are
diagnostic, so a test jumps the clock to the season it needs (sim.tick) and steps once.
"""
import numpy as np
import pytest

import planet
from planet import grid
from planet.constants import SECONDS_PER_YEAR
from planet.stages import climate

import backends
import reference_climate as ref
from conftest import BACKENDS, ROOT, TINY_ALL

CLIMATE = ROOT / "scenes" / "tests" / "climate.toml"
W, H = 128, 64
LON, LAT = (np.degrees(a) for a in grid.cell_lonlat(W, H))
OCEAN = np.full((H, W), -4000.0)
JANUARY, APRIL, JULY, OCTOBER = 0.0, 0.25, 0.5, 0.75


def box(lat0, lat1, lon0, lon1):
    return (LAT > lat0) & (LAT < lat1) & (LON > lon0) & (LON < lon1)


def planet_with(make_sim, elevation, backend="fragment", **params):
    """The climate test scene with its terrain replaced by `elevation` [m above sea level], (H, W)."""
    sim = make_sim(CLIMATE, backend=backend)
    if params:
        sim.set_params(climate=params)
    ref.state(sim, "terrain", bedrock=elevation)
    return sim


def at(sim, fraction, year=1):
    """Step once into the given time of year (0 = start of January) and return the quantities."""
    n = sim.params["climate"]["steps_per_year"]
    sim.tick = year * n + round(fraction * n) - 1
    sim.step(1)
    assert sim.year_fraction == pytest.approx(fraction)
    return {q: sim.quantity(q).astype(np.float64) for q in sim.quantities}


def area_mean(x, mask):
    w = grid.area_weights(H)[:, None] * mask
    return float((x * w).sum() / w.sum())


def circulation(q, lat0, lon0, r0=6.0, r1=14.0):
    """Mean wind along (counter-clockwise seen from above) and out of a ring around (lat0, lon0) [m/s]."""
    lo, la = grid.cell_lonlat(W, H)
    x = grid.cell_pos(W, H)
    c = grid.lonlat_pos(np.radians(lon0), np.radians(lat0))
    d = np.degrees(np.arccos(np.clip(x @ c, -1, 1)))
    ring = (d > r0) & (d < r1)
    east, north = grid.tangent_east(lo, la), grid.tangent_north(lo, la)
    v = (q["wind_east"][..., None] * east + q["wind_north"][..., None] * north)[ring]
    along = np.cross(c, x[ring])
    along /= np.linalg.norm(along, axis=-1, keepdims=True)
    out = x[ring] - c
    out -= (out * x[ring]).sum(-1, keepdims=True) * x[ring]
    out /= np.linalg.norm(out, axis=-1, keepdims=True)
    return float((v * along).sum(-1).mean()), float((v * out).sum(-1).mean())


def test_temperature_falls_from_equator_to_poles_and_the_thermal_equator_moves(make_sim):
    sim = planet_with(make_sim, OCEAN)
    for fraction in (APRIL, OCTOBER):   # equinoxes (season 0): symmetric hemispheres
        t = at(sim, fraction)["temperature"].mean(axis=1)
        for hemisphere in (LAT[:, 0] > 0, LAT[:, 0] < 0):
            zonal = t[hemisphere] if hemisphere[-1] else t[hemisphere][::-1]   # equator -> pole
            assert np.all(np.diff(zonal) < 0), f"zonal temperature not falling poleward: {np.round(zonal, 1)}"
        assert t.max() - t.min() > 30
    # The thermal equator follows the sun: south of the equator in January, north in July.
    warmest = {f: LAT[np.argmax(at(sim, f)["temperature"].mean(axis=1)), 0] for f in (JANUARY, JULY)}
    assert warmest[JANUARY] < 0 < warmest[JULY], warmest


def test_temperature_falls_with_height(make_sim):
    """Same coastline, land raised by 3 km: everywhere on land colder by lapse_rate x 3 km (pressure
    depends on the coastline only), and within one planet a mountain range is colder than the lowland."""
    land = box(-40, 40, -60, 60)
    low = planet_with(make_sim, np.where(land, 1.0, -4000.0))
    high = planet_with(make_sim, np.where(land, 3001.0, -4000.0))
    drop = at(low, APRIL)["temperature"] - at(high, APRIL)["temperature"]
    np.testing.assert_allclose(drop[land], 3.0 * low.params["climate"]["lapse_rate"], atol=1e-3)
    np.testing.assert_allclose(drop[~land], 0.0, atol=1e-3)
    ridge = land & (np.abs(LON) < 10)
    sim = planet_with(make_sim, np.where(ridge, 4000.0, np.where(land, 100.0, -4000.0)))
    t = at(sim, APRIL)["temperature"]
    for j in np.unique(np.nonzero(ridge)[0]):
        lowland = land[j] & (np.abs(LON[j]) > 20) & (np.abs(LON[j]) < 40)
        assert t[j, ridge[j]].mean() < t[j, lowland].mean() - 15


def test_summer_hemisphere_is_warmer(make_sim):
    sim = planet_with(make_sim, np.where(box(10, 60, -40, 60) | box(-50, -15, 100, 150), 300.0, -4000.0))
    north, south = LAT > 0, LAT < 0
    jan, jul = at(sim, JANUARY)["temperature"], at(sim, JULY)["temperature"]
    assert area_mean(jan, south) > area_mean(jan, north) + 3
    assert area_mean(jul, north) > area_mean(jul, south) + 3
    # Every latitude band is warmer in its own summer.
    for lo, hi in ((15, 30), (30, 45), (45, 60), (60, 75)):
        band_n, band_s = (LAT > lo) & (LAT < hi), (LAT > -hi) & (LAT < -lo)
        assert area_mean(jul, band_n) > area_mean(jan, band_n)
        assert area_mean(jan, band_s) > area_mean(jul, band_s)


def test_winds_circle_lows_counter_clockwise_in_the_north_clockwise_in_the_south(make_sim):
    """A mid-latitude continent is a heat low in its summer and a cold high in its winter."""
    north, south = box(35, 55, -60, 0), box(-55, -35, 60, 120)
    sim = planet_with(make_sim, np.where(north | south, 300.0, -4000.0))
    jan, jul = at(sim, JANUARY), at(sim, JULY)
    for q, land, low in ((jul, north, True), (jan, south, True), (jan, north, False), (jul, south, False)):
        around = ~land & box(-80, 80, -180, 180) & (np.abs(LAT) > 20)
        assert (area_mean(q["pressure"], land) < area_mean(q["pressure"], around)) == low
    spin_n_low, out_n_low = circulation(jul, 45, -30)
    spin_s_low, out_s_low = circulation(jan, -45, 90)
    assert spin_n_low > 0.5 and out_n_low < 0, "northern low: counter-clockwise, spiralling in"
    assert spin_s_low < -0.5 and out_s_low < 0, "southern low: clockwise, spiralling in"
    assert circulation(jan, 45, -30)[0] < -0.5 and circulation(jul, -45, 90)[0] > 0.5, "highs turn the other way"


def test_trade_winds_and_westerlies_over_the_ocean(make_sim):
    sim = planet_with(make_sim, np.where(box(10, 60, -40, 60) | box(-50, -15, 100, 150), 300.0, -4000.0))
    sea = np.ones((H, W), bool) & ~(box(10, 60, -40, 60) | box(-50, -15, 100, 150))
    for fraction in (JANUARY, APRIL, JULY, OCTOBER):
        u = at(sim, fraction)["wind_east"]
        for lo, hi in ((5, 25), (-25, -5)):
            assert area_mean(u, sea & (LAT > lo) & (LAT < hi)) < -2, f"no easterly trades at {lo}..{hi}"
        for lo, hi in ((35, 55), (-55, -35)):
            assert area_mean(u, sea & (LAT > lo) & (LAT < hi)) > 2, f"no westerlies at {lo}..{hi}"


def test_monsoon_winds_reverse_over_a_large_continent(make_sim):
    land = box(10, 60, -40, 60)
    sim = planet_with(make_sim, np.where(land, 300.0, -4000.0))
    jan, jul = at(sim, JANUARY), at(sim, JULY)
    coast = box(0, 9, -40, 60)   # the sea off the continent's south coast
    assert area_mean(jan["wind_north"], coast) < -2, "winter monsoon: offshore, out of the cold high"
    assert area_mean(jul["wind_north"], coast) > 2, "summer monsoon: onshore, into the heat low"
    assert area_mean(jan["pressure"], land) > area_mean(jul["pressure"], land) + 10
    div_jul = sim.channel("lift", "divergence")   # [1/s]
    at(sim, JANUARY, year=2)
    div_jan = sim.channel("lift", "divergence")
    assert area_mean(div_jan, land) > 0 > area_mean(div_jul, land), "air leaves the land in winter, converges in summer"


def test_rain_falls_on_the_windward_side_of_a_mountain_range(make_sim):
    """A north-south ridge crossing the trades (easterlies) and the westerlies: the wet side flips."""
    strip = (np.abs(LON) < 12) & (((LAT > 35) & (LAT < 60)) | ((LAT > 5) & (LAT < 25)))
    sim = planet_with(make_sim, np.where(strip, 200.0 + 3000.0 * np.clip(1 - np.abs(LON) / 12, 0, 1), -4000.0))
    sim.step(40)   # vapour spin-up (its residence time is days; a step is two days)
    rain = np.zeros((H, W))
    for _ in range(45):
        sim.step(1)
        rain += sim.channel("precipitation", "rate") / 45   # this step's rate [mm/yr]
    west, east = strip & (LON < -2), strip & (LON > 2)
    westerlies, trades = (LAT > 38) & (LAT < 57), (LAT > 8) & (LAT < 22)
    assert rain[west & westerlies].mean() > 3 * rain[east & westerlies].mean() + 50
    assert rain[east & trades].mean() > 3 * rain[west & trades].mean() + 50
    # The lee is also where the air is drier.
    w = sim.quantity("vapour")
    assert w[east & westerlies].mean() < w[west & westerlies].mean()
    assert w[west & trades].mean() < w[east & trades].mean()


def test_precipitation_is_the_erosion_stages_rain_in_mm_per_year(make_sim):
    """The contract with erosion: field `precipitation`, channel `annual`, mm per simulated year, >= 0; on an
    Earth-like planet (30 % land) its global mean is Earth-like."""
    land = box(10, 60, -40, 60) | box(-50, -15, 100, 150) | box(-35, 10, -80, -40)
    sim = planet_with(make_sim, np.where(land, 300.0, -4000.0))
    sim.step(sim.params["climate"]["steps_per_year"] + 30)   # a year and a bit: the annual mean settles
    field = sim.channel("precipitation", "annual")
    assert sim.quantities["precipitation"] == "mm/yr"
    assert np.array_equal(field, sim.quantity("precipitation")) and (field >= 0).all()
    mean = area_mean(field, np.ones((H, W), bool))
    assert 500 < mean < 2000, f"global mean precipitation {mean:.0f} mm/yr"
    assert area_mean(field, land) < area_mean(field, ~land), "continental interiors are drier than the sea"


@pytest.mark.parametrize("backend", BACKENDS)
def test_water_stays_bounded_and_finite_over_a_simulated_decade(make_sim, backend):
    """The tiny protoplanet from molten to flooded (dt = 1 Myr), ten climate years: no NaN/Inf anywhere
    (pole rows and equator included), vapour and soil moisture within their bounds, rain >= 0."""
    sim = make_sim(CLIMATE, backend=backend, grid="64x32")
    sim.dt = 1.0e6
    n = sim.params["climate"]["steps_per_year"]
    cap = sim.params["climate"]["soil_capacity"]
    hv = sim.params["climate"]["vapour_height"]
    for _ in range(10):
        sim.step(n)
        for name in sim.fields:
            f = sim.read(name)
            assert np.isfinite(f).all(), f"{name} has NaN/Inf after {sim.tick} ticks"
        column = sim.channel("vapour", "column")
        assert (column >= 0).all() and all((sim.channel("vapour", c) >= 0).all() for c in ("rain", "evaporation"))
        assert column.max() <= 1.01 * ref.saturation_column(60.0, hv), "more vapour than air at 60 °C holds"
        # Air arriving at a peak (the protoplanet's crater rims reach 12-14 km) rains out its excess in one
        # implicit step of the climate step over rain_time, which leaves 1 / (1 + step / rain_time) of the
        # column it brought (~4 %): so the bound allows that share of the largest column nearby.
        u = sim.stage_uniforms()["climate"]
        kept = 1.0 / (1.0 + u["u_step_seconds"] / u["u_rain_seconds"])
        nearby = np.max([np.roll(column, (dj, di), (0, 1)) for dj in range(-2, 3) for di in range(-2, 3)], 0)
        assert (column <= 2.0 * sim.channel("lift", "saturation") + 0.1 + kept * nearby).all(), \
            "vapour far above saturation [mm]"
        soil = sim.channel("precipitation", "soil")
        assert (soil >= 0).all() and (soil <= cap).all()
        assert all((sim.channel("precipitation", c) >= 0).all() for c in ("annual", "runoff", "rate"))
    assert sim.years >= 10 * n * 1.0e6 and sim.channel("terrain", "sea_level").max() > 0, "the oceans filled"
    a = sim.read("atmosphere")
    wind = np.stack([sim.channel("atmosphere", c) for c in ("wind_east", "wind_north")], -1)
    for row in (0, 15, 16, 31):   # pole rows and the rows at the equator
        assert np.isfinite(a[row]).all() and np.abs(wind[row]).max() < 60


def test_backends_agree(make_sim):
    """Bit for bit on llvmpipe; on other drivers pass by pass within a bound (tests/backends.py)."""
    sims = {b: make_sim(CLIMATE, backend=b, grid="64x32") for b in BACKENDS}
    for sim in sims.values():
        sim.dt = 2.0e6
    backends.assert_agree(sims["fragment"], sims["compute"], 90,
                          ("land_blur", "mslp", "mslp_north", "atmosphere", "lift", "flow", "vapour", "precipitation",
                           "clouds", "ice"))


def test_deterministic_and_checkpoints_resume_exactly(make_sim, ctx, tmp_path):
    a, b = make_sim(CLIMATE, grid="64x32"), make_sim(CLIMATE, grid="64x32")
    for sim in (a, b):
        sim.step(25)
    path = a.save(tmp_path / "climate.npz")
    a.step(20)
    resumed = planet.Simulation.load(path, ctx=ctx)
    try:
        resumed.step(20)
        b.step(20)
        for name in ("atmosphere", "vapour", "precipitation", "clouds", "ice"):
            assert np.array_equal(a.read(name), b.read(name)), f"{name}: same scene and ticks, other result"
            assert np.array_equal(a.read(name), resumed.read(name)), f"{name}: resumed run differs"
    finally:
        resumed.release()
    b.reset()
    b.step(45)
    assert np.array_equal(a.read("vapour"), b.read("vapour"))


def test_with_every_stage_the_rain_reaches_erosion(make_sim):
    """In the full story (every registered stage), stages after climate read its precipitation (the
    erosion stage's optional read resolves to it), and the climate stays finite as plates move."""
    sim = make_sim(TINY_ALL)
    if "climate" not in sim.scene.stages:
        pytest.skip("no climate stage registered")
    readers = [p.name for st in sim.stages if st.name != "climate" for p in st.step if "precipitation" in p.reads]
    if "erosion" in sim.scene.stages:
        assert readers, "the erosion stage does not read the climate's precipitation"
    sim.step(sim.params["climate"]["steps_per_year"] + 20)
    for name in ("atmosphere", "vapour", "precipitation"):
        assert np.isfinite(sim.read(name)).all()
    assert sim.channel("precipitation", "annual").max() > 0


def test_season_clock(make_sim):
    sim = make_sim(CLIMATE, grid="32x16")
    n = sim.params["climate"]["steps_per_year"]
    assert sim.year_fraction == 0.0 and sim.season == 1.0
    sim.step(n // 2)
    assert sim.year_fraction == pytest.approx(0.5) and sim.season == pytest.approx(-1.0)
    sim.step(n // 4)
    assert sim.year_fraction == pytest.approx(0.75) and abs(sim.season) < 1e-9
    sim.step(n // 4)
    assert sim.year_fraction == 0.0 and sim.season == 1.0
    assert climate.year_fraction({"steps_per_year": 12}, 27) == pytest.approx(0.25)
    no_climate = make_sim({"planet": {"grid": "32x16", "stages": ["terrain"]}})
    with pytest.raises(planet.PlanetError, match="seasons need the climate stage") as err:
        _ = no_climate.season
    assert "\n" not in str(err.value)
    with pytest.raises(planet.PlanetError, match="climate"):
        _ = no_climate.year_fraction


def test_declarations_params_and_errors():
    st = climate.STAGE
    assert {f.name for f in st.fields} >= {"atmosphere", "vapour", "precipitation"}
    assert not any(f.carried for f in st.fields), "the atmosphere does not ride on the plates"
    assert {q.name: q.unit for q in st.quantities}.items() >= {
        "pressure": "hPa", "temperature": "°C", "wind_east": "m/s", "wind_north": "m/s", "vapour": "mm",
        "precipitation": "mm/yr", "soil_moisture": "mm"}.items()
    for p in st.params:
        assert p.doc and p.lo is not None and p.hi is not None and p.lo <= p.default <= p.hi, p.name
    with pytest.raises(planet.SceneError, match=r"climate\.steps_per_year = 0 is out of range") as err:
        planet.load_scene({"planet": {"stages": ["terrain", "climate"]}, "climate": {"steps_per_year": 0}})
    assert "\n" not in str(err.value)
    with pytest.raises(planet.SceneError, match="did you mean 'blur_sigma'"):
        planet.load_scene({"planet": {"stages": ["terrain", "climate"]}, "climate": {"blur_sgima": 12}})
    d = climate.derive(climate.STAGE.defaults(), 0.0)
    assert d["step_seconds"] == pytest.approx(SECONDS_PER_YEAR / 180)
    assert d["omega"] == pytest.approx(7.292e-5, rel=1e-3)


def test_pressure_blur_keeps_its_cadence_and_sees_edits_at_once(make_sim, ctx, tmp_path):
    """The pressure blur (40 % of the climate's work) runs on the ticks divisible by pressure_every and in
    the tick after an edit: on still land every field is bit for bit that of pressure_every = 1; a coast
    moved inside the tick (as the plates move it) reaches the pressure at the next multiple; a written
    one at once; a checkpoint keeps a pending edit."""
    land = box(-30, 40, -60, 30)
    every = planet_with(make_sim, np.where(land, 300.0, -4000.0), pressure_every=1)
    cadence = planet_with(make_sim, np.where(land, 300.0, -4000.0))
    assert cadence.params["climate"]["pressure_every"] == 4
    for sim in (every, cadence):
        sim.step(7)
    for name in cadence.fields:
        assert np.array_equal(every.read(name), cadence.read(name)), f"{name}: still land, other bits"
    # A coast moved without an edit (what a tick of the plates does): the blur waits for tick 8.
    moved = cadence.read("terrain")
    grown = box(-30, 40, 30, 50)
    moved[grown, 0] = moved[grown, 1] + 300.0   # the continent grows east
    for sim in (every, cadence):
        sim.write("terrain", moved)
        sim.edited = False
    before = cadence.read("mslp")
    cadence.step(1)      # tick 7 -> 8: not due
    every.step(1)
    assert np.array_equal(cadence.read("mslp"), before), "blurred off its cadence"
    assert not np.array_equal(every.read("mslp"), before), "test premise: the moved coast changes the pressure"
    cadence.step(1)      # tick 8: due
    every.step(1)
    assert np.array_equal(every.read("mslp"), cadence.read("mslp"))
    # An edit is seen at the next tick, also across a checkpoint saved before it.
    moved[box(-50, -30, -60, 30), 0] = moved[box(-50, -30, -60, 30), 1] + 300.0   # and south
    for sim in (every, cadence):
        sim.write("terrain", moved)
    path = cadence.save(tmp_path / "edited.npz")
    resumed = planet.Simulation.load(path, ctx=ctx)
    try:
        for sim in (every, cadence, resumed):
            sim.step(1)   # tick 9: not due, but edited
        assert np.array_equal(every.read("mslp"), cadence.read("mslp")), "the edit waited for the cadence"
        assert np.array_equal(cadence.read("mslp"), resumed.read("mslp")), "the checkpoint lost the pending edit"
    finally:
        resumed.release()
    # ... and none that is not pending: a coast moved by a tick (no edit), saved, resumed off the cadence.
    moved[box(40, 60, -60, 30), 0] = moved[box(40, 60, -60, 30), 1] + 300.0
    cadence.write("terrain", moved)
    cadence.edited = False
    before = cadence.read("mslp")
    resumed = planet.Simulation.load(cadence.save(tmp_path / "moved.npz"), ctx=ctx)
    try:
        for sim in (cadence, resumed):
            sim.step(1)   # tick 10 -> 11: not due
            assert np.array_equal(sim.read("mslp"), before), "blurred off its cadence after a resume"
    finally:
        resumed.release()

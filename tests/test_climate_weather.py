"""Issue 15's climate by its properties on a small Earth-like planet (128x64, ~30 % land): the rain band
follows the thermal equator with soft edges and an Earth-like peak; clouds form where air rises, clear
where it sinks and move with the wind; sea ice and snow lie where it is cold and nowhere warm."""
import numpy as np
import pytest

from planet import grid
from planet.constants import SECONDS_PER_DAY, SECONDS_PER_HOUR

import reference_climate as ref
from conftest import ROOT

CLIMATE = ROOT / "scenes" / "tests" / "climate.toml"
W, H = 128, 64
LON, LAT = (np.degrees(a) for a in grid.cell_lonlat(W, H))
ROWS = LAT[:, 0]
WEIGHT = grid.area_weights(H)


def box(lat0, lat1, lon0, lon1):
    return (LAT > lat0) & (LAT < lat1) & (LON > lon0) & (LON < lon1)


# Three continents, 30 % of the surface; the northern one is Asia-sized (the monsoon).
LAND = box(10, 60, -40, 60) | box(-50, -15, 100, 150) | box(-35, 10, -80, -40)


def earthlike(make_sim):
    sim = make_sim(CLIMATE, backend="fragment")
    ref.state(sim, "terrain", bedrock=np.where(LAND, 300.0, -4000.0))
    return sim


def month(sim, steps=15):
    """Mean precipitation rate [mm/yr] over the next `steps` climate steps (15 = a month)."""
    acc = np.zeros((H, W))
    for _ in range(steps):
        sim.step(1)
        acc += sim.channel("precipitation", "rate") / steps
    return acc


@pytest.fixture(scope="module")
def seasons(gl_ctx):
    """Mid-January and mid-July of the second year: rain, clouds, temperature, ice (fields as arrays)."""
    import planet
    from planet import gl
    gl.make_current(gl_ctx)
    sim = planet.Simulation(gl_ctx, CLIMATE, backend="fragment")
    try:
        ref.state(sim, "terrain", bedrock=np.where(LAND, 300.0, -4000.0))
        n = sim.params["climate"]["steps_per_year"]
        sim.step(n - 8)                       # a year of spin-up, to the end of December
        out = {}
        for name, skip in (("jan", 0), ("jul", n // 2 - 15)):
            sim.step(skip)
            rain = month(sim)
            out[name] = {"rain": rain, "clouds": sim.channel("clouds", "cover"),
                         "rise": sim.channel("lift", "rise"), "temperature": sim.quantity("temperature"),
                         "ice": sim.read("ice"), "cloud_cover": sim.scalar("cloud_cover")}
        return out
    finally:
        sim.release()


def zonal(x):
    return x.mean(axis=1)


def band(z):
    """(latitude of the zonal maximum, its value, full width at half maximum [degrees]) of the tropical band."""
    tropics = np.abs(ROWS) < 30
    j = int(np.argmax(np.where(tropics, z, -1)))
    a = b = j
    while a > 0 and z[a - 1] >= z[j] / 2:
        a -= 1
    while b < H - 1 and z[b + 1] >= z[j] / 2:
        b += 1
    return ROWS[j], z[j], ROWS[b] - ROWS[a] + 180 / H


def test_rain_band_follows_the_thermal_equator_with_soft_edges_and_an_earthlike_peak(seasons):
    jan, jul = (band(zonal(seasons[k]["rain"])) for k in ("jan", "jul"))
    for (_, peak, width), key, name in ((jan, "jan", "January"), (jul, "jul", "July")):
        # Earth (GPCP): ~2,000-2,500 mm/yr in the zonal mean; the Cookbook winds alone gave 18,700 in a 6° bar.
        assert 2000 < peak < 3800, f"{name}: zonal-mean peak {peak:.0f} mm/yr"
        assert 12 < width < 35, f"{name}: rain band {width:.1f}° wide at half maximum"
        z = zonal(seasons[key]["rain"])
        steps = np.abs(np.diff(z[np.abs(ROWS) < 30]))
        assert steps.max() < 0.5 * peak, f"{name}: a hard edge, {steps.max():.0f} mm/yr from one row to the next"
        # Local maxima a few thousand: GPCP's wettest 2.5° cells in a month (the Bay of Bengal, the warm
        # pool, the Andes' Pacific foot) reach 16-20 mm/day, ~6,000-7,300 mm/yr.
        assert seasons[key]["rain"].max() < 7500, "local maxima a few thousand"
    # The band follows the sun (Earth's zonal mean: ~2° S in January to ~9° N in July, Schneider et al. 2014).
    assert jul[0] >= 3 and jan[0] <= -3, f"rain band at {jan[0]:.1f}° in January, {jul[0]:.1f}° in July"
    assert jul[0] - jan[0] >= 8
    # It bends with the continents: it reaches further into the summer hemisphere over a continent's
    # longitudes (monsoons) than over the open ocean.
    def peak_lat(rain, cols):
        z = rain[:, cols].mean(axis=1)
        return ROWS[int(np.argmax(np.where(np.abs(ROWS) < 30, z, -1)))]

    ocean = (LON[0] > -170) & (LON[0] < -90)
    north, south = (LON[0] > -30) & (LON[0] < 50), (LON[0] > 100) & (LON[0] < 150)
    jul_land, jul_sea = peak_lat(seasons["jul"]["rain"], north), peak_lat(seasons["jul"]["rain"], ocean)
    jan_land, jan_sea = peak_lat(seasons["jan"]["rain"], south), peak_lat(seasons["jan"]["rain"], ocean)
    assert jul_land >= jul_sea + 2, f"July rain band at {jul_land:.1f}° by the northern continent, {jul_sea:.1f}° at sea"
    assert jan_land <= jan_sea - 2, f"January rain band at {jan_land:.1f}° by the southern continent, {jan_sea:.1f}° at sea"


def test_clear_subtropics_cloudy_tropics_and_a_mostly_clear_satellite_view(seasons):
    for name in ("jan", "jul"):
        s = seasons[name]
        c = zonal(s["clouds"])
        itcz = band(zonal(s["rain"]))[0]
        tropics = np.abs(ROWS - itcz) < 8
        subtropics = (np.abs(ROWS) > 18) & (np.abs(ROWS) < 32)
        clear_trop = 1 - (c * WEIGHT)[tropics].sum() / WEIGHT[tropics].sum()
        clear_sub = 1 - (c * WEIGHT)[subtropics].sum() / WEIGHT[subtropics].sum()
        assert clear_sub > clear_trop + 0.3, f"{name}: clear sky {clear_sub:.2f} subtropics, {clear_trop:.2f} tropics"
        assert clear_sub > 0.7
        # Clouds where air rises, not where it sinks.
        assert s["clouds"][s["rise"] > 2e-3].mean() > 2 * s["clouds"][s["rise"] < -2e-3].mean()
        assert 0.2 < s["cloud_cover"] < 0.55, f"{name}: global cloud cover {s['cloud_cover']:.2f}"


def test_clouds_move_with_the_wind_between_two_ticks(make_sim):
    """A cloud written into dry westerlies: one step of the vapour pass (which carries the clouds) takes it downwind by the wind
    times the step, and it fades by 1 / (1 + step / cloud_lifetime) as nothing renews it."""
    sim = earthlike(make_sim)
    sim.step(20)
    # Dry air that stays dry (no vapour, no evaporation): no rain, no humidity, so it forms no cloud.
    ref.state(sim, "vapour", column=0.0)
    lift = sim.read("lift")
    lift[..., sim.field_spec("lift").channel_index("evaporation")] = 0.0
    sim.write("lift", lift)
    ring = grid.cell_pos(W, H) @ grid.lonlat_pos(np.radians(-150.0), np.radians(45.0))
    blob = np.exp(-0.5 * (np.degrees(np.arccos(np.clip(ring, -1, 1))) / 6.0) ** 2)
    ref.state(sim, "clouds", cover=blob)
    sim.run_passes(["climate.vapour"])   # which carries the clouds too
    after = sim.channel("clouds", "cover").astype(np.float64)
    p = sim.params["climate"]
    h = SECONDS_PER_DAY * 365.25 / p["steps_per_year"]
    k = h / (p["cloud_lifetime"] * SECONDS_PER_HOUR)
    area = grid.area_weights(H)[:, None]
    # Fades by 1 / (1 + k): its top exactly (up to the interpolation), its total roughly (semi-Lagrangian
    # transport in a slightly divergent wind does not conserve it).
    assert after.max() == pytest.approx(blob.max() / (1 + k), rel=0.1), "fades by 1 / (1 + k)"
    assert (after * area).sum() == pytest.approx((blob * area).sum() / (1 + k), rel=0.25)
    # The centroid moves east with the westerlies, as far as the wind blows in a step.
    u = sim.quantity("wind_east")[blob > 0.5].mean()
    assert u > 3, "test premise: westerlies"

    def lon_centre(c):
        w = c * area
        return float(np.degrees(np.angle((w * np.exp(1j * np.radians(LON))).sum())))

    moved_km = (lon_centre(after) - lon_centre(blob)) * np.pi / 180 * 6371.0 * np.cos(np.radians(45.0))
    assert moved_km == pytest.approx(u * h / 1000.0, rel=0.35), f"moved {moved_km:.0f} km, wind {u:.1f} m/s"


def test_ice_pass_matches_its_rule(make_sim):
    """Sea ice relaxes to clamp((-1.8 - T) / ramp, 0, 1) over 30 days; snow accumulates what falls below
    0 °C and melts by degree-days; the cover is the sea ice at sea and the snow cover on land."""
    sim = earthlike(make_sim)
    sim.step(3)
    temp = np.broadcast_to(np.linspace(-30.0, 20.0, W)[None, :], (H, W)).copy()
    atm = sim.read("atmosphere")
    atm[..., 1] = temp
    sim.write("atmosphere", atm)
    rng = np.random.default_rng(5)
    old_sea, old_snow = rng.uniform(0, 1, (H, W)), rng.uniform(0, 300, (H, W))
    ref.state(sim, "ice", sea_ice=np.where(LAND, 0, old_sea), snow=np.where(LAND, old_snow, 0))
    sim.run_passes(["climate.vapour", "climate.surface"])   # the vapour, then sea ice, snow and the soil under it
    rain = sim.channel("vapour", "rain").astype(np.float64)   # this step's, as the pass wrote it
    got = sim.read("ice").astype(np.float64)
    p = sim.params["climate"]
    h = 365.25 / p["steps_per_year"]   # [days]
    k = h / 30.0
    sea = (old_sea + k * np.clip((-1.8 - temp) / p["sea_ice_ramp"], 0, 1)) / (1 + k)
    fall = np.clip(0.5 - 0.5 * temp, 0, 1) * rain / 365.25
    snow = np.clip(old_snow + h * (fall - p["snow_melt"] * np.maximum(temp, 0)), 0, 10000)
    np.testing.assert_allclose(got[..., 0], np.where(LAND, 0, sea), atol=1e-5)
    np.testing.assert_allclose(got[..., 1], np.where(LAND, snow, 0), atol=1e-3)
    np.testing.assert_allclose(got[..., 2], np.where(LAND, np.minimum(snow / 20, 1), sea), atol=1e-5)


def test_ice_where_it_is_cold_none_where_it_is_warm(seasons):
    for name in ("jan", "jul"):
        s = seasons[name]
        t, ice = s["temperature"], s["ice"]
        sea = ~LAND
        assert ice[..., 0][sea & (t < -15)].mean() > 0.8, f"{name}: frozen seas"
        assert ice[..., 0][sea & (t > 5)].max() < 0.05, f"{name}: sea ice in warm water"
        assert (ice[..., 0][LAND] == 0).all() and (ice[..., 1][sea] == 0).all()
        assert ice[..., 1][LAND & (t > 10)].max() == 0, f"{name}: snow where it is warm"
    # Snow lies on the northern continent's cold interior in January and is gone from it in July.
    north = LAND & (LAT > 45)
    jan, jul = seasons["jan"]["ice"][..., 2][north].mean(), seasons["jul"]["ice"][..., 2][north].mean()
    assert jan > 0.5 and jan > jul + 0.3, f"snow cover {jan:.2f} in January, {jul:.2f} in July"

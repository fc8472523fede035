"""The climate's layers: legends, colours that follow the fields, wind arrows that follow the wind and
move with the tick, clouds from vapour on the satellite view (and none without a climate), goldens."""
import imageio.v3 as iio
import numpy as np
import pytest

from planet import gl, grid
from planet.overlay import Overlay

from conftest import GOLDENS, ROOT

CLIMATE = ROOT / "scenes" / "tests" / "climate.toml"
W, H = 128, 64
LON, LAT = (np.degrees(a) for a in grid.cell_lonlat(W, H))


def continents():
    land = (((LAT > 10) & (LAT < 60) & (LON > -40) & (LON < 60))
            | ((LAT > -50) & (LAT < -15) & (LON > 100) & (LON < 150)))
    ridge = land & (np.abs(LON - 10) < 6)
    return np.where(ridge, 3500.0, np.where(land, 300.0, -4000.0))


def synthetic(make_sim, elevation=None, ticks=60):
    sim = make_sim(CLIMATE, backend="fragment")
    t = np.zeros((H, W, 4), np.float32)
    t[..., 0] = continents() if elevation is None else elevation
    sim.write("terrain", t)
    sim.step(ticks)
    return sim


def cells(image):
    """A W x H map snapshot as (H, W, 3) floats with row 0 = south, like the fields."""
    return image[::-1].astype(np.float64)


def test_layers_and_legends(make_sim, ctx):
    sim = make_sim(CLIMATE, grid="32x16")
    units = {name: sim.layers[name].legend.unit for name in ("temperature", "pressure", "precipitation")}
    assert units == {"temperature": "°C", "pressure": "hPa", "precipitation": "mm/yr"}
    overlay = Overlay(ctx)
    try:
        for name in units:   # the legend's colour bar uses the layer's own colormap
            overlay.program(sim.layers[name].legend.colormap)
    finally:
        overlay.release()
    for view in ("map", "globe"):
        for name in (*units, "satellite"):
            img = sim.snapshot(view, name, (48, 24))
            assert img.shape == (24, 48, 3) and img.std() > 1


def test_temperature_and_precipitation_colours_follow_the_fields(make_sim):
    sim = synthetic(make_sim)
    temp = cells(sim.snapshot("map", "temperature", (W, H)))
    t = sim.quantity("temperature")
    warm, cold = t > 20, t < -5
    assert temp[warm][:, 0].mean() > temp[warm][:, 2].mean() + 60, "warm air is drawn red"
    assert temp[cold][:, 2].mean() > temp[cold][:, 0].mean() + 60, "cold air is drawn blue"
    rain = cells(sim.snapshot("map", "precipitation", (W, H)))
    p = sim.read("precipitation")[..., 0]
    blueness = rain[..., 2] - rain[..., 0]
    sea = sim.quantity("elevation") < -100
    assert np.corrcoef(np.minimum(p[sea], 2000), blueness[sea])[0, 1] > 0.7, "wetter is bluer"


def test_wind_arrows_follow_the_wind_and_move_with_the_tick(make_sim):
    sim = synthetic(make_sim, np.full((H, W), -4000.0), ticks=1)
    size = (4 * W, 4 * H)
    frames = {k: sim.viewer.snapshot("map", "pressure", size, {**sim.builtins(), "u_tick": k}).astype(float)
              for k in (100, 100, 103)}
    again = sim.viewer.snapshot("map", "pressure", size, {**sim.builtins(), "u_tick": 100}).astype(float)
    assert np.array_equal(frames[100], again), "the picture is a function of the fields and the tick"
    moved = np.abs(frames[103] - frames[100]).max(axis=-1)
    assert 0.005 < (moved > 30).mean() < 0.5, "arrows move, the map under them does not"
    # In the trade-wind belts the wind blows along the parallels, so the arrows run east-west:
    # brightness changes much more from row to row than from column to column.
    lat = 90 - (np.arange(size[1]) + 0.5) * 180 / size[1]
    trades = (np.abs(lat) > 8) & (np.abs(lat) < 22)
    lum = frames[100].mean(axis=-1)[trades]
    across, along = np.abs(np.diff(lum, axis=0)).mean(), np.abs(np.diff(lum, axis=1)).mean()
    u, v = sim.quantity("wind_east"), sim.quantity("wind_north")
    band = (np.abs(LAT) > 8) & (np.abs(LAT) < 22)
    assert np.abs(u[band]).mean() > np.abs(v[band]).mean(), "test premise: zonal trades"
    assert across > 1.3 * along, f"arrows not along the wind: {across:.2f} vs {along:.2f}"


def test_clouds_come_from_vapour(make_sim):
    sim = synthetic(make_sim, ticks=5)
    v = sim.read("vapour")
    dry, wet = v.copy(), v.copy()
    dry[..., (1, 3)] = 0.0       # no rain, no humidity: no clouds
    wet[..., 3] = 1.0            # saturated everywhere: overcast
    sim.write("vapour", dry)
    clear = sim.snapshot("map", "satellite", (W, H)).astype(float)
    sim.write("vapour", wet)
    overcast = sim.snapshot("map", "satellite", (W, H)).astype(float)
    terrain_only = make_sim({"planet": {"grid": f"{W}x{H}", "stages": ["terrain"]}}, backend="fragment")
    terrain_only.write("terrain", sim.read("terrain"))
    assert np.array_equal(clear, terrain_only.snapshot("map", "satellite", (W, H)).astype(float)), \
        "dry air draws exactly the cloudless planet"
    assert overcast.mean() > clear.mean() + 40 and overcast.std(axis=-1).mean() < clear.std(axis=-1).mean()


def test_terrain_only_satellite_is_byte_identical(make_sim, ctx):
    """The clouds are compiled out without a climate: the terrain-only picture is the one made before
    clouds existed (tests/goldens/satellite_terrain_only_256x128.png, from the original satellite.glsl)."""
    sim = make_sim({"planet": {"seed": 5, "grid": "256x128", "dt": 1e6, "stages": ["terrain"]},
                    "terrain": {"fbm_octaves": 4}}, backend="fragment")
    sim.step(650)
    img = sim.snapshot("map", "satellite", (256, 128))
    if "llvmpipe" not in gl.describe(ctx)["renderer"]:
        pytest.skip("the reference picture was rendered on llvmpipe")
    assert np.array_equal(img, iio.imread(GOLDENS / "satellite_terrain_only_256x128.png")[..., :3])


@pytest.mark.parametrize("view,layer", [("map", "temperature"), ("map", "pressure"), ("map", "precipitation"),
                                        ("globe", "satellite")])
def test_golden(make_sim, golden, view, layer):
    sim = synthetic(make_sim)
    sim.camera.yaw, sim.camera.pitch = 10.0, 25.0
    size = (256, 128) if view == "map" else (128, 128)
    golden(f"climate_{view}_{layer}_{size[0]}x{size[1]}", sim.snapshot(view, layer, size))

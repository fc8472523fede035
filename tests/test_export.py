"""Export and import (issue 8): heightmaps (16-bit PNG + sidecar, float32 GeoTIFF), fields, views at
any size, cube maps; heightmap and land-mask import; `planet export`. Round trips hold within one
16-bit step, the GeoTIFF places pixel (0, 0) at lon -180, lat +90, and every error is one line that
leaves nothing written."""
from __future__ import annotations

import json
import os
import signal
import struct

import imageio.v3 as iio
import numpy as np
import pytest
import tifffile
from PIL import Image

import planet
import planet.atomic
from planet import export as export_mod
from planet import geotiff, grid as sphere, maps
from planet.export_cli import export_main
from planet.stages.terrain import COAST_M

from conftest import BACKENDS, TINY


def with_ocean(make_sim, **kw):
    """The tiny planet with its ocean filled (so elevation has both signs) after a few ticks."""
    sim = make_sim(**kw)
    sim.set_params(terrain={"ocean_start": 0.0, "ocean_fill": 1.0})
    sim.step(2)
    return sim


def error(call, match=None, kind=planet.PlanetError) -> str:
    with pytest.raises(kind) as exc:
        call()
    msg = str(exc.value)
    assert "\n" not in msg, f"errors are one line: {msg!r}"
    if match:
        assert match in msg, f"{match!r} not in {msg!r}"
    return msg


def listing(folder):
    return sorted(os.listdir(folder))


def decode_png16(path):
    meta = json.loads(maps.sidecar_path(path).read_text())
    grey = iio.imread(path)
    assert grey.dtype == np.uint16
    return meta["offset"] + meta["step"] * grey.astype(np.float64), meta


# -- sampling ---------------------------------------------------------------------------------------

def test_sample_matches_grid_sample_rules():
    rng = np.random.default_rng(1)
    src = rng.normal(size=(8, 16))
    lon, lat = maps.cell_lonlat((16, 8))
    np.testing.assert_allclose(maps.sample(src, lon, lat), src, atol=1e-12)   # cell centres: exact
    # The +-180 seam wraps: halfway between the last and first column.
    np.testing.assert_allclose(maps.sample(src, -180.0, lat[:, 0]), 0.5 * (src[:, -1] + src[:, 0]), atol=1e-12)
    # At a pole the sample is halfway between a cell and the cell on the opposite meridian.
    got = maps.sample(src, lon[0], 90.0)
    np.testing.assert_allclose(got, 0.5 * (src[-1] + np.roll(src[-1], -8)), atol=1e-12)
    # resample: image row 0 = north onto a grid with row 0 = south.
    np.testing.assert_allclose(maps.resample(src[::-1], (16, 8)), src, atol=1e-12)
    # A finer grid of a smooth function is reproduced closely (bilinear).
    fine_lon, fine_lat = maps.cell_lonlat((64, 32))
    f = lambda lo, la: np.cos(np.radians(la)) * np.sin(np.radians(lo))
    up = maps.resample(f(*maps.cell_lonlat((64, 32)))[::-1], (128, 64))
    np.testing.assert_allclose(up, f(*maps.cell_lonlat((128, 64))), atol=3e-3)
    assert fine_lon.shape == fine_lat.shape == (32, 64)


def test_encode16_rounds_to_the_nearest_step():
    v = np.linspace(-3000.0, 5000.0, 1000).reshape(20, 50)
    grey, offset, step = maps.encode16(v, "test")
    assert grey.dtype == np.uint16 and grey.min() == 0 and grey.max() == 65535
    assert np.abs(offset + step * grey - v).max() <= step / 2 + 1e-9
    grey, offset, step = maps.encode16(np.full((2, 4), 7.0), "flat")
    assert (grey == 0).all() and offset == 7.0 and step == 1.0
    error(lambda: maps.encode16(np.array([[1.0, np.nan]]), "field x"), "field x: 1 cells are NaN")


# -- heightmaps out and back in ---------------------------------------------------------------------

@pytest.mark.parametrize("backend", BACKENDS)
def test_png_heightmap_round_trip_within_one_step(make_sim, tmp_path, backend):
    sim = with_ocean(make_sim, backend=backend)
    z = sim.quantity("elevation").astype(np.float64)
    assert z.min() < 0 < z.max()
    written = sim.export(tmp_path / "h.png")
    assert written == [tmp_path / "h.png", tmp_path / "h.json"] and listing(tmp_path) == ["h.json", "h.png"]
    (tmp_path / "again").mkdir()
    sim.export(tmp_path / "again" / "h.png")
    for name in ("h.png", "h.json"):  # deterministic: the same state gives the same bytes
        assert (tmp_path / "again" / name).read_bytes() == (tmp_path / name).read_bytes()
    img, meta = decode_png16(tmp_path / "h.png")
    step = meta["step"]
    assert img.shape == (32, 64) and np.abs(img[::-1] - z).max() <= step / 2 + 1e-6  # row 0 = north
    assert meta["unit"] == "m" and meta["sea_level"] == 0.0 and meta["planet_radius_km"] == 6371.0
    assert meta["grid"] == [64, 32] and meta["lon_range"] == [-180.0, 180.0] and meta["lat_range"] == [-90.0, 90.0]
    assert meta["row0"] == "north" and meta["pixel_size_deg"] == [5.625, 5.625]
    assert meta["sea_level_above_datum_m"] == sim.params["terrain"]["sea_level"]

    back = make_sim(heightmap=tmp_path / "h.png", backend=backend)
    e = back.quantity("elevation").astype(np.float64)
    assert np.abs(e - z).max() <= step, "export -> import must reproduce elevation within one 16-bit step"
    np.testing.assert_array_equal(back.quantity("land"), (e > 0).astype(np.float32))
    # An imported world starts cold with a full ocean, and stays consistent as it runs.
    t = back.read("terrain")
    assert (t[..., 1] == back.params["terrain"]["sea_level"]).all() and (t[..., 2] == 0).all()
    back.step(3)
    np.testing.assert_array_equal(back.read("terrain"), t)


def test_tiff_heightmap_round_trip(make_sim, tmp_path):
    sim = with_ocean(make_sim)
    z = sim.quantity("elevation")
    assert sim.export(tmp_path / "h.tif") == [tmp_path / "h.tif"]
    sim.export(tmp_path / "h2.tif")
    assert (tmp_path / "h2.tif").read_bytes() == (tmp_path / "h.tif").read_bytes()
    back = make_sim(heightmap=tmp_path / "h.tif")
    np.testing.assert_allclose(back.quantity("elevation"), z, atol=2e-3)
    # Into a finer grid: resampled (bilinear) rather than copied, same overall relief.
    fine = make_sim(heightmap=tmp_path / "h.tif", grid="128x64")
    e = fine.quantity("elevation")
    assert e.shape == (64, 128)
    np.testing.assert_allclose(e[::2, ::2].mean(), z.mean(), rtol=0.05)


def test_geotiff_tags_place_pixel_00_at_lon_minus_180_lat_90(make_sim, tmp_path):
    sim = with_ocean(make_sim)
    sim.export(tmp_path / "h.tiff")
    im = Image.open(tmp_path / "h.tiff")  # an independent TIFF reader
    assert im.mode == "F" and im.size == (64, 32)
    tags = im.tag_v2
    sx, sy, sz = tags[33550]                      # ModelPixelScaleTag
    i, j, k, x, y, zz = tags[33922]               # ModelTiepointTag: raster (i, j) -> model (x, y)
    assert (sx, sy) == (360.0 / 64, 180.0 / 32)

    def lonlat(col, row):                         # the GeoTIFF raster -> model transform
        return x + (col - i) * sx, y - (row - j) * sy

    assert lonlat(0, 0) == (-180.0, 90.0)         # pixel (0, 0)'s outer corner
    assert lonlat(64, 32) == (180.0, -90.0)
    keys = tags[34735]                            # GeoKeyDirectoryTag
    assert keys[:3] == (1, 1, 0)
    geokeys = {keys[4 + 4 * n]: keys[7 + 4 * n] for n in range(keys[3])}
    assert geokeys == {1024: 2, 1025: 1, 2048: 4326, 2054: 9102}  # geographic, pixel-is-area, WGS 84, degrees
    pixels = np.array(im)
    z = sim.quantity("elevation")
    assert pixels.dtype == np.float32 and np.array_equal(pixels, z[::-1])
    assert pixels[0, 0] == z[-1, 0]  # north-west corner cell
    desc = json.loads(tags[270])
    assert desc["unit"] == "m" and desc["sea_level"] == 0.0 and desc["planet_radius_km"] == 6371.0
    # tifffile's GeoTIFF decoding agrees; nothing in the file depends on the clock (same state, same bytes).
    with tifffile.TiffFile(tmp_path / "h.tiff") as tf:
        page = tf.pages[0]
        geo = tf.geotiff_metadata
        assert page.dtype == np.float32 and page.compression == 1 and tf.byteorder == "<"
        assert 306 not in page.tags and page.tags[305].value == "planet"  # no DateTime, a fixed Software
    assert geo["GTModelTypeGeoKey"] == 2 and geo["GTRasterTypeGeoKey"] == 1
    assert geo["GeographicTypeGeoKey"] == 4326 and geo["GeogAngularUnitsGeoKey"] == 9102
    assert geo["ModelPixelScale"] == [5.625, 5.625, 0.0] and geo["ModelTiepoint"] == [0, 0, 0, -180, 90, 0]


def test_heightmap_from_a_scene_file_resolves_relative_to_it(make_sim, tmp_path, monkeypatch):
    make_sim().export(tmp_path / "h.tif")
    (tmp_path / "maps").mkdir()
    os.replace(tmp_path / "h.tif", tmp_path / "maps" / "h.tif")
    scene = tmp_path / "world.toml"
    scene.write_text(TINY.read_text() + 'heightmap = "maps/h.tif"\n')
    monkeypatch.chdir(tmp_path.parent)
    assert planet.load_scene(scene).params["terrain"]["heightmap"] == str(tmp_path / "maps" / "h.tif")
    sim = make_sim(scene)
    assert (sim.read("terrain")[..., 2] == 0).all()


# -- import errors: one line naming the scene file and key ------------------------------------------

def scene_with(tmp_path, key, value):
    scene = tmp_path / "world.toml"
    scene.write_text(TINY.read_text() + f'{key} = "{value}"\n')
    return scene


def test_import_errors(make_sim, tmp_path):
    def fails(key, value, match):
        scene = scene_with(tmp_path, key, value)
        msg = error(lambda: make_sim(scene), match)
        assert msg.startswith(f"{scene}: terrain.{key}: "), msg
        return msg

    fails("heightmap", "missing.tif", "missing.tif: file not found")
    iio.imwrite(tmp_path / "square.png", np.zeros((20, 30), np.uint16))
    (tmp_path / "square.json").write_text('{"offset": 0, "step": 1}')
    fails("heightmap", "square.png", "the image is 30x20; an equirectangular map must be twice as wide as tall")
    fails("land_mask", "square.png", "twice as wide as tall")
    (tmp_path / "junk.tif").write_bytes(b"II*\0 this is not really a tiff")
    fails("heightmap", "junk.tif", "cannot read the image")
    iio.imwrite(tmp_path / "bare.png", np.zeros((16, 32), np.uint16))
    fails("heightmap", "bare.png", "needs the sidecar")
    iio.imwrite(tmp_path / "colour.png", np.zeros((16, 32, 3), np.uint8))
    (tmp_path / "colour.json").write_text('{"offset": 0, "step": 1}')
    fails("heightmap", "colour.png", "must be single-channel greyscale")
    iio.imwrite(tmp_path / "badside.png", np.zeros((16, 32), np.uint16))
    (tmp_path / "badside.json").write_text('{"offset": 0, "step": "1 m"}')
    fails("heightmap", "badside.png", "key 'step' must be a finite number")
    (tmp_path / "badside.json").write_text('{"offset": 0, "step": 1, "width": 64, "height": 32}')
    fails("heightmap", "badside.png", "the sidecar belongs to another image")
    nan = np.zeros((16, 32), np.float32)
    nan[3, 3] = np.nan
    with open(tmp_path / "nan.tif", "wb") as fh:
        geotiff.write_geotiff(fh, nan)
    fails("heightmap", "nan.tif", "1 pixels are NaN or infinite")
    # A GeoTIFF of only part of the globe (tie point moved to lon -90).
    with open(tmp_path / "part.tif", "wb") as fh:
        geotiff.write_geotiff(fh, np.zeros((16, 32), np.float32))
    data = (tmp_path / "part.tif").read_bytes().replace(struct.pack("<d", -180.0), struct.pack("<d", -90.0))
    (tmp_path / "part.tif").write_bytes(data)
    fails("heightmap", "part.tif", "covers lon [-90, 270]")
    fails("land_mask", "part.tif", "covers lon [-90, 270]")
    with open(tmp_path / "globe.tif", "wb") as fh:
        geotiff.write_geotiff(fh, np.zeros((16, 32), np.float32))
    good = (tmp_path / "globe.tif").read_bytes()
    projected = good.replace(struct.pack("<4H", 1024, 0, 1, 2), struct.pack("<4H", 1024, 0, 1, 1))
    (tmp_path / "proj.tif").write_bytes(projected)
    fails("heightmap", "proj.tif", "is in a projected CRS")
    # Pixel-is-point georeferencing (the tie point is pixel (0, 0)'s centre) of the whole globe is accepted.
    point = good.replace(struct.pack("<4H", 1025, 0, 1, 1), struct.pack("<4H", 1025, 0, 1, 2))
    point = point.replace(struct.pack("<2d", -180.0, 90.0), struct.pack("<2d", -180.0 + 5.625, 90.0 - 5.625))
    (tmp_path / "point.tif").write_bytes(point)
    assert maps.read_heightmap(tmp_path / "point.tif", "test").shape == (16, 32)
    # A wrong file type is caught when the scene is read, before any GL.
    scene = scene_with(tmp_path, "heightmap", "world.jpg")
    msg = error(lambda: planet.load_scene(scene), "unsupported file type '.jpg'", planet.SceneError)
    assert msg.startswith(f"{scene}: terrain.heightmap: ") and "valid: .png, .tif, .tiff" in msg
    error(lambda: planet.load_scene({"terrain": {"heightmap": 7}}), "expected a file path string")
    error(lambda: make_sim(heightmap=tmp_path / "nowhere.tif"), "nowhere.tif: file not found")
    error(lambda: planet.Simulation.headless(TINY, heightmap="x.bmp"), "unsupported file type '.bmp'")


def test_path_params_are_never_uniforms():
    with pytest.raises(TypeError, match="uniform=False"):
        planet.params.Param("file", "", "", "a file")


# -- land masks ---------------------------------------------------------------------------------------

def north_mask(tmp_path, w=128, h=64):
    mask = np.zeros((h, w), np.uint8)
    mask[: h // 2] = 255          # image row 0 = north: the northern hemisphere is land
    iio.imwrite(tmp_path / "mask.png", mask)
    return tmp_path / "mask.png"


def test_land_mask_shapes_the_protoplanet(make_sim, tmp_path):
    sim = make_sim(land_mask=north_mask(tmp_path))
    land = sim.quantity("land")
    want = np.zeros((32, 64), np.float32)
    want[16:] = 1.0               # field row 0 = south
    np.testing.assert_array_equal(land, want)
    e = sim.quantity("elevation")
    assert e[16:].min() >= COAST_M - 1e-3 and e[:16].max() <= -COAST_M + 1e-3
    # The relief is kept (shifted, then clamped only where it disagreed with the mask).
    proto = make_sim().read("terrain")[..., 0]
    moved = e.astype(np.float64) - proto
    free = (np.abs(e) > COAST_M + 1)
    assert np.ptp(moved[free]) < 1.0, "away from clamped cells the relief is one uniform shift"
    t = sim.read("terrain")
    assert (t[..., 2] == 0).all() and (t[..., 1] == sim.params["terrain"]["sea_level"]).all()


def test_earth_relief_sketches_a_masks_land_and_needs_one(make_sim, tmp_path):
    """terrain.earth_relief (planet/earth_relief.py) on a mask: land above the coast clamp, a sea floor
    that deepens away from the land; without a mask it is a one-line error naming the key."""
    scene = tmp_path / "relief.toml"
    scene.write_text(TINY.read_text() + "earth_relief = true\n")
    msg = error(lambda: make_sim(scene), "needs land_mask and no heightmap")
    assert msg.startswith(f"{scene}: terrain.earth_relief = true"), msg
    sim = make_sim(scene, land_mask=north_mask(tmp_path))
    e = sim.quantity("elevation")
    assert e[16:].min() >= 100.0, "the sketched land starts ~100 m above the sea"
    assert e[:16].max() <= -COAST_M + 1e-3
    assert e[15].mean() > e[0].mean() + 1000.0, "the shelf by the coast is shallower than the far sea"


def test_land_mask_sets_the_coast_of_a_heightmap(make_sim, tmp_path):
    src = with_ocean(make_sim)
    src.export(tmp_path / "h.tif")
    z = src.quantity("elevation")
    sim = make_sim(heightmap=tmp_path / "h.tif", land_mask=north_mask(tmp_path))
    e = sim.quantity("elevation")
    north, south = e[16:], e[:16]
    assert north.min() >= COAST_M - 1e-3 and south.max() <= -COAST_M + 1e-3
    agree = np.where(np.arange(32)[:, None] >= 16, z > COAST_M, z < -COAST_M)
    np.testing.assert_allclose(e[agree], z[agree], atol=2e-3)  # untouched where they agree
    colour = np.zeros((16, 32, 4), np.uint8)
    colour[:8, ..., :3] = 255  # white north, transparent everywhere: alpha is ignored
    iio.imwrite(tmp_path / "rgba.png", colour)
    rgba = make_sim(land_mask=tmp_path / "rgba.png", grid="32x16")
    assert rgba.quantity("land")[8:].all() and not rgba.quantity("land")[:8].any()


# -- fields, views, cube maps -------------------------------------------------------------------------

def test_field_and_quantity_png(make_sim, tmp_path):
    sim = with_ocean(make_sim)
    sim.step(3)
    for name, values in (("terrain.glow", sim.read("terrain")[..., 2]), ("land", sim.quantity("land")),
                         ("elevation", sim.quantity("elevation"))):
        out = tmp_path / f"{name}.png"
        assert sim.export(out, "field", name=name) == [out, maps.sidecar_path(out)]
        img, meta = decode_png16(out)
        assert np.abs(img[::-1] - values).max() <= meta["step"] / 2 + 1e-6, name
        assert meta["min"] == pytest.approx(float(values.min())) and meta["max"] == pytest.approx(float(values.max()))
    assert json.loads((tmp_path / "terrain.glow.json").read_text())["doc"].startswith("lava glow")
    assert json.loads((tmp_path / "land.json").read_text())["unit"] == "1"
    before = listing(tmp_path)
    error(lambda: sim.export(tmp_path / "x.png", "field", name="terrain"), "valid: elevation, land, terrain.bedrock")
    error(lambda: sim.export(tmp_path / "x.png", "field"), "needs a name")
    error(lambda: sim.export(tmp_path / "x.png", "fields"), "unknown export kind 'fields'")
    error(lambda: sim.export(tmp_path / "x.jpg", "field", name="land"), "valid: .png")
    assert listing(tmp_path) == before


def test_views_at_any_size(make_sim, tmp_path):
    sim = with_ocean(make_sim)
    for view, layer, size in (("map", "satellite", (123, 45)), ("globe", "elevation", (64, 80)), ("map", "elevation", None)):
        out = tmp_path / f"{view}_{layer}.png"
        assert sim.export(out, "view", view=view, layer=layer, size=size) == [out]
        img = iio.imread(out)
        assert img.dtype == np.uint8 and np.array_equal(img, sim.snapshot(view, layer, size))
    assert iio.imread(tmp_path / "map_satellite.png").shape == (45, 123, 3)
    assert iio.imread(tmp_path / "map_elevation.png").shape == (32, 64, 3)
    before = listing(tmp_path)
    error(lambda: sim.export(tmp_path / "x.png", "view", layer="lava_lamp"), "lava_lamp")
    assert listing(tmp_path) == before


def analytic_world(make_sim, grid="128x64"):
    """A simulation whose elevation is a known smooth function of the planet-frame position p."""
    sim = make_sim(grid=grid)
    w, h = sim.scene.grid
    p = sphere.cell_pos(w, h)
    t = np.zeros((h, w, 4), np.float32)
    t[..., 0] = f_of(p)
    sim.write("terrain", t)
    return sim


def f_of(p):
    return 1000.0 * p[..., 0] + 2000.0 * p[..., 1] + 3000.0 * p[..., 2]


def gl_cube_direction(face, n):
    """The OpenGL spec's table (cube-map face selection), written out independently of planet.maps."""
    c = (np.arange(n) + 0.5) / n * 2 - 1
    sc, tc = np.meshgrid(c, c)
    one = np.ones_like(sc)
    d = {"px": (one, -tc, -sc), "nx": (-one, -tc, sc), "py": (sc, one, tc),
         "ny": (sc, -one, -tc), "pz": (sc, -tc, one), "nz": (-sc, -tc, -one)}[face]
    return np.stack(d, axis=-1)


@pytest.mark.parametrize("suffix", [".npy", ".png"])
def test_cube_map_faces_sample_the_sphere(make_sim, tmp_path, suffix):
    sim = analytic_world(make_sim)
    out = tmp_path / f"cube{suffix}"
    written = sim.export(out, "cubemap", size=24)
    names = [f"cube_{f}{suffix}" for f in ("px", "nx", "py", "ny", "pz", "nz")]
    assert [p.name for p in written] == [*names, "cube.json"] and listing(tmp_path) == sorted([*names, "cube.json"])
    meta = json.loads((tmp_path / "cube.json").read_text())
    assert meta["size"] == 24 and "OpenGL" in meta["convention"]
    for face in ("px", "nx", "py", "ny", "pz", "nz"):
        path = tmp_path / f"cube_{face}{suffix}"
        if suffix == ".npy":
            got = np.load(path, allow_pickle=False).astype(np.float64)
        else:
            got = meta["offset"] + meta["step"] * iio.imread(path).astype(np.float64)
        assert got.shape == (24, 24)
        d = gl_cube_direction(face, 24)
        d /= np.linalg.norm(d, axis=-1, keepdims=True)
        p = np.stack([d[..., 0], -d[..., 2], d[..., 1]], axis=-1)  # documented: d = (p.x, p.z, -p.y)
        np.testing.assert_allclose(got, f_of(p), atol=40.0, err_msg=f"face {face}")
    # The named landmarks: +Y is the north pole, +X faces lon 0, -Z faces lon 90 E.
    npy = sim.export(tmp_path / "c.npy", "cubemap", size=3)
    centre = {p.stem[-2:]: float(np.load(p)[1, 1]) for p in npy[:6]}
    assert centre["py"] == pytest.approx(3000, abs=40) and centre["px"] == pytest.approx(1000, abs=40)
    assert centre["nz"] == pytest.approx(2000, abs=40) and centre["pz"] == pytest.approx(-2000, abs=40)
    error(lambda: sim.export(tmp_path / "c.npy", "cubemap", size=0), "face size")
    error(lambda: sim.export(tmp_path / "c.exr", "cubemap"), "valid: .png, .npy")


# -- nothing half written ------------------------------------------------------------------------------

@pytest.mark.parametrize("what, name, out", [("heightmap", None, "h.png"), ("heightmap", None, "h.tif"),
                                             ("field", "land", "f.png"), ("view", None, "v.png"),
                                             ("cubemap", None, "c.png")])
def test_missing_directory_writes_nothing(make_sim, tmp_path, what, name, out):
    sim = make_sim()
    error(lambda: sim.export(tmp_path / "no" / "such" / out, what, name=name), "output directory")
    assert listing(tmp_path) == []


@pytest.mark.parametrize("exc", [KeyboardInterrupt, OSError])
def test_interrupted_export_leaves_nothing(make_sim, tmp_path, monkeypatch, exc):
    sim = with_ocean(make_sim)
    sim.export(tmp_path / "h.png")
    old = {p: (tmp_path / p).read_bytes() for p in listing(tmp_path)}

    def half_then_fail(path, image):
        path.write_bytes(b"\x89PNG half")
        raise exc("interrupted")

    monkeypatch.setattr(export_mod, "_imwrite", half_then_fail)
    sim.step(1)
    for what, out in (("heightmap", "h.png"), ("cubemap", "c.png"), ("view", "v.png"), ("heightmap", "new.png")):
        with pytest.raises(exc):
            sim.export(tmp_path / out, what)
        assert {p: (tmp_path / p).read_bytes() for p in listing(tmp_path)} == old, what

    def tiff_fails(fh, values, description=""):
        fh.write(b"II*\0")
        raise exc("interrupted")

    monkeypatch.setattr(geotiff, "write_geotiff", tiff_fails)
    with pytest.raises(exc):
        sim.export(tmp_path / "h.tif")
    assert listing(tmp_path) == sorted(old)


def test_ctrl_c_during_the_final_renames_is_held_until_they_are_done(make_sim, tmp_path, monkeypatch):
    sim = with_ocean(make_sim)
    real = os.replace
    calls = []

    def replace_and_interrupt(src, dst):
        calls.append(dst)
        if len(calls) == 1:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C between the PNG and its sidecar
        real(src, dst)

    monkeypatch.setattr(planet.atomic.os, "replace", replace_and_interrupt)
    with pytest.raises(KeyboardInterrupt):
        sim.export(tmp_path / "h.png")
    assert listing(tmp_path) == ["h.json", "h.png"], "both files, or neither"
    decode_png16(tmp_path / "h.png")
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_nan_field_is_refused_and_nothing_written(make_sim, tmp_path):
    sim = make_sim()
    t = sim.read("terrain")
    t[5, 5, 0] = np.nan
    sim.write("terrain", t)
    error(lambda: sim.export(tmp_path / "h.png"), "1 cells are NaN or infinite")
    error(lambda: sim.export(tmp_path / "h.tif"), "NaN or infinite")
    assert listing(tmp_path) == []


# -- planet export -------------------------------------------------------------------------------------

def run_cli(capsys, *argv):
    code = export_main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_exports_every_kind(tmp_path, capsys, gl_ctx):
    base = ("--grid", "32x16", "--backend", "fragment")
    code, _, err = run_cli(capsys, "checkpoint", TINY, "--ticks", "2", "-o", tmp_path / "run.npz", *base)
    assert code == 0 and f"wrote {tmp_path / 'run.npz'} (tick 2" in err
    cases = [
        ("heightmap", ["-o", tmp_path / "h.tif"], ["h.tif"]),
        ("heightmap", ["-o", tmp_path / "h.png"], ["h.png", "h.json"]),
        ("field", ["--name", "terrain.glow", "-o", tmp_path / "glow.png"], ["glow.png", "glow.json"]),
        ("view", ["--view", "globe", "--size", "40x30", "-o", tmp_path / "g.png"], ["g.png"]),
        ("cubemap", ["--size", "8", "-o", tmp_path / "cube.npy"], [f"cube_{f}.npy" for f in maps.FACES] + ["cube.json"]),
    ]
    for kind, args, files in cases:
        code, _, err = run_cli(capsys, kind, tmp_path / "run.npz", "--ticks", "1", *args)
        assert code == 0, err
        for f in files:
            assert (tmp_path / f).is_file(), f
    assert iio.imread(tmp_path / "g.png").shape == (30, 40, 3)
    with planet.Simulation.load(tmp_path / "run.npz") as sim:
        assert sim.tick == 2 and sim.scene.grid == (32, 16)
    # Another version's checkpoint (here: another shader hash) is refused, naming the flag that loads it.
    with np.load(tmp_path / "run.npz", allow_pickle=False) as npz:
        entries = {name: npz[name] for name in npz.files}
    meta = json.loads(entries["meta"].tobytes().decode())
    meta["shader_hash"] = "0" * 64
    entries["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    np.savez(tmp_path / "older.npz", **entries)
    code, _, err = run_cli(capsys, "heightmap", tmp_path / "older.npz", "-o", tmp_path / "o.tif")
    assert code == 2 and "the shaders changed" in err and "--allow-shader-change" in err, err
    code, _, err = run_cli(capsys, "heightmap", tmp_path / "older.npz", "--allow-shader-change", "-o", tmp_path / "o.tif")
    assert code == 0 and (tmp_path / "o.tif").is_file(), err
    # A scene source, imported from the heightmap just written, exported again: the same map.
    code, _, err = run_cli(capsys, "heightmap", TINY, "--heightmap", tmp_path / "h.tif", "-o", tmp_path / "again.tif", *base)
    assert code == 0, err
    a, b = np.array(Image.open(tmp_path / "h.tif")), np.array(Image.open(tmp_path / "again.tif"))
    np.testing.assert_allclose(a, b, atol=2e-3)
    gl_ctx.__enter__()  # the CLI made and released its own contexts: make the session's current again


def test_cli_help_and_errors(tmp_path, capsys):
    code, out, _ = run_cli(capsys, "--help")
    assert code == 0 and "planet export" in out and "cubemap" in out and "SOURCE" in out and "examples:" in out
    bad = [
        (["bogus", TINY, "-o", tmp_path / "x.png"], "argument KIND: invalid choice: 'bogus'"),
        (["heightmap", TINY], "the following arguments are required: -o/--output"),
        (["heightmap", TINY, "-o", tmp_path / "no" / "h.png"], "output directory"),
        (["heightmap", TINY, "-o", tmp_path / "h.jpg"], "unsupported file type '.jpg' for heightmap"),
        (["field", TINY, "-o", tmp_path / "f.png"], "field needs --name"),
        (["view", TINY, "--size", "12", "-o", tmp_path / "v.png"], "view --size must be WxH"),
        (["heightmap", TINY, "--name", "land", "-o", tmp_path / "h.png"], "--name applies to field only"),
        (["heightmap", TINY, "--ticks", "-1", "-o", tmp_path / "h.png"], "argument --ticks: '-1' is outside [0, 1000000000]"),
        (["heightmap", TINY, "--size", "0x3", "-o", tmp_path / "h.png"], "expected WxH"),
        (["heightmap", tmp_path / "run.npz", "--seed", "3", "-o", tmp_path / "h.png"], "--seed cannot be used with a checkpoint"),
        (["heightmap", tmp_path / "missing.npz", "-o", tmp_path / "h.png"], "checkpoint not found"),
        (["heightmap", tmp_path / "missing.toml", "-o", tmp_path / "h.png"], "scene file not found"),
        (["heightmap", TINY, "--heightmap", tmp_path / "nope.tif", "-o", tmp_path / "h.png"], "nope.tif: file not found"),
        (["checkpoint", TINY, "-o", tmp_path / "run.zip"], "valid: .npz"),
        (["heightmap", TINY, "--allow-shader-change", "-o", tmp_path / "h.png"],
         "--allow-shader-change applies to checkpoint sources (.npz) only"),
    ]
    for argv, match in bad:
        code, out, err = run_cli(capsys, *argv)
        lines = err.strip().splitlines()
        assert code == 2 and len(lines) == 1 and lines[0].startswith("planet export: error: "), (argv, err)
        assert match in lines[0], (match, lines[0])
    assert listing(tmp_path) == []


def test_cli_ctrl_c_writes_nothing(tmp_path, capsys, monkeypatch, gl_ctx):
    def interrupted(self, ticks=1):
        raise KeyboardInterrupt

    monkeypatch.setattr(planet.Simulation, "step", interrupted)
    code, _, err = run_cli(capsys, "heightmap", TINY, "--grid", "32x16", "--ticks", "5", "-o", tmp_path / "h.png")
    assert code == 130 and "interrupted (SIGINT); nothing written" in err
    assert listing(tmp_path) == []
    gl_ctx.__enter__()

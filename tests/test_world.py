"""planet.world: a finished world coarse to fine (resampling rules, relief detail, refine, make, the CLI),
and the freeboard's step limit that keeps the coarse history's long updates stable."""
from __future__ import annotations

import hashlib

import numpy as np
import pytest

import planet
from planet import world
from planet.errors import PipelineError, PlanetError
from planet.fields import Ch, Field
from planet.scene import load_scene
from planet.stages import registry

from conftest import ROOT

EARTH = ROOT / "scenes" / "earth.toml"


# -- resampling (NumPy only) ------------------------------------------------------------------------

def test_linear_keeps_constants_and_reproduces_a_smooth_ramp():
    h, w = 16, 32
    lat = (np.arange(h) + 0.5) / h * np.pi - np.pi / 2
    lon = (np.arange(w) + 0.5) / w * 2 * np.pi - np.pi
    arr = np.zeros((h, w, 2), np.float32)
    arr[..., 0] = 7.5
    arr[..., 1] = np.sin(lat)[:, None] * 1000 + np.cos(lon)[None, :] * 100
    out = world.resample(arr, ("linear", "linear"), (64, 32))
    assert out.shape == (32, 64, 2) and out.dtype == np.float32
    assert np.all(out[..., 0] == np.float32(7.5))
    flat = np.sin((np.arange(32) + 0.5) / 32 * np.pi - np.pi / 2)[:, None] * 1000 \
        + np.cos((np.arange(64) + 0.5) / 64 * 2 * np.pi - np.pi)[None, :] * 100
    inner = slice(2, -2)   # rows next to the poles continue across them (opposite meridian)
    assert np.abs(out[inner, :, 1] - flat[inner]).max() < 0.02 * 1100


def test_linear_wraps_in_longitude():
    arr = np.zeros((4, 8, 1), np.float32)
    arr[:, 0] = 1.0                                    # column 0 (lon -180): its west neighbour is column 7
    out = world.resample(arr, ("linear",), (16, 8))[..., 0]
    # the seam blends both edges (rows next to a pole also take from across it)
    assert np.all(out[1:-1, 0] == 0.75) and np.all(out[1:-1, -1] == 0.25) and np.all(out[1:-1, 3:-1] == 0)


def test_nearest_takes_source_values_and_the_warp_moves_boundaries():
    rng = np.random.default_rng(1)
    ids = rng.integers(-1, 12, (16, 32, 1)).astype(np.int32)
    plain = world.resample(ids, ("nearest",), (64, 32))
    assert np.array_equal(plain, np.repeat(np.repeat(ids, 2, axis=0), 2, axis=1))
    warp = world.warp_field((32, 16), (64, 32), np.random.default_rng(2))
    warped = world.resample(ids, ("nearest",), (64, 32), warp)
    assert set(np.unique(warped)) <= set(np.unique(ids))
    assert 0.05 < float(np.mean(warped != plain)) < 0.6   # boundaries meander, the interiors stay


def test_rebuilt_channels_are_zero_and_unknown_rules_are_refused():
    arr = np.ones((8, 16, 2), np.float32)
    out = world.resample(arr, ("rebuilt", "linear"), (32, 16))
    assert np.all(out[..., 0] == 0) and np.all(out[..., 1] == 1)
    with pytest.raises(PlanetError, match="valid: linear, coastal, nearest, rebuilt"):
        world.resample(arr, ("cubic", "linear"), (32, 16))


def test_coastal_keeps_the_coast_and_each_side_s_heights():
    """A lowland plateau (+50 m) beside a deep ocean (-3000 m): bilinear heights would put the coast a
    quarter of a coarse cell inland on each side; by sides, the land keeps its area and its height."""
    h, w = 16, 32
    t = np.zeros((h, w, 2), np.float32)
    t[..., 1] = 0.0                                        # sea level
    t[..., 0] = np.where((np.arange(w) >= 8) & (np.arange(w) < 24), 50.0, -3000.0)[None, :]
    plain = world.resample(t, ("linear", "linear"), (64, 32))
    by_side = world.resample(t, ("coastal", "linear"), (64, 32), sea=1)
    assert (plain[..., 0] > 0).mean() < 0.45                 # 16 of 32 columns were land: bilinear drowns some
    assert (by_side[..., 0] > 0).mean() == 0.5
    land = by_side[..., 0] > 0
    assert np.all(by_side[..., 0][land] == 50.0) and np.all(by_side[..., 0][~land] == -3000.0)
    with pytest.raises(PipelineError, match="needs a sea_level channel"):
        Field("h", "test", (Ch("height", "m", "a height"),), resample="coastal")


def test_field_resample_declarations_are_checked():
    with pytest.raises(PipelineError, match="int field cannot be resampled 'linear'"):
        Field("ids", "test", (Ch("id", "1", "an id"),), kind="int", resample="linear")
    with pytest.raises(PipelineError, match="int field cannot be resampled 'coastal'.*valid: nearest, rebuilt"):
        Field("ids", "test", (Ch("id", "1", "an id"), Ch("sea_level", "m", "sea")), kind="int",
              resample=("coastal", "nearest"))
    with pytest.raises(PipelineError, match="one per channel"):
        Field("pair", "test", (Ch("a", "1", "a"), Ch("b", "1", "b")), resample=("linear",))
    assert Field("f", "test", (Ch("a", "1", "a"),)).resample_rules() == ("linear",)
    assert Field("i", "test", (Ch("a", "1", "a"),), kind="int").resample_rules() == (None,)


def test_every_registered_int_field_says_how_it_is_resampled():
    for st in registry().values():
        for f in st.fields:
            assert None not in f.resample_rules(), f"{st.name}.{f.name} ({f.kind}) declares no Field.resample rule"


def test_relief_detail_follows_the_local_roughness():
    h, w = 32, 64
    rng = np.random.default_rng(3)
    sea = np.full((h, w), 2600.0)
    flat = np.full((h, w), 3000.0)
    assert np.all(world.relief_detail(flat, sea, (128, 64), np.random.default_rng(4)) == 0)
    rough = flat + np.where(np.arange(w)[None, :] < w // 2, rng.normal(0, 300, (h, w)), 0.0)
    d = world.relief_detail(rough, sea, (128, 64), np.random.default_rng(4))
    west, east = d[8:-8, 4:56].std(), d[8:-8, 72:124].std()
    # the missing octave of a fractal surface with H = 0.8: sigma = R sqrt(1 - 2^(2H-2)) / 2^H, R = rms
    # neighbour difference = 300 sqrt(2) for white noise of std 300
    expect = 300 * np.sqrt(2) * np.sqrt(1 - 2 ** (2 * 0.8 - 2)) / 2 ** 0.8
    assert 0.7 * expect < west < 1.3 * expect and east < 0.05 * west
    assert np.array_equal(d, world.relief_detail(rough, sea, (128, 64), np.random.default_rng(4)))  # deterministic


def test_levels():
    assert world._levels(1024, 512, 128) == 3
    assert world._levels(256, 128, 128) == 1
    assert world._levels(128, 64, 128) == 0
    assert world._levels(96, 48, 8) == 2          # 24x12: a 12x6 grid would have fewer than 8 rows
    assert world._levels(208, 104, 8) == 2        # 52x26: 26 rows do not halve into an even count


# -- on the GPU (llvmpipe in CI) ---------------------------------------------------------------------

def _hash(sim) -> str:
    h = hashlib.sha256()
    for name in sim.fields:
        h.update(np.ascontiguousarray(sim.read(name)).tobytes())
    return h.hexdigest()


def test_refine_carries_the_world_and_connects_every_river(ctx):
    sim = planet.Simulation(ctx, load_scene(EARTH, grid=(32, 16)), backend="fragment")
    try:
        sim.set_clock(**{**sim.clock, "dt": 8e6})
        sim.step(120)                        # plates since 4e8 years, rivers, climate
        report = {}
        fine = world.refine(sim, (64, 32), level=1, report=report)
        try:
            assert fine.scene.grid == (64, 32) and fine.clock == sim.clock and fine.params == sim.params
            for name in ("land_fraction", "global_temperature"):
                assert abs(fine.scalar(name) - sim.scalar(name)) < (0.04 if name == "land_fraction" else 1.0), name
            ids = fine.read("plates")[..., 0]
            assert set(np.unique(ids)) <= set(np.unique(sim.read("plates")[..., 0]))
            t = fine.read("terrain")
            land = t[..., 0] > t[..., 1]
            route = fine.read("route")
            # Stage.settle: every lake found its outlet, so no land cell is a root: every river reaches the sea
            assert report["settle_runs"]["erosion"] >= 2
            assert not np.any(land & (route[..., 0] < 0)), "a land root (a lake with no outlet) after settle"
            assert fine.read("drainage")[..., 0].max() > 50 * fine.read("drainage")[..., 0][land].min()
            fine.step(2)                     # and it goes on ticking
            assert np.isfinite(fine.read("terrain")).all()
        finally:
            fine.release()
    finally:
        sim.release()


def test_make_a_living_world_deterministically(ctx):
    kw = dict(grid="128x64", coarse=32, until=3.0e9, backend="fragment")
    sim = world.make(EARTH, ctx=ctx, **kw)
    try:
        assert sim.scene.grid == (128, 64) and sim.years == pytest.approx(3.0e9) and sim.dt == 1.0e6
        assert sim.params == load_scene(EARTH).params            # life.start is the scene's again
        assert abs(sim.scalar("land_fraction") - 0.3) < 0.06
        for name in ("plant_mass", "herbivore_mass"):
            assert sim.scalar(name) > 1e6, f"{name}: life did not survive the coarse history"
        first = _hash(sim)
    finally:
        sim.release()
    again = world.make(EARTH, ctx=ctx, **kw)
    try:
        assert _hash(again) == first
    finally:
        again.release()


def test_make_refuses_bad_arguments():
    with pytest.raises(PlanetError, match="sets dt = 2 at 4.5e"):
        world.make(EARTH, until=5e9)
    with pytest.raises(PlanetError, match="level_ticks"):
        world.make(EARTH, level_ticks=0)
    with pytest.raises(PlanetError, match="detail"):
        world.make(EARTH, detail=float("nan"))
    with pytest.raises(PlanetError, match="until"):
        world.make(EARTH, until=-1.0)


def test_make_ends_at_an_until_shorter_than_the_levels(ctx):
    """until = 1 tick of the scene's dt, two levels of 4 ticks: the levels stop at until (they ran on to
    4 ticks, 4 Myr, past it)."""
    sim = world.make(ROOT / "scenes" / "tests" / "tiny.toml", grid="64x32", coarse=16, until=1.0e6, spinup_ticks=0,
                     backend="fragment", ctx=ctx)
    try:
        assert sim.scene.grid == (64, 32) and sim.years == pytest.approx(1.0e6) and sim.tick == 1
    finally:
        sim.release()


def test_an_imported_heightmap_keeps_its_own_relief_at_every_level(ctx, tmp_path):
    """A scene that imports its terrain and has no plates: the world has the file's relief on the
    target grid (it had a bilinear copy of the coarse grid's with random detail: other coasts, 600 m
    rms off)."""
    from planet import geotiff

    rng = np.random.default_rng(5)
    z = rng.normal(0.0, 1.0, (64, 128)).cumsum(axis=1).cumsum(axis=0)   # rough relief down to the pixel
    z = (z - z.mean()) / z.std() * 2000.0 - 500.0
    with open(tmp_path / "h.tif", "wb") as fh:
        geotiff.write_geotiff(fh, z.astype(np.float32))
    scene = tmp_path / "hm.toml"
    scene.write_text('[planet]\ngrid = "64x32"\ndt = 1.0\nstages = ["terrain"]\n[terrain]\nheightmap = "h.tif"\n')
    direct = planet.Simulation(ctx, load_scene(scene), backend="fragment")
    try:
        want = direct.read("terrain")
    finally:
        direct.release()
    sim = world.make(scene, coarse=16, until=8.0, spinup_ticks=0, backend="fragment", ctx=ctx)
    try:
        assert sim.scene.grid == (64, 32) and sim.years == pytest.approx(8.0)
        got = sim.read("terrain")
        assert np.allclose(got[..., 0], want[..., 0], atol=0.01), np.abs(got[..., 0] - want[..., 0]).max()
    finally:
        sim.release()


def test_make_frees_the_finer_level_when_letting_go_of_the_coarser_fails(ctx, monkeypatch):
    """An error (here Ctrl-C) while the coarser level is released: the finer one, already made, is
    released too (it leaked: make's error path released the coarser one again)."""
    made = []
    real_refine, real_release = world.refine, planet.Simulation.release

    def refine(*a, **kw):
        made.append(real_refine(*a, **kw))
        return made[-1]

    def release(self):
        real_release(self)
        if made and self is not made[-1]:
            raise KeyboardInterrupt

    monkeypatch.setattr(world, "refine", refine)
    monkeypatch.setattr(planet.Simulation, "release", release)
    with pytest.raises(KeyboardInterrupt):
        world.make(ROOT / "scenes" / "tests" / "tiny.toml", grid="32x16", coarse=16, until=1.0e6, spinup_ticks=0,
                   backend="fragment", ctx=ctx)
    assert len(made) == 1 and made[0].ctx is None, "the finer level was left holding its GL objects"


def test_a_protoplanet_without_plates_keeps_its_own_relief(ctx):
    """No tectonics: the refined bedrock is the protoplanet on the target grid (its craters and fBm
    below the coarse cells), not the coarse one's with random detail (2 km rms off)."""
    tiny = ROOT / "scenes" / "tests" / "tiny.toml"
    direct = planet.Simulation(ctx, load_scene(tiny, grid=(64, 32)), backend="fragment")
    try:
        want = direct.read("terrain")[..., 0]
    finally:
        direct.release()
    sim = world.make(tiny, grid="64x32", coarse=16, until=4.0e6, spinup_ticks=0, backend="fragment", ctx=ctx)
    try:
        assert sim.scene.grid == (64, 32) and sim.years == pytest.approx(4.0e6)
        assert np.array_equal(sim.read("terrain")[..., 0], want)
    finally:
        sim.release()


def test_without_coarse_levels_the_world_is_the_story(ctx, tmp_path):
    """grid <= coarse (k = 0): the history runs at the scene's dt, so the world is the story's state bit
    for bit; its life is not seeded again before the spin-up (that threw away the story's populations)."""
    scene = tmp_path / "early_life.toml"
    scene.write_text(f'base = "{EARTH.as_posix()}"\n[planet]\ngrid = "32x16"\n[life]\nstart = 1.0e8\n')
    sim = world.make(scene, coarse=32, until=1.5e8, spinup_ticks=20, backend="fragment", ctx=ctx)
    story = planet.Simulation(ctx, load_scene(scene), backend="fragment")
    try:
        story.step(150)
        assert sim.tick == story.tick == 150 and sim.read("life").max() > 0
        for name in sim.fields:
            assert np.array_equal(sim.read(name), story.read(name)), name
    finally:
        story.release()
        sim.release()


def test_freeboard_step_keeps_long_updates_stable(ctx):
    """16 Myr tectonic updates (8 Myr ticks, every 2nd): with the feedback taken over the whole update
    the land fraction flips between updates (the coarse history's life drowned); with freeboard_step
    (10 Myr) it settles."""
    swings = {}
    for step in (1.0e7, 1.0e12):
        sim = planet.Simulation(ctx, load_scene(EARTH, grid=(64, 32)), backend="fragment")
        try:
            sim.set_params(tectonics={"freeboard_step": step})
            sim.set_clock(**{**sim.clock, "dt": 8e6})
            sim.step(150)
            f = []
            for _ in range(12):
                sim.step(2)
                f.append(sim.scalar("land_fraction"))
            swings[step] = float(np.abs(np.diff(f)).mean())
        finally:
            sim.release()
    assert swings[1.0e7] < 0.02, swings
    assert swings[1.0e12] > 2.5 * swings[1.0e7], swings    # the test can tell the difference


def test_world_cli(tmp_path, capsys):
    from planet.__main__ import main

    out = tmp_path / "w.npz"
    assert main(["world", str(EARTH), "--grid", "64x32", "--coarse", "32", "--until", "6e8",
                 "--spinup-ticks", "10", "--backend", "fragment", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "32x16" in err and "64x32: 4/4 ticks" in err and f"wrote {out}" in err
    with planet.Simulation.load(out) as sim:
        assert sim.scene.grid == (64, 32) and sim.years == pytest.approx(6e8)
    assert main(["world", str(EARTH), "-o", str(tmp_path / "w.txt")]) == 2
    assert "ending in .npz" in capsys.readouterr().err
    assert main(["world", str(EARTH), "--until", "5e9", "-o", str(tmp_path / "x.npz")]) == 2
    assert not (tmp_path / "x.npz").exists()

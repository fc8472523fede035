"""Checkpoints (issue 8): save -> load -> N ticks == N ticks uninterrupted, bit for bit, on both
backends; a truncated, tampered, foreign or mismatched file is one clear PlanetError line; a failed or
interrupted save leaves nothing behind."""
from __future__ import annotations

import json
import os
import shutil
import zipfile

import numpy as np
import pytest

import planet
from planet import checkpoint
from planet.scene import Event

from conftest import BACKENDS, TINY


@pytest.fixture
def loaded():
    """Simulations made by Simulation.load in a test, released after it."""
    sims = []
    yield sims
    for sim in sims:
        sim.release()


def load(loaded, path, ctx, **kw):
    sim = planet.Simulation.load(path, ctx=ctx, **kw)
    loaded.append(sim)
    return sim


def busy_scene():
    """The tiny scene with a timeline event between save and the end, so the resumed run must keep its
    place in the timeline, and oceans that fill during the test so the fields change every tick."""
    scene = planet.load_scene(TINY)
    scene.params["terrain"].update(ocean_start=1.0e6, ocean_fill=1.0e7, cooling_time=5.0e6)
    scene.timeline = (Event(at=2.0e6, view="globe"),
                      Event(at=6.5e6, dt=5.0e5, layer="elevation", params={"terrain": {"quench": 3.0}}))
    return scene


def error(path_or_call, match=None) -> str:
    with pytest.raises(planet.PlanetError) as exc:
        path_or_call()
    msg = str(exc.value)
    assert "\n" not in msg, f"errors are one line: {msg!r}"
    if match:
        assert match in msg, f"{match!r} not in {msg!r}"
    return msg


@pytest.mark.parametrize("backend", BACKENDS)
def test_resume_is_bit_identical(make_sim, loaded, ctx, tmp_path, backend):
    sim = make_sim(busy_scene(), backend=backend)
    sim.step(4)
    sim.set_params(terrain={"cooling_time": 3.0e6})  # params now differ from the scene's
    sim.camera.yaw = 123.0
    path = sim.save(tmp_path / "run.npz")
    assert path == tmp_path / "run.npz"
    before = {name: sim.read(name) for name in sim.fields}
    sim.step(8)  # crosses the event at 6.5 Myr (dt and quench change)
    assert sim.dt == 5.0e5 and sim.params["terrain"]["quench"] == 3.0

    res = load(loaded, path, ctx, backend=backend)
    assert res.backend == backend
    assert res.tick == 4 and res.years == 4.0e6 and res.dt == 1.0e6
    assert res.params["terrain"]["cooling_time"] == 3.0e6 and res.params["terrain"]["quench"] == 10.0
    assert (res.view, res.layer) == ("globe", "satellite") and res.camera.yaw == 123.0
    for name in sim.fields:
        assert np.array_equal(res.read(name), before[name]), f"field {name} differs right after load"
    res.step(8)
    assert (res.tick, res.years, res.dt) == (sim.tick, sim.years, sim.dt)
    assert res.params == sim.params and (res.view, res.layer) == (sim.view, sim.layer)
    assert res.scene.timeline == sim.scene.timeline and res.scene.seed == sim.scene.seed
    for name in sim.fields:
        assert np.array_equal(res.read(name), sim.read(name)), f"field {name}: resumed run differs"
    # ...and it is a real test: the fields did change over those ticks.
    assert not np.array_equal(sim.read("terrain"), before["terrain"])


def test_checkpoint_loads_on_the_other_backend(make_sim, loaded, ctx, tmp_path):
    sim = make_sim(busy_scene(), backend="fragment")
    sim.step(3)
    sim.save(tmp_path / "a.npz")
    res = load(loaded, tmp_path / "a.npz", ctx, backend="compute")
    assert np.array_equal(res.read("terrain"), sim.read("terrain"))
    sim.step(3)
    res.step(3)
    np.testing.assert_allclose(res.read("terrain"), sim.read("terrain"), rtol=1e-5, atol=1e-6)


def test_reset_after_load_replays_the_scene(make_sim, loaded, ctx, tmp_path):
    sim = make_sim(busy_scene())
    sim.step(5)
    sim.save(tmp_path / "a.npz")
    res = load(loaded, tmp_path / "a.npz", ctx)
    res.reset()
    sim.reset()
    assert res.tick == 0 and res.params == sim.params
    assert np.array_equal(res.read("terrain"), sim.read("terrain"))


def test_contents_and_same_state_same_bytes(make_sim, tmp_path):
    sim = make_sim(busy_scene())
    sim.step(2)
    a, b = sim.save(tmp_path / "a.npz"), sim.save(tmp_path / "b.npz")
    assert a.read_bytes() == b.read_bytes(), "the same state must give the same file"
    with np.load(a, allow_pickle=False) as npz:
        assert sorted(npz.files) == ["field.scalars", "field.terrain", "meta"]
        meta = json.loads(npz["meta"].tobytes().decode())
        field = npz["field.terrain"]
        scalars = npz["field.scalars"]
    assert field.dtype == np.float32 and field.shape == (32, 64, 4)
    assert np.array_equal(field, sim.read("terrain"))
    assert scalars.shape == (len(sim.scalars), 4)
    assert [float(v) for v in scalars[:, 0]] == [sim.scalar(n) for n in sim.scalars]
    assert meta["format"] == "planet-checkpoint" and meta["version"] == checkpoint.VERSION
    assert (meta["tick"], meta["years"], meta["next_event"], meta["seed"], meta["grid"]) == (2, 2.0e6, 1, 1, [64, 32])  # the event at 2e6 years fired on reaching it
    assert meta["shader_hash"] == checkpoint.shader_hash(sim.stages)
    assert meta["params"] == sim.params
    # The saved scene is a scene mapping that load_scene accepts back as the same scene.
    again = planet.load_scene(meta["scene"])
    assert (again.grid, again.seed, again.params, again.timeline) == (sim.scene.grid, 1, sim.scene.params,
                                                                      sim.scene.timeline)
    sim.step(1)
    assert sim.save(tmp_path / "c.npz").read_bytes() != a.read_bytes()


def test_load_on_its_own_headless_context(tmp_path, gl_ctx):
    with planet.Simulation.headless(busy_scene(), backend="fragment") as sim:
        sim.step(2)
        sim.save(tmp_path / "a.npz")
        want = sim.read("terrain")
    with planet.Simulation.load(tmp_path / "a.npz", backend="fragment") as res:
        assert res.tick == 2 and np.array_equal(res.read("terrain"), want)
    assert res.ctx is None
    error(lambda: planet.Simulation.load(tmp_path / "a.npz", backend="vulkan"), "unknown backend 'vulkan'")
    gl_ctx.__enter__()  # moderngl does not switch contexts by itself: make the session's current again


def test_shader_hash_follows_the_shader_sources(saved, tmp_path, monkeypatch):
    """The hash covers every init/step pass body with its includes, not where the tree lives; a
    changed shader file makes a checkpoint refuse to load (unless allowed)."""
    from planet import shaderlib

    stages = [planet.stages.registry()["terrain"]]
    h = checkpoint.shader_hash(stages)
    assert len(h) == 64
    copy = tmp_path / "shaders"
    shutil.copytree(shaderlib.SHADER_ROOT, copy)
    monkeypatch.setattr(shaderlib, "SHADER_ROOT", copy)
    assert checkpoint.shader_hash(stages) == h, "the same sources elsewhere hash the same"
    grid = copy / "common" / "grid.glsl"  # an include of both terrain passes
    grid.write_text(grid.read_text() + "\n// an edit\n")
    assert checkpoint.shader_hash(stages) != h
    msg = error(lambda: checkpoint.read(saved), "the shaders changed since this checkpoint was saved")
    assert "allow_shader_change=True" in msg
    assert checkpoint.read(saved, allow_shader_change=True).tick == 2


# -- refusing bad files ----------------------------------------------------------------------------

@pytest.fixture
def saved(make_sim, tmp_path):
    sim = make_sim(busy_scene())
    sim.step(2)
    return sim.save(tmp_path / "good.npz")


def rewrite(src, dst, meta=None, arrays=None, drop=()):
    """A well-formed zip holding src's entries with the meta edited by `meta(d)` and arrays replaced."""
    with np.load(src, allow_pickle=False) as npz:
        entries = {name: npz[name] for name in npz.files if name not in drop}
    if meta is not None:
        d = json.loads(entries["meta"].tobytes().decode())
        meta(d)
        entries["meta"] = np.frombuffer(json.dumps(d).encode(), dtype=np.uint8)
    entries.update(arrays or {})
    np.savez(dst, **entries)
    return dst


@pytest.mark.parametrize("keep", [0.0, 0.02, 0.5, 0.98])
def test_truncated_checkpoint(saved, tmp_path, keep):
    data = saved.read_bytes()
    bad = tmp_path / "cut.npz"
    bad.write_bytes(data[: int(len(data) * keep)])
    msg = error(lambda: checkpoint.read(bad))
    assert str(bad) in msg and ("truncated" in msg or "damaged" in msg), msg


def test_flipped_byte_in_a_field(saved, tmp_path):
    data = bytearray(saved.read_bytes())
    with np.load(saved) as npz:
        raw = npz["field.terrain"].tobytes()
    at = bytes(data).find(raw[1000:1064])  # a spot inside the stored field data
    assert at > 0
    data[at + 7] ^= 0x40
    bad = tmp_path / "flipped.npz"
    bad.write_bytes(bytes(data))
    error(lambda: checkpoint.read(bad), "field.terrain")


def test_field_replaced_in_a_well_formed_zip(saved, tmp_path):
    with np.load(saved) as npz:
        field = npz["field.terrain"].copy()
    field[3, 4, 0] += 1.0
    bad = rewrite(saved, tmp_path / "edited.npz", arrays={"field.terrain": field})
    error(lambda: checkpoint.read(bad), "does not match its SHA-256")


@pytest.mark.parametrize("edit, match", [
    (lambda m: m.update(version=99), "format version 99; this planet"),
    (lambda m: m.update(format="something-else"), "not a planet checkpoint"),
    (lambda m: m.update(grid=[32, 16]), "meta 'grid' [32, 16]"),
    (lambda m: m["scene"]["planet"].update(grid=[32, 16]) or m.update(grid=[32, 16]), "float32 (16, 32, 4)"),
    (lambda m: m["scene"]["terrain"].update(quenchh=1.0), "the saved scene does not fit"),
    (lambda m: m["params"]["terrain"].pop("quench"), "params.terrain lacks quench"),
    (lambda m: m["params"]["terrain"].update(quench=-1.0), "params.terrain.quench = -1.0 is out of range"),
    (lambda m: m.update(tick="7"), "meta 'tick' must be"),
    (lambda m: m.update(next_event=9), "next_event 9 is outside the timeline"),
    (lambda m: m.update(layer="lava_lamp"), "valid views: map, globe; layers: satellite, elevation"),
    (lambda m: m["fields"].update(oceans=m["fields"]["terrain"]), "unknown oceans"),
    (lambda m: m.update(shader_hash="0" * 64), "the shaders changed since this checkpoint was saved"),
])
def test_tampered_meta(saved, tmp_path, edit, match):
    bad = rewrite(saved, tmp_path / "meta.npz", meta=edit)
    msg = error(lambda: checkpoint.read(bad), match)
    assert msg.startswith(str(bad))


def test_changed_shaders_escape_hatch(saved, tmp_path, loaded, ctx):
    bad = rewrite(saved, tmp_path / "old.npz", meta=lambda m: m.update(shader_hash="f" * 64))
    msg = error(lambda: planet.Simulation.load(bad, ctx=ctx))
    assert "allow_shader_change=True" in msg
    sim = load(loaded, bad, ctx, allow_shader_change=True)
    assert sim.tick == 2


def test_an_older_versions_missing_params_take_their_defaults_on_purpose(saved, tmp_path, loaded, ctx):
    """A checkpoint of a version that lacked a param: refused with the hatch named, loaded with the
    param's default when asked for."""
    old = rewrite(saved, tmp_path / "older.npz", meta=lambda m: m["params"]["terrain"].pop("quench"))
    msg = error(lambda: checkpoint.read(old), "params.terrain lacks quench")
    assert "allow_shader_change=True" in msg
    state = checkpoint.read(old, allow_shader_change=True)
    assert state.params["terrain"]["quench"] == planet.stages.registry()["terrain"].param_map["quench"].default


def test_missing_and_extra_field_entries(saved, tmp_path):
    error(lambda: checkpoint.read(rewrite(saved, tmp_path / "a.npz", drop=("field.terrain",))), "missing terrain")
    extra = {"field.oceans": np.zeros((32, 64, 4), np.float32)}
    error(lambda: checkpoint.read(rewrite(saved, tmp_path / "b.npz", arrays=extra)), "unknown oceans")
    error(lambda: checkpoint.read(rewrite(saved, tmp_path / "c.npz", arrays={"junk": np.zeros(3)})), "unexpected entries junk")
    f64 = {"field.terrain": np.zeros((32, 64, 4), np.float64)}
    error(lambda: checkpoint.read(rewrite(saved, tmp_path / "d.npz", arrays=f64)), "float64")


def test_foreign_files(tmp_path):
    error(lambda: checkpoint.read(tmp_path / "nope.npz"), "checkpoint not found")
    text = tmp_path / "text.npz"
    text.write_text("hello, world\n" * 10)
    error(lambda: checkpoint.read(text), "not a readable planet checkpoint")
    bare = tmp_path / "bare.npz"
    with open(bare, "wb") as fh:
        np.save(fh, np.zeros(3))
    error(lambda: checkpoint.read(bare), "bare .npy")
    other = tmp_path / "other.npz"
    np.savez(other, x=np.arange(3))
    error(lambda: checkpoint.read(other), "no 'meta' entry")
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, meta=np.array([{"format": "planet-checkpoint"}], dtype=object))
    error(lambda: checkpoint.read(pickled), "meta")
    zipped = tmp_path / "zipped.npz"
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("meta.npy", b"\x93NUMPY garbage")
    error(lambda: checkpoint.read(zipped), "entry 'meta' is damaged")


# -- saving: nothing half written -------------------------------------------------------------------

def listing(folder):
    return sorted(os.listdir(folder))


def test_save_errors_leave_nothing(make_sim, tmp_path):
    sim = make_sim()
    error(lambda: sim.save(tmp_path / "missing" / "run.npz"), "output directory")
    assert listing(tmp_path) == []
    error(lambda: sim.save(tmp_path / "run.zip"), "a checkpoint is a .npz file")
    (tmp_path / "dir.npz").mkdir()
    error(lambda: sim.save(tmp_path / "dir.npz"), "is a directory")
    assert listing(tmp_path) == ["dir.npz"]


@pytest.mark.parametrize("exc", [KeyboardInterrupt, OSError])
def test_interrupted_save_leaves_the_old_file(make_sim, tmp_path, monkeypatch, exc):
    sim = make_sim()
    path = sim.save(tmp_path / "run.npz")
    old = path.read_bytes()
    sim.step(1)
    real = np.lib.format.write_array
    calls = []

    def half_then_fail(fh, arr, **kw):
        calls.append(1)
        if len(calls) == 2:  # the field, after meta went through
            fh.write(b"\0" * 1000)
            raise exc("interrupted mid-write")
        return real(fh, arr, **kw)

    monkeypatch.setattr(np.lib.format, "write_array", half_then_fail)
    with pytest.raises(exc):
        sim.save(path)
    assert listing(tmp_path) == ["run.npz"], "no temporary file may stay behind"
    assert path.read_bytes() == old
    monkeypatch.undo()
    assert checkpoint.read(path).tick == 0


def test_imported_world_resumes_without_its_files(make_sim, loaded, ctx, tmp_path):
    """A checkpoint holds the fields, so the heightmap it started from is not needed to resume."""
    src = make_sim()
    src.export(tmp_path / "h.tif")
    sim = make_sim(heightmap=tmp_path / "h.tif")
    sim.step(2)
    sim.save(tmp_path / "run.npz")
    (tmp_path / "h.tif").unlink()
    res = load(loaded, tmp_path / "run.npz", ctx)
    assert res.params["terrain"]["heightmap"] == str(tmp_path / "h.tif")
    res.step(2)
    sim.step(2)
    assert np.array_equal(res.read("terrain"), sim.read("terrain"))
    error(res.reset, "file not found")  # reset re-reads the heightmap: a clear error now that it is gone


def test_an_older_versions_missing_scratch_field_is_rebuilt_on_purpose(make_sim, tmp_path, loaded, ctx):
    """A checkpoint of a version that lacked a scratch field (not carried, rebuilt before any read: here
    tectonics' plate_row, added in issue 16): refused, loaded when asked for, and the run goes on as from
    the full file. A missing field that is not scratch is refused even then."""
    scene = {"planet": {"grid": "64x32", "dt": 1.0e6, "seed": 1, "stages": ["terrain", "tectonics"]},
             "tectonics": {"start": 1.0e6, "seed_time": 1.0e6, "speed": 3e-4}}
    sim = make_sim(scene)
    sim.step(6)
    full = sim.save(tmp_path / "full.npz")
    old = rewrite(full, tmp_path / "older.npz", meta=lambda m: m["fields"].pop("plate_row"), drop=("field.plate_row",))
    error(lambda: checkpoint.read(old), "missing plate_row")
    a, b = load(loaded, full, ctx), load(loaded, old, ctx, allow_shader_change=True)
    a.step(4)
    b.step(4)
    assert (a.quantity("plate") >= 0).any()
    for name in a.fields:
        assert np.array_equal(a.read(name), b.read(name)), name
    worse = rewrite(old, tmp_path / "worse.npz", meta=lambda m: m["fields"].pop("plates"), drop=("field.plates",))
    error(lambda: checkpoint.read(worse, allow_shader_change=True), "missing plates")


def test_an_older_versions_changed_and_removed_scratch_fields_are_rebuilt_on_purpose(make_sim, tmp_path, loaded, ctx):
    """A checkpoint of a version whose scratch fields had other channels and one more field (erosion's
    jump as (pointer, min_pit) and a float jump_pass, before jump held max_pass_bits): refused, loaded
    when asked for, and the run goes on as from the full file. A changed field that is not scratch is
    refused even then."""
    scene = {"planet": {"grid": "64x32", "dt": 1.0e6, "seed": 1, "stages": ["terrain", "erosion"]},
             "terrain": {"ocean_start": 1.0e6, "ocean_fill": 1.0e7, "cooling_time": 5.0e6}}
    sim = make_sim(scene)
    sim.step(6)
    full = sim.save(tmp_path / "full.npz")
    jump = sim.read("jump")
    old_jump, old_pass = jump[..., :2].copy(), jump[..., 2:].view(np.float32).copy()

    def older(m):
        for name, a in (("jump", old_jump), ("jump_pass", old_pass)):
            m["fields"][name] = {"shape": list(a.shape), "dtype": str(a.dtype), "sha256": checkpoint._sha(a)}
        m["written"] = ["jump_pass"]
    old = rewrite(full, tmp_path / "older.npz", meta=older,
                  arrays={"field.jump": old_jump, "field.jump_pass": old_pass})
    assert "allow_shader_change=True" in error(lambda: checkpoint.read(old), "unknown jump_pass")
    a, b = load(loaded, full, ctx), load(loaded, old, ctx, allow_shader_change=True)
    assert b.written == set()
    a.step(3)
    b.step(3)
    assert (a.quantity("drainage_area") > 0).any()
    for name in a.fields:
        assert np.array_equal(a.read(name), b.read(name)), name
    terrain = sim.read("terrain")[..., :2].copy()
    worse = rewrite(full, tmp_path / "worse.npz", arrays={"field.terrain": terrain},
                    meta=lambda m: m["fields"]["terrain"].update(shape=list(terrain.shape), sha256=checkpoint._sha(terrain)))
    error(lambda: checkpoint.read(worse, allow_shader_change=True), "field 'terrain' is float32 (32, 64, 2)")

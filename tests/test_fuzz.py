"""Fuzzing (issue 17): hypothesis throws mutated scenes, command-line options, imported heightmaps and
checkpoint metas at the entry points. The only outcomes allowed: a clean one-line PlanetError (or
`prog: error: ...` and exit 2), or a state whose numbers are finite and within the declared ranges.
Deterministic (derandomize=True, no example database) and bounded: a few hundred examples, seconds.
"""
from __future__ import annotations

import contextlib
import io
import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import planet
from planet import checkpoint, geotiff, gl, maps, video
from planet.cli import render_parser
from planet.export_cli import _UsageError, export_parser
from planet.scene import CAMERA_KEYS, MAX_GRID_H, PLANET_PARAMS, load_scene
from planet.stages import registry

from conftest import TINY


def fuzz(n: int):
    return settings(max_examples=n, derandomize=True, database=None, deadline=None, print_blob=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large])


def clean(exc: BaseException) -> None:
    """A PlanetError that a front-end can print as one short line."""
    msg = str(exc)
    assert isinstance(exc, planet.PlanetError), f"{type(exc).__name__}: {msg[:200]}"
    assert msg and "\n" not in msg and "\r" not in msg and len(msg) < 600, repr(msg[:800])


def in_range(param, value) -> bool:
    if isinstance(param.default, str):
        return isinstance(value, str)
    if param.kind is bool:
        return isinstance(value, bool)
    return (isinstance(value, param.kind) and math.isfinite(value) and (param.lo is None or value >= param.lo)
            and (param.hi is None or value <= param.hi))


STAGES = registry()
NAMES = list(STAGES)
junk = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.integers(-10**400, 10**400), st.floats(),
              st.text(max_size=12), st.sampled_from(["64x32", "64x32x1", "16x8", "0x0", "1e300", "", "nan"])),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12)


def param_value(param):
    """Near-valid values for a declared param: its bounds, just past them, inside, far outside."""
    if isinstance(param.default, str) or param.kind is bool:
        return junk
    lo = param.lo if param.lo is not None else -1e12
    hi = param.hi if param.hi is not None else 1e12
    inside = st.integers(int(math.ceil(lo)), int(math.floor(hi))) if param.kind is int else st.floats(lo, hi)
    edges = [lo, hi, lo - 1, hi + 1, lo * 10 - 1, hi * 10 + 1, 10**400, -10**400]
    return st.one_of(inside, st.sampled_from(edges), junk)


@st.composite
def scenes(draw):
    """A scene mapping: a tiny valid planet, then a few mutations of the planet table, stage tables,
    stage list and timeline."""
    stages = draw(st.one_of(st.just(["terrain"]), st.just(NAMES), st.lists(st.sampled_from(NAMES), max_size=7), junk))
    data = {"planet": {"grid": [16, 8], "stages": stages}}
    for _ in range(draw(st.integers(0, 4))):
        where = draw(st.sampled_from(["planet", "stage", "timeline", "unknown"]))
        if where == "planet":
            key = draw(st.sampled_from([*PLANET_PARAMS, "grid", "stages", "bogus"]))
            value = param_value(PLANET_PARAMS[key]) if key in PLANET_PARAMS else junk
            data["planet"][key] = draw(value)
        elif where == "stage":
            name = draw(st.sampled_from(NAMES))
            param = draw(st.sampled_from(STAGES[name].params))
            data.setdefault(name, {})[param.name] = draw(param_value(param))
        elif where == "timeline":
            event = {"at": draw(st.one_of(st.floats(0, 1e13), junk))}
            key = draw(st.sampled_from(["dt", "view", "layer", "caption", "camera", "end", "terrain", "zzz"]))
            if key == "camera":
                cam = draw(st.sampled_from([*CAMERA_KEYS, "__class__"]))
                event[key] = {cam: draw(param_value(CAMERA_KEYS[cam]) if cam in CAMERA_KEYS else junk)}
            else:
                event[key] = draw(junk if key != "dt" else param_value(PLANET_PARAMS["dt"]))
            data.setdefault("timeline", []).append(event)
        else:
            data[draw(st.text(max_size=8))] = draw(junk)
    return data


def check_scene(scene) -> None:
    w, h = scene.grid
    assert w == 2 * h and 8 <= h <= MAX_GRID_H and h % 2 == 0
    assert scene.stages and len(set(scene.stages)) == len(scene.stages)
    for name in scene.stages:
        for param in STAGES[name].params:
            assert in_range(param, scene.params[name][param.name]), (name, param.name, scene.params[name][param.name])
    for key, param in PLANET_PARAMS.items():
        assert in_range(param, getattr(scene, key))
    for ev in scene.timeline:
        assert math.isfinite(ev.at) and ev.at >= 0
        assert all(in_range(CAMERA_KEYS[k], v) for k, v in ev.camera.items())


@fuzz(250)
@given(scenes())
def test_fuzz_scene_mappings(data):
    try:
        scene = load_scene(data)
    except Exception as exc:  # noqa: BLE001 - the property: every failure is a clean PlanetError
        clean(exc)
        return
    check_scene(scene)


toml_text = st.one_of(
    st.text(max_size=200),
    st.builds(lambda d, body: "[planet]\nstages = [\"terrain\"]\n[terrain]\nx = " + "[" * d + body + "]" * d,
              st.integers(0, 3000), st.sampled_from(["", "1", "nan", "inf", "9" * 400, "\"a\""])),
    st.builds(lambda k, v: f"[planet]\nstages = [\"terrain\"]\ngrid = \"16x8\"\n{k} = {v}\n",
              st.sampled_from(["seed", "dt", "radius", "present", "grid", "stages"]),
              st.sampled_from(["nan", "inf", "-inf", "1e300", "9" * 400, "-" + "9" * 400, "[]", "[[[[]]]]", "\"64x32x1\"",
                               "0", "-1", "{a = 1}", "true", "1979-05-27"])),
)


@fuzz(200)
@given(toml_text)
def test_fuzz_scene_files(tmp_path, text):
    path = tmp_path / "s.toml"
    path.write_text(text)
    try:
        scene = load_scene(path)
    except Exception as exc:  # noqa: BLE001
        clean(exc)
        assert str(exc).startswith(str(path)), str(exc)[:200]
        return
    check_scene(scene)


@st.composite
def runnable(draw):
    """Valid scenes at their params' extremes: every stage on, a 16x8 grid."""
    data = {"planet": {"grid": [16, 8], "stages": NAMES, "seed": draw(st.integers(0, 2**32 - 1)),
                       "dt": draw(st.sampled_from([1e-6, 1.0, 1e5, 1e7, 1e9]))}}
    for name in NAMES:
        for param in STAGES[name].params:
            if isinstance(param.default, str) or param.kind is bool or not draw(st.booleans()):
                continue
            if param.kind is int:
                data.setdefault(name, {})[param.name] = draw(st.integers(int(param.lo), int(param.hi)))
            else:
                data.setdefault(name, {})[param.name] = draw(st.one_of(st.sampled_from([param.lo, param.hi]),
                                                                       st.floats(param.lo, param.hi)))
    return data


@fuzz(10)
@given(runnable())
def test_fuzz_params_at_their_extremes_stay_finite(gl_ctx, data):
    gl.make_current(gl_ctx)
    with planet.Simulation(gl_ctx, data) as sim:
        sim.step(4)
        for name in sim.fields:
            arr = sim.read(name)
            assert np.isfinite(arr).all(), f"field {name}: {int((~np.isfinite(arr)).sum())} cells not finite"


# -- the command line ---------------------------------------------------------------------------------

option_values = st.one_of(st.sampled_from(["nan", "inf", "-inf", "1e300", "-0", "0", "1e6", "240", "240.0001", "1",
                                           "30", "64x32", "0x0", "99999x2", "16x16", "9" * 400, "", "x", "-1"]),
                          st.floats().map(repr), st.integers().map(str), st.text(max_size=8))
RENDER_OPTIONS = ["--fps", "--seconds", "--ticks", "--ticks-per-frame", "--size", "--seed", "--grid", "--view"]


@fuzz(300)
@given(st.lists(st.tuples(st.sampled_from(RENDER_OPTIONS), option_values), max_size=4), st.booleans())
def test_fuzz_render_options(options, frames):
    argv = ["scene.toml", "--frames" if frames else "-o", "out" if frames else "out.mp4"]
    for name, value in options:
        argv += [f"{name}={value}"]
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        try:
            args = render_parser().parse_args(argv)
        except SystemExit as exc:
            assert exc.code == 2
            lines = err.getvalue().splitlines()
            assert len(lines) == 1 and lines[0].startswith("render.py: error:"), err.getvalue()[:500]
            return
    assert 0 < args.fps <= video.MAX_FPS and math.isfinite(args.fps)
    assert args.seconds is None or (0 < args.seconds <= video.MAX_SECONDS)
    assert 0 <= args.ticks <= 10**9 and 0 <= args.ticks_per_frame <= 10**9
    assert args.size is None or all(1 <= v <= 16384 for v in args.size)
    video.check_rate(args.fps, args.seconds, args.ticks_per_frame)
    if args.seconds is not None:
        try:
            assert 1 <= video.frame_count(None, args.fps, args.seconds, args.ticks_per_frame) <= video.MAX_FRAMES
        except planet.PlanetError as exc:
            clean(exc)


@fuzz(150)
@given(st.lists(st.tuples(st.sampled_from(["--ticks", "--size", "--seed", "--grid", "--name"]), option_values), max_size=3))
def test_fuzz_export_options(options):
    argv = ["heightmap", "scene.toml", "-o", "out.tif", *(f"{k}={v}" for k, v in options)]
    try:
        args = export_parser().parse_args(argv)
    except _UsageError as exc:
        assert "\n" not in str(exc)
        return
    assert 0 <= args.ticks <= 10**9
    assert args.size is None or all(1 <= v <= 16384 for v in np.atleast_1d(args.size))


# -- imported heightmaps ----------------------------------------------------------------------------

elevations = hnp.arrays(np.float32, (8, 16), elements=st.one_of(
    st.floats(width=32), st.sampled_from([3e38, -3e38, 1e5, -1e5, 1.0000001e5, 0.0])))


@fuzz(100)
@given(elevations)
def test_fuzz_heightmap_tif(tmp_path, z):
    path = tmp_path / "h.tif"
    with open(path, "wb") as fh:
        geotiff.write_geotiff(fh, z)
    try:
        out = maps.read_heightmap(path, "terrain.heightmap")
    except Exception as exc:  # noqa: BLE001
        clean(exc)
        return
    assert np.isfinite(out).all() and np.abs(out).max() <= maps.MAX_ELEVATION


sidecar_number = st.one_of(st.floats(), st.integers(-10**40, 10**40), st.sampled_from([1e35, -1e35, 0, 1, 0.5, 3000]), junk)


@fuzz(100)
@given(st.dictionaries(st.sampled_from(["offset", "step", "unit", "width", "height"]), sidecar_number),
       hnp.arrays(np.uint16, (8, 16)))
@example({"offset": 10**400, "step": 1}, np.zeros((8, 16), np.uint16))   # JSON's big integers overflow float()
def test_fuzz_heightmap_png_sidecar(tmp_path, sidecar, grey):
    import imageio.v3 as iio

    iio.imwrite(tmp_path / "h.png", grey)
    (tmp_path / "h.json").write_text(json.dumps(sidecar))
    try:
        out = maps.read_heightmap(tmp_path / "h.png", "terrain.heightmap")
    except Exception as exc:  # noqa: BLE001
        clean(exc)
        return
    assert np.isfinite(out).all() and np.abs(out).max() <= maps.MAX_ELEVATION


# -- checkpoint meta -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def saved(tmp_path_factory, gl_ctx):
    gl.make_current(gl_ctx)
    with planet.Simulation(gl_ctx, TINY) as sim:
        sim.step(1)
        path = sim.save(tmp_path_factory.mktemp("fuzz") / "good.npz")
    with np.load(path) as npz:
        entries = {n: npz[n] for n in npz.files}
    return entries, json.loads(entries["meta"].tobytes().decode())


def paths(meta, prefix=()):
    """Every key path in the meta (tables only), e.g. ('camera', 'yaw'), ('scene', 'planet', 'grid')."""
    for key, value in meta.items():
        yield (*prefix, key)
        if isinstance(value, dict) and len(prefix) < 3:
            yield from paths(value, (*prefix, key))


@fuzz(150)
@given(st.data())
def test_fuzz_checkpoint_meta(saved, tmp_path, data):
    entries, good = saved
    meta = json.loads(json.dumps(good))
    keys = sorted(paths(meta))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(keys))
        table = meta
        for k in path[:-1]:
            table = table.get(k) if isinstance(table, dict) else None
        if not isinstance(table, dict):
            continue
        action = data.draw(st.sampled_from(["set", "drop", "add"]))
        if action == "drop":
            table.pop(path[-1], None)
        elif action == "add":
            table[data.draw(st.sampled_from(["__class__", "__dict__", "zzz", "fov", "spin"]))] = data.draw(junk)
        else:
            table[path[-1]] = data.draw(junk)
    out = tmp_path / "m.npz"
    np.savez(out, **{**entries, "meta": np.frombuffer(json.dumps(meta).encode(), np.uint8)})
    try:
        state = checkpoint.read(out)
    except Exception as exc:  # noqa: BLE001
        clean(exc)
        return
    assert all(in_range(checkpoint.CAMERA[k], v) for k, v in state.camera.items())
    assert 0 <= state.tick <= 10**9 and math.isfinite(state.years) and in_range(PLANET_PARAMS["dt"], state.dt)
    check_scene(state.scene)
    for name, values in state.params.items():
        assert all(in_range(p, values[p.name]) for p in STAGES[name].params)

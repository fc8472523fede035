"""Hardening (issue 17): every case the careless-user / attacker run found, each reproduced here.

Output: one OutputError line (path + OS reason, exit 2, nothing left) for every writer on a folder that
refuses files or a disk that fills. Signals: SIGTERM and SIGHUP end a render or an export like Ctrl-C,
with an honest message and no temporary file. Numbers: checked finite and within stated limits where
they enter (CLI, scene TOML, imported heightmaps, checkpoint meta); resource limits (nesting depth,
inflated sizes, frames, GL memory) named in the error.
"""
from __future__ import annotations

import errno
import json
import os
import resource
import signal
import subprocess
import sys
import time
import tracemalloc
import types
import zipfile
from pathlib import Path

import numpy as np
import pytest

import planet
import planet.atomic
from planet import checkpoint, geotiff, gl, maps, video
from planet.atomic import Interrupted, atomic_files
from planet.cli import render_main
from planet.errors import GLMemoryError, LimitError, OutputError
from planet.export_cli import export_main
from planet.scene import MAX_DEPTH, load_scene

from conftest import ROOT, TINY, TINY_ALL

ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def error(call, match=None, kind=planet.PlanetError) -> str:
    with pytest.raises(kind) as exc:
        call()
    msg = str(exc.value)
    assert "\n" not in msg and len(msg) < 400, f"errors are one short line: {msg!r}"
    if match:
        assert match in msg, f"{match!r} not in {msg!r}"
    return msg


def one_line(err: str, prog: str, match: str = "") -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"{prog}: error:"), err
    assert match in lines[0], f"{match!r} not in {lines[0]!r}"
    assert "Traceback" not in err and "usage:" not in err
    return lines[0]


def everything(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def no_temporaries(folder: Path) -> None:
    left = [p for p in everything(folder) if ".tmp" in p]
    assert not left, f"temporary files left behind: {left}"


@pytest.fixture
def default_signals():
    """SIGTERM and SIGHUP at their default action for the test (as in a fresh process), restored after."""
    old = {s: signal.signal(s, signal.SIG_DFL) for s in (signal.SIGTERM, signal.SIGHUP)}
    yield
    for s, h in old.items():
        signal.signal(s, h)


@pytest.fixture
def unwritable(tmp_path):
    """A folder where no file can be made: a read-only one (0555); as root, who ignores permissions,
    sysfs (/sys), which refuses new files to everyone."""
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        for folder in (ro, Path("/sys")):
            try:
                (folder / "planet-probe").touch()
            except OSError:
                yield folder
                return
            (folder / "planet-probe").unlink()
        pytest.skip("no folder on this machine refuses new files")
    finally:
        ro.chmod(0o755)


# -- output errors: one line for every writer ------------------------------------------------------

def test_every_cli_writer_on_an_unwritable_folder_is_one_line(unwritable, capsys, tmp_path):
    for args in (["-o", unwritable / "v.mp4", "--seconds", "1"], ["-o", unwritable / "s.png"],
                 ["-o", unwritable / "s.png", "--view", "both"], ["--frames", unwritable / "frames", "--seconds", "1"]):
        assert render_main([str(TINY), *map(str, args)]) == 2
        line = one_line(capsys.readouterr().err, "render.py", str(unwritable))
        assert "cannot write" in line and ("Permission denied" in line or "Read-only" in line), line
    for kind, out in (("heightmap", "h.tif"), ("checkpoint", "c.npz"), ("cubemap", "c.png"), ("view", "v.png")):
        assert export_main([kind, str(TINY), "-o", str(unwritable / out)]) == 2
        one_line(capsys.readouterr().err, "planet export", f"{unwritable / out}: cannot write")
    assert everything(tmp_path) == ["ro"] and not list(unwritable.glob("*planet*"))


def test_library_writers_raise_output_error(make_sim, unwritable):
    sim = make_sim()
    for call, path in ((lambda: sim.save(unwritable / "run.npz"), "run.npz"),
                       (lambda: sim.export(unwritable / "h.png"), "h.png"),
                       (lambda: sim.export(unwritable / "h.tif"), "h.tif"),
                       (lambda: sim.export(unwritable / "v.png", "view"), "v.png"),
                       (lambda: planet.atomic.write_png_atomic(unwritable / "s.png", np.zeros((4, 4, 3), np.uint8)),
                        "s.png")):
        msg = error(call, f"{unwritable / path}: cannot write:", OutputError)
        assert msg.split(": ")[-1] in ("Permission denied", "Read-only file system")
    assert issubclass(OutputError, OSError), "code that caught the raw OSError still catches it"


@pytest.mark.parametrize("code, reason", [(errno.ENOSPC, "No space left on device"), (errno.EROFS, "Read-only file system"),
                                          (errno.EIO, "Input/output error")])
def test_os_errors_mid_write_are_one_line_and_leave_the_old_file(make_sim, tmp_path, monkeypatch, code, reason):
    sim = make_sim()
    path = sim.save(tmp_path / "run.npz")
    old = path.read_bytes()

    def fail(fh, arr, **kw):
        fh.write(b"\x93NUMPY half")
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(np.lib.format, "write_array", fail)
    error(lambda: sim.save(path), f"{path}: cannot write: {reason}", OutputError)
    assert path.read_bytes() == old and everything(tmp_path) == ["run.npz"]


def test_temporary_file_refused_is_one_line(tmp_path, monkeypatch):
    def refuse(*a, **kw):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(planet.atomic.tempfile, "mkstemp", refuse)
    error(lambda: planet.atomic.write_png_atomic(tmp_path / "a.png", np.zeros((2, 2), np.uint8)),
          f"{tmp_path / 'a.png'}: cannot write: Read-only file system", OutputError)
    assert everything(tmp_path) == []


def test_frames_into_an_existing_file_or_old_frames(tmp_path, capsys):
    (tmp_path / "taken").write_text("not a folder")
    assert render_main([str(TINY), "--frames", str(tmp_path / "taken"), "--seconds", "1"]) == 2
    one_line(capsys.readouterr().err, "render.py", "exists and is not a directory")
    old = tmp_path / "old"
    old.mkdir()
    (old / "frame_00000.png").write_bytes(b"x")
    sim = types.SimpleNamespace(scene=load_scene(TINY), tick=0, check_view=lambda *a: None)
    error(lambda: video.render(sim, frames_dir=old, seconds=1), "already holds 1 frame_*.png files")
    error(lambda: video.render(sim, frames_dir=tmp_path / "taken", seconds=1), "exists and is not a directory")


# -- signals ----------------------------------------------------------------------------------------

def _start_render(args):
    return subprocess.Popen([sys.executable, "render.py", str(TINY), *map(str, args), "--size", "64x32"],
                            cwd=ROOT, stderr=subprocess.PIPE, text=True, env=ENV)


def _size(path):
    """The file's size, or 0 when it went between listing and stat (ffmpeg's own temporaries come and go)."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _wait_for(test, seconds=60.0):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if test():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for the render to start writing")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_signal_mid_video_leaves_nothing(tmp_path, sig):
    """SIGTERM or SIGHUP while ffmpeg writes the temporary video: the exit code says which, the message
    says nothing was written, and nothing was (ffmpeg is stopped before the temporary file goes)."""
    proc = _start_render(["-o", tmp_path / "v.mp4", "--seconds", "60"])
    _wait_for(lambda: any(p.name.startswith(".v.mp4.") and _size(p) > 0 for p in tmp_path.iterdir()))
    proc.send_signal(sig)
    err = proc.communicate(timeout=60)[1]
    assert proc.returncode == 128 + sig, err[-2000:]
    assert err.strip().splitlines()[-1].endswith(f"render.py: interrupted ({signal.Signals(sig).name}); no output written")
    time.sleep(0.5)  # nothing may appear later either (an ffmpeg left running would re-create the file)
    assert everything(tmp_path) == []


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_mid_frames_says_what_it_kept(tmp_path, sig):
    frames = tmp_path / "f"
    proc = _start_render(["--frames", frames, "--seconds", "60"])
    _wait_for(lambda: frames.is_dir() and len(list(frames.glob("frame_*.png"))) >= 3)
    proc.send_signal(sig)
    err = proc.communicate(timeout=60)[1]
    assert proc.returncode == 128 + sig, err[-2000:]
    kept = sorted(p.name for p in frames.iterdir())
    assert kept == [f"frame_{k:05d}.png" for k in range(len(kept))], kept
    last = err.strip().splitlines()[-1]
    assert last.endswith(f"interrupted ({signal.Signals(sig).name}); --frames: {len(kept)} frames kept in {frames}"), last
    import imageio.v3 as iio

    assert iio.imread(frames / kept[-1]).shape == (32, 64, 3), "every kept frame is whole"
    no_temporaries(tmp_path)


def test_sigterm_mid_export_writes_nothing(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "planet", "export", "checkpoint", str(TINY), "--ticks", "1000000",
                             "-o", str(tmp_path / "run.npz")], cwd=ROOT, stderr=subprocess.PIPE, text=True, env=ENV)
    line = proc.stderr.readline()  # sim.info(): the simulation is built and ticking
    assert "64x32" in line, line
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    err = proc.communicate(timeout=60)[1]
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert err.strip().endswith("planet export: interrupted (SIGTERM); nothing written")
    assert everything(tmp_path) == []


def test_sigterm_inside_a_writer_raises_and_cleans_up(tmp_path, default_signals):
    target = tmp_path / "a.bin"
    target.write_bytes(b"old")
    with pytest.raises(Interrupted) as exc:
        with atomic_files([target]) as (tmp,):
            tmp.write_bytes(b"new, half")
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)  # the handler raises at once; never reached
    assert exc.value.signum == signal.SIGTERM and isinstance(exc.value, KeyboardInterrupt)
    assert everything(tmp_path) == ["a.bin"] and target.read_bytes() == b"old"
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL, "the default action is back after the writer"


def test_sighup_during_the_renames_is_held_until_both_are_done(tmp_path, monkeypatch, default_signals):
    real, calls = os.replace, []

    def replace_and_hang_up(src, dst):
        calls.append(dst)
        if len(calls) == 1:
            os.kill(os.getpid(), signal.SIGHUP)
        real(src, dst)

    monkeypatch.setattr(planet.atomic.os, "replace", replace_and_hang_up)
    with pytest.raises(Interrupted):
        with atomic_files([tmp_path / "a.png", tmp_path / "a.json"]) as tmps:
            for t in tmps:
                t.write_text("x")
    assert everything(tmp_path) == ["a.json", "a.png"], "both files, or neither"


def test_ignored_or_handled_signals_are_left_alone(tmp_path, default_signals):
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # nohup
    seen = []
    signal.signal(signal.SIGTERM, lambda s, f: seen.append(s))  # the program's own handler
    with atomic_files([tmp_path / "a.txt"]) as (tmp,):
        tmp.write_text("kept")
        os.kill(os.getpid(), signal.SIGHUP)
        os.kill(os.getpid(), signal.SIGTERM)
    assert (tmp_path / "a.txt").read_text() == "kept" and seen == [signal.SIGTERM]


# -- numbers on the command line -------------------------------------------------------------------

@pytest.mark.parametrize("args, needle", [
    (["--fps", "nan"], "--fps: 'nan' is outside (0, 240]"),
    (["--fps", "inf"], "--fps: 'inf' is outside (0, 240]"),
    (["--fps", "-1"], "--fps: '-1' is outside"),
    (["--seconds", "nan"], "--seconds: 'nan' is outside (0, 36000] s"),
    (["--seconds", "inf"], "--seconds: 'inf' is outside"),
    (["--seconds", "1e300"], "--seconds: '1e300' is outside"),
    (["--fps", "1e6", "--seconds", "1"], "--fps: '1e6' is outside (0, 240]"),
    (["--ticks", "1" * 400], "--ticks: '1111111111111111111111111111111111111111' is outside [0, 1000000000]"),
    (["--ticks-per-frame", "-3"], "--ticks-per-frame: '-3' is outside [0, 1000000000]"),
    (["--size", "99999x99999"], "each side must be 1..16384 pixels"),
    (["--bogus"], "unrecognized arguments: --bogus"),
])
def test_render_numbers_are_checked_where_they_enter(tmp_path, capsys, args, needle):
    with pytest.raises(SystemExit) as exc:
        render_main([str(TINY), "-o", str(tmp_path / "v.mp4"), *args])
    assert exc.value.code == 2
    one_line(capsys.readouterr().err, "render.py", needle)
    assert everything(tmp_path) == []


def test_frame_limits_are_stated(tmp_path, capsys):
    assert render_main([str(TINY), "--frames", str(tmp_path / "f"), "--fps", "240", "--seconds", "36000"]) == 2
    one_line(capsys.readouterr().err, "render.py", "8640000 frames (240 fps x 36000 s) is over the limit of 500000 frames")
    assert everything(tmp_path) == []
    story = load_scene({"planet": {"stages": ["terrain"], "dt": 1e5}, "timeline": [{"at": 1e11, "end": True}]})
    sim = types.SimpleNamespace(scene=story, tick=0)
    error(lambda: video.frame_count(sim, 30, None, 1), "the whole story) is over the limit of 500000 frames", LimitError)
    assert video.frame_count(sim, 30, None, 10**4) == 10**6 // 10**4 + 1 + round(video.FADE_SECONDS * 30)
    forever = load_scene({"planet": {"stages": ["terrain"], "dt": 1e-6}, "timeline": [{"at": 1e12, "end": True}]})
    t0 = time.process_time()
    error(lambda: forever.ticks_until(1e12), "takes over 1e+09 ticks", LimitError)
    assert time.process_time() - t0 < 1.0, "refused without walking the ticks"


def test_usage_errors_are_one_line_everywhere(capsys):
    with pytest.raises(SystemExit) as exc:
        render_main([])
    assert exc.value.code == 2
    one_line(capsys.readouterr().err, "render.py", "the following arguments are required")
    assert export_main(["heightmap"]) == 2
    one_line(capsys.readouterr().err, "planet export", "required")
    from planet.__main__ import main

    with pytest.raises(SystemExit) as exc:
        main(["--speed", "fast"])
    assert exc.value.code == 2
    one_line(capsys.readouterr().err, "planet", "--speed: invalid int value: 'fast'")


# -- numbers and shapes in scene files -------------------------------------------------------------

def write(tmp_path, text, name="s.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("text, needle", [
    ("[planet]\nstages = ['terrain']\ndt = " + "9" * 400, "planet.dt = 99999999999999999999999999"),
    ("[planet]\nstages = ['terrain']\n[terrain]\nquench = " + "9" * 400, "terrain.quench = 999"),
    ("[planet]\nstages = ['terrain']\n[[timeline]]\nat = " + "9" * 400, "timeline[0].at = 999"),
    ("[planet]\nstages = ['terrain']\n[[timeline]]\nat = 1e300", "timeline[0].at = 1e+300 is out of range [0, 1000000000000] years"),
    ("[planet]\nstages = ['terrain']\n[[timeline]]\nat = nan", "timeline[0].at: expected a finite number"),
    ("[planet]\nstages = ['terrain']\n[[timeline]]\nat = 0\ncamera = {distance = inf}", "camera.distance: expected a finite"),
    ("[planet]\ngrid = \"64x32x1\"\nstages = ['terrain']", "planet.grid: expected WxH like \"512x256\", got '64x32x1'"),
    ("[planet]\ngrid = [65536, 32768]\nstages = ['terrain']", "grid 65536x32768 is too large; the limit is 16384x8192"),
    ("[planet]\nstages = []", "planet.stages is empty; name at least one stage: terrain"),
    ("[planet]\nstages = ['terrain']\n[terrain]\nx = " + "[" * 5000 + "]" * 5000, "nest more than 16 levels deep"),
    ("[planet]\nstages = ['terrain']\n[terrain]\nx = " + "[" * 40 + "]" * 40, "nest more than 16 levels deep"),
    ("a = " + "{b = " * 3000 + "1" + "}" * 3000, "nest more than 16 levels deep"),
    ("[planet]\nstages = ['terrain']\n" + "[[timeline]]\nat = 0\n" * 10_001, "timeline has 10001 entries; the limit is 10000"),
    ("# " + "x" * (1 << 20), "the limit is 1048576"),
])
def test_scene_values_are_clean_errors(tmp_path, text, needle):
    path = write(tmp_path, text)
    msg = error(lambda: load_scene(path), needle)
    assert msg.startswith(str(path))


def test_mappings_nested_too_deeply():
    deep = inner = {}
    for _ in range(MAX_DEPTH + 5):
        inner["x"] = {}
        inner = inner["x"]
    error(lambda: load_scene({"planet": {"stages": ["terrain"]}, "terrain": deep}), "nest more than 16 levels")
    very = []
    for _ in range(100_000):
        very = [very]
    error(lambda: load_scene({"terrain": {"x": very}}), "nest more than 16 levels")


@pytest.mark.parametrize("stages, needle", [
    (["erosion"], "stage 'erosion' needs field 'terrain' of stage 'terrain'; add 'terrain' before 'erosion'"),
    (["terrain", "life"], "stage 'life' needs field 'atmosphere' of stage 'climate'"),
    (["terrain", "terrain"], "stage 'terrain' is listed twice"),
    (["tectonics"], "for_each='carried' but no field of this scene is carried"),
])
def test_stage_list_errors_name_the_file_before_any_gl(tmp_path, monkeypatch, capsys, stages, needle):
    path = write(tmp_path, f"[planet]\ngrid = '16x8'\nstages = {json.dumps(stages)}\n")

    def no_gl(*a, **kw):
        raise AssertionError("a GL context was made before the stage list was checked")

    monkeypatch.setattr(gl, "create_headless", no_gl)
    msg = error(lambda: planet.Simulation.headless(path), needle, planet.SceneError)
    assert msg.startswith(f"{path}: planet.stages {stages}")
    assert render_main([str(path), "-o", str(tmp_path / "s.png")]) == 2
    one_line(capsys.readouterr().err, "render.py", needle)


def test_long_values_are_cut_in_messages():
    msg = error(lambda: load_scene({"planet": {"seed": 10**399, "stages": ["terrain"]}}), "(400 chars)")
    assert len(msg) < 150


# -- imported heightmaps ---------------------------------------------------------------------------

def write_tif(path, z):
    with open(path, "wb") as fh:
        geotiff.write_geotiff(fh, np.asarray(z, np.float32))
    return path


@pytest.mark.parametrize("amplitude", [3e38, -3e38, 1.5e5])
def test_heightmap_elevations_have_a_range(tmp_path, amplitude):
    z = np.zeros((32, 64), np.float32)
    z[3, 4] = amplitude
    path = write_tif(tmp_path / "h.tif", z)
    error(lambda: maps.read_heightmap(path, "terrain.heightmap"), "outside the limit of +-100000 m of sea level")


@pytest.mark.parametrize("sidecar, needle", [
    ({"offset": 0, "step": 1e35}, "step must be in (0, 200000] m per grey step, got 1e+35"),
    ({"offset": -1e35, "step": 1}, "offset must be within +-100000 m"),
    ({"offset": 0, "step": 0}, "step must be in (0, 200000]"),
    ({"offset": 0, "step": 3000.0}, "outside the limit of +-100000 m"),  # each within bounds, grey 65535 far past
])
def test_heightmap_sidecar_bounds(tmp_path, sidecar, needle):
    import imageio.v3 as iio

    grey = np.zeros((32, 64), np.uint16)
    grey[0, 0] = 65535
    iio.imwrite(tmp_path / "h.png", grey)
    (tmp_path / "h.json").write_text(json.dumps(sidecar))
    error(lambda: maps.read_heightmap(tmp_path / "h.png", "terrain.heightmap"), needle)


def test_heightmap_at_the_limit_stays_finite(make_sim, tmp_path):
    z = np.where(np.arange(64)[None, :] < 32, 1.0e5, -1.0e5) * np.ones((32, 1))
    path = write_tif(tmp_path / "h.tif", z)
    sim = make_sim(TINY_ALL, heightmap=path)
    sim.step(30)
    for name in sim.fields:
        arr = sim.read(name)
        assert np.isfinite(arr).all(), f"field {name} is not finite after 30 ticks at the +-100 km limit"


# -- checkpoint meta -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def saved(tmp_path_factory, gl_ctx):
    gl.make_current(gl_ctx)
    with planet.Simulation(gl_ctx, TINY) as sim:
        sim.step(1)
        return sim.save(tmp_path_factory.mktemp("ckpt") / "good.npz")


def rewrite(src, dst, meta=None, arrays=None, raw_meta=None):
    with np.load(src) as npz:
        entries = {n: npz[n] for n in npz.files}
    if meta is not None:
        d = json.loads(entries["meta"].tobytes().decode())
        meta(d)
        raw_meta = json.dumps(d).encode()
    if raw_meta is not None:
        entries["meta"] = np.frombuffer(raw_meta, np.uint8)
    entries.update(arrays or {})
    np.savez(dst, **entries)
    return dst


@pytest.mark.parametrize("camera, needle", [
    ({"__class__": 1.0}, "meta camera.__class__: unknown key '__class__'"),
    ({"__dict__": 0}, "unknown key '__dict__'"),
    ({"distance": 1e300}, "meta camera.distance = 1e+300 is out of range [1.2, 50]"),
    ({"pitch": 1000.0}, "camera.pitch = 1000.0 is out of range"),
    ({"yaw": float("nan")}, "camera.yaw: expected a finite number"),
    ({"fov": 0.0}, "camera.fov = 0.0 is out of range [5, 120]"),
    ({"night": True}, "expected a number"),
    ([1, 2], "expected a table of params"),
])
def test_checkpoint_camera(saved, tmp_path, camera, needle):
    bad = rewrite(saved, tmp_path / "cam.npz", meta=lambda m: m.update(camera=camera))
    msg = error(lambda: checkpoint.read(bad), needle)
    assert msg.startswith(str(bad))


def test_checkpoint_camera_round_trips(saved):
    state = checkpoint.read(saved)
    assert set(state.camera) == {"yaw", "pitch", "distance", "fov", "spin", "spin_rate", "sun_azimuth", "night"}


@pytest.mark.parametrize("edit, needle", [
    (lambda m: m.update(tick=10**400), "must be in [0, 1000000000]"),
    (lambda m: m.update(years=1e300), "must be in [0, 1000000000] / [0, 1e+18]"),
    (lambda m: m.update(dt=float("inf")), "meta dt: expected a finite number"),
    (lambda m: m["params"]["terrain"].update(quench=10**400), "params.terrain.quench = 1000000000000"),
])
def test_checkpoint_numbers(saved, tmp_path, edit, needle):
    error(lambda: checkpoint.read(rewrite(saved, tmp_path / "n.npz", meta=edit)), needle)


def test_checkpoint_meta_nested_deeply(saved, tmp_path):
    error(lambda: checkpoint.read(rewrite(saved, tmp_path / "d.npz", raw_meta=b"[" * 200_000 + b"]" * 200_000)),
          "nests too deeply")
    scene_bomb = lambda m: m["scene"].update(terrain={"x": json.loads("[" * 500 + "]" * 500)})  # noqa: E731
    error(lambda: checkpoint.read(rewrite(saved, tmp_path / "e.npz", meta=scene_bomb)), "nest more than 16 levels")


def _deflated(path, entries):
    """A zip whose members are written deflated, streaming (no big buffer here): {name: iterable of bytes}."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, chunks in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w", force_zip64=True) as fh:
                for chunk in chunks:
                    fh.write(chunk)
    return path


def test_checkpoint_inflation_is_bounded_before_inflating(saved, tmp_path):
    """A small deflated member that would inflate to 128 MB is refused from its declared size: fast
    and without the memory (the issue saw 14 s and 1.3 GB for 300 MB)."""
    with zipfile.ZipFile(saved) as zf:
        good = {i.filename: zf.read(i) for i in zf.infolist()}
    header = good["field.terrain.npy"][:128]
    zero = bytes(1 << 20)
    entries = {name: [data] for name, data in good.items()}
    entries["field.terrain.npy"] = [header, *(zero for _ in range(128))]
    bomb = _deflated(tmp_path / "bomb.npz", entries)
    assert bomb.stat().st_size < 2_000_000
    tracemalloc.start()
    t0 = time.process_time()
    msg = error(lambda: checkpoint.read(bomb), "entry 'field.terrain' inflates to 134217856 bytes; the limit for it is",
                LimitError)
    took, peak = time.process_time() - t0, tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert took < 1.0 and peak < 20e6, (took, peak, msg)
    meta_bomb = _deflated(tmp_path / "meta.npz", {"meta.npy": [good["meta.npy"][:128], *(zero for _ in range(5))]})
    error(lambda: checkpoint.read(meta_bomb), "entry 'meta' inflates to 5243008 bytes; the limit for it is 4194304")


# -- GL memory ---------------------------------------------------------------------------------------

def test_out_of_gl_memory_names_the_grid(gl_ctx):
    """With the address space capped at 1.25 GB, llvmpipe cannot allocate a 4096x2048 grid of every
    stage (~5.4 GB of textures): a GLMemoryError naming the grid, not a raw moderngl error later."""
    info = gl.describe(gl_ctx)
    if "llvmpipe" not in info["renderer"]:
        pytest.skip(f"GL memory is capped through the address space on llvmpipe only (this is {info['renderer']})")
    code = ("import planet, sys\ntry:\n    planet.Simulation.headless(sys.argv[1], grid='4096x2048')\n"
            "except planet.PlanetError as e:\n    print(type(e).__name__, e)\n")
    cap = lambda: resource.setrlimit(resource.RLIMIT_AS, (1280 << 20, 1280 << 20))  # noqa: E731
    run = subprocess.run([sys.executable, "-c", code, str(TINY_ALL)], cwd=ROOT, env=ENV, capture_output=True, text=True,
                         timeout=120, preexec_fn=cap)
    assert run.stdout.startswith(f"{GLMemoryError.__name__} grid 4096x2048: "), run.stdout + run.stderr[-2000:]
    assert "GL_OUT_OF_MEMORY" in run.stdout and "Traceback" not in run.stderr

"""The real window under Xvfb: keys through X (xdotool), screenshots, and what they must show."""
import json
import os
import shutil
import subprocess
import sys

import imageio.v3 as iio
import numpy as np
import pytest

from conftest import ROOT, TINY, TINY_ALL
from planet import panel as planet_panel


@pytest.fixture(scope="module")
def xvfb():
    for tool, package in (("Xvfb", "xvfb"), ("xdotool", "xdotool")):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: apt-get install {package} (make test installs it as root)")
    read, write = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as f:
        display = f.readline().strip()
    if not display:
        proc.kill()
        pytest.fail("Xvfb did not start")
    yield f":{display}"
    proc.terminate()
    proc.wait(timeout=10)


def differs(a, b) -> float:
    return float(np.abs(a.astype(int) - b.astype(int)).mean())


def test_window_keys_and_screenshots(xvfb, tmp_path):
    shaders = tmp_path / "shaders"
    shutil.copytree(ROOT / "shaders", shaders)
    env = {**os.environ, "DISPLAY": xvfb, "PYTHONPATH": str(ROOT), "PLANET_SHADERS": str(shaders)}
    run = subprocess.run([sys.executable, str(ROOT / "tests" / "window_driver.py"), str(tmp_path), str(TINY)],
                         env=env, capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    img = {name: iio.imread(tmp_path / f"{name}.png") for name in
           ("start", "layer2", "globe", "paused_a", "paused_b", "stepped", "help", "resized")}
    assert report["start_size"] == [480, 270]
    # A layer key changes the layer and the picture.
    assert report["layer_after_2"] == "elevation"
    assert differs(img["start"], img["layer2"]) > 5
    # g animates to the globe: a disc on black, unlike the map.
    assert report["morph_after_g"] == 1.0
    assert differs(img["layer2"], img["globe"]) > 5
    assert img["globe"][5:20, 5:60].mean() < 40 or img["globe"][-20:-5, -60:-5].mean() < 40
    # Paused: no ticks and not a pixel changes.
    assert report["paused_a_tick"] == report["paused_b_tick"]
    assert np.array_equal(img["paused_a"], img["paused_b"])
    # '.' steps exactly one tick while paused.
    assert report["stepped_tick"] == report["paused_b_tick"] + 1
    # h shows the help text.
    assert differs(img["stepped"], img["help"]) > 0.5
    # s wrote a screenshot named after seed, tick and layer.
    assert len(report["screenshots"]) == 1 and report["screenshots"][0].startswith("planet-seed1-tick")
    # c saves a checkpoint and e exports the heightmap, next to the screenshots.
    saved = report["saved"]
    assert [p.rsplit(".", 1)[1] for p in saved] == ["npz", "tif"], saved
    assert "-checkpoint" in saved[0] and "-heightmap" in saved[1]
    import planet
    with planet.Simulation.load(tmp_path / saved[0]) as sim:
        assert sim.scene.grid == (128, 64) and sim.tick == report["stepped_tick"]
    # Resizing the window changes the picture size, never the grid.
    assert report["resized_size"] == [360, 300]
    assert report["grid_after_resize"] == report["grid"] == [128, 64]
    # F5 with a broken shader keeps the running program and names the file and line.
    assert "shader reload failed" in report["bad_shader_message"]
    assert "shaders/terrain/cool.glsl:" in report["bad_shader_message"]
    assert report["ticks_after_bad_shader"] > 0
    # F5 with a bad scene keeps the old params and says why; a good scene is applied.
    assert "scene not applied" in report["bad_scene_message"] and "quench" in report["bad_scene_message"]
    assert report["quench_after_bad_scene"] == 10.0
    assert report["good_reload_message"] == "reloaded shaders and scene params"
    assert report["quench_after_good_scene"] == 3.0
    # A heightmap gone bad mid-run: r says so and keeps the planet as it was (issue 17).
    assert report["heightmap_reset_tick"] == 0
    assert "cannot read the image" in report["bad_heightmap_message"], report["bad_heightmap_message"]
    assert report["bad_heightmap_tick"] == 1 and report["bad_heightmap_state_kept"]
    # An unwritable output folder: s, c and e each say why, and the window runs on.
    assert all("failed" in m and "/proc" in m for m in report["unwritable_messages"]), report["unwritable_messages"]
    assert report["ticks_after_errors"] == 1
    # F5 after a stage-list change restarts with the new stages instead of saying "reloaded".
    assert "grid/stages changed" in report["stages_reload_message"] and "restarted at tick 0" in report["stages_reload_message"]
    assert report["stages_after_reload"] == ["terrain", "tectonics"]
    assert report["tick_after_stage_reload"] == 0 and report["tick_after_stage_reload_step"] == 1
    # Messages are drawn in at least a few frames even when their time is already up.
    n = report["message_min_frames"]
    assert n >= 1 and report["zero_second_message_shown"] == [True] * n + [False] * 2
    # Esc asks the window to close.
    assert report["closing"] is True


def test_panel_edits_brush_and_saved_scene(xvfb, tmp_path):
    """Issue 19 through X (without imgui-bundle, p only says what to install): the panel's param edit reaches the simulation, a bad value is refused with
    the same error as a script gets, a brush click raises the terrain under the cursor and reroutes the
    river there, and the scene saved from the panel replays to the same fields."""
    env = {**os.environ, "DISPLAY": xvfb, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, str(ROOT / "tests" / "panel_driver.py"), str(tmp_path), str(TINY_ALL)],
                         env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["no_imgui_message"] == planet_panel.INSTALL and not report["no_imgui_panel"]
    assert report["panel_open"]
    # The typed value is in the params and in the uniform the shaders get, kept as a timeline event.
    assert report["quench"] == report["quench_uniform"] == 3.5
    assert report["edits_after_param"] == [{"terrain": {"quench": 3.5}}]
    # A bad value: set_params' own message, in the panel; nothing changed, nothing recorded.
    assert report["bad_value_error"] == "set_params: terrain.quench = -5.0 is out of range [1, 10000]"
    assert report["quench_after_bad"] == 3.5 and report["edits_after_bad"] == 1
    # The brush: the stroke lands where the cursor was, the cell under it rises, the river leaves it.
    assert report["tool"] == "raise"
    lon, lat = report["target"]
    assert abs(report["picked"][0] - lon) < 1.0 and abs(report["picked"][1] - lat) < 1.0
    stroke = report["stroke"]
    assert stroke["tool"] == "raise" and abs(stroke["lon"] - lon) < 1.0 and abs(stroke["lat"] - lat) < 1.0
    assert abs(stroke["radius"] - 500 * 1.25 ** 4) < 1.0 and [stroke["radius"], stroke["strength"]] == report["brush_settings"]
    assert report["raised_under_cursor"] > 0.9 * stroke["strength"] and report["raised_max_at"] == report["cell"]
    assert report["area_before"] > 5 * report["own_area"] and report["area_after"] < 1.5 * report["own_area"]
    assert report["receivers_changed"] >= 3
    # On the globe: the ray through the cursor finds the point, and a crater is dug there.
    glon, glat = report["globe_target"]
    assert abs(report["globe_picked"][0] - glon) < 0.5 and abs(report["globe_picked"][1] - glat) < 0.5
    clon, cpitch = report["camera"]
    assert abs((report["globe_centre_picked"][0] - clon + 180) % 360 - 180) < 0.5
    assert abs(report["globe_centre_picked"][1] - cpitch) < 0.5
    assert report["globe_tool"] == "crater" and report["globe_stroke"]["tool"] == "crater"
    assert abs(report["globe_stroke"]["lon"] - glon) < 0.5 and report["crater_dz"] < -0.3 * report["globe_stroke"]["strength"]
    # Saved from the panel and replayed headless to the same tick: every field is the same.
    assert "replays to tick" in report["saved_message"]
    assert report["same_fields"] and all(report["same_fields"].values()), report["same_fields"]
    assert report["reloaded_quench"] == 3.5
    # The seed: out of range is the scene's own error, shown; a good seed is a new planet at tick 0.
    assert "seed" in report["bad_seed_error"] and "out of range" in report["bad_seed_error"], report["bad_seed_error"]
    assert report["seed_after_bad"] == 1 and report["tick_after_seed"] == 0 and report["edits_after_seed"] == 0
    # F5 after the scene's grid changed: restarted at the new grid, and it says so.
    assert report["grid_after_reload"] == [32, 16] and "restarted at tick 0: grid 32x16" in report["grid_reload_message"]
    img = iio.imread(tmp_path / "panel.png")
    assert img.shape == (450, 800, 3) and differs(img[:, :300], img[:, -300:]) > 5


def test_tick_pacer_keeps_frames_coming_when_ticks_are_slow():
    """The window's budget (issue 16): ticks owed at speed x elapsed, banked and capped; a frame's work
    budget is the frame period less its draw, a floor at least; owed ticks that did not fit are dropped
    but one; bake strips sized by the measured cost of a row."""
    from planet.app import FIRST_STRIP_ROWS, FRAME_SECONDS, MAX_TICKS_PER_FRAME, WORK_SECONDS_MIN, TickPacer

    p = TickPacer()
    taken = []
    for _ in range(4):
        p.owe(0.05, 30)       # 1.5 ticks a frame
        n = 0
        while p.take():
            n += 1
        taken.append(n)
    assert taken == [1, 2, 1, 2], "fractions of a tick are banked"
    p.owe(10.0, 960)
    assert p.bank == MAX_TICKS_PER_FRAME
    p.out_of_time()
    assert p.bank == 1.0, "what did not fit is dropped, one tick stays owed"
    assert p.budget() == FRAME_SECONDS, "nothing measured yet: the whole frame period"
    p.record_draw(0.02)
    assert p.budget() == pytest.approx(FRAME_SECONDS - 0.02)
    p.record_draw(0.2)
    assert p.draw == pytest.approx(0.7 * 0.02 + 0.3 * 0.2) and p.budget() == WORK_SECONDS_MIN
    assert p.strip_rows(0.03) == FIRST_STRIP_ROWS, "no row measured yet"
    p.draw = 0.01
    p.record_strips(40, 0.01 + 40 * 5e-4)   # 40 rows at 0.5 ms beyond a held draw
    assert p.row == pytest.approx(5e-4) and p.strip_rows(0.03) == 60 and p.strip_rows(0.0) == 1


def test_window_bench_runs_ticks_and_redraws_the_picture(xvfb):
    """bench/window.py stays runnable, and the paced window both ticks and redraws its picture while it
    runs (strip bakes that never finish, or ticks that never start, show up here as 0 per second)."""
    import re

    env = {**os.environ, "DISPLAY": xvfb, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "window.py"), "--grid", "64x32", "--seconds", "2"],
                         env=env, capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-3000:]
    line = run.stdout.strip().splitlines()[-1]
    m = re.search(r"([\d.]+) fps, ([\d.]+) ticks/s, ([\d.]+) redraws/s", line)
    assert m and all(float(v) > 0 for v in m.groups()), line


def test_window_opens_a_checkpoint(xvfb, tmp_path):
    """`planet out/world.npz`: the window resumes a checkpoint (a `planet world`) where it was saved, on its
    grid; flags that would remake the planet are refused in one line before a window opens."""
    import planet

    ckpt = tmp_path / "w.npz"
    with planet.Simulation.headless(TINY_ALL, grid="64x32", backend="fragment") as sim:
        sim.step(7)
        sim.save(ckpt)
    script = ("import sys; from planet.app import App; app = App(sys.argv[1], visible=False); "
              "print('at', app.sim.tick, *app.sim.scene.grid); app.run(3); print('ran', app.sim.tick >= 7); app.close()")
    env = {**os.environ, "DISPLAY": xvfb, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", script, str(ckpt)], env=env, capture_output=True, text=True,
                         timeout=240, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-3000:]
    lines = [ln.split() for ln in run.stdout.splitlines() if ln.startswith(("at ", "ran "))]
    assert lines == [["at", "7", "64", "32"], ["ran", "True"]], run.stdout
    run = subprocess.run([sys.executable, "-m", "planet", str(ckpt), "--grid", "128x64"], env=env,
                         capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert run.returncode == 2 and "--grid cannot be used with a checkpoint" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    # Another version's checkpoint (another shader hash): refused in one line naming the flag; with
    # --allow-shader-change it opens (3 frames); the flag on a scene file is refused.
    import json

    import numpy as np
    with np.load(ckpt, allow_pickle=False) as npz:
        entries = {name: npz[name] for name in npz.files}
    meta = json.loads(entries["meta"].tobytes().decode())
    meta["shader_hash"] = "0" * 64
    entries["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    np.savez(tmp_path / "older.npz", **entries)
    for argv, code, said in (([str(tmp_path / "older.npz")], 2, "--allow-shader-change"),
                             ([str(tmp_path / "older.npz"), "--allow-shader-change", "--frames", "3"], 0, "3 frames"),
                             ([str(TINY_ALL), "--allow-shader-change"], 2, "applies to a checkpoint (.npz) only")):
        run = subprocess.run([sys.executable, "-m", "planet", *argv], env=env, capture_output=True, text=True,
                             timeout=240, cwd=ROOT)
        assert run.returncode == code and said in run.stdout + run.stderr, (argv, run.stdout, run.stderr[-2000:])

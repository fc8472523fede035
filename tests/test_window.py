"""The real window under Xvfb: keys through X (xdotool), screenshots, and what they must show."""
import json
import os
import shutil
import subprocess
import sys

import imageio.v3 as iio
import numpy as np
import pytest

from conftest import ROOT, TINY


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
    # Messages are drawn in at least a few frames even when their time is already up.
    n = report["message_min_frames"]
    assert n >= 1 and report["zero_second_message_shown"] == [True] * n + [False] * 2
    # Esc asks the window to close.
    assert report["closing"] is True

"""Drives the real window under an X server (DISPLAY set by the caller): keys go through X via
xdotool (XTEST, after focusing the window), frames run in between, screenshots are saved to argv[1].
Prints one JSON line with what it observed. Run by tests/test_window.py in its own process."""
import json
import subprocess
import sys
import time
from pathlib import Path

import glfw
import imageio.v3 as iio

import planet.shaderlib
from planet.app import App

out = Path(sys.argv[1])
scene = out / "scene.toml"  # a copy, so F5 can be shown a broken scene
scene.write_text(Path(sys.argv[2]).read_text())
app = App(scene, grid="128x64", size=(480, 270), screenshots=out, speed=30, backend="fragment")
wid = str(glfw.get_x11_window(app.window))
report = {"grid": list(app.sim.scene.grid)}


def frames(n=4, seconds=0.0):
    end = time.perf_counter() + seconds
    k = 0
    while k < n or time.perf_counter() < end:
        app.frame()
        k += 1


def key(name):
    subprocess.run(["xdotool", "windowfocus", "--sync", wid], check=True, timeout=10)
    subprocess.run(["xdotool", "key", "--clearmodifiers", name], check=True, timeout=10)
    frames(4)


def shot(name):
    img = app.screenshot()
    iio.imwrite(out / f"{name}.png", img)
    report[f"{name}_tick"] = app.sim.tick
    report[f"{name}_size"] = [img.shape[1], img.shape[0]]


frames(6, seconds=0.5)
shot("start")
key("2")
report["layer_after_2"] = app.layer
shot("layer2")
key("g")
frames(seconds=2.0)  # the unwrap/rewrap animation takes 1.5 s
report["morph_after_g"] = app.morph.value
shot("globe")
key("space")
shot("paused_a")
frames(10, seconds=0.6)
shot("paused_b")
key("period")
shot("stepped")
key("h")
shot("help")
key("s")
report["screenshots"] = sorted(p.name for p in out.glob("planet-*.png"))
key("c")
key("e")
report["saved"] = sorted(p.name for p in out.glob("planet-*") if p.suffix in (".npz", ".tif"))
# F5 with a broken shader (PLANET_SHADERS points at a copy): the old programs keep running.
cool = planet.shaderlib.SHADER_ROOT / "terrain" / "cool.glsl"
good = cool.read_text()
cool.write_text(good.replace("float glow = ", "float glow = undefined_thing + "))
key("space")
key("F5")
report["bad_shader_message"] = app.message
tick = app.sim.tick
frames(10, seconds=0.3)
report["ticks_after_bad_shader"] = app.sim.tick - tick
cool.write_text(good)
# F5 with a broken scene: the old params stay.
scene.write_text(Path(sys.argv[2]).read_text().replace("fbm_octaves = 4", "fbm_octaves = 4\nquench = -1"))
key("F5")
report["bad_scene_message"] = app.message
report["quench_after_bad_scene"] = app.sim.params["terrain"]["quench"]
scene.write_text(Path(sys.argv[2]).read_text().replace("fbm_octaves = 4", "fbm_octaves = 4\nquench = 3.0"))
key("F5")
report["good_reload_message"] = app.message
report["quench_after_good_scene"] = app.sim.params["terrain"]["quench"]
glfw.set_window_size(app.window, 360, 300)
frames(6, seconds=0.3)
shot("resized")
report["grid_after_resize"] = list(app.sim.scene.grid)
key("Escape")
report["closing"] = bool(glfw.window_should_close(app.window))
app.close()
print(json.dumps(report))

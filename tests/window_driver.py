"""Drives the real window under an X server (DISPLAY set by the caller): keys go through X via
xdotool (XTEST, after focusing the window), frames run in between, screenshots are saved to argv[1].
Prints one JSON line with what it observed. Run by tests/test_window.py in its own process.

Nothing here depends on how fast frames come: the driver waits (in frames, with a generous timeout)
for each key to reach the window, for the unwrap to finish and for on-screen messages to expire
before it compares pictures, rather than assuming what a number of seconds achieves."""
import json
import subprocess
import sys
import time
from pathlib import Path

import glfw
import imageio.v3 as iio

import planet.shaderlib
from planet.app import MESSAGE_MIN_FRAMES, App

out = Path(sys.argv[1])
scene = out / "scene.toml"  # a copy, so F5 can be shown a broken scene
scene.write_text(Path(sys.argv[2]).read_text())
app = App(scene, grid="128x64", size=(480, 270), screenshots=out, speed=30, backend="fragment")
wid = str(glfw.get_x11_window(app.window))
report = {"grid": list(app.sim.scene.grid)}
keys_seen = [0]


def on_key(window, key_code, scancode, action, mods):
    keys_seen[0] += 1
    app._on_key(window, key_code, scancode, action, mods)


glfw.set_key_callback(app.window, on_key)


def frames(n=4, seconds=0.0):
    end = time.perf_counter() + seconds
    k = 0
    while k < n or time.perf_counter() < end:
        app.frame()
        k += 1


def until(done, what, timeout=60.0):
    """Frames until done() holds."""
    end = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > end:
            sys.exit(f"window_driver: timed out waiting for {what}")
        app.frame()


def key(name):
    seen = keys_seen[0]
    subprocess.run(["xdotool", "windowfocus", "--sync", wid], check=True, timeout=10)
    subprocess.run(["xdotool", "key", "--clearmodifiers", name], check=True, timeout=10)
    until(lambda: keys_seen[0] >= seen + 2, f"key {name} (press and release) to reach the window")
    frames(4)


def quiet():
    """Frames until no message is on screen, so the next pictures differ only by what they test."""
    until(lambda: not app.message_shown(), "the on-screen message to expire")


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
until(lambda: app.morph.value == app.morph.target, "the unwrap/rewrap animation (1.5 s)")
report["morph_after_g"] = app.morph.value
shot("globe")
quiet()  # the layer message must not expire between the two paused pictures
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
# Issue 17: a heightmap that goes bad mid-run makes r a message, not a dead window; the state stays.
heightmap = out / [p for p in report["saved"] if p.endswith(".tif")][0]
scene.write_text(Path(sys.argv[2]).read_text().replace("fbm_octaves = 4", f"fbm_octaves = 4\nheightmap = '{heightmap}'"))
key("F5")
key("space")  # paused from here on: ticks only by '.'
key("r")
report["heightmap_reset_tick"] = app.sim.tick
key("period")
heightmap.write_bytes(b"II*\x00 not a heightmap any more")
before = app.sim.read("terrain")
key("r")
report["bad_heightmap_message"] = app.message
report["bad_heightmap_tick"] = app.sim.tick
report["bad_heightmap_state_kept"] = bool((app.sim.read("terrain") == before).all())
# ... and so are s, c and e into a folder that cannot be written (an OSError or PlanetError from the writer).
app.screenshots = Path("/proc")
messages = []
for name in ("s", "c", "e"):
    key(name)
    messages.append(app.message)
report["unwritable_messages"] = messages
app.screenshots = out
key("period")
report["ticks_after_errors"] = app.sim.tick - report["bad_heightmap_tick"]
# F5 after the scene file changes its stage list: a new simulation (tick 0, the new stages), not "reloaded".
scene.write_text(Path(sys.argv[2]).read_text().replace('stages = ["terrain"]', 'stages = ["terrain", "tectonics"]'))
key("F5")
report["stages_reload_message"] = app.message
report["stages_after_reload"] = list(app.sim.scene.stages)
report["tick_after_stage_reload"] = app.sim.tick
key("period")
report["tick_after_stage_reload_step"] = app.sim.tick
glfw.set_window_size(app.window, 360, 300)
frames(6, seconds=0.3)
shot("resized")
report["grid_after_resize"] = list(app.sim.scene.grid)
# A message lasts its seconds, and however slow the frames, it is drawn in MESSAGE_MIN_FRAMES frames.
app.say("a message with no time of its own", seconds=0.0)
report["zero_second_message_shown"] = []
for _ in range(MESSAGE_MIN_FRAMES + 2):
    report["zero_second_message_shown"].append(app.message_shown())
    app.frame()
report["message_min_frames"] = MESSAGE_MIN_FRAMES
key("Escape")
report["closing"] = bool(glfw.window_should_close(app.window))
app.close()
print(json.dumps(report))

"""Drives the window's parameter panel and brush under an X server (DISPLAY set by the caller), like
tests/window_driver.py: clicks, keys and typing go through X via xdotool, frames run in between,
and every wait polls the state (never a fixed time). argv: out folder, scene. Prints one JSON line.

Widgets are found by the rectangles the panel records for them (Panel.rects, window pixels)."""
import json
import subprocess
import sys
import time
from pathlib import Path

import glfw
import imageio.v3 as iio
import numpy as np

from planet import grid as sphere
from planet.app import App
from planet.simulation import Simulation
from planet.view import map_rect

out = Path(sys.argv[1])
scene = out / "scene.toml"
scene.write_text(Path(sys.argv[2]).read_text())
app = App(scene, size=(800, 450), screenshots=out, speed=30, backend="fragment")
wid = str(glfw.get_x11_window(app.window))
report = {}
events = [0]


def count(callback):
    def wrapped(*args):
        events[0] += 1
        callback(*args)
    return wrapped


glfw.set_key_callback(app.window, count(app._on_key))
glfw.set_mouse_button_callback(app.window, count(app._on_button))
glfw.set_scroll_callback(app.window, count(app._on_scroll))


def until(done, what, timeout=90.0):
    end = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > end:
            sys.exit(f"panel_driver: timed out waiting for {what}")
        app.frame()


def xdo(*args, events_expected=0):
    seen = events[0]
    subprocess.run(["xdotool", "windowfocus", "--sync", wid], check=True, timeout=10)
    subprocess.run(["xdotool", *args], check=True, timeout=10)
    until(lambda: events[0] >= seen + events_expected, f"xdotool {' '.join(args)} to reach the window")
    for _ in range(3):
        app.frame()


def key(name, n_events=2):
    xdo("key", "--clearmodifiers", name, events_expected=n_events)


def click(x, y):
    """Move, wait until the window has seen the cursor there, then press and release: a press sent
    with the move can reach the window before the motion, at the previous position."""
    subprocess.run(["xdotool", "mousemove", "--window", wid, str(int(x)), str(int(y))], check=True, timeout=10)
    until(lambda: tuple(map(int, glfw.get_cursor_pos(app.window))) == (int(x), int(y)), "the cursor to arrive")
    for _ in range(2):
        app.frame()  # ImGui sees the new position before the press
    xdo("click", "1", events_expected=2)


def widget(name):
    """Window pixel to click a panel widget, scrolling the panel with the wheel (as a user would) until
    the widget is inside the window."""
    until(lambda: name in app.panel.rects, f"panel widget {name}")
    height = glfw.get_window_size(app.window)[1]
    for _ in range(40):
        x, y, w, h = app.panel.rects[name]
        if y >= 30 and y + h <= height - 5:
            return x + min(w / 2, 60), y + h / 2
        wheel = "5" if y + h > height - 5 else "4"  # X buttons 4/5: wheel up/down
        subprocess.run(["xdotool", "mousemove", "--window", wid, "150", "200"], check=True, timeout=10)
        until(lambda: tuple(map(int, glfw.get_cursor_pos(app.window))) == (150, 200), "the cursor to arrive")
        xdo("click", wheel, events_expected=1)
    sys.exit(f"panel_driver: could not scroll {name} into view")


def settle(done, frames=30):
    """Up to `frames` frames until done(); whether it holds."""
    for _ in range(frames):
        if done():
            return True
        app.frame()
    return done()


def click_until(name, done, what):
    """Click a panel widget until done() holds: a click that lands in the same frame as the panel's
    first hover can go unseen by ImGui, so a few tries (each checked by state, not time)."""
    for _ in range(4):
        click(*widget(name))
        if settle(done):
            return
    sys.exit(f"panel_driver: clicking {name} never gave {what}")


def open_header(name, child):
    click_until(name, lambda: child in app.panel.rects, f"the widget {child}")


def type_into(name, text):
    """Click a panel field, select what is there, type `text` and press Enter."""
    click_until(name, lambda: app.panel.typing, "the keyboard")
    key("ctrl+a", n_events=4)
    seen = events[0]
    xdo("type", "--delay", "20", "--", text)
    until(lambda: events[0] >= seen + 2 * len(text), f"typing {text!r}")
    key("Return")


def map_point(lon, lat):
    """Window pixel of a longitude/latitude [degrees] on the (letterboxed) map."""
    fw, fh = app.size()
    mx, my, mw, mh = map_rect((fw, fh))
    return mx + (lon + 180.0) / 360.0 * mw, fh - (my + (lat + 90.0) / 180.0 * mh)


until(lambda: app.sim.tick >= 3, "a few ticks")
key("space")
until(lambda: app.paused, "pause")
# Without imgui-bundle the window runs on and p says what to install.
import planet.panel  # noqa: E402

real = planet.panel.available
planet.panel.available = lambda: False
key("p")
report["no_imgui_message"], report["no_imgui_panel"] = app.message, app.panel is not None
planet.panel.available = real
# The panel opens on p; a param typed into it goes through record() (set_params' checks) into sim state.
key("p")
report["panel_open"] = app.panel is not None and app.panel.open
open_header("header.terrain", "terrain.quench")
type_into("terrain.quench", "3.5")
until(lambda: app.sim.params["terrain"]["quench"] != 10.0, "the quench edit to apply")
report["quench"] = app.sim.params["terrain"]["quench"]
report["quench_uniform"] = app.sim.stage_uniforms()["terrain"]["u_quench"]
report["edits_after_param"] = [ev.params for ev in app.sim.edits]
# A bad value: the same one-line error as a script gets, shown in the panel; nothing changes.
type_into("terrain.quench", "-5")
until(lambda: app.panel.error, "the panel to show the error")
report["bad_value_error"] = app.panel.error
report["quench_after_bad"] = app.sim.params["terrain"]["quench"]
report["edits_after_bad"] = len(app.sim.edits)
until(lambda: "error" in app.panel.rects, "the error to be drawn")
iio.imwrite(out / "panel.png", app.screenshot())
# The brush: raise a dome on the biggest river on the right half of the map (clear of the panel).
key("b")                          # off -> raise (the panel's radio buttons do the same)
report["tool"] = app.brush_tool
for _ in range(4):
    key("bracketright")           # radius 500 -> 1221 km
for _ in range(3):
    key("shift+braceright", n_events=4)  # strength 1000 -> 1953 m
app.brush_strength = 2000.0  # as the panel's strength slider would set it (the {/} keys are not checked here)
report["brush_settings"] = [app.brush_radius, app.brush_strength]
W, H = app.sim.scene.grid
area = app.sim.channel("drainage", "area").copy()
receiver = app.sim.channel("route", "receiver").copy()
lon, lat = np.meshgrid(np.degrees(sphere.cell_lon(np.arange(W), W)), np.degrees(sphere.cell_lat(np.arange(H), H)))
land = app.sim.quantity("land") > 0
# A river cell whose 8 neighbours stand less than 500 m above it (not under a crater's rim): the dome
# (2000 m at its centre, ~1100 m a cell away) then makes it a summit that drains only itself.
bedrock = app.sim.channel("terrain", "bedrock")
rows = np.concatenate([bedrock[:1], bedrock, bedrock[-1:]])
nbr = np.max([np.roll(rows, di, 1)[1 + dj:H + 1 + dj] for dj in (-1, 0, 1) for di in (-1, 0, 1)
              if (dj, di) != (0, 0)], 0)
pick = np.where(land & (lon > 20.0) & (lon < 160.0) & (np.abs(lat) < 60.0) & (nbr < bedrock + 500.0), area, -1.0)
j, i = np.unravel_index(np.argmax(pick), pick.shape)
before = app.sim.channel("terrain", "bedrock").copy()
x, y = map_point(lon[j, i], lat[j, i])
report["picked"] = list(app.pick(x, y))
report["target"] = [float(lon[j, i]), float(lat[j, i])]
click(x, y)
until(lambda: any(ev.brush for ev in app.sim.edits), "the brush stroke")
stroke = [ev.brush for ev in app.sim.edits if ev.brush][0]
report["stroke"] = stroke
dz = app.sim.channel("terrain", "bedrock") - before
report["raised_under_cursor"] = float(dz[j, i])
report["raised_max_at"] = [int(v) for v in np.unravel_index(np.argmax(dz), dz.shape)]
report["cell"] = [int(j), int(i)]
report["area_before"] = float(area[j, i])
report["own_area"] = float(sphere.cell_area_km2(W, H, app.sim.scene.radius)[j])
tick = app.sim.tick
key("period")
until(lambda: app.sim.tick == tick + 1, "one tick after the stroke")
report["area_after"] = float(app.sim.channel("drainage", "area")[j, i])
report["receivers_changed"] = int(np.count_nonzero(app.sim.channel("route", "receiver") != receiver))
# On the globe: the point under the cursor is found by casting the ray through it, and a crater lands there.
key("g")
until(lambda: app.morph.value == 1.0, "the globe")
cam = app.sim.camera
fw, fh = app.size()
glon, glat = (cam.longitude + 25.0 + 180.0) % 360.0 - 180.0, max(min(cam.pitch - 10.0, 60.0), -60.0)
clip = np.array([*sphere.lonlat_pos(np.radians(glon), np.radians(glat)), 1.0]) @ cam.viewproj(fw / fh)
gx, gy = (clip[0] / clip[3] + 1) / 2 * fw, (1 - clip[1] / clip[3]) / 2 * fh
report["globe_target"], report["globe_picked"] = [glon, glat], list(app.pick(gx, gy) or [])
report["globe_centre_picked"] = list(app.pick(fw / 2, fh / 2) or [])
report["camera"] = [cam.longitude, cam.pitch]
for _ in range(3):
    key("b")                      # raise -> lower -> uplift -> crater
report["globe_tool"] = app.brush_tool
gi = int((glon + 180.0) / 360.0 * W) % W
gj = min(int((glat + 90.0) / 180.0 * H), H - 1)
before = app.sim.channel("terrain", "bedrock")[gj, gi]
strokes = len(app.sim.edits)
click(gx, gy)
until(lambda: len(app.sim.edits) > strokes, "the crater")
report["globe_stroke"] = app.sim.edits[-1].brush
report["crater_dz"] = float(app.sim.channel("terrain", "bedrock")[gj, gi] - before)
key("g")
until(lambda: app.morph.value == 0.0, "the map")
# Save the scene from the panel; a fresh simulation of it, run to the same tick, has the same fields.
open_header("header.scene", "scene_path")
path = out / "saved.toml"
type_into("scene_path", str(path))
click_until("save_scene", path.exists, "the saved scene")
until(path.exists, "the saved scene")
report["saved_message"] = app.message
report["tick"] = app.sim.tick
fields = {f: app.sim.read(f) for f in app.sim.fields}
with Simulation.headless(path, backend="fragment") as again:
    again.step(report["tick"])
    report["same_fields"] = {f: bool(np.array_equal(again.read(f), fields[f])) for f in fields}
    report["reloaded_quench"] = again.params["terrain"]["quench"]
# The seed field: a bad seed is refused in the panel; a good one starts a new planet at tick 0.
type_into("seed", "4294967296")
until(lambda: "seed" in app.panel.error, "the seed error")
report["bad_seed_error"], report["seed_after_bad"] = app.panel.error, app.sim.seed
type_into("seed", "7")
until(lambda: app.sim.seed == 7, "the new seed")
report["tick_after_seed"], report["edits_after_seed"] = app.sim.tick, len(app.sim.edits)
# F5 after the file's grid changes (no --grid given): a new simulation at the new grid.
scene.write_text(Path(sys.argv[2]).read_text().replace('grid = "64x32"', 'grid = "32x16"'))
key("F5")
report["grid_reload_message"] = app.message
report["grid_after_reload"] = list(app.sim.scene.grid)
key("Escape")
app.close()
print(json.dumps(report))

"""The interactive window: `python -m planet [scene.toml] [--seed N] [--grid WxH] [--backend …]`.

Simulated time advances only in whole ticks; real time decides how many ticks run per frame
(speed x elapsed seconds, banked), within a frame's time budget (TickPacer): a slow tick is spread over
frames pass by pass (Simulation.step_part) and the layer's picture is redrawn in strips, so a slow
machine runs the simulation slower instead of computing something different, and the window keeps
drawing near 20 fps (issue 16: on a CPU rasterizer a frame used to run 7 ticks at 256x128, 1 fps). Keys are listed in HELP (press h in the window).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import gl
from .atomic import write_png_atomic
from .errors import PlanetError
from .frames import Director, FrameRenderer, Morph, format_date
from .scene import load_scene

SPEEDS = (1, 2, 5, 10, 20, 30, 60, 120, 240, 480, 960)  # ticks per real second
MAX_TICKS_PER_FRAME = 32
FRAME_SECONDS = 0.05      # while running, a frame aims at this period (20 fps): its draw, then work
WORK_SECONDS_MIN = 0.008  # ... but spends at least this long on ticks or a bake, however slow its draw
BAKE_SECONDS = 0.25       # while running, the layer's picture is redrawn at most this often (Viewer.hold)
FIRST_STRIP_ROWS = 16     # bake rows a frame draws before the cost of a row is measured
JUMP_SECONDS_PER_FRAME = 0.1  # while jumping to an era: simulate this long per frame, then draw
MESSAGE_MIN_FRAMES = 5  # a message is drawn in at least this many frames, however slow they are
HELP = (
    "space   pause / run",
    ".       one tick (pauses)",
    "+ / -   faster / slower",
    "1 - 9   layers",
    "g       map <-> globe",
    "j       jump to the next era of the story (fast-forward)",
    "drag    rotate the globe;  wheel  zoom",
    "p       the live parameter panel (imgui-bundle)",
    "b       brush: off/raise/lower/uplift/crater, paint with the left mouse",
    "[ / ]   brush radius;  { / }  brush strength",
    "s       screenshot (PNG);  ctrl+s  save the scene (TOML that replays this run)",
    "c       save a checkpoint (.npz);  e  export the heightmap (.tif)",
    "r       reset (same seed);  n  new seed  (live edits forgotten)",
    "F5      reload shaders and scene (a new grid or stage list restarts)",
    "h       this help;  Esc  quit",
)
DEFAULT_SCENE = Path(__file__).resolve().parent.parent / "scenes" / "earth.toml"


class TickPacer:
    """The window's real-time budget. Ticks are owed at speed x elapsed seconds, banked (at most
    MAX_TICKS_PER_FRAME). A frame spends at most budget() on work: FRAME_SECONDS less what its draw
    costs (a running mean of held frames), WORK_SECONDS_MIN at least. The App spends it pass by pass
    (Simulation.step_part), so a tick slower than a frame spreads over frames and the window keeps
    drawing at about 1 / FRAME_SECONDS; owed ticks that did not fit are dropped (at most one stays
    owed), so slow ticks slow the simulation down, not the frames. The bake (the layer's picture) is
    drawn in strips of strip_rows() rows at the measured cost of a row. Wall clock only: what a tick
    computes never depends on it."""

    def __init__(self):
        self.bank = 0.0
        self.draw = 0.0   # [s] wall time of a frame's draw without a bake, running mean (0: not yet)
        self.row = 0.0    # [s] wall time of one bake row drawn in a strip, running mean (0: not yet)

    def owe(self, elapsed: float, speed: float) -> None:
        self.bank = min(self.bank + elapsed * speed, MAX_TICKS_PER_FRAME)

    def take(self) -> bool:
        """Begin an owed tick (True), or there is none."""
        if self.bank < 1.0:
            return False
        self.bank -= 1.0
        return True

    def out_of_time(self) -> None:
        """The frame's budget ran out: what is owed beyond one tick is dropped."""
        self.bank = min(self.bank, 1.0)

    def budget(self) -> float:
        return max(WORK_SECONDS_MIN, FRAME_SECONDS - self.draw)

    def strip_rows(self, seconds: float) -> int:
        """Bake rows that fit in `seconds` (FIRST_STRIP_ROWS until a row's cost is measured), 1 at least."""
        return max(1, int(seconds / self.row)) if self.row > 0.0 else FIRST_STRIP_ROWS

    @staticmethod
    def _mean(old: float, new: float) -> float:
        return new if old == 0.0 else 0.7 * old + 0.3 * new

    def record_draw(self, seconds: float) -> None:
        """A frame's draw (GL finished) that drew no bake."""
        self.draw = self._mean(self.draw, seconds)

    def record_strips(self, rows: int, seconds: float) -> None:
        """A frame's draw that also drew `rows` rows of bake strips: the rows' share is beyond a held draw."""
        if rows > 0:
            self.row = self._mean(self.row, max(seconds - self.draw, 0.0) / rows)


class App:
    SPEEDS = SPEEDS

    def __init__(self, scene=DEFAULT_SCENE, *, seed=None, grid=None, backend="auto", size=(1280, 720),
                 screenshots: Path = Path("."), speed: int = 30, visible: bool = True, heightmap=None,
                 land_mask=None, allow_shader_change: bool = False):
        import glfw

        from .simulation import Simulation

        self.glfw = glfw
        self.scene_path = scene
        self.options = {"seed": seed, "grid": grid, "backend": backend, "heightmap": heightmap, "land_mask": land_mask}
        from .simulation import with_imports

        # A checkpoint (.npz, e.g. `planet world`'s) resumes where it was saved: the saved scene, grid and seed.
        self.checkpoint = Path(scene) if str(scene).lower().endswith(".npz") else None
        if self.checkpoint is not None:
            from .checkpoint import read, refuse_remake

            refuse_remake(scene, {"--seed": seed, "--grid": grid, "--heightmap": heightmap, "--land-mask": land_mask})
            self._file_grid = read(self.checkpoint, allow_shader_change).scene.grid   # a damaged file: one line, before a window
        elif allow_shader_change:
            raise PlanetError("--allow-shader-change applies to a checkpoint (.npz) only")
        else:
            self._file_grid = load_scene(scene).grid  # F5 tells a changed grid in the file
            with_imports(load_scene(scene, seed=seed, grid=grid), heightmap, land_mask)  # errors before a window
        self.window, self.ctx = gl.create_window("planet", size, visible=visible)
        try:
            if self.checkpoint is not None:
                self.sim = Simulation.load(self.checkpoint, ctx=self.ctx, backend=backend,
                                           allow_shader_change=allow_shader_change)
            else:
                self.sim = Simulation(self.ctx, scene, seed=seed, grid=grid, backend=backend, heightmap=heightmap,
                                      land_mask=land_mask)
        except BaseException:
            glfw.terminate()
            raise
        self.frames = FrameRenderer(self.sim, wipe=True)
        self.screenshots = Path(screenshots)
        self.speed = min(SPEEDS, key=lambda s: abs(s - speed))
        self.paused = False
        self.single = 0
        self.help = False
        self.layer = self.sim.layer
        self.morph = Morph(self.sim.view)
        self.user_view = False  # once the user picks a view or layer, the timeline stops choosing
        self.director = Director(self.sim)  # the timeline's camera moves, until the user takes the camera
        self.user_camera = False
        self.jump_to = None  # simulated time [years] of the era being fast-forwarded to
        self.message, self.message_until, self.message_frames = "", 0.0, 0
        self.pacer, self.last = TickPacer(), time.perf_counter()
        self._bake_time = -1.0e9   # when the layer's picture was last redrawn (BAKE_SECONDS)
        self._unbaked = 0          # ticks since then
        self._bake_begun = None    # when the strip bake under way drew its first strip
        self._bake_spent = 0.0     # [s] how long the last strip bake took (ticks get at least as long next)
        self._work_left = 0.0      # [s] of this frame's budget the ticks left for a bake's strip
        self.fps = self.tps = 0.0
        self._count = [0, 0, self.last]  # frames, ticks, since
        self._drag = None
        self.brush_tool, self.brush_radius, self.brush_strength = None, 500.0, 1000.0  # planet.brush
        self._painting, self._last_dab = False, None
        self._readouts, self._frame_seconds = [], 0.0
        self.panel = None  # planet.panel.Panel, made on the first p (needs imgui-bundle)
        glfw.set_key_callback(self.window, self._on_key)
        glfw.set_char_callback(self.window, self._on_char)
        glfw.set_mouse_button_callback(self.window, self._on_button)
        glfw.set_cursor_pos_callback(self.window, self._on_cursor)
        glfw.set_scroll_callback(self.window, self._on_scroll)
        self.say(f"{self.sim.info()} — press h for help")

    # -- input ----------------------------------------------------------------------------------
    def say(self, text: str, seconds: float = 4.0) -> None:
        """Show `text` under the status line for `seconds` and at least MESSAGE_MIN_FRAMES drawn frames."""
        print(text, flush=True)
        self.message, self.message_until, self.message_frames = text, time.perf_counter() + seconds, MESSAGE_MIN_FRAMES

    def message_shown(self, now: float | None = None) -> bool:
        """Whether the next frame drawn (at `now`) shows the message."""
        now = time.perf_counter() if now is None else now
        return bool(self.message) and (now < self.message_until or self.message_frames > 0)

    def act(self, action, what: str = "", clear: bool = False) -> bool:
        """Run a user action; a PlanetError or OSError (a bad file, an unwritable folder, a refused value)
        becomes a message in the window (and the panel), never an exception out of a callback.
        `clear`: on success, the panel's last error goes (a panel action that worked)."""
        from .panel import error_text

        try:
            action()
            if clear and self.panel is not None:
                self.panel.error = ""
            return True
        except (PlanetError, OSError) as exc:
            text = f"{what + ' failed: ' if what else ''}{error_text(exc)}"
            self.say(text, 10.0)
            if self.panel is not None:
                self.panel.error = text
            return False

    def _on_key(self, window, key, scancode, action, mods) -> None:
        if self.panel is not None:
            self.panel.key(key, action)
            if self.panel.typing:
                return
        self.act(lambda: self._key(window, key, action, mods))

    def _on_char(self, window, codepoint) -> None:
        if self.panel is not None:
            self.panel.char(codepoint)

    def _key(self, window, key, action, mods) -> None:
        glfw = self.glfw
        if action not in (glfw.PRESS, glfw.REPEAT):
            return
        if key in (glfw.KEY_P, glfw.KEY_B, glfw.KEY_LEFT_BRACKET, glfw.KEY_RIGHT_BRACKET):
            self._tool_key(key, mods)
            return
        if key == glfw.KEY_ESCAPE:
            glfw.set_window_should_close(window, True)
        elif key == glfw.KEY_SPACE:
            self.toggle_pause()
        elif key == glfw.KEY_PERIOD:
            self.paused, self.single = True, self.single + 1
        elif key in (glfw.KEY_EQUAL, glfw.KEY_KP_ADD) or (key == glfw.KEY_EQUAL and mods & glfw.MOD_SHIFT):
            self.speed = SPEEDS[min(SPEEDS.index(self.speed) + 1, len(SPEEDS) - 1)]
            self.say(f"speed {self.speed} ticks/s")
        elif key in (glfw.KEY_MINUS, glfw.KEY_KP_SUBTRACT):
            self.speed = SPEEDS[max(SPEEDS.index(self.speed) - 1, 0)]
            self.say(f"speed {self.speed} ticks/s")
        elif key == glfw.KEY_R:
            self.reset()
        elif key == glfw.KEY_N:
            self.reset(seed=(self.sim.seed + 1) % 2**32)
        elif key == glfw.KEY_J:
            self.jump()
        elif key == glfw.KEY_G:
            self.user_view = True
            self.morph.go("map" if self.morph.target >= 1.0 else "globe")
        elif glfw.KEY_1 <= key <= glfw.KEY_9:
            names = list(self.sim.layers)
            if key - glfw.KEY_1 < len(names):
                self.user_view, self.layer = True, names[key - glfw.KEY_1]
                self.say(f"layer {self.layer}")
        elif key == glfw.KEY_S and mods & glfw.MOD_CONTROL:
            self.save_scene(self.screenshots / f"planet-seed{self.sim.seed}-tick{self.sim.tick:08d}-scene.toml")
        elif key == glfw.KEY_S:
            self.screenshot_to_file()
        elif key == glfw.KEY_C:
            self.save_output("checkpoint", ".npz", self.sim.save)
        elif key == glfw.KEY_E:
            self.save_output("heightmap", ".tif", self.sim.export)
        elif key == glfw.KEY_H:
            self.help = not self.help
        elif key == glfw.KEY_F5:
            self.reload()

    def toggle_pause(self) -> None:
        self.paused = not self.paused
        if self.paused:
            self.sim.settle()   # the tick under way ends: paused, the picture is of a whole tick

    def _tool_key(self, key, mods) -> None:
        """p: the panel; b: the brush tool; [ ]: brush radius, { } (shift): brush strength."""
        glfw = self.glfw
        from .brush import TOOLS

        if key == glfw.KEY_P:
            from . import panel

            if not panel.available():
                self.say(panel.INSTALL, 8.0)
                return
            if self.panel is None:
                self.panel = panel.Panel(self)
            self.panel.open = not self.panel.open
        elif key == glfw.KEY_B:
            tools = (None, *TOOLS)
            self.brush_tool = tools[(tools.index(self.brush_tool) + 1) % len(tools)]
            self.say(f"brush {self.brush_tool or 'off'} (radius {self.brush_radius:.0f} km, strength "
                     f"{self.brush_strength:.0f} m)" + (": paint with the left mouse" if self.brush_tool else ""))
        else:
            up = key == glfw.KEY_RIGHT_BRACKET
            if mods & glfw.MOD_SHIFT:
                self.brush_strength = min(max(self.brush_strength * (1.25 if up else 0.8), 10.0), 8000.0)
            else:
                self.brush_radius = min(max(self.brush_radius * (1.25 if up else 0.8), 50.0), 5000.0)
            self.say(f"brush radius {self.brush_radius:.0f} km, strength {self.brush_strength:.0f} m")

    # -- actions (keys and panel) ---------------------------------------------------------------
    def reset(self, seed: int | None = None, keep_edits: bool = False) -> None:
        """Tick 0 (a new seed if given); live edits are forgotten unless keep_edits (then they replay)."""
        self.sim.reset(seed=seed, keep_edits=keep_edits)
        self.jump_to = None
        self.say(f"new planet: seed {self.sim.seed}" if seed is not None else
                 f"reset (seed {self.sim.seed}{', edits replay' if keep_edits else ''})")

    def edit(self, stage: str, name: str, value) -> None:
        """A live param edit (the panel): checked like set_params, kept as a timeline event."""
        if self.act(lambda: self.sim.record(**{stage: {name: value}}), clear=True):
            self.say(f"{stage}.{name} = {value!r}")

    def goto(self, years: float) -> None:
        """Jump the timeline to `years`: fast-forward, or when earlier reset (edits replay) and run."""
        if years < self.sim.years:
            self.sim.reset(keep_edits=True)
        self.jump_to = years if years > self.sim.years else None
        self.paused = False
        self.say(f"jumping to {format_date(years, self.sim.scene.present)}")

    def save_scene(self, path) -> None:
        from .scenefile import write_scene

        write_scene(self.sim, path)
        self.say(f"scene {path} (replays to tick {self.sim.tick})")

    def readouts(self) -> list[str]:
        """The panel's live read-outs (the planet-wide ones refreshed twice a second, in frame())."""
        sim = self.sim
        return [f"{format_date(sim.years, sim.scene.present)} · tick {sim.tick}",
                f"{self.tps:.0f} ticks/s · {self.fps:.0f} fps · {self.speed} ticks/s asked", *self._readouts]

    def _update_readouts(self) -> None:
        out = []
        for name, label, fmt in (("global_temperature", "global temperature", "{:.2f} °C"),
                                 ("co2_ppm", "CO2", "{:.0f} ppm"), ("land_fraction", "land", "{:.1%}")):
            if name in self.sim.scalars:
                out.append(f"{label} {fmt.format(self.sim.scalar(name))}")
        self._readouts = out

    def restart(self, scene=None, stages=None) -> None:
        """A new simulation on this window's context (F5 after a grid or stage change; the panel's stage
        checkboxes): from `scene` (a Scene) or the loaded scene with `stages`. On an error the old one runs on."""
        from .checkpoint import scene_mapping
        from .simulation import Simulation

        if scene is None:
            data = scene_mapping(self.sim.scene)
            data["planet"]["stages"] = list(stages)
            for name in self.sim.scene.stages:
                if name not in stages:
                    data.pop(name, None)
            data["timeline"] = [{k: v for k, v in ev.items() if k not in self.sim.scene.stages or k in stages}
                                for ev in data["timeline"] if "brush" not in ev or "terrain" in stages]
            scene = load_scene(data)
            scene.source = self.sim.scene.source
        sim = Simulation(self.ctx, scene, backend=self.options["backend"])
        self.frames.release()
        self.sim.release()
        self.sim, self.frames = sim, FrameRenderer(sim, wipe=True)
        self.layer, self.user_view, self.user_camera, self.jump_to = sim.layer, False, False, None
        self.director = Director(sim)
        w, h = sim.scene.grid
        self.say(f"restarted at tick 0: grid {w}x{h}, stages {', '.join(sim.scene.stages)}")

    # -- the brush ------------------------------------------------------------------------------
    def pick(self, x: float, y: float):
        """(lon, lat) [degrees] under window point (x, y) on the map or the globe; None off the planet
        or while the view is unwrapping."""
        import numpy as np

        from .view import map_rect

        (ww, wh), (fw, fh) = self.glfw.get_window_size(self.window), self.size()
        if min(ww, wh, fw, fh) <= 0:
            return None
        fx, fy = x * fw / ww, fh - y * fh / wh  # framebuffer pixels, origin bottom left
        if self.morph.value <= 0.0:
            mx, my, mw, mh = map_rect((fw, fh))
            u, v = (fx - mx) / mw, (fy - my) / mh
            return (-180.0 + 360.0 * u, -90.0 + 180.0 * v) if 0.0 <= u <= 1.0 and 0.0 <= v <= 1.0 else None
        if self.morph.value < 1.0:
            return None
        inv = self.sim.camera.inv_viewproj(fw / fh).astype(np.float64)
        ndc = (2.0 * fx / fw - 1.0, 2.0 * fy / fh - 1.0)
        a, b = (np.array([*ndc, z, 1.0]) @ inv for z in (-1.0, 1.0))  # pyrr's row vectors (planet.view)
        ro = a[:3] / a[3]
        rd = b[:3] / b[3] - ro
        rd /= np.linalg.norm(rd)
        bb, c = float(ro @ rd), float(ro @ ro) - 1.0
        if bb * bb - c < 0.0:
            return None
        p = ro + (-bb - (bb * bb - c) ** 0.5) * rd
        p /= np.linalg.norm(p)
        return float(np.degrees(np.arctan2(p[1], p[0]))), float(np.degrees(np.arcsin(np.clip(p[2], -1.0, 1.0))))

    def dab(self, x: float, y: float) -> bool:
        """One brush stroke at window point (x, y), unless the last dab of this drag is within a third
        of the radius. Returns whether it painted."""
        from .panel import distance_km

        ll = self.pick(x, y)
        if ll is None or self.brush_tool is None:
            return False
        if self._last_dab is not None and distance_km(ll, self._last_dab, self.sim.scene.radius) < self.brush_radius / 3:
            return False
        stroke = {"tool": self.brush_tool, "lon": round(ll[0], 4), "lat": round(ll[1], 4),
                  "radius": float(self.brush_radius), "strength": float(self.brush_strength)}
        if self.act(lambda: self.sim.record(brush=stroke), "brush"):
            self._last_dab = ll
            return True
        return False

    def jump(self) -> None:
        """Fast-forward to the next timeline event with a caption (an era of the story)."""
        later = [e for e in self.sim.scene.timeline if e.at > self.sim.years and e.caption]
        if not later:
            self.say("no later era in this scene's timeline")
            return
        self.jump_to = later[0].at
        self.paused = False
        self.say(f"jumping to {format_date(self.jump_to, self.sim.scene.present)}: {later[0].caption}")

    def _on_button(self, window, button, action, mods) -> None:
        if self.panel is not None:
            self.panel.button(button, action)
            if action == self.glfw.PRESS and self.panel.mouse(*self.glfw.get_cursor_pos(window)):
                return
        if button == self.glfw.MOUSE_BUTTON_LEFT:
            press = action == self.glfw.PRESS
            self._painting, self._last_dab = press and self.brush_tool is not None, None
            self._drag = self.glfw.get_cursor_pos(window) if press and not self._painting else None
            if self._painting:
                self.dab(*self.glfw.get_cursor_pos(window))

    def _on_cursor(self, window, x, y) -> None:
        if self.panel is not None:
            self.panel.cursor(x, y)
        if self._painting:
            self.dab(x, y)
        elif self._drag is not None:
            self.user_camera = True
            cam = self.sim.camera
            cam.yaw -= 0.3 * (x - self._drag[0])
            cam.pitch = max(-89.0, min(89.0, cam.pitch + 0.3 * (y - self._drag[1])))
            self._drag = (x, y)

    def _on_scroll(self, window, dx, dy) -> None:
        if self.panel is not None:
            self.panel.scroll(dx, dy)
            if self.panel.mouse(*self.glfw.get_cursor_pos(window)):
                return
        self.user_camera = True
        cam = self.sim.camera
        cam.distance = max(1.3, min(12.0, cam.distance * 0.9 ** dy))

    def reload(self) -> None:
        """F5: shaders from disk (a failed compile keeps the running programs) and the scene's params."""
        try:
            self.sim.reload_shaders()
            self.frames.overlay.reload()
        except PlanetError as exc:
            self.say(f"shader reload failed, still running the old programs:\n{exc}", 10.0)
            return
        if self.checkpoint is not None:   # its scene and params are the checkpoint's: nothing to re-read
            self.say(f"reloaded shaders (the params are {self.checkpoint.name}'s; r restarts its scene from tick 0)", 6.0)
            return
        grid = self.options["grid"]  # --grid overrides the file's grid, as at the start
        try:
            scene = load_scene(self.scene_path, seed=self.sim.seed)
            file_grid = scene.grid
            scene = load_scene(scene, grid=grid) if grid is not None else scene
        except PlanetError as exc:
            self.say(f"shaders reloaded; scene not applied, keeping the old params: {exc}", 10.0)
            return
        note = ""
        if file_grid != self._file_grid and file_grid != scene.grid:
            note = f" (the file's new grid {file_grid[0]}x{file_grid[1]} is overridden by --grid {grid})"
        self._file_grid = file_grid
        if scene.grid != self.sim.scene.grid or scene.stages != self.sim.scene.stages:
            # A new grid or stage list needs new fields and programs: a new simulation from tick 0.
            from .simulation import with_imports

            try:
                self.restart(with_imports(scene, self.options["heightmap"], self.options["land_mask"]))
            except PlanetError as exc:
                self.say(f"shaders reloaded; the scene's new grid/stages failed, the old simulation runs on: {exc}", 10.0)
                return
            if self.panel is not None:
                self.panel.stages = {n: n in self.sim.scene.stages for n in self.sim._registry}
            self.say(f"reloaded shaders; the scene's grid/stages changed: {self.message}", 10.0)
            return
        # Only what the file changed: params the timeline set since (e.g. frozen plates) stay as they are.
        old = self.sim.scene.params
        changed = {st: {k: v for k, v in table.items() if old.get(st, {}).get(k) != v}
                   for st, table in scene.params.items() if st in self.sim.params}
        changed = {st: t for st, t in changed.items() if t}
        self.sim.set_params(**changed)
        self.sim.scene.params.update({st: {**old[st], **t} for st, t in changed.items()})
        self.say(f"reloaded shaders and scene params{note}")

    # -- frames ---------------------------------------------------------------------------------
    def size(self) -> tuple[int, int]:
        return self.glfw.get_framebuffer_size(self.window)

    def advance(self, now: float) -> int:
        """Spend owed real time on ticks within the frame's budget (TickPacer); returns the ticks finished."""
        elapsed, self.last = min(now - self.last, 0.25), now
        ticks = 0
        if not self.paused:
            self.sim.camera.turn(elapsed)  # the globe turns with window time (Camera.spin_rate), not ticks
            self.pacer.owe(elapsed, self.speed)
        if self.single:   # '.': whole ticks (finishing one under way first)
            self.sim.step(self.single)
            ticks, self.single = self.single, 0
        if self.jump_to is not None:  # fast-forward: whole ticks for a bounded slice of real time per frame
            start = time.perf_counter()
            while self.sim.years < self.jump_to and time.perf_counter() - start < JUMP_SECONDS_PER_FRAME:
                self.sim.step(1)
                ticks += 1
            if self.sim.years >= self.jump_to:
                self.jump_to = None
        elif not self.paused:
            ticks += self._work(now)
        else:
            self.sim.step(0)   # applies what was recorded (brush strokes)
        self._unbaked += ticks
        if not self.user_camera:
            self.director.advance(elapsed)
        if not self.user_view:
            self.layer = self.sim.layer
            self.morph.go(self.sim.view)
        self.morph.advance(elapsed)
        self.frames.advance(elapsed)   # the layer wipe (planet.frames.Wipe)
        return ticks

    def _bake_due(self, now: float) -> bool:
        """The picture is redrawn once ticks have run since the last one, BAKE_SECONDS after it at the
        soonest, and no sooner than the last strip bake took: ticks get at least half of the work time."""
        return self._unbaked > 0 and now - self._bake_time >= max(BAKE_SECONDS, self._bake_spent)

    def _work(self, now: float) -> int:
        """The passes of owed ticks until the frame's budget is spent (a tick may be left under way:
        Simulation.step_part), stopping at a tick's end when the picture is due for a redraw, and none
        while a strip bake is under way (its strips must all show one tick). Returns the ticks finished."""
        budget, start, ticks = self.pacer.budget(), time.perf_counter(), 0
        self._work_left = budget
        sim = self.sim
        if sim.viewer.baking:
            return 0
        if not sim.tick_under_way and self.pacer.bank < 1.0:
            sim.step(0)   # no tick owed: applies what was recorded (brush strokes)
            return 0
        while sim.tick_under_way or (not (ticks and self._bake_due(now)) and self.pacer.take()):
            ticks += sim.step_part()
            self.ctx.finish()   # what the passes cost (the frame would wait for them anyway)
            if time.perf_counter() - start >= budget:
                self.pacer.out_of_time()
                break
        self._work_left = max(budget - (time.perf_counter() - start), 0.0)
        return ticks

    def frame(self) -> None:
        """One iteration: input, ticks, draw, swap."""
        self.glfw.poll_events()
        now = time.perf_counter()
        self._count[1] += self.advance(now)
        self._count[0] += 1
        if now - self._count[2] >= 0.5:
            span = now - self._count[2]
            self.fps, self.tps = self._count[0] / span, self._count[1] / span
            self._count = [0, 0, now]
            if self.panel is not None and self.panel.open:
                self.act(self._update_readouts)
            self.glfw.set_window_title(self.window, f"planet — {self.status_line()} · {self.tps:.0f} ticks/s · "
                                                    f"{self.fps:.0f} fps · {self.speed} ticks/s asked")
        # The in-frame status holds only simulation state, so a paused picture stays still (once a message expires);
        # the rates live in the window title.
        lines = [self.status_line()]
        shown = self.message_shown(now)
        if shown:
            lines += self.message.splitlines()[:6]
        if self.help:
            lines += ["", *HELP]
        size = self.size()
        if size[0] > 0 and size[1] > 0:
            # Pacing: while the simulation runs, the picture of the layer (the bake: most of a frame's work
            # on a CPU rasterizer) is redrawn at a tick's end, at most every BAKE_SECONDS, in strips that fit
            # the frame's budget (the frames meanwhile show the last whole picture, Viewer.strips); between
            # redraws the frames move the camera, the wipe and the morph over the last one. Paused, every
            # change is drawn at once.
            viewer = self.sim.viewer
            if self.paused:
                viewer.pace(hold=False)
            elif not self.sim.tick_under_way and (viewer.baking or self._bake_due(now)):
                viewer.pace(hold=False, strips=self.pacer.strip_rows(max(self._work_left, WORK_SECONDS_MIN)))
            else:
                viewer.pace(hold=True)
            bakes, rows, start = viewer.bakes, viewer.strip_rows, time.perf_counter()
            self.frames.draw(gl.default_framebuffer(self.ctx), size, self.layer, self.morph.value, lines,
                             caption=self.sim.caption)
            self.message_frames = max(self.message_frames - shown, 0)
            if self.panel is not None:
                self.panel.draw(self.glfw.get_window_size(self.window), size, now - self._frame_seconds)
            if not self.paused:
                self.ctx.finish()   # what the draw cost, for the pacer (the swap would wait for it anyway)
                seconds = time.perf_counter() - start
                if viewer.strip_rows != rows:
                    self.pacer.record_strips(viewer.strip_rows - rows, seconds)
                    self._bake_begun = now if self._bake_begun is None else self._bake_begun
                elif viewer.bakes == bakes:
                    self.pacer.record_draw(seconds)
            if viewer.bakes != bakes:
                self._bake_spent = now - self._bake_begun if self._bake_begun is not None else 0.0
                self._bake_time, self._unbaked, self._bake_begun = now, 0, None
            viewer.hold, viewer.strips = False, None   # other draws (a screenshot's) bake at once
        self._frame_seconds = now
        self.glfw.swap_buffers(self.window)

    def status_line(self) -> str:
        return (f"{format_date(self.sim.years, self.sim.scene.present)} · tick {self.sim.tick} · {self.layer} · "
                f"seed {self.sim.seed}"
                + (" · paused" if self.paused else ""))

    def screenshot(self):
        """The last drawn frame as uint8 (h, w, 3), row 0 = top."""
        import numpy as np

        w, h = self.size()
        data = gl.default_framebuffer(self.ctx).read(viewport=(0, 0, w, h), components=3, alignment=1)
        return np.frombuffer(data, dtype=np.uint8).reshape(h, w, 3)[::-1].copy()

    def free_path(self, what: str, suffix: str) -> Path:
        """A new file in the save folder named after seed, tick and (for pictures) the layer."""
        base = f"planet-seed{self.sim.seed}-tick{self.sim.tick:08d}-{what}"
        path, k = self.screenshots / f"{base}{suffix}", 1
        while path.exists():
            k += 1
            path = self.screenshots / f"{base}-{k}{suffix}"
        return path

    def save_output(self, what: str, suffix: str, write) -> Path:
        path = self.free_path(what, suffix)

        def save():
            write(path)
            self.say(f"{what} {path}")

        self.act(save, what)
        return path

    def screenshot_to_file(self) -> Path:
        return self.save_output(self.layer, ".png", lambda path: write_png_atomic(path, self.screenshot()))

    def run(self, max_frames: int | None = None) -> None:
        n = 0
        while not self.glfw.window_should_close(self.window) and (max_frames is None or n < max_frames):
            self.frame()
            n += 1

    def close(self) -> None:
        if self.panel is not None:
            self.panel.renderer.release()
            self.panel.imgui.destroy_context(self.panel.context)
            self.panel = None
        self.frames.release()
        self.sim.release()
        self.glfw.terminate()


def app_parser() -> argparse.ArgumentParser:
    from .cli import OneLineParser, parse_size

    ap = OneLineParser(prog="planet", description="The interactive planet window (press h for keys). "
                                 "`planet export --help` exports heightmaps, fields and views.")
    ap.add_argument("scene", nargs="?", default=str(DEFAULT_SCENE), help="scene TOML (default scenes/earth.toml), or "
                    "a checkpoint .npz to resume (e.g. a `planet world`)")
    ap.add_argument("--seed", type=int, help="override the scene seed")
    ap.add_argument("--grid", help="override the grid, WxH with W = 2H")
    ap.add_argument("--backend", default="auto", help="auto, fragment or compute (default auto)")
    ap.add_argument("--size", type=parse_size, default=(1280, 720), help="window size WxH (default 1280x720)")
    ap.add_argument("--speed", type=int, default=30, help=f"ticks per second, one of {SPEEDS} (default 30)")
    ap.add_argument("--heightmap", type=Path, help="start from this equirectangular heightmap (.png + .json or .tif)")
    ap.add_argument("--land-mask", type=Path, help="start from this land mask image (white = land)")
    ap.add_argument("--screenshots", type=Path, default=Path("."),
                    help="where s (screenshot), c (checkpoint) and e (heightmap) save files (default .)")
    ap.add_argument("--frames", type=int, help="quit after this many frames and print the frame rate")
    ap.add_argument("--allow-shader-change", action="store_true", help="resume a checkpoint saved by another "
                    "version of planet (its changed scratch fields rebuilt, new params at their defaults)")
    return ap


def app_main(argv=None) -> int:
    args = app_parser().parse_args(argv)
    try:
        if not args.screenshots.is_dir():
            raise PlanetError(f"--screenshots {args.screenshots}: not a directory")
        app = App(args.scene, seed=args.seed, grid=args.grid, backend=args.backend, size=args.size,
                  screenshots=args.screenshots, speed=args.speed, heightmap=args.heightmap, land_mask=args.land_mask,
                  allow_shader_change=args.allow_shader_change)
    except PlanetError as exc:
        print(f"planet: error: {exc}", file=sys.stderr)
        return 2
    try:
        start = time.perf_counter()
        app.run(args.frames)
        if args.frames:
            secs = time.perf_counter() - start
            print(f"{args.frames} frames in {secs:.2f} s: {args.frames / secs:.1f} fps, "
                  f"{app.sim.tick / secs:.0f} ticks/s ({app.sim.info()}, window {app.size()[0]}x{app.size()[1]})")
    except KeyboardInterrupt:
        pass
    finally:
        app.close()
    return 0

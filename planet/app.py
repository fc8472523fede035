"""The interactive window: `python -m planet [scene.toml] [--seed N] [--grid WxH] [--backend …]`.

Simulated time advances only in whole ticks; real time decides how many ticks run per frame
(speed x elapsed seconds, banked, capped per frame), so a slow machine runs slower instead of
computing something different. Keys are listed in HELP (press h in the window).
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
    "s       screenshot (PNG)",
    "c       save a checkpoint (.npz);  e  export the heightmap (.tif)",
    "r       reset (same seed);  n  new seed",
    "F5      reload shaders and scene",
    "h       this help;  Esc  quit",
)
DEFAULT_SCENE = Path(__file__).resolve().parent.parent / "scenes" / "earth.toml"


class App:
    def __init__(self, scene=DEFAULT_SCENE, *, seed=None, grid=None, backend="auto", size=(1280, 720),
                 screenshots: Path = Path("."), speed: int = 30, visible: bool = True, heightmap=None,
                 land_mask=None):
        import glfw

        from .simulation import Simulation

        self.glfw = glfw
        self.scene_path = scene
        from .simulation import with_imports

        with_imports(load_scene(scene, seed=seed, grid=grid), heightmap, land_mask)  # errors before a window
        self.window, self.ctx = gl.create_window("planet", size, visible=visible)
        try:
            self.sim = Simulation(self.ctx, scene, seed=seed, grid=grid, backend=backend, heightmap=heightmap,
                                  land_mask=land_mask)
        except BaseException:
            glfw.terminate()
            raise
        self.frames = FrameRenderer(self.sim)
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
        self.bank, self.last = 0.0, time.perf_counter()
        self.fps = self.tps = 0.0
        self._count = [0, 0, self.last]  # frames, ticks, since
        self._drag = None
        glfw.set_key_callback(self.window, self._on_key)
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

    def _on_key(self, window, key, scancode, action, mods) -> None:
        glfw = self.glfw
        if action not in (glfw.PRESS, glfw.REPEAT):
            return
        if key == glfw.KEY_ESCAPE:
            glfw.set_window_should_close(window, True)
        elif key == glfw.KEY_SPACE:
            self.paused = not self.paused
        elif key == glfw.KEY_PERIOD:
            self.paused, self.single = True, self.single + 1
        elif key in (glfw.KEY_EQUAL, glfw.KEY_KP_ADD) or (key == glfw.KEY_EQUAL and mods & glfw.MOD_SHIFT):
            self.speed = SPEEDS[min(SPEEDS.index(self.speed) + 1, len(SPEEDS) - 1)]
            self.say(f"speed {self.speed} ticks/s")
        elif key in (glfw.KEY_MINUS, glfw.KEY_KP_SUBTRACT):
            self.speed = SPEEDS[max(SPEEDS.index(self.speed) - 1, 0)]
            self.say(f"speed {self.speed} ticks/s")
        elif key == glfw.KEY_R:
            self.sim.reset()
            self.jump_to = None
            self.say(f"reset (seed {self.sim.seed})")
        elif key == glfw.KEY_N:
            self.sim.reset(seed=(self.sim.seed + 1) % 2**32)
            self.jump_to = None
            self.say(f"new planet: seed {self.sim.seed}")
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
        if button == self.glfw.MOUSE_BUTTON_LEFT:
            self._drag = self.glfw.get_cursor_pos(window) if action == self.glfw.PRESS else None

    def _on_cursor(self, window, x, y) -> None:
        if self._drag is not None:
            self.user_camera = True
            cam = self.sim.camera
            cam.yaw -= 0.3 * (x - self._drag[0])
            cam.pitch = max(-89.0, min(89.0, cam.pitch + 0.3 * (y - self._drag[1])))
            self._drag = (x, y)

    def _on_scroll(self, window, dx, dy) -> None:
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
        try:
            scene = load_scene(self.scene_path, seed=self.sim.seed, grid=self.sim.scene.grid)
        except PlanetError as exc:
            self.say(f"shaders reloaded; scene not applied, keeping the old params: {exc}", 10.0)
            return
        # Only what the file changed: params the timeline set since (e.g. frozen plates) stay as they are.
        old = self.sim.scene.params
        changed = {st: {k: v for k, v in table.items() if old.get(st, {}).get(k) != v}
                   for st, table in scene.params.items() if st in self.sim.params}
        changed = {st: t for st, t in changed.items() if t}
        self.sim.set_params(**changed)
        self.sim.scene.params.update({st: {**old[st], **t} for st, t in changed.items()})
        self.say("reloaded shaders and scene params")

    # -- frames ---------------------------------------------------------------------------------
    def size(self) -> tuple[int, int]:
        return self.glfw.get_framebuffer_size(self.window)

    def advance(self, now: float) -> int:
        """Spend banked real time in whole ticks (capped); returns the ticks run."""
        elapsed, self.last = min(now - self.last, 0.25), now
        ticks = 0
        if not self.paused:
            self.sim.camera.turn(elapsed)  # the globe turns with window time (Camera.spin_rate), not ticks
            self.bank = min(self.bank + elapsed * self.speed, MAX_TICKS_PER_FRAME)
            ticks = int(self.bank)
            self.bank -= ticks
        ticks += self.single
        self.single = 0
        if self.jump_to is not None:  # fast-forward: whole ticks for a bounded slice of real time per frame
            start, ticks = time.perf_counter(), 0
            while self.sim.years < self.jump_to and time.perf_counter() - start < JUMP_SECONDS_PER_FRAME:
                self.sim.step(1)
                ticks += 1
            if self.sim.years >= self.jump_to:
                self.jump_to = None
        else:
            self.sim.step(ticks)
        if not self.user_camera:
            self.director.advance(elapsed)
        if not self.user_view:
            self.layer = self.sim.layer
            self.morph.go(self.sim.view)
        self.morph.advance(elapsed)
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
            self.frames.draw(gl.default_framebuffer(self.ctx), size, self.layer, self.morph.value, lines,
                             caption=self.sim.caption)
            self.message_frames = max(self.message_frames - shown, 0)
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
        try:
            write(path)
            self.say(f"{what} {path}")
        except PlanetError as exc:
            self.say(f"{what} failed: {exc}")
        return path

    def screenshot_to_file(self) -> Path:
        return self.save_output(self.layer, ".png", lambda path: write_png_atomic(path, self.screenshot()))

    def run(self, max_frames: int | None = None) -> None:
        n = 0
        while not self.glfw.window_should_close(self.window) and (max_frames is None or n < max_frames):
            self.frame()
            n += 1

    def close(self) -> None:
        self.frames.release()
        self.sim.release()
        self.glfw.terminate()


def app_parser() -> argparse.ArgumentParser:
    from .cli import OneLineParser, parse_size

    ap = OneLineParser(prog="planet", description="The interactive planet window (press h for keys). "
                                 "`planet export --help` exports heightmaps, fields and views.")
    ap.add_argument("scene", nargs="?", default=str(DEFAULT_SCENE), help="scene TOML (default scenes/earth.toml)")
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
    return ap


def app_main(argv=None) -> int:
    args = app_parser().parse_args(argv)
    try:
        if not args.screenshots.is_dir():
            raise PlanetError(f"--screenshots {args.screenshots}: not a directory")
        app = App(args.scene, seed=args.seed, grid=args.grid, backend=args.backend, size=args.size,
                  screenshots=args.screenshots, speed=args.speed, heightmap=args.heightmap, land_mask=args.land_mask)
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

"""A whole frame as people see it — in the window and in videos: the view (map letterboxed to 2:1,
the globe, or the unwrap/rewrap morph between them) with the layer's legend and caption lines, and a
wipe from the old layer to the new one when the layer shown changes."""
from __future__ import annotations

import math

import numpy as np

from . import gl
from .overlay import Overlay
from .passes import vertex_source
from .shaderlib import Source, compile_program
from .view import map_rect

TRANSITION_SECONDS = 1.5  # how long the animated unwrap/rewrap takes
GLIDE_SECONDS = 1.5       # time constant of the camera gliding to a timeline camera goal
FADE_SECONDS = 3.0        # the story's fade-out after its end event
WIPE_SECONDS = 1.0        # how long the wipe from one layer to the next takes


def format_years(years: float) -> str:
    if years >= 1e9:
        return f"{years / 1e9:.2f} billion years"
    if years >= 1e6:
        return f"{years / 1e6:.1f} million years"
    if years >= 1e3:
        return f"{years / 1e3:.1f} thousand years"
    return f"{years:.2f} years"


def format_date(years: float, present: float) -> str:
    """The date readout: time before the scene's `present` ("4.50 billion years ago"), or, with no
    present set (0), time since the start; past the present, years after it."""
    if present <= 0.0:
        return format_years(years)
    ago = present - years
    if ago >= 1.0:
        return f"{format_years(ago)} ago"
    if ago > -1.0:
        return "today"
    return f"{format_years(-ago)} from today"


def planet_facts(sim) -> str:
    """The planet in a few numbers, from the scalars the scene has: land share, mean land height, mean
    air temperature, CO2 and people (once there are any)."""
    have, facts = sim.scalars, []
    if "land_fraction" in have:
        facts.append(f"land {100.0 * sim.scalar('land_fraction'):.0f} %")
    if "land_elevation" in have and sim.scalar("land_fraction") > 0.0:
        facts.append(f"mean land {sim.scalar('land_elevation'):,.0f} m")
    if "global_temperature" in have:
        facts.append(f"{sim.scalar('global_temperature'):.1f} °C")
    if "population" in have and sim.scalar("population") >= 1.0:
        people = sim.scalar("population")
        facts.append(f"{people / 1e9:.2f} billion people" if people >= 1e8 else f"{people / 1e6:.1f} million people")
        if "co2_ppm" in have:
            facts.append(f"CO2 {sim.scalar('co2_ppm'):.0f} ppm")
    return "  ·  ".join(facts)


def story_lines(sim, layer: str) -> list[str]:
    """The caption lines of a frame: the simulated date, the layer shown and the planet's key numbers."""
    facts = planet_facts(sim)
    return [f"{format_date(sim.years, sim.scene.present)}  ·  {layer}" + (f"  ·  {facts}" if facts else "")]


class Director:
    """Moves the globe camera as the timeline asks: glides (time constant GLIDE_SECONDS) to the
    yaw/pitch/distance of the last camera events (sim.camera_goal). Driven by seconds of video
    (deterministic) or of window time; a front-end stops calling it once the user takes the camera.
    The globe's own turn is Camera.turn (spin_rate), also per second of video or window time."""

    def __init__(self, sim):
        self.sim = sim

    def advance(self, seconds: float) -> None:
        cam = self.sim.camera
        a = 1.0 - math.exp(-seconds / GLIDE_SECONDS)
        for key, value in self.sim.camera_goal.items():
            now = getattr(cam, key)
            setattr(cam, key, now + (float(value) - now) * a)


class Morph:
    """0 = map, 1 = globe; `advance(seconds)` moves toward the target view at 1/TRANSITION_SECONDS per s."""

    def __init__(self, view: str = "map"):
        self.value = 1.0 if view == "globe" else 0.0
        self.target = self.value

    def go(self, view: str) -> None:
        self.target = 1.0 if view == "globe" else 0.0

    def advance(self, seconds: float) -> None:
        step = seconds / TRANSITION_SECONDS
        self.value = min(self.value + step, self.target) if self.target > self.value else max(self.value - step, self.target)

    @property
    def view(self) -> str | None:
        """'map' or 'globe' when at rest, None while moving."""
        return "map" if self.value == 0.0 else "globe" if self.value == 1.0 else None


class Wipe:
    """The wipe between layers, as in the original: when the layer shown changes, the new layer sweeps
    across the frame from left to right over WIPE_SECONDS (smoothstep in time), the old one still
    drawn right of its front. `show(layer)` registers the layer of each frame drawn; `advance(seconds)`
    moves the front (seconds of video or window time, so videos are deterministic)."""

    def __init__(self):
        self.shown: str | None = None   # the layer of the last frame
        self.old: str | None = None     # the layer being wiped away
        self.value = 1.0                # 0: the wipe starts .. 1: done

    def show(self, layer: str) -> None:
        if self.shown is not None and layer != self.shown:
            self.old, self.value = self.shown, 0.0
        self.shown = layer

    def advance(self, seconds: float) -> None:
        self.value = min(self.value + seconds / WIPE_SECONDS, 1.0)
        if self.value >= 1.0:
            self.old = None

    def front(self) -> float | None:
        """Where the front is across the frame (0 left .. 1 right), or None when no wipe is under way."""
        if self.old is None or self.value >= 1.0:
            return None
        t = self.value
        return t * t * (3.0 - 2.0 * t)


class FrameRenderer:
    """Draws whole frames of `sim`. With `wipe` (the window and videos), a layer change is a wipe
    (Wipe) moved on by advance(seconds); without, a hard cut (stills, tests)."""

    def __init__(self, sim, wipe: bool = False):
        self.sim = sim
        self.wipe = Wipe() if wipe else None
        self.overlay = Overlay(sim.ctx)
        self._yuv = None       # ((w, h), R8 framebuffer) for render_yuv420
        self._yuv_vao = None

    def draw(self, fbo, size, layer: str, morph: float, lines=(), legend: bool = True, caption: str = "",
             fade: float = 0.0) -> None:
        """Draw into `fbo` (any framebuffer, incl. the window's) of `size` pixels; while a wipe is under
        way (a layer change, Wipe), the old layer stays right of the wipe's front."""
        sim = self.sim
        fbo.use()
        fbo.clear(0.0, 0.0, 0.0, 1.0, depth=1.0)
        self._view(layer, size, morph)
        front = None
        if self.wipe is not None:
            self.wipe.show(layer)
            front = self.wipe.front()
        if front is not None:
            x = int(round(front * size[0]))
            rect = (x, 0, size[0] - x, size[1])
            if rect[2] > 0:
                fbo.clear(0.0, 0.0, 0.0, 1.0, depth=1.0, viewport=rect)
                fbo.scissor = rect
                try:
                    fbo.use()
                    self._view(self.wipe.old, size, morph)
                finally:
                    fbo.scissor = None
                    fbo.use()
        lay = sim.layers[layer]
        self.overlay.draw(size, lay.legend if legend else None, list(lines), caption=caption)
        self.overlay.fade(size, fade)

    def _view(self, layer: str, size, morph: float) -> None:
        if morph <= 0.0:
            x, y, w, h = map_rect(size)
            self.sim.draw("map", layer, (w, h), origin=(x, y))
        elif morph >= 1.0:
            self.sim.draw("globe", layer, size)
        else:
            self.sim.draw("morph", layer, size, morph=morph)

    def advance(self, seconds: float) -> None:
        """Move the layer wipe on by `seconds` of video or window time."""
        if self.wipe is not None:
            self.wipe.advance(seconds)

    def render(self, size, layer: str, morph: float, lines=(), legend: bool = True, caption: str = "",
               fade: float = 0.0) -> np.ndarray:
        """Draw into an offscreen RGB8 target and read it back: uint8 (h, w, 3), row 0 = top."""
        w, h = size
        fbo = self.sim.target((w, h))
        self.draw(fbo, (w, h), layer, morph, lines, legend, caption, fade)
        data = fbo.read(components=3, alignment=1)
        return np.frombuffer(data, dtype=np.uint8).reshape(h, w, 3)[::-1]

    def render_yuv420(self, size, layer: str, morph: float, lines=(), legend: bool = True, caption: str = "",
                      fade: float = 0.0) -> bytes:
        """Like render(), converted on the GPU to planar yuv420p bytes (BT.709 limited range): what
        the encoder takes directly, at half the bytes of RGB and without a CPU conversion."""
        w, h = size
        fbo = self.sim.target((w, h))
        self.draw(fbo, (w, h), layer, morph, lines, legend, caption, fade)
        if self._yuv is None or self._yuv[0] != (w, h):
            self._release_yuv()
            tex = self.sim.ctx.texture((w, h * 3 // 2), 1)
            self._yuv = ((w, h), self.sim.ctx.framebuffer(color_attachments=[tex]))
        prog = self._yuv_program()
        out = self._yuv[1]
        out.use()
        self.sim.ctx.viewport = (0, 0, w, h * 3 // 2)
        fbo.color_attachments[0].use(location=0)
        prog["t_frame"].value = 0
        prog["u_size"].value = (w, h)
        self._vao(prog).render(vertices=3)
        return out.read(components=1, alignment=1)

    def _yuv_program(self):
        def make():
            src = Source()
            src.text = "#version 330 core\n"
            src.include("view/yuv420.glsl")
            return compile_program(self.sim.ctx, "yuv420 conversion", vertex=vertex_source(), fragment=src)

        return self.overlay.cache.get(("yuv420",), make)

    def _vao(self, prog):
        if self._yuv_vao is None:
            self._yuv_vao = self.sim.ctx.vertex_array(prog, [])
        return self._yuv_vao

    def _release_yuv(self) -> None:
        if self._yuv is not None:
            gl.release_framebuffers(self.sim.ctx, [self._yuv[1]], with_attachments=True)
            self._yuv = None

    def release(self) -> None:
        self._release_yuv()
        if self._yuv_vao is not None:
            self._yuv_vao.release()
            self._yuv_vao = None
        self.overlay.release()

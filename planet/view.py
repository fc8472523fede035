"""Views and layers: the map and the globe, coloured by a layer, rendered into an RGB8 target.

A layer is drawn in two steps (issue #16: a frame must not redo per pixel what changes only per tick):
- the bake: the layer's file (which defines `vec3 layer_color(vec2 lonlat, vec3 light)`) runs under the
  map view (`shaders/view/map.glsl`, its fixed north-west hillshade light) into an RGBA8 texture of
  k x the grid (k = 1..BAKE_SCALE_MAX, enough for the frame being drawn), only when the simulation has
  changed (a tick, a write, a reset: Viewer.invalidate) or the layer, the bake size, the tick shown or
  the frame's pixels per degree (frame_px_per_deg, u_px_per_deg: marks sized in pixels follow it);
- the frame: `shaders/view/<view>.glsl` (which defines main()) over `shaders/view/baked.glsl`, whose
  layer_color is one bilinear fetch of the bake, lit by the view's light (the globe's day side), and
  then, while the camera shows a night side, the layer's "night" overlays (day and night, city lights).
A bake at the map's own size is the same picture a direct draw makes. Before both come the
generated accessors of every field the layer and its overlays read (`terrain_sample(ll).bedrock`,
`drainage_at(cell).discharge`: planet.fields.Field.glsl_block) and `overlays_ground` / `overlays_sky`,
which call the overlays other stages draw on the layer (planet.stages.Overlay). Layers and overlays
are declared by stages (`Stage.layers`, `Stage.overlays`), so a new stage adds its own without
touching this module or another stage's shaders.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import gl
from .errors import PipelineError, PlanetError
from .passes import builtins_block, fields_block, vertex_source
from .pipeline import check_interface
from .scene import VIEWS
from .shaderlib import ProgramCache, Source, compile_program

VIEW_UNIFORMS = {"u_size": "vec2", "u_origin": "vec2", "u_inv_viewproj": "mat4", "u_viewproj": "mat4",
                 "u_light": "vec3", "u_morph": "float", "u_map_scale": "vec2", "u_sun": "vec3", "u_night": "float",
                 "u_px_per_deg": "float"}
OBLIQUITY = 23.44  # [deg] the sun's declination swings between -OBLIQUITY (January) and +OBLIQUITY (July)
MORPH_MESH = (256, 128)  # lon x lat quads of the unwrap/rewrap mesh
BAKE_SCALE_MAX = 4       # the bake is at most this many texels per grid cell along each axis
BAKE_TEXELS_MAX = 1 << 19  # ... and at most this many texels (1024 x 512): its cost is paid per tick
PX_PER_DEG_STEPS = 4       # frame_px_per_deg is rounded to 2^(k / PX_PER_DEG_STEPS): zooming re-bakes in steps
BAKE_BLOCK = 4             # [cells] the gated bake-alpha pass draws or skips blocks of BAKE_BLOCK x BAKE_BLOCK cells


def bake_size(grid: tuple[int, int], size: tuple[int, int]) -> tuple[int, int]:
    """The bake (k W, k H) for drawing a frame of `size` pixels from a W x H grid: k the smallest whole
    number of texels per cell that gives the frame a texel per pixel (a map `size[0]` wide, or a globe
    whose visible half spans about its height: 2 x height for the whole circle), capped by
    BAKE_SCALE_MAX and BAKE_TEXELS_MAX, and at least 1."""
    w, h = grid
    want = max(int(size[0]), 2 * int(size[1]))
    k = max(1, min(BAKE_SCALE_MAX, -(-want // w)))
    while k > 1 and k * k * w * h > BAKE_TEXELS_MAX:
        k -= 1
    return k * w, k * h


def frame_px_per_deg(view: str, size: tuple[int, int], camera: "Camera | None" = None) -> float:
    """Pixels per degree of arc on the planet in a frame of `size` pixels, for layers that draw marks of a
    size in pixels (view/arrows.glsl, view/isobar_labels.glsl: u_px_per_deg): a map's width / 360; on the
    globe (and the unwrap, which ends there) the disk's apparent radius R [pixels] x pi / 180 (a degree
    of arc at the middle of the visible hemisphere, orthographic), R = (h / 2) tan(asin(1 / distance)) /
    tan(fov / 2) for the camera's distance [radii] and vertical field of view. Rounded to a power of
    2^(1 / PX_PER_DEG_STEPS), so a zoom or a resize re-bakes only when it crosses a step."""
    w, h = int(size[0]), int(size[1])
    if view == "map":
        ppd = w / 360.0
    else:
        camera = camera or Camera()
        d = max(float(camera.distance), 1.0 + 1e-6)
        radius = 0.5 * h * math.tan(math.asin(1.0 / d)) / math.tan(math.radians(0.5 * camera.fov))
        ppd = radius * math.pi / 180.0
    ppd = max(ppd, 1e-3)
    return 2.0 ** (round(PX_PER_DEG_STEPS * math.log2(ppd)) / PX_PER_DEG_STEPS)


@dataclass
class Camera:
    """Globe camera: looks at the planet centre from lon/lat `yaw`/`pitch` [deg] at `distance` radii.

    Day and night (drawn by overlays such as the people stage's view/night.glsl): the sun stands
    `sun_azimuth` degrees east of the camera around the polar axis, at the season's declination, and
    `night` (0..1) is how dark the side away from it is (0: no day and night). The planet turns east
    under the camera and the sun by `spin` degrees; `turn(seconds)` advances it at `spin_rate` degrees
    per second of video or window time: a camera setting, not simulated time. The timeline sets
    night, spin_rate and sun_azimuth (`camera = {...}` in a [[timeline]] entry)."""

    yaw: float = 20.0
    pitch: float = 20.0
    distance: float = 3.2
    fov: float = 40.0
    spin: float = 0.0
    spin_rate: float = 0.0
    sun_azimuth: float = 60.0
    night: float = 0.0

    def turn(self, seconds: float) -> None:
        """The globe turns by spin_rate x seconds (of video or window time)."""
        self.spin = (self.spin + self.spin_rate * seconds) % 360.0

    @property
    def longitude(self) -> float:
        """Longitude [deg] on the planet the camera looks down on: yaw, less the planet's turn."""
        return self.yaw - self.spin

    def sun(self, season: float = 0.0) -> np.ndarray:
        """Unit vector towards the sun in the planet's frame (z = north pole, x = lon 0 on the equator) for
        the climate's season s (+1 January: declination -OBLIQUITY; -1 July: +OBLIQUITY)."""
        lon, dec = math.radians(self.longitude + self.sun_azimuth), math.radians(-OBLIQUITY * season)
        return np.array([math.cos(dec) * math.cos(lon), math.cos(dec) * math.sin(lon), math.sin(dec)], dtype="f4")

    def eye(self) -> np.ndarray:
        y, p = math.radians(self.longitude), math.radians(self.pitch)
        return self.distance * np.array([math.cos(p) * math.cos(y), math.cos(p) * math.sin(y), math.sin(p)])

    def inv_viewproj(self, aspect: float) -> np.ndarray:
        from pyrr import matrix44

        eye = self.eye()
        up = np.array([0.0, 0.0, 1.0])
        if abs(self.pitch) > 89.0:  # looking straight down a pole: any horizontal up vector will do
            up = np.array([-math.cos(math.radians(self.longitude)), -math.sin(math.radians(self.longitude)), 0.0])
        view = matrix44.create_look_at(eye, np.zeros(3), up)
        proj = matrix44.create_perspective_projection(self.fov, aspect, 0.1, 100.0)
        # pyrr uses row vectors (v @ M), so clip = v @ view @ proj; its bytes are GL's column-major.
        return np.linalg.inv(view @ proj).astype("f4")

    def viewproj(self, aspect: float) -> np.ndarray:
        return np.linalg.inv(self.inv_viewproj(aspect)).astype("f4")

    def light(self) -> np.ndarray:
        """A light from above-left of the camera, so the visible hemisphere is lit with relief."""
        y, p = math.radians(self.longitude + 35.0), math.radians(min(self.pitch + 30.0, 89.0))
        return np.array([math.cos(p) * math.cos(y), math.cos(p) * math.sin(y), math.sin(p)], dtype="f4")


def map_rect(size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The largest centred 2:1 rectangle (x, y, w, h) inside a window of `size` (map letterboxing)."""
    w, h = size
    mw, mh = (w, max(w // 2, 1)) if w <= 2 * h else (2 * h, h)
    return (w - mw) // 2, (h - mh) // 2, mw, mh


def default_size(view: str, grid: tuple[int, int]) -> tuple[int, int]:
    w, h = grid
    return (w, h) if view == "map" else (h, h)


class Viewer:
    """Compiles (view, layer) programs and renders them into RGB8 targets of any size."""

    def __init__(self, ctx, pipeline, layers: dict, overlays=()):
        self.ctx = ctx
        self.pipeline = pipeline
        self.layers = layers
        self.overlays = tuple(overlays)  # Stage.overlays of the scene's stages, in stage order
        self.cache = ProgramCache(ctx)
        self.bake_cache = ProgramCache(ctx)  # the per-tick bake programs (layer under the map view)
        self._targets: dict[tuple[int, int], object] = {}
        self._vaos: dict[int, object] = {}
        self._bakes: dict[str, tuple] = {}   # layer -> (key, framebuffer of its bake)
        self._version = 0                    # bumped whenever a field may have changed (invalidate)
        # Front-end pacing (the window while it runs): with `hold`, a bake of the same layer, size and
        # pixels per degree is reused although the fields changed, so frames between two refreshes of
        # the picture cost only the view pass. `bakes` counts the bakes drawn (the window times them).
        self.hold = False
        # With `strips` = n (pace()), a bake that is due (not held) and has a picture of the same size to
        # show meanwhile is drawn n rows a draw into a second framebuffer, while frames show the last
        # whole one; the two swap when its last strip is drawn (bit for bit the picture of one draw).
        # `strip_rows` counts the rows drawn in strips (the window's measure of a row's cost).
        self.strips: int | None = None
        self.strip_rows = 0
        self._jobs: dict[str, list] = {}     # layer -> [key, framebuffer being drawn, next row]
        self._spare: dict[str, object] = {}  # layer -> the framebuffer its last strip bake swapped out
        self._drawn: set[str] = set()        # layers a frame asked for since the last pace()
        self.before_bake = None  # called before a bake is drawn (Simulation: finish a tick under way, and
        #                          return the builtins it ended at, or None when nothing moved)
        self._cell_textures: dict[str, tuple] = {}   # function -> (key, framebuffer): Overlay.cells
        self.bakes = 0
        # A night overlay's bake alpha with a gate (Overlay.bake_gate) is drawn by a pass of its own over the
        # blocks of cells where its gate opens; False: in the main bake pass, over every texel (the tests'
        # reference for the gated picture).
        self.gate_bakes = True
        self.camera = Camera()
        self.season = lambda: 0.0  # the climate's season s for the sun's declination (Simulation sets it)

    def sky(self) -> dict:
        """u_sun (planet frame) and u_night for the views (Camera: day and night)."""
        return {"u_sun": tuple(float(x) for x in self.camera.sun(self.season())), "u_night": float(self.camera.night)}

    def check(self, view: str, layer: str) -> None:
        if view not in VIEWS:
            raise PlanetError(f"unknown view {view!r}; valid: {', '.join(VIEWS)}")
        if layer not in self.layers:
            raise PlanetError(f"unknown layer {layer!r}; valid: {', '.join(self.layers)}")

    def reads(self, layer: str) -> tuple[str, ...]:
        """Every field the layer draws: its own reads, its present optional ones and its overlays'."""
        lay = self.layers[layer].resolve(self.pipeline.fields)
        for who, fields in ((f"layer {layer}", lay.reads),
                            *((f"overlay {o.function} (shaders/{o.shader})", o.reads) for o in self.overlays
                              if o.layer == layer)):
            missing = [f for f in fields if f not in self.pipeline.specs]
            if missing:
                raise PipelineError(f"{who} reads {', '.join(map(repr, missing))}, which no stage of this scene "
                                    f"declares; fields: {', '.join(self.pipeline.specs)}")
        extra = [f for o in self.overlays if o.layer == layer for f in o.reads]
        return tuple(dict.fromkeys((*lay.reads, *extra)))

    def frame_reads(self, layer: str, night: bool = True) -> tuple[str, ...]:
        """The fields a frame of `layer` reads itself: those of its "night" overlays (with `night`)."""
        return tuple(dict.fromkeys(f for o in self.overlays if night and o.layer == layer and o.when == "night"
                                   for f in o.reads))

    def invalidate(self) -> None:
        """The fields may have changed (a tick, a write, a load): every bake is redone on its next draw."""
        self._version += 1

    def overlay_block(self, layer: str, src: Source, phases=("ground", "sky")) -> None:
        """Include each overlay of `layer` drawn in `phases` and define overlays_<phase> calling them
        in (order, stage) order (planet.stages.Overlay)."""
        mine = sorted((o for o in self.overlays if o.layer == layer and o.when in phases), key=lambda o: o.order)
        for o in mine:
            src.include(o.shader)
        text = ""
        for when in phases:
            calls = "".join(f"    c = {o.function}(c, ll, light);\n" for o in mine if o.when == when)
            text += f"vec3 overlays_{when}(vec3 c, vec2 ll, vec3 light) {{\n{calls}    return c;\n}}\n"
        src.add(f"<generated:overlays:{layer}>", text)

    def program(self, view: str, layer: str, night: bool = False):
        """The frame program of `layer` in `view` ("map", "globe", or "morph": the unwrap mesh): the
        view over the layer's bake (view/baked.glsl), with the layer's "night" overlays when `night`
        (the camera shows a night side; a software renderer runs a skipped branch anyway, so without
        one they are left out of the program, not branched over)."""
        if view != "morph":
            self.check(view, layer)

        def make():
            reads = self.frame_reads(layer, night)
            src = Source()
            src.text = "#version 330 core\n"
            src.add(f"<generated:frame:{view}:{layer}>", builtins_block())
            src.include("common/grid.glsl")
            src.add(f"<generated:frame:{layer}:fields>", fields_block([self.pipeline.specs[f] for f in reads], reads))
            self.overlay_block(layer, src, phases=("night",) if night else ())
            if not night:
                src.add("<generated:frame:no-night>", "vec3 overlays_night(vec3 c, vec2 ll, vec3 light) { return c; }\n")
            src.include("view/baked.glsl")
            src.include(f"view/{view}.glsl")
            check_interface(f"layer {layer} in view {view}", src, reads, VIEW_UNIFORMS, generated=("t_baked",))
            return compile_program(self.ctx, f"view {view} / layer {layer}", vertex=self._vertex(view), fragment=src)

        return self.cache.get((view, layer) if not night else (view, layer, "night"), make)

    def bake_program(self, layer: str, part: str = "whole"):
        """The program that draws `layer` itself (its file and its ground and sky overlays) under the
        map view: what the bake holds. `part`: "whole", a full-screen triangle; "hot" / "cold", one point
        per BAKE_BLOCK x BAKE_BLOCK block of cells (view/bake_gate.glsl) where the layer's cold_gate is > 0 in
        some cell within 2 of the block / where it is not (with BAKE_COLD #defined: the layer's cheaper
        picture there, Layer.cold_gate)."""
        self.check("map", layer)
        lay = self.layers[layer]

        def make():
            present = self.pipeline.fields
            src = Source()
            src.text = "#version 330 core\n"
            cold = "#define BAKE_COLD 1\n" if part == "cold" else ""
            src.add(f"<generated:view:map:{layer}>", lay.defines(present) + cold + builtins_block())
            reads = self.reads(layer)
            src.include("common/grid.glsl")
            src.add(f"<generated:view:{layer}:fields>", fields_block([self.pipeline.specs[f] for f in reads], reads))
            cells = self.cell_specs(layer)
            if cells:
                src.add(f"<generated:view:{layer}:cells>", "".join(
                    f"uniform sampler2D t_cells_{fn};\nvec4 {fn}_at(ivec2 c) {{ return texelFetch(t_cells_{fn}, c, 0); }}\n"
                    for _, fn in cells))
            self.overlay_block(layer, src)
            src.include(lay.shader)
            baking = self._baking(layer)
            if baking is not None and self._gate(baking):   # drawn after it by the gated pass (bake_gate_program)
                src.add(f"<generated:bake-alpha:{layer}>", "#define BAKE_ALPHA_GATED 1\n")
            elif baking is not None:   # the per-tick part of a night overlay, kept in the bake's alpha (Overlay.bake)
                shader, function = baking.bake.rsplit(":", 1)
                src.include(shader)
                src.add(f"<generated:bake-alpha:{layer}>", f"#define BAKE_ALPHA {function}\n")
            src.include("view/map.glsl")
            check_interface(f"layer {layer} (shaders/{lay.shader})", src, reads, VIEW_UNIFORMS,
                            generated=[f"t_cells_{fn}" for _, fn in cells],
                            absent=[f for f in lay.optional if f not in present])
            if part == "whole":
                vertex = vertex_source()
            else:
                vertex = self._gate_vertex(f"{layer}:{part}", lay.reads, lay.cold_gate, closed=part == "cold", ring=2)
            return compile_program(self.ctx, f"bake of layer {layer} ({part})", vertex=vertex, fragment=src)

        return self.bake_cache.get((layer, self.gate_bakes, part), make)

    def cell_specs(self, layer: str) -> list[tuple[str, str]]:
        """The per-cell pre-passes (Layer.cells, Overlay.cells) that `layer`'s bake reads: (file, function)."""
        specs = [*self.layers[layer].cells, *(c for o in self.overlays if o.layer == layer for c in o.cells)]
        return [tuple(c.rsplit(":", 1)) for c in dict.fromkeys(specs)]

    def cells_program(self, layer: str, shader: str, function: str):
        """`vec4 function(ivec2 cell)` of shaders/<shader> (compiled with CELLS_PASS) at every grid cell,
        with the fields `layer`'s bake reads."""
        reads = self.reads(layer)

        def make():
            src = Source()
            src.text = "#version 330 core\n#define CELLS_PASS 1\n"
            src.add(f"<generated:cells:{function}>", builtins_block())
            src.include("common/grid.glsl")
            src.add(f"<generated:cells:{function}:fields>", fields_block([self.pipeline.specs[f] for f in reads], reads))
            src.include(shader)
            src.add(f"<generated:cells:{function}:main>",
                    f"layout(location = 0) out vec4 o_cells;\nvoid main() {{ o_cells = {function}(ivec2(gl_FragCoord.xy)); }}\n")
            check_interface(f"cells {function} (shaders/{shader})", src, reads, VIEW_UNIFORMS)
            return compile_program(self.ctx, f"cells {function} (shaders/{shader})", vertex=vertex_source(), fragment=src)

        return self.bake_cache.get(("cells", shader, function, reads), make)

    def _cells(self, layer: str, values: dict) -> dict:
        """{"t_cells_<function>": texture} of `layer`'s per-cell pre-passes, drawn once per state of the
        fields (Viewer.invalidate)."""
        out = {}
        key = self._version   # (the grid and radius are the simulation's for good)
        for shader, function in self.cell_specs(layer):
            held = self._cell_textures.get(function)
            if held is None or held[0] != key:
                w, h = self.pipeline.grid
                fbo = held[1] if held is not None else self.ctx.framebuffer(
                    color_attachments=[self.ctx.texture((w, h), 4, dtype="f4")])   # read by texelFetch only
                bound = self.ctx.fbo
                prog = self.cells_program(layer, shader, function)
                fbo.use()
                self.ctx.viewport = (0, 0, w, h)
                self._bind(prog, self.reads(layer), values, {})
                self._vao(prog).render(vertices=3)
                self._rebind(bound)
                held = self._cell_textures[function] = (key, fbo)
            out[f"t_cells_{function}"] = held[1].color_attachments[0]
        return out

    def split_bake(self, layer: str) -> bool:
        """Whether `layer`'s bake is drawn as hot and cold blocks (bake_program's parts: Layer.cold_gate)."""
        return bool(self.layers[layer].cold_gate) and self._blocked()

    def _blocked(self) -> bool:
        """Whether blocked passes may be drawn: gate_bakes, and a grid of whole blocks (view/bake_gate.glsl)."""
        w, h = self.pipeline.grid
        return bool(self.gate_bakes and w % BAKE_BLOCK == 0 and h % BAKE_BLOCK == 0)

    def _gate_vertex(self, what: str, reads, gate: str, closed: bool = False, ring: int = 1) -> Source:
        """The vertex stage of a blocked pass (view/bake_gate.glsl): BAKE_GATE(c) = `gate`, a GLSL
        expression of a cell c reading the fields `reads`, over the block and a ring of `ring` cells;
        `closed`: draw the blocks it does not open."""
        vertex = Source()
        vertex.text = "#version 330 core\n"
        vertex.add(f"<generated:bake-gate:{what}>",
                   builtins_block() + f"#define BAKE_BLOCK {BAKE_BLOCK}\n#define BAKE_RING {int(ring)}\n")
        vertex.include("common/grid.glsl")
        vertex.add(f"<generated:bake-gate:{what}:fields>",
                   fields_block([self.pipeline.specs[f] for f in reads], reads) + f"#define BAKE_GATE(c) ({gate})\n"
                   + ("#define BAKE_GATE_CLOSED 1\n" if closed else ""))
        vertex.include("view/bake_gate.glsl")
        return vertex

    def _baking(self, layer: str):
        """The overlay of `layer` whose per-tick part the bake keeps in its alpha (Overlay.bake), or None."""
        baking = [o for o in self.overlays if o.layer == layer and o.bake]
        if len(baking) > 1:
            raise PipelineError(f"layer {layer}: overlays {', '.join(o.bake for o in baking)} all bake into its "
                                "one alpha channel")
        return baking[0] if baking else None

    def _gate(self, overlay) -> bool:
        """Whether `overlay`'s bake alpha is drawn by the gated pass: it has a gate, gate_bakes is on and the
        grid is whole blocks (view/bake_gate.glsl)."""
        return bool(overlay.bake_gate) and self._blocked()

    def bake_gate_program(self, layer: str):
        """(program, reads, instances) of the gated pass that draws `layer`'s bake alpha (Overlay.bake with a
        bake_gate) after the main bake: one quad per BAKE_BLOCK x BAKE_BLOCK block of cells, drawn only where
        the gate opens (view/bake_gate.glsl, view/bake_alpha.glsl); None when the layer has none."""
        baking = self._baking(layer)
        if baking is None or not self._gate(baking):
            return None
        reads = tuple(baking.reads)

        def make():
            specs = [self.pipeline.specs[f] for f in reads]
            shader, function = baking.bake.rsplit(":", 1)
            head = builtins_block() + f"#define BAKE_BLOCK {BAKE_BLOCK}\n"
            vertex = self._gate_vertex(layer, reads, baking.bake_gate)
            src = Source()
            src.text = "#version 330 core\n"
            src.add(f"<generated:bake-alpha:{layer}>", head)
            src.include("common/grid.glsl")
            src.add(f"<generated:bake-alpha:{layer}:fields>", fields_block(specs, reads))
            src.include(shader)
            src.add(f"<generated:bake-alpha:{layer}:function>", f"#define BAKE_ALPHA {function}\n")
            src.include("view/bake_alpha.glsl")
            what = f"bake alpha of layer {layer} (shaders/{shader}, gate {baking.bake_gate!r})"
            check_interface(what, src, reads, VIEW_UNIFORMS)
            return compile_program(self.ctx, what, vertex=vertex, fragment=src)

        return self.bake_cache.get((layer, "gate"), make), reads

    @staticmethod
    def _vertex(view: str) -> Source:
        if view != "morph":
            return vertex_source()
        vertex = Source()
        vertex.text = "#version 330 core\n"
        vertex.add("<generated:view:morph:vertex>", builtins_block())
        vertex.include("view/morph_vertex.glsl")
        return vertex

    def reload(self) -> None:
        """Recompile every (view, layer) program from disk; on any error keep the old ones and re-raise."""
        old, old_bake = self.cache, self.bake_cache
        self.cache, self.bake_cache = ProgramCache(self.ctx), ProgramCache(self.ctx)
        try:
            for layer in self.layers:
                self.bake_program(layer)
                if self.split_bake(layer):
                    self.bake_program(layer, "hot")
                    self.bake_program(layer, "cold")
                self.bake_gate_program(layer)
                for view in (*VIEWS, "morph"):
                    self.program(view, layer)
                    self.program(view, layer, night=True)
        except Exception:
            self.cache.clear()
            self.bake_cache.clear()
            self.cache, self.bake_cache = old, old_bake
            raise
        for vao in self._vaos.values():
            vao.release()
        self._vaos.clear()
        old.clear()
        old_bake.clear()
        self.invalidate()

    def _bind(self, prog, reads, values: dict, matrices: dict, baked=None, cells=None) -> None:
        for name, value in values.items():
            u = prog.get(name, None)
            if u is not None:
                u.value = value
        for name, matrix in matrices.items():
            u = prog.get(name, None)
            if u is not None:
                u.write(matrix.tobytes())
        for unit, name in enumerate(reads):
            self.pipeline.fields[name].front.use(location=unit)
            s = prog.get(f"t_{name}", None)
            if s is not None:
                s.value = unit
        if baked is not None:
            baked.use(location=len(reads))
            prog["t_baked"].value = len(reads)
        for k, (name, tex) in enumerate((cells or {}).items()):   # per-cell pre-passes (Overlay.cells)
            tex.use(location=len(reads) + 1 + k)
            s = prog.get(name, None)
            if s is not None:
                s.value = len(reads) + 1 + k

    def baked(self, layer: str, size: tuple[int, int], builtins: dict, px_per_deg: float | None = None):
        """The bake of `layer` for a frame of `size` pixels showing `px_per_deg` pixels per degree
        (frame_px_per_deg; default the map's): (re)drawn when the simulation, the tick shown, the layer,
        the bake size or px_per_deg changed since the last one. Leaves the bound framebuffer bound."""
        grid = tuple(int(v) for v in builtins["u_grid"])
        bw, bh = bake_size(grid, size)
        ppd = float(px_per_deg) if px_per_deg is not None else frame_px_per_deg("map", size)
        old = self._bakes.get(layer)
        self._drawn.add(layer)
        # Held: a picture of the same size (bake width, height, px per degree) stands although the fields moved.
        same_size = old is not None and old[0][1:4] == (bw, bh, ppd)
        if same_size and self.hold:
            return old[1].color_attachments[0]
        if self.before_bake is not None:   # (may finish a tick: the fields' version is read after it)
            builtins = self.before_bake() or builtins   # (and that tick's builtins are the bake's)
        key = (self._version, bw, bh, ppd, tuple(sorted((k, v if not isinstance(v, float) else round(v, 12))
                                                   for k, v in builtins.items())))
        # key = (fields' version, bake width, height, px per degree, builtins)
        if old is not None and old[0] == key:
            self._drop_job(layer)
            return old[1].color_attachments[0]
        values = {**builtins, "u_size": (float(bw), float(bh)), "u_origin": (0.0, 0.0),
                  "u_light": tuple(self.camera.light()), "u_px_per_deg": ppd, **self.sky()}
        if same_size and self.strips:
            return self._bake_strip(layer, key, values, old)
        self._drop_job(layer)
        self.bakes += 1
        bound = self.ctx.fbo   # before a release below binds framebuffer 0
        if old is not None and old[1].size != (bw, bh):
            gl.release_framebuffers(self.ctx, [old[1]], with_attachments=True)
            old = None
        fbo = old[1] if old is not None else self._bake_target(layer, (bw, bh))
        self._bakes[layer] = (key, fbo)
        self._draw_bake(layer, fbo, values, (0, bh))
        self._rebind(bound)
        return fbo.color_attachments[0]

    def _bake_strip(self, layer: str, key, values: dict, old):
        """The next strip of `layer`'s bake for `key` (begun again if the key moved on); the last whole
        bake's texture until the strip drawn is the last, then the new one."""
        bound = self.ctx.fbo
        job = self._jobs.get(layer)
        if job is None or job[0] != key:
            fbo = job[1] if job is not None else self._bake_target(layer, old[1].size)
            job = self._jobs[layer] = [key, fbo, 0]
        fbo, row = job[1], job[2]
        rows = min(int(self.strips), fbo.size[1] - row)
        self._draw_bake(layer, fbo, values, (row, rows))
        self._rebind(bound)
        job[2] += rows
        self.strip_rows += rows
        if job[2] < fbo.size[1]:
            return old[1].color_attachments[0]
        del self._jobs[layer]
        self._spare[layer] = old[1]
        self._bakes[layer] = (key, fbo)
        self.bakes += 1
        return fbo.color_attachments[0]

    def _drop_job(self, layer: str) -> None:
        """Forget `layer`'s strip bake under way; its framebuffer is kept as the layer's spare."""
        job = self._jobs.pop(layer, None)
        if job is not None:
            spare = self._spare.pop(layer, None)
            if spare is not None:
                gl.release_framebuffers(self.ctx, [spare], with_attachments=True)
            self._spare[layer] = job[1]

    def _bake_target(self, layer: str, size: tuple[int, int]):
        """A framebuffer for a bake of `size`: the one a strip bake of `layer` swapped out, or a new one."""
        spare = self._spare.pop(layer, None)
        if spare is not None and spare.size == tuple(size):
            return spare
        if spare is not None:
            gl.release_framebuffers(self.ctx, [spare], with_attachments=True)
        fbo = self.ctx.framebuffer(color_attachments=[self.ctx.texture(tuple(size), 4)])
        tex = fbo.color_attachments[0]
        tex.repeat_x, tex.repeat_y = True, False   # longitude wraps; latitude stops at the poles
        return fbo

    def _draw_bake(self, layer: str, fbo, values: dict, rows: tuple[int, int]) -> None:
        """Draw rows [rows[0], rows[0] + rows[1]) of `layer`'s bake into `fbo` (the rest left as it is)."""
        import moderngl

        cells = self._cells(layer, values)   # (each draws into a framebuffer of its own first)
        bw, bh = fbo.size
        whole = rows == (0, bh)
        fbo.scissor = None if whole else (0, rows[0], bw, rows[1])
        fbo.use()
        self.ctx.viewport = (0, 0, bw, bh)
        w, h = (int(v) for v in values["u_grid"])
        blocks = (w // BAKE_BLOCK) * (h // BAKE_BLOCK)
        try:
            if self.split_bake(layer):   # hot blocks with the whole program, cold ones with the cheaper one
                self.ctx.enable(moderngl.PROGRAM_POINT_SIZE)   # one point a block (view/bake_gate.glsl)
                try:
                    for part in ("hot", "cold"):
                        prog = self.bake_program(layer, part)
                        self._bind(prog, self.reads(layer), values, {}, cells=cells)
                        self._vao(prog).render(moderngl.POINTS, vertices=1, instances=blocks)
                finally:
                    self.ctx.disable(moderngl.PROGRAM_POINT_SIZE)
            else:
                prog = self.bake_program(layer)
                self._bind(prog, self.reads(layer), values, {}, cells=cells)
                self._vao(prog).render(vertices=3)
            self._draw_gated(layer, fbo, values)
        finally:
            if not whole:
                fbo.scissor = None
                fbo.use()

    def _draw_gated(self, layer: str, fbo, values: dict) -> None:
        """The night overlay's bake alpha, after the main bake pass, only over the blocks of cells its gate
        opens (bake_gate_program; nothing when `layer` has no gated bake overlay), in the same rows."""
        gate = self.bake_gate_program(layer)
        if gate is None:
            return
        import moderngl

        gprog, greads = gate
        self._bind(gprog, greads, values, {})
        w, h = (int(v) for v in values["u_grid"])
        blocks = (-(-w // BAKE_BLOCK)) * (-(-h // BAKE_BLOCK))
        fbo.color_mask = (False, False, False, True)   # the alpha only (moderngl applies a mask on use())
        fbo.use()
        self.ctx.enable(moderngl.PROGRAM_POINT_SIZE)   # one point a block (view/bake_gate.glsl)
        try:
            self._vao(gprog).render(moderngl.POINTS, vertices=1, instances=blocks)
        finally:
            self.ctx.disable(moderngl.PROGRAM_POINT_SIZE)
            fbo.color_mask = (True, True, True, True)
            fbo.use()

    def _rebind(self, bound) -> None:
        import moderngl

        if bound is not None and not isinstance(bound.mglo, moderngl.InvalidObject):
            bound.use()   # (a framebuffer released since it was bound is bound no more: leave the bake's)

    def pace(self, hold: bool, strips: int | None = None) -> None:
        """The front-end's pacing for the frame about to be drawn (`hold`, `strips`: see __init__)."""
        self.hold, self.strips = bool(hold), strips
        self._drawn = set()

    @property
    def baking(self) -> bool:
        """A strip bake of a layer that the last frame drew is under way (the picture is half new)."""
        return any(layer in self._drawn for layer in self._jobs)

    def _vao(self, prog, content=()):
        vao = self._vaos.get(prog.glo)
        if vao is None:
            vao = self._vaos[prog.glo] = self.ctx.vertex_array(prog, list(content))
        return vao

    def draw(self, view: str, layer: str, size: tuple[int, int], builtins: dict, origin=(0, 0)) -> None:
        """Draw into the bound framebuffer, in the viewport at `origin` of `size` pixels."""
        baked = self.baked(layer, size, builtins, frame_px_per_deg(view, size, self.camera))
        night = self.camera.night > 0.0
        prog = self.program(view, layer, night)
        values = {**builtins, "u_size": (float(size[0]), float(size[1])),
                  "u_origin": (float(origin[0]), float(origin[1])), "u_light": tuple(self.camera.light()),
                  **self.sky()}
        self._bind(prog, self.frame_reads(layer, night), values,
                   {"u_inv_viewproj": self.camera.inv_viewproj(size[0] / size[1])}, baked)
        self.ctx.viewport = (*origin, *size)
        self._vao(prog).render(vertices=3)

    def draw_morph(self, layer: str, size: tuple[int, int], builtins: dict, t: float) -> None:
        """The animated unwrap: a lon/lat mesh whose vertices move from the letterboxed map (t = 0)
        to their places on the globe (t = 1), drawn over the whole `size` viewport with depth test."""
        import moderngl

        baked = self.baked(layer, size, builtins, frame_px_per_deg("morph", size, self.camera))
        night = self.camera.night > 0.0
        prog = self.program("morph", layer, night)
        scale = map_rect(size)[2:]
        values = {**builtins, "u_size": (float(size[0]), float(size[1])), "u_origin": (0.0, 0.0),
                  "u_light": tuple(self.camera.light()), "u_morph": float(t),
                  "u_map_scale": (scale[0] / size[0], scale[1] / size[1]), **self.sky()}
        self._bind(prog, self.frame_reads(layer, night), values, {"u_viewproj": self.camera.viewproj(size[0] / size[1])}, baked)
        self.ctx.viewport = (0, 0, *size)
        vao = self._vao(prog, [(self._morph_mesh(), "2f", "in_ll")])
        self.ctx.enable(moderngl.DEPTH_TEST)
        vao.render(moderngl.TRIANGLES)
        self.ctx.disable(moderngl.DEPTH_TEST)

    def _morph_mesh(self):
        if getattr(self, "_mesh", None) is None:
            nx, ny = MORPH_MESH
            lon = np.linspace(-np.pi, np.pi, nx + 1)
            lat = np.linspace(-np.pi / 2, np.pi / 2, ny + 1)
            ll = np.stack(np.meshgrid(lon, lat), axis=-1)  # (ny+1, nx+1, 2)
            a, b, c, d = ll[:-1, :-1], ll[:-1, 1:], ll[1:, 1:], ll[1:, :-1]
            tris = np.stack([a, b, c, a, c, d], axis=2).reshape(-1, 2).astype("f4")
            self._mesh = self.ctx.buffer(tris.tobytes())
        return self._mesh

    def target(self, size: tuple[int, int]):
        fbo = self._targets.get(size)
        if fbo is None:
            if len(self._targets) > 4:  # a window being resized: do not hoard targets
                self.release_targets()
            fbo = self._targets[size] = self.ctx.framebuffer(
                color_attachments=[self.ctx.texture(size, 4)], depth_attachment=self.ctx.depth_renderbuffer(size))
        return fbo

    def snapshot(self, view: str, layer: str, size: tuple[int, int], builtins: dict) -> np.ndarray:
        """Render to an RGB8 target and read it back as uint8 (h, w, 3), row 0 = top (north)."""
        self.check(view, layer)
        w, h = int(size[0]), int(size[1])
        if w < 1 or h < 1 or w > 16384 or h > 16384:
            raise PlanetError(f"snapshot size {w}x{h} must be between 1x1 and 16384x16384")
        fbo = self.target((w, h))
        fbo.use()
        self.draw(view, layer, (w, h), builtins)
        data = fbo.read(components=3, alignment=1)
        return np.frombuffer(data, dtype=np.uint8).reshape(h, w, 3)[::-1].copy()

    def release_targets(self) -> None:
        gl.release_framebuffers(self.ctx, self._targets.values(), with_attachments=True)
        self._targets.clear()

    def release_bakes(self) -> None:
        gl.release_framebuffers(self.ctx, [fbo for _, fbo in (*self._bakes.values(), *self._cell_textures.values())]
                                + [job[1] for job in self._jobs.values()] + list(self._spare.values()),
                                with_attachments=True)
        self._bakes.clear()
        self._jobs.clear()
        self._spare.clear()
        self._cell_textures.clear()

    def release(self) -> None:
        self.release_targets()
        self.release_bakes()
        self.bake_cache.clear()
        if getattr(self, "_mesh", None) is not None:
            self._mesh.release()
            self._mesh = None
        for vao in self._vaos.values():
            vao.release()
        self._vaos.clear()
        self.cache.clear()

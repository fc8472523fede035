"""Views and layers: the map and the globe, coloured by a layer, rendered into an RGB8 target.

A view program is `shaders/view/<view>.glsl` (which defines main()) with the layer's file
(which defines `vec3 layer_color(vec2 lonlat, vec3 light)`) included before it. Before both come the
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
                 "u_light": "vec3", "u_morph": "float", "u_map_scale": "vec2", "u_sun": "vec3", "u_night": "float"}
OBLIQUITY = 23.44  # [deg] the sun's declination swings between -OBLIQUITY (January) and +OBLIQUITY (July)
MORPH_MESH = (256, 128)  # lon x lat quads of the unwrap/rewrap mesh


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
        self._targets: dict[tuple[int, int], object] = {}
        self._vaos: dict[int, object] = {}
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

    def overlay_block(self, layer: str, src: Source) -> None:
        """Include each overlay of `layer` and define overlays_ground / overlays_sky calling them
        in (order, stage) order (planet.stages.Overlay)."""
        mine = sorted((o for o in self.overlays if o.layer == layer), key=lambda o: o.order)
        for o in mine:
            src.include(o.shader)
        text = ""
        for when in ("ground", "sky"):
            calls = "".join(f"    c = {o.function}(c, ll, light);\n" for o in mine if o.when == when)
            text += f"vec3 overlays_{when}(vec3 c, vec2 ll, vec3 light) {{\n{calls}    return c;\n}}\n"
        src.add(f"<generated:overlays:{layer}>", text)

    def program(self, view: str, layer: str):
        """The program drawing `layer` in `view` ("map", "globe", or "morph": the unwrap mesh)."""
        if view != "morph":
            self.check(view, layer)
        lay = self.layers[layer]

        def make():
            present = self.pipeline.fields
            src = Source()
            src.text = "#version 330 core\n"
            src.add(f"<generated:view:{view}:{layer}>", lay.defines(present) + builtins_block())
            reads = self.reads(layer)
            src.include("common/grid.glsl")
            src.add(f"<generated:view:{layer}:fields>", fields_block([self.pipeline.specs[f] for f in reads], reads))
            self.overlay_block(layer, src)
            src.include(lay.shader)
            src.include(f"view/{view}.glsl")
            check_interface(f"layer {layer} (shaders/{lay.shader}) in view {view}", src, reads,
                            VIEW_UNIFORMS, absent=[f for f in lay.optional if f not in present])
            vertex = vertex_source()
            if view == "morph":
                vertex = Source()
                vertex.text = "#version 330 core\n"
                vertex.add("<generated:view:morph:vertex>", builtins_block())
                vertex.include("view/morph_vertex.glsl")
            return compile_program(self.ctx, f"view {view} / layer {layer}", vertex=vertex, fragment=src)

        return self.cache.get((view, layer), make)

    def reload(self) -> None:
        """Recompile every (view, layer) program from disk; on any error keep the old ones and re-raise."""
        old = self.cache
        self.cache = ProgramCache(self.ctx)
        try:
            for layer in self.layers:
                for view in (*VIEWS, "morph"):
                    self.program(view, layer)
        except Exception:
            self.cache.clear()
            self.cache = old
            raise
        for vao in self._vaos.values():
            vao.release()
        self._vaos.clear()
        old.clear()

    def _bind(self, prog, layer: str, values: dict, matrices: dict) -> None:
        for name, value in values.items():
            u = prog.get(name, None)
            if u is not None:
                u.value = value
        for name, matrix in matrices.items():
            u = prog.get(name, None)
            if u is not None:
                u.write(matrix.tobytes())
        for unit, name in enumerate(self.reads(layer)):
            self.pipeline.fields[name].front.use(location=unit)
            s = prog.get(f"t_{name}", None)
            if s is not None:
                s.value = unit

    def draw(self, view: str, layer: str, size: tuple[int, int], builtins: dict, origin=(0, 0)) -> None:
        """Draw into the bound framebuffer, in the viewport at `origin` of `size` pixels."""
        prog = self.program(view, layer)
        values = {**builtins, "u_size": (float(size[0]), float(size[1])),
                  "u_origin": (float(origin[0]), float(origin[1])), "u_light": tuple(self.camera.light()),
                  **self.sky()}
        self._bind(prog, layer, values, {"u_inv_viewproj": self.camera.inv_viewproj(size[0] / size[1])})
        self.ctx.viewport = (*origin, *size)
        vao = self._vaos.get(prog.glo)
        if vao is None:
            vao = self._vaos[prog.glo] = self.ctx.vertex_array(prog, [])
        vao.render(vertices=3)

    def draw_morph(self, layer: str, size: tuple[int, int], builtins: dict, t: float) -> None:
        """The animated unwrap: a lon/lat mesh whose vertices move from the letterboxed map (t = 0)
        to their places on the globe (t = 1), drawn over the whole `size` viewport with depth test."""
        import moderngl

        prog = self.program("morph", layer)
        scale = map_rect(size)[2:]
        values = {**builtins, "u_size": (float(size[0]), float(size[1])), "u_origin": (0.0, 0.0),
                  "u_light": tuple(self.camera.light()), "u_morph": float(t),
                  "u_map_scale": (scale[0] / size[0], scale[1] / size[1]), **self.sky()}
        self._bind(prog, layer, values, {"u_viewproj": self.camera.viewproj(size[0] / size[1])})
        self.ctx.viewport = (0, 0, *size)
        vao = self._vaos.get(prog.glo)
        if vao is None:
            vao = self._vaos[prog.glo] = self.ctx.vertex_array(prog, [(self._morph_mesh(), "2f", "in_ll")])
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

    def release(self) -> None:
        self.release_targets()
        if getattr(self, "_mesh", None) is not None:
            self._mesh.release()
            self._mesh = None
        for vao in self._vaos.values():
            vao.release()
        self._vaos.clear()
        self.cache.clear()

"""Stages: one physical process each, declared as data (fields, params, passes, quantities, layers).

A stage module builds one `Stage` and registers it in `STAGES` (in story order). Everything the
pipeline, the scene validator, the views and the scripting API know about a stage comes from here.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..errors import PipelineError
from ..fields import Field
from ..params import Param
from ..passes import Pass
from ..reduce import Scalar


@dataclass(frozen=True)
class Quantity:
    """A named physical quantity for scripts/tests/export: float32 (H, W) in `unit`."""

    name: str
    unit: str
    doc: str
    compute: Callable[[Callable[[str], np.ndarray]], np.ndarray]  # read(field) -> (H, W)


@dataclass(frozen=True)
class Legend:
    """What a legend shows for a layer: a colormap in shaders/common/colormap.glsl over [vmin, vmax].
    With `classes` (names of categories, e.g. biomes) the legend lists them top to bottom, each beside
    a swatch of cmap_<colormap>((k + 1/2) / len(classes)), the colour of class k."""

    colormap: str
    vmin: float
    vmax: float
    unit: str
    label: str
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Layer:
    """A view layer: shaders/<shader> defines `vec3 layer_color(vec2 lonlat, vec3 light)`."""

    name: str
    shader: str
    reads: tuple[str, ...]
    doc: str
    legend: Legend | None = None
    # Fields drawn only when some stage of the scene declares them (e.g. clouds or rivers on the
    # satellite layer): present ones join the reads and HAVE_<FIELD> is #defined 1, else 0.
    optional: tuple[str, ...] = ()
    # A GLSL expression of a grid cell c (ivec2, wrapped; e.g. "terrain_at(c).glow") with a promise: where it
    # is <= 0 in every cell within 2 of a block, the layer drawn with BAKE_COLD #defined is the same picture
    # (to float rounding); the bake draws such blocks with that cheaper program (planet.view: the satellite's
    # young crust, its Voronoi seams ~50 ms of a 1024x512 bake on a CPU, left out once the lava has cooled).
    cold_gate: str = ""
    # Per-cell pre-passes ("shaders-file:function", Overlay.cells): what the layer's picture needs of
    # every grid cell, evaluated once per tick (planet.view).
    cells: tuple[str, ...] = ()

    def resolve(self, present) -> "Layer":
        return dataclasses.replace(self, reads=self.reads + tuple(f for f in self.optional if f in present))

    def defines(self, present) -> str:
        return "".join(f"#define HAVE_{f.upper()} {int(f in present)}\n" for f in self.optional)


@dataclass(frozen=True)
class Overlay:
    """Something a stage draws over another stage's layer (e.g. erosion's rivers and climate's clouds
    on terrain's satellite layer). shaders/<shader> defines `vec3 <function>(vec3 color, vec2 lonlat,
    vec3 light)`; the layer calls every present overlay of its `when` phase in (order, stage) order
    through the generated `overlays_<phase>(color, lonlat, light)`: "ground" ones before the layer's
    own emissive light (lava), "sky" ones (clouds) last; all of these are baked once per tick (planet.view).
    "night" ones run per frame over the bake, while the camera shows a night side (Camera.night > 0), for
    what depends on the camera or the sun (u_sun, u_night: day and night, the night side's lights).
    A "night" overlay may leave its per-tick part to the bake: `bake` = "shaders-file:function" names
    `float function(vec2 lonlat)`, which the bake stores in its alpha (0..1; one such overlay per layer)
    and the overlay reads back per frame as baked_value(lonlat) (view/baked.glsl).
    `bake_gate`, a GLSL expression of a grid cell `c` (ivec2, wrapped; e.g. "people_at(c).density"),
    promises that the bake function is 0 at every point whose bilinear stencil cells all have gate <= 0:
    then the bake draws the function in a pass of its own, only over the blocks of cells where some cell
    (or a neighbour) has gate > 0 (planet.view: city lights cost nothing over the empty sea and deserts).
    `cells`: per-cell pre-passes, "shaders-file:function" naming `vec4 function(ivec2 cell)` (compiled with
    CELLS_PASS #defined): the bake evaluates each once per tick at every grid cell into a texture that the
    picture reads back as `function_at(ivec2 cell)` (one fetch for what it would compute at every pixel that
    asks: the rivers' which-cell-is-a-river rule, view/rivers.glsl)."""

    layer: str
    shader: str
    function: str
    reads: tuple[str, ...]
    when: str = "ground"
    order: int = 0
    bake: str = ""
    bake_gate: str = ""
    cells: tuple[str, ...] = ()


@dataclass(frozen=True)
class Derived:
    """A uniform computed each tick from params and simulated time or the tick (not set directly by users)."""

    name: str
    unit: str
    doc: str


@dataclass(frozen=True)
class Stage:
    name: str
    doc: str
    fields: tuple[Field, ...]
    params: tuple[Param, ...]
    init: tuple[Pass, ...] = ()
    step: tuple[Pass, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    layers: tuple[Layer, ...] = ()
    derived: tuple[Derived, ...] = ()
    # derive(params, years) -> {derived name: value}; pure function of its inputs (determinism).
    derive: Callable[[dict, float], dict] | None = None
    # tick_derive(params, tick) -> {derived name: value}: derived uniforms of the tick, declared in derived=
    # too; integers the CPU computes exactly, e.g. climate's year step (tick mod steps_per_year: a shader's
    # integer division by a uniform runs lane by lane on a CPU rasterizer; issue 16).
    tick_derive: Callable[[dict, int], dict] | None = None
    # clock(params, tick) -> {name: value}: where this stage's own clock is after `tick` ticks (e.g.
    # climate's year_fraction and season); Simulation.clock_value(name) asks every stage.
    clock: Callable[[dict, int], dict] | None = None
    scalars: tuple[Scalar, ...] = ()
    overlays: tuple[Overlay, ...] = ()
    # imports(params, read, where, radius) -> {field name: float32 (H, W, 4)}: state read from files (e.g.
    # a heightmap) that replaces what this stage's init passes wrote; {} when there is nothing to import.
    # `read(field)` gives a field as initialised so far; `where` names the scene and stage for errors;
    # `radius` is the planet's [km].
    imports: Callable[[dict, Callable[[str], np.ndarray], str, float], dict] | None = None
    # On a new grid (planet.world refines a coarse history): `rebuild` runs once after every field is in
    # place and writes this stage's Field.resample "rebuilt" fields that a pass reads before the stage's
    # next update would write them; then `settle`, as a step of no time (u_dt = 0), repeats until the
    # carried fields it writes no longer change (erosion: the lakes' fill and spill, a Boruvka step a run,
    # settles in ~log2(lakes) runs; incision and uplift are 0 over no time, its marks are set).
    # Both are passes of `init` or `step`.
    rebuild: tuple[Pass, ...] = ()
    settle: tuple[Pass, ...] = ()
    param_map: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "param_map", {p.name: p for p in self.params})
        # Pass ids and shader paths derive from the stage: Pass("weather") is climate.weather,
        # shaders/climate/weather.glsl.
        object.__setattr__(self, "init", tuple(p.qualified(self.name) for p in self.init))
        object.__setattr__(self, "step", tuple(p.qualified(self.name) for p in self.step))
        for what in ("rebuild", "settle"):
            passes = tuple(p.qualified(self.name) for p in getattr(self, what))
            names = {p.name for p in (*self.init, *self.step)}   # by name: resolve_stages resolves init and step
            unknown = [p.name for p in passes if p.name not in names]
            if unknown:
                raise PipelineError(f"stage {self.name}: {what} passes {unknown} are none of its init or step passes")
            object.__setattr__(self, what, passes)
        if self.derive is not None or self.tick_derive is not None or self.derived:
            names = {d.name for d in self.derived}
            got = set(self.derive(self.defaults(), 0.0)) if self.derive is not None else set()
            got |= set(self.tick_derive(self.defaults(), 0)) if self.tick_derive is not None else set()
            if got != names:
                raise PipelineError(f"stage {self.name}: derive() gives {sorted(got)} but derived= declares "
                                    f"{sorted(names)}; declare each derived uniform once")

    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}

    def uniforms(self, values: dict, years: float, tick: int = 0) -> dict:
        """Every u_* value this stage's passes may declare, for the given params, time and tick."""
        out = {f"u_{p.name}": values[p.name] for p in self.params if p.uniform}
        if self.derive is not None:
            out.update({f"u_{k}": v for k, v in self.derive(values, years).items()})
        if self.tick_derive is not None:
            out.update({f"u_{k}": v for k, v in self.tick_derive(values, tick).items()})
        return out


def every_param(what: str) -> Param:
    """The `every` param of a stage that may update less often (planet.Simulation.step): its step
    schedule runs on the ticks divisible by `every`, with u_dt = every x dt (the time since its last
    update), and its fields stand still in between. Deterministic (a pure function of the tick); meant
    for the geological eras, where the stage changes little per tick (`what` says why it may)."""
    return Param("every", 1, "ticks", f"update cadence: the stage runs every `every` ticks with dt scaled by "
                 f"`every` (1: every tick; {what})", 1, 64, uniform=False)


def channel(field: str, name: str) -> Callable:
    """A Quantity's compute: one named channel of a field as (H, W) float32."""
    def compute(read, _field=field, _name=name):
        return read.channel(_field, _name)
    return compute


def registry() -> dict[str, Stage]:
    """All known stages by name, in story order."""
    from . import climate, erosion, life, people, tectonics, terrain

    return {s.name: s for s in (terrain.STAGE, tectonics.STAGE, climate.STAGE, erosion.STAGE, life.STAGE,
                                people.STAGE)}

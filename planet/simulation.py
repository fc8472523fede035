"""`Simulation`: the one façade the window, the video renderer, scripts and tests touch.

    with planet.Simulation.headless("scenes/earth.toml", seed=7) as sim:
        sim.step(100)
        z = sim.quantity("elevation")          # float32 (H, W) [m], row 0 = south
        png = sim.snapshot("globe", "satellite", (512, 512))

Time is an integer tick; each tick advances simulated time by the scene's dt [years] (which the
timeline may change). Nothing here reads the wall clock: same scene + seed + ticks => same fields.

    sim.save("run.npz");  sim = Simulation.load("run.npz")      # checkpoints (planet.checkpoint)
    sim.export("out/height.tif")                                 # maps, views, cube maps (planet.export)
"""
from __future__ import annotations

import copy
import functools
import os

import numpy as np

from . import gl
from .errors import PipelineError, PlanetError, SceneError
from .params import check_table, unknown_key
from .pipeline import Pipeline
from .scene import CAMERA_KEYS, GLIDE_KEYS, load_scene
from .stages import registry
from .view import Viewer, default_size


def with_imports(scene, heightmap, land_mask, stages=None):
    """`scene` with [terrain] heightmap / land_mask set (None: keep the scene's; paths as given)."""
    table = {k: os.fspath(v) for k, v in (("heightmap", heightmap), ("land_mask", land_mask)) if v is not None}
    if not table:
        return scene
    if "terrain" not in scene.params:
        raise SceneError(f"{scene.source}: {' and '.join(table)} need the terrain stage, "
                         f"which planet.stages {list(scene.stages)} leaves out")
    stages = stages or registry()
    scene.params["terrain"].update(check_table(stages["terrain"].param_map, table, f"{scene.source}: terrain"))
    return scene


class _Reader:
    """What a Quantity's compute gets: read(field) and read.channel(field, name), each field read once."""

    def __init__(self, sim):
        self.sim, self.cache = sim, {}

    def __call__(self, field: str) -> np.ndarray:
        if field not in self.cache:
            self.cache[field] = self.sim.read(field)
        return self.cache[field]

    def channel(self, field: str, name: str) -> np.ndarray:
        return self(field)[..., self.sim.field_spec(field).channel_index(name)]


def _current(method=None, *, settle: bool = True):
    """Run a GL-touching method with this simulation's context current. moderngl never switches
    contexts by itself, so with two simulations (or a window and a headless one) in one process,
    GL calls would otherwise land in whichever context was made current last. With `settle` (the
    default) a tick that step_part() left under way is finished first, so every method but the
    drawing ones (settle=False: a frame shows the last whole tick's bake) sees whole ticks only."""
    if method is None:
        return functools.partial(_current, settle=settle)

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if self.ctx is None:
            raise PlanetError("this simulation has been released")
        gl.make_current(self.ctx)
        if settle and self._partial is not None:
            self._finish_tick()
        return method(self, *args, **kwargs)

    return wrapper


class Simulation:
    def __init__(self, ctx, scene, *, seed: int | None = None, grid=None, backend: str = "auto",
                 owns_context: bool = False, heightmap=None, land_mask=None, init: bool = True):
        """`heightmap` / `land_mask` override the scene's [terrain] files (paths relative to the current
        folder). `init=False` skips the init passes (fields stay zero at tick 0): for restoring a checkpoint."""
        self.ctx = ctx
        self._owns_context = owns_context
        self._registry = registry()
        self.scene = with_imports(load_scene(scene, seed=seed, grid=grid, registry=self._registry),
                                  heightmap, land_mask, self._registry)
        self.stages = [self._registry[n] for n in self.scene.stages]
        gl.make_current(ctx)
        self.pipeline = Pipeline(ctx, self.stages, self.scene.grid, backend)
        self.stages = self.pipeline.stages  # optional reads resolved against this scene's fields
        self.backend = self.pipeline.backend
        self.layers = {lay.name: lay for st in self.stages for lay in st.layers}
        self.viewer = Viewer(ctx, self.pipeline, self.layers, [o for st in self.stages for o in st.overlays])
        self.viewer.season = self._sky_season
        self._quantities = {q.name: q for st in self.stages for q in st.quantities}
        self._scalars = {sc.name: sc for st in self.stages for sc in st.scalars}
        # Whether the world was changed from outside the tick (a write, params, a brush stroke, an import)
        # since the last tick: then the next tick runs the passes that otherwise keep a cadence (e.g. the
        # climate's pressure blur, Pass.when on u_edited), so an edit is seen at once. Saved in checkpoints.
        self.edited = True
        # Fields written from outside since the last reset (Simulation.write): a stage whose state is a
        # fixed point until its start (life's populations, people) skips its passes only while nobody
        # wrote that state (Pass.when on uniforms["written"]). Saved in checkpoints.
        self.written: set[str] = set()
        # A tick under way (step_part): [its uniforms, its schedule, the next pass's index], or None.
        self._partial: list | None = None
        self.viewer.before_bake = self._settle_for_bake
        try:
            self._loaded_timeline = self.scene.timeline  # without the events record() adds
            if init:
                self.reset()
            else:
                self._reset_clock()
                self._brush_queue.clear()  # a checkpoint's fields already hold its strokes
        except BaseException:  # e.g. an unreadable heightmap: free the GL objects on a shared context
            gl.make_current(ctx)
            self.viewer.release()
            self.pipeline.release()
            raise

    @classmethod
    def headless(cls, scene, seed: int | None = None, grid=None, backend: str = "auto",
                 heightmap=None, land_mask=None) -> "Simulation":
        """A simulation on its own headless EGL context (released with the simulation)."""
        if backend not in gl.BACKENDS:
            raise PlanetError(f"unknown backend {backend!r}; valid: {', '.join(gl.BACKENDS)}")
        with_imports(load_scene(scene, seed=seed, grid=grid), heightmap, land_mask)  # scene errors before GL
        ctx = gl.create_headless()
        try:
            return cls(ctx, scene, seed=seed, grid=grid, backend=backend, owns_context=True,
                       heightmap=heightmap, land_mask=land_mask)
        except BaseException:
            ctx.release()
            raise

    @classmethod
    def load(cls, path, ctx=None, backend: str = "auto", allow_shader_change: bool = False) -> "Simulation":
        """Resume a checkpoint written by `save` (on `ctx`, or on its own headless context when None).
        Refuses, with a one-line PlanetError, a damaged file, another format version, fields that do
        not fit the scene, or shaders changed since the save (unless allow_shader_change=True)."""
        from .checkpoint import load

        return load(cls, path, ctx=ctx, backend=backend, allow_shader_change=allow_shader_change)

    @_current
    def save(self, path):
        """Write a checkpoint (.npz) of every field, the clock, params, seed and scene, atomically."""
        from .checkpoint import save

        return save(self, path)

    @_current
    def export(self, path, what: str = "heightmap", **options) -> list:
        """Write maps/views to files, atomically; see planet.export.export for `what` and options."""
        from .export import export

        return export(self, path, what, **options)

    # -- context manager ----------------------------------------------------------------------
    def __enter__(self) -> "Simulation":
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    # -- time -----------------------------------------------------------------------------------
    @_current(settle=False)
    def reset(self, seed: int | None = None, keep_edits: bool = True) -> None:
        """Back to tick 0 with the scene's params (and a new seed if given), then run the init passes.
        The events record() added replay from the start unless keep_edits=False forgets them."""
        self._partial = None   # a tick under way is forgotten, not finished
        if getattr(self, "_reset_before", False):  # at the first reset the files are read just below
            self._check_imports()
        self._reset_before = True
        if seed is not None:
            timeline = self.scene.timeline  # the same events (edits keeps telling them apart)
            self.scene = load_scene(self.scene, seed=seed)
            self.scene.timeline = timeline
        if not keep_edits:
            self.scene.timeline = self._loaded_timeline
        self._reset_clock()
        self.written = set()
        # No planet-wide scalar survives a reset: init passes that read one (the climate's warming by
        # co2_ppm) see 0, "none yet", as in a fresh simulation.
        self.pipeline.reducer.write(np.zeros((len(self.pipeline.reducer.scalars), 4), np.float32))
        uniforms = self.stage_uniforms()
        for st in self.stages:
            self.pipeline.run(st.init, uniforms)
            if st.imports is not None:
                for name, data in st.imports(self.params[st.name], self.read, f"{self.scene.source}: {st.name}",
                                                self.scene.radius).items():
                    if name not in {f.name for f in st.fields}:
                        raise PipelineError(f"stage {st.name}: imports field '{name}' that it does not own")
                    self.pipeline.fields[name].write(data)
        self._flush_brush()
        self.edited = True
        self._changed()
        self._reduce_if_eager()

    def _check_imports(self) -> None:
        """Read every stage's import files (a heightmap, a land mask) before a reset touches the state,
        so a file that went bad since the last reset is a PlanetError with the simulation as it was."""
        for st in self.stages:
            if st.imports is not None:
                st.imports(self.scene.params[st.name], self.read, f"{self.scene.source}: {st.name}", self.scene.radius)

    def _changed(self, fields=None) -> None:
        """`fields` (None: any) may have changed: their scalars' chains are stale (planet.reduce)."""
        self.pipeline.reducer.mark(fields)
        self.pipeline.touched = set()   # the passes run so far are accounted for

    def _reduce_if_eager(self) -> None:
        """Scalars that passes read are kept current after every change of their fields (so a pass
        sees the end of the previous tick); others are reduced only when asked for (scalar()), each
        chain only when its fields changed (planet.reduce: the same bits as reducing every tick). The
        views' bakes are redone on their next draw (planet.view.Viewer.invalidate)."""
        self.viewer.invalidate()
        self.pipeline.refresh(self.builtins(), eager=True)

    def _reset_clock(self) -> None:
        """Tick 0 with the scene's params and the timeline rewound (events at time 0 applied)."""
        self.tick = 0
        self.years = 0.0
        self.dt = self.scene.dt
        self.params = copy.deepcopy(self.scene.params)
        self.view, self.layer = "map", "satellite"
        self.caption = ""             # the timeline's caption of the current era
        self.camera_goal: dict = {}   # where the timeline sends the globe camera (front-ends glide there)
        self.ended = False            # the timeline's end event has fired
        self._next_event = 0
        self._brush_queue: list = []  # strokes of fired events, applied once the fields are ready
        for name, setting in CAMERA_KEYS.items():  # the timeline's camera settings rewind too
            if name not in GLIDE_KEYS:
                setattr(self.viewer.camera, name, setting.default)
        self.viewer.camera.spin = 0.0
        self._apply_events()

    @_current
    def step(self, ticks: int = 1) -> None:
        """Advance `ticks` ticks (timeline events fire when simulated time reaches them)."""
        if isinstance(ticks, bool) or not isinstance(ticks, int) or ticks < 0:
            raise PlanetError(f"step(ticks): expected a non-negative integer, got {ticks!r}")
        for _ in range(ticks):
            uniforms, schedule = self._begin_tick()
            self.pipeline.run(schedule, uniforms)
            self._end_tick()
        self._events_reached()

    @_current(settle=False)
    def step_part(self, passes: int = 1) -> bool:
        """Run the next `passes` passes of the tick under way, beginning one if none is; True when that
        finished the tick. The same passes in the same order as step(1), so the fields end bit for bit
        the same however a tick is cut (the window spreads a slow tick over frames to keep drawing:
        planet.app). Until it is finished, every other method finishes it first (settle)."""
        if isinstance(passes, bool) or not isinstance(passes, int) or passes < 1:
            raise PlanetError(f"step_part(passes): expected a positive integer, got {passes!r}")
        if self._partial is None:
            self._partial = [*self._begin_tick(), 0]
        uniforms, schedule, i = self._partial
        j = min(i + passes, len(schedule))
        self.pipeline.run(schedule[i:j], uniforms)
        self._partial[2] = j
        if j < len(schedule):
            return False
        self._finish_tick()
        return True

    @_current
    def settle(self) -> None:
        """Finish the tick that step_part() left under way, if any (the fields at a whole tick)."""

    @property
    def tick_under_way(self) -> bool:
        """step_part() began a tick that is not finished yet (the fields are between two ticks)."""
        return self._partial is not None

    def _finish_tick(self) -> None:
        uniforms, schedule, i = self._partial
        self._partial = None
        self.pipeline.run(schedule[i:], uniforms)
        self._end_tick()
        self._events_reached()

    def _settle_for_bake(self) -> dict | None:
        """Viewer.before_bake: a bake draws whole ticks only. A tick under way is finished first and the
        builtins of the tick it ends returned (those the draw was called with are the tick before's)."""
        if self._partial is None:
            return None
        self._finish_tick()
        return self.builtins()

    def _begin_tick(self) -> tuple[dict, list]:
        """The events and brush strokes due, then this tick's uniforms and passes."""
        self._apply_events()
        self._flush_brush()
        uniforms = self.stage_uniforms()
        return uniforms, self._schedule(uniforms)

    def _end_tick(self) -> None:
        self.edited = False
        self.tick += 1
        self.years += self.dt
        self._changed(self.pipeline.touched)   # the fields this tick's passes wrote
        self._reduce_if_eager()

    def _events_reached(self) -> None:
        """Events that the new time has reached fire now (not at the next tick's start), so the caption,
        view, camera and end shown after a step are those of the time shown. The fields are the same:
        the next tick would apply the same events before it runs."""
        self._apply_events()
        self._flush_brush()

    def _schedule(self, uniforms: dict) -> list:
        """This tick's step passes: every stage's, except a stage with param every = k > 1 runs only on
        ticks divisible by k, with u_dt = k x dt (stages/__init__.py every_param)."""
        schedule = []
        for st in self.stages:
            every = self.params[st.name].get("every", 1)
            if self.tick % every:
                continue
            if every > 1:
                uniforms[st.name] = {**uniforms[st.name], "u_dt": float(self.dt * every)}
            schedule += st.step
        return schedule

    def _apply_events(self) -> None:
        timeline = self.scene.timeline
        while self._next_event < len(timeline) and timeline[self._next_event].at <= self.years:
            ev = timeline[self._next_event]
            for stage, values in ev.params.items():
                self.params[stage].update(values)
            self.edited = self.edited or bool(ev.params)
            self.dt = ev.dt if ev.dt is not None else self.dt
            self.view = ev.view or self.view
            self.layer = ev.layer or self.layer
            self.caption = ev.caption if ev.caption is not None else self.caption
            self._camera_event(ev)
            self.ended = self.ended or ev.end
            if ev.brush:
                self._brush_queue.append(ev.brush)
            self._next_event += 1

    def _flush_brush(self) -> None:
        """Apply the strokes of the events that fired (planet.brush), in timeline order."""
        if not self._brush_queue:
            return
        from . import brush

        strokes, self._brush_queue = self._brush_queue, []
        for stroke in strokes:
            brush.apply(self.pipeline, stroke, self.builtins())
        self.edited = True
        self._changed()
        self._reduce_if_eager()

    @_current
    def record(self, *, brush: dict | None = None, **stages) -> None:
        """Change the world now and remember it as a timeline event at the current time, so a reset,
        a saved scene (planet.scenefile) or a checkpoint replays it exactly: `stages` are param tables
        as for set_params (the same checks), `brush` a terraforming stroke (planet.brush)."""
        from .brush import check_stroke
        from .scene import Event

        checked = self._checked_params(stages)
        if brush is not None:
            if "terrain" not in self.params:
                raise PlanetError(f"the brush reshapes the terrain stage's bedrock, which planet.stages "
                                  f"{list(self.scene.stages)} leaves out")
            brush = check_stroke(brush, "brush")
        if not checked and brush is None:
            return
        timeline = list(self.scene.timeline)
        # Every event at or before now has fired, so the new one goes right after them (timeline order).
        timeline.insert(self._next_event, Event(self.years, params=checked, brush=brush))
        self.scene.timeline = tuple(timeline)
        self._apply_events()
        self._flush_brush()

    @property
    def edits(self) -> tuple:
        """The timeline events record() added (param edits and brush strokes), in order."""
        loaded = set(map(id, self._loaded_timeline))
        return tuple(ev for ev in self.scene.timeline if id(ev) not in loaded)

    def builtins(self) -> dict:
        w, h = self.scene.grid
        return {"u_tick": self.tick, "u_edited": int(self.edited), "u_dt": float(self.dt), "u_time": float(self.years),
                "u_grid": (w, h),
                "u_texel": (1.0 / w, 1.0 / h), "u_radius": float(self.scene.radius)}  # views need the grid too

    def stage_uniforms(self) -> dict:
        """{stage name: every u_* value its passes may use} at the current tick and time."""
        base = {**self.builtins(), "written": frozenset(self.written)}   # "written": for Pass.when only
        out = {}
        for st in self.stages:
            out[st.name] = {**base, "u_seed": self.scene.stage_seed(st.name),
                            **st.uniforms(self.params[st.name], self.years, self.tick)}
        return out

    def clock_value(self, name: str) -> float:
        """A value of a stage's own clock after the current tick (Stage.clock), e.g. climate's
        'year_fraction' (0 = start of January) and 'season' (+1 January, -1 July)."""
        values = {}
        for st in self.stages:
            if st.clock is not None:
                values.update(st.clock(self.params[st.name], self.tick))
        if name not in values:
            have = ", ".join(sorted(values)) or "none"
            raise PlanetError(f"no stage of this scene ({', '.join(self.scene.stages)}) keeps a clock value "
                              f"'{name}' (clock values: {have}); seasons need the climate stage")
        return values[name]

    @property
    def year_fraction(self) -> float:
        """Time of year of the climate in the fields, 0..1 (0 = start of January): the climate stage's
        clock, one step of 1/steps_per_year year per tick (planet.stages.climate). PlanetError without it."""
        return self.clock_value("year_fraction")

    def _sky_season(self) -> float:
        """The season the views' sun follows: the climate's, or 0 (equinox) without a climate stage."""
        try:
            return self.season
        except PlanetError:
            return 0.0

    @property
    def season(self) -> float:
        """Season -1..+1 of the climate in the fields: cos(2 pi year_fraction), +1 in January."""
        return self.clock_value("season")

    @property
    def seed(self) -> int:
        return self.scene.seed

    @property
    def clock(self) -> dict:
        """Where the simulation is: tick, years, dt, the next timeline event, view and layer (what a
        checkpoint saves); set_clock() puts it back."""
        return {"tick": self.tick, "years": self.years, "dt": self.dt, "next_event": self._next_event,
                "view": self.view, "layer": self.layer}

    @_current
    def set_clock(self, tick: int, years: float, dt: float, next_event: int, view: str, layer: str) -> None:
        if not 0 <= next_event <= len(self.scene.timeline):
            raise PlanetError(f"set_clock: next_event {next_event} is outside the timeline (0..{len(self.scene.timeline)})")
        self.check_view(view, layer)
        self.tick, self.years, self.dt, self._next_event = int(tick), float(years), float(dt), int(next_event)
        self.view, self.layer = view, layer
        # The story state that the fired events left (caption, camera, end), replayed from the timeline.
        self.caption, self.camera_goal, self.ended = "", {}, False
        for ev in self.scene.timeline[:next_event]:
            self.caption = ev.caption if ev.caption is not None else self.caption
            self._camera_event(ev)
            self.ended = self.ended or ev.end

    def _camera_event(self, ev) -> None:
        """A timeline camera: yaw/pitch/distance become the goal the front-ends glide to
        (planet.frames.Director); day and night and the globe's turn are set at once."""
        glide = {k: v for k, v in ev.camera.items() if k in GLIDE_KEYS}
        if glide:
            self.camera_goal = {**self.camera_goal, **glide}
        for name, value in ev.camera.items():
            if name not in GLIDE_KEYS:
                setattr(self.viewer.camera, name, value)

    # -- params ---------------------------------------------------------------------------------
    @_current
    def set_params(self, **stages) -> None:
        """Change params from now on, e.g. `sim.set_params(terrain={"cooling_time": 1e8})`."""
        for stage, values in self._checked_params(stages).items():
            self.params[stage].update(values)
        self.edited = True

    def _checked_params(self, stages: dict) -> dict:
        """{stage: {param: value}} converted, or a SceneError naming the stage, param and valid range;
        nothing is changed unless every value is valid."""
        checked = {}
        for stage, table in stages.items():
            if stage not in self.params:
                raise unknown_key("set_params", stage, self.params)
            checked[stage] = check_table(self._registry[stage].param_map, table, f"set_params: {stage}")
        return checked

    # -- reading --------------------------------------------------------------------------------
    @property
    def fields(self) -> list[str]:
        return list(self.pipeline.fields)

    @_current
    def read(self, name: str) -> np.ndarray:
        """A field as (H, W, channels), float32 or int32 by its kind: row 0 = south, column 0 = lon -180."""
        if name not in self.pipeline.fields:
            raise unknown_key("read", name, self.pipeline.fields)
        return self.pipeline.fields[name].read()

    @_current
    def write(self, name: str, data) -> None:
        """Replace a field's state: (H, W, channels) of its kind (float32 or int32), row 0 = south.
        Scalars that passes read are recomputed at once, so the next tick sees this state."""
        if name not in self.pipeline.fields:
            raise unknown_key("write", name, self.pipeline.fields)
        self.pipeline.fields[name].write(data)
        self.edited = True
        self.written.add(name)
        self._changed((name,))
        self._reduce_if_eager()

    def channels(self, name: str) -> tuple:
        """The declared channels (planet.fields.Ch: name, unit, doc) of a field, in storage order."""
        if name not in self.pipeline.specs:
            raise unknown_key("channels", name, self.pipeline.specs)
        return self.pipeline.specs[name].channels

    def field_spec(self, name: str):
        if name not in self.pipeline.specs:
            raise unknown_key("field_spec", name, self.pipeline.specs)
        return self.pipeline.specs[name]

    def channel(self, field: str, name: str) -> np.ndarray:
        """One named channel of a field as (H, W) (float32 or int32), e.g. channel("terrain", "bedrock")."""
        spec = self.field_spec(field)
        if name not in spec.channel_names:
            raise unknown_key(f"channel: {field}", name, spec.channel_names)
        return self.read(field)[..., spec.channel_index(name)]

    # -- planet-wide scalars --------------------------------------------------------------------
    @property
    def scalars(self) -> dict[str, str]:
        """{name: unit} of every planet-wide scalar the stages declare (planet.reduce)."""
        return {n: sc.unit for n, sc in self._scalars.items()}

    @_current
    def scalar(self, name: str) -> float:
        """A planet-wide scalar (an area-weighted GPU reduction of the fields) for the current state."""
        if name not in self._scalars:
            raise unknown_key("scalar", name, self._scalars)
        self.pipeline.refresh(self.builtins(), names=(name,))
        return float(self.pipeline.reducer.values()[self.pipeline.reducer.index[name], 0])

    def _stage_scalar(self, name: str, stage: str) -> float:
        if name not in self._scalars:
            raise PlanetError(f"sim.{name} needs the {stage} stage, which planet.stages {list(self.scene.stages)} "
                              "leaves out")
        return self.scalar(name)

    @property
    def co2_ppm(self) -> float:
        """Area-weighted mean CO2 of the air [ppm] (the people stage's scalar; PlanetError without it)."""
        return self._stage_scalar("co2_ppm", "people")

    @property
    def global_temperature(self) -> float:
        """Area-weighted mean surface air temperature [°C] (the climate's scalar; PlanetError without it)."""
        return self._stage_scalar("global_temperature", "climate")

    @_current
    def scalar_state(self) -> np.ndarray:
        """(n, 4) float32 of every scalar (value, sum, weight, 0), current: what a checkpoint saves."""
        self.pipeline.refresh(self.builtins())
        return self.pipeline.reducer.values()

    @_current
    def set_scalar_state(self, values) -> None:
        """Put back what scalar_state() returned: (n, 4) float32 for the n scalars of this scene."""
        arr = np.asarray(values)
        if arr.shape != (len(self._scalars), 4) or not np.issubdtype(arr.dtype, np.number):
            raise PlanetError(f"set_scalar_state: expected ({len(self._scalars)}, 4) numbers for the scalars "
                              f"{', '.join(self._scalars) or '(none)'}, got {arr.dtype} {arr.shape}")
        self.pipeline.reducer.write(arr)   # every scalar current

    # -- passes, for tests and tools ------------------------------------------------------------
    @_current
    def run_passes(self, names) -> None:
        """Run the named passes of this scene once each, in the given order, with the current uniforms
        (no tick passes: for per-pass tests and tools). A gated pass (Pass.when) runs too: it was named."""
        by_name = {p.name: p for st in self.stages for p in (*st.init, *st.step)}
        passes = []
        for n in names:
            if n not in by_name:
                raise unknown_key("run_passes", n, by_name)
            passes.append(by_name[n])
        self.pipeline.run(passes, self.stage_uniforms(), gated=False)
        self._changed()
        self._reduce_if_eager()

    @_current
    def reload_shaders(self) -> None:
        """Recompile every pass and view from disk; on an error keep the running programs and re-raise
        (a ShaderError naming shaders/<file>:<line>)."""
        self.pipeline.reload()
        self.viewer.reload()

    @property
    def quantities(self) -> dict[str, str]:
        """{name: unit} of every physical quantity the active stages provide."""
        return {q.name: q.unit for q in self._quantities.values()}

    def quantity_doc(self, name: str) -> str:
        if name not in self._quantities:
            raise unknown_key("quantity_doc", name, self._quantities)
        return self._quantities[name].doc

    def quantity(self, name: str) -> np.ndarray:
        """A quantity as float32 (H, W) in its unit: row 0 = south, column 0 = lon -180."""
        if name not in self._quantities:
            raise unknown_key("quantity", name, self._quantities)
        return np.ascontiguousarray(self._quantities[name].compute(_Reader(self)), dtype=np.float32)

    # -- views ----------------------------------------------------------------------------------
    @property
    def camera(self):
        return self.viewer.camera

    def check_view(self, view: str, layer: str) -> None:
        """PlanetError naming the valid views / layers unless both exist in this scene."""
        self.viewer.check(view, layer)

    @property
    def layer_names(self) -> list[str]:
        return list(self.layers)

    @_current(settle=False)
    def draw(self, view: str, layer: str, size, origin=(0, 0), morph: float | None = None) -> None:
        """The renderer hook: draw `layer` in `view` into the bound framebuffer's viewport at `origin`
        of `size` pixels; with `morph` (0 map .. 1 globe) the animated unwrap over the whole `size`."""
        if morph is not None:
            self.viewer.draw_morph(layer, tuple(size), self.builtins(), morph)
        else:
            self.viewer.draw(view, layer, tuple(size), self.builtins(), origin=tuple(origin))

    @_current(settle=False)
    def target(self, size):
        """An offscreen RGBA8 framebuffer (with depth) of `size`, owned by this simulation."""
        return self.viewer.target(tuple(size))

    @_current
    def snapshot(self, view: str = "map", layer: str = "satellite", size=None) -> np.ndarray:
        """The view as uint8 (h, w, 3), row 0 = top; size = (w, h), default the grid (map) or H x H (globe)."""
        size = tuple(size) if size is not None else default_size(view, self.scene.grid)
        return self.viewer.snapshot(view, layer, size, self.builtins())

    def info(self) -> str:
        w, h = self.scene.grid
        return f"{gl.report(self.ctx, self.backend)} | grid {w}x{h} | seed {self.scene.seed}"

    def release(self) -> None:
        """Free every GL resource (and the context, if this simulation made it). Safe to call twice."""
        if self.ctx is None:
            return
        gl.make_current(self.ctx)
        self._partial = None   # a tick under way is dropped with the fields
        self.viewer.release()
        self.pipeline.release()
        if self._owns_context:
            gl.release_headless(self.ctx)  # kept for the next headless simulation (planet/gl.py)
        self.ctx = None

"""Scenes: planet settings + per-stage params + a timeline, from TOML or a mapping (DESIGN.md §5).

    base = "earth.toml"   optional: this scene is that one plus what follows (a preset)
    [planet]  seed, grid = "512x256" | [512, 256], dt (simulated years per tick), radius (km), stages
    [terrain] ...one table per stage: its declared params...
    [[timeline]]  at = <years>; optional dt, view, layer, caption, camera = {CAMERA_KEYS}, end = true,
                  brush = {tool, lon, lat, radius, strength} (planet.brush), and per-stage tables of
                  params to set then

Every error names the file, the key path and the valid choices.
"""
from __future__ import annotations

import copy
import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import LimitError, PipelineError, SceneError
from .params import Param, check_table, show, unknown_key

MAX_SEED = 2**32 - 1
PLANET_PARAMS = {
    "seed": Param("seed", 1, "", "scene seed; per-stage seeds derive from it by stage name", 0, MAX_SEED),
    "dt": Param("dt", 1.0e5, "years", "simulated years per tick", 1e-6, 1e9),
    "radius": Param("radius", 6371.0, "km", "planet radius", 100.0, 100000.0),
    "present": Param("present", 0.0, "years", "simulated time that is 'today' for the date readout (0: the "
                     "readout counts years since the start)", 0.0, 1.0e12),
}
PLANET_KEYS = ("seed", "grid", "dt", "radius", "present", "stages")
# A timeline event's camera (planet.view.Camera): where the globe camera goes (it glides there,
# planet.frames.Director), day and night, and how fast the globe turns.
CAMERA_KEYS = {
    "yaw": Param("yaw", 20.0, "degrees", "camera longitude (the camera glides there)", -1.0e6, 1.0e6),
    "pitch": Param("pitch", 20.0, "degrees", "camera latitude (glides)", -89.9, 89.9),
    "distance": Param("distance", 3.2, "planet radii", "camera distance from the centre (glides)", 1.2, 50.0),
    "night": Param("night", 0.0, "", "how dark the night side is drawn, 0..1 (0: no day and night)", 0.0, 1.0),
    "spin_rate": Param("spin_rate", 0.0, "deg/s", "how fast the globe turns, per second of video or window time "
                       "(not simulated time)", -360.0, 360.0),
    "sun_azimuth": Param("sun_azimuth", 60.0, "deg", "the sun's direction east of the camera, around the polar "
                         "axis", -360.0, 360.0),
}
GLIDE_KEYS = ("yaw", "pitch", "distance")
# Stated limits on what a scene may ask for (each a SceneError naming it): the file's size, how deeply its
# tables and arrays nest (a scene needs 4 levels), the grid, the timeline's length and span.
MAX_SCENE_BYTES = 1 << 20
MAX_DEPTH = 16
MAX_GRID_H = 8192  # a 16384x8192 grid: GL_MAX_TEXTURE_SIZE is 16384 on most drivers
MAX_EVENTS = 10_000
MAX_YEARS = 1.0e12
MAX_TICKS = 10**9
MAX_CAPTION = 200
VIEWS = ("map", "globe")


@dataclass(frozen=True)
class Event:
    """A timeline entry: at simulated time `at` [years], set dt, the view/layer, and stage params."""

    at: float
    dt: float | None = None
    view: str | None = None
    layer: str | None = None
    params: dict = field(default_factory=dict)  # {stage: {param: value}}
    caption: str | None = None      # shown from this event on ("" clears it)
    camera: dict = field(default_factory=dict)  # {CAMERA_KEYS name: value}: a subset
    end: bool = False               # the story ends here (render.py's default length)
    brush: dict | None = None       # a terraforming stroke (planet.brush): {tool, lon, lat, radius, strength}


@dataclass
class Scene:
    source: str                     # file path or "<mapping>", for messages
    seed: int
    grid: tuple[int, int]           # (W, H)
    dt: float
    radius: float
    stages: tuple[str, ...]
    params: dict                    # {stage: {param: value}} — full, defaults filled in
    timeline: tuple[Event, ...] = ()
    present: float = 0.0            # years: "today" for the date readout

    def stage_seed(self, stage: str, seed: int | None = None) -> int:
        return stage_seed(self.seed if seed is None else seed, stage)

    @property
    def end(self) -> float | None:
        """Simulated time [years] of the story's end event, or None."""
        ends = [e.at for e in self.timeline if e.end]
        return min(ends) if ends else None

    def ticks_until(self, years: float) -> int:
        """Ticks from tick 0 until simulated time first reaches `years`, following the timeline's dt
        changes exactly as Simulation.step does (same float arithmetic: long stretches of one dt are
        summed by np.add.accumulate, a sequential float64 scan). Over MAX_TICKS is a LimitError."""
        import numpy as np

        t, dt, n, k = 0.0, self.dt, 0, 0
        events = self.timeline
        while t < years:
            while k < len(events) and events[k].at <= t:
                dt = events[k].dt if events[k].dt is not None else dt
                k += 1
            stop = min(years, events[k].at) if k < len(events) else years
            if (stop - t) / dt > MAX_TICKS - n:  # the stretch to the next event or the end, without walking it
                raise LimitError(f"{self.source}: reaching {years:g} years takes over {MAX_TICKS:.0e} ticks; "
                                 "check the dt values")
            bulk = min(int((stop - t) / dt) - 8, 1 << 20)  # whole steps that surely stay below `stop`
            if bulk > 64:
                steps = np.full(bulk + 1, dt)
                steps[0] = t
                ts = np.add.accumulate(steps)
                j = min(int(np.searchsorted(ts[1:], stop, "left")) + 1, bulk)  # stop at the first step reaching `stop`
                t, n = float(ts[j]), n + j
                continue
            t += dt
            n += 1
        return n


def stage_seed(seed: int, stage: str) -> int:
    """A 32-bit seed for one stage, derived from the scene seed *by name* (stable as stages are added)."""
    return int.from_bytes(hashlib.blake2b(f"{seed}:{stage}".encode(), digest_size=4).digest(), "little")


def parse_grid(value, where: str) -> tuple[int, int]:
    """Accept "WxH" or [W, H]; require W = 2H, H even and at least 8."""
    if isinstance(value, str) and "x" in value.lower():
        parts = value.lower().split("x")
        if len(parts) != 2:
            raise SceneError(f"{where}: expected WxH like \"512x256\", got {value!r}")
        try:
            w, h = int(parts[0]), int(parts[1])
        except ValueError:
            raise SceneError(f"{where}: expected WxH like \"512x256\", got {value!r}") from None
    elif isinstance(value, (list, tuple)) and len(value) == 2 and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value):
        w, h = value
    else:
        raise SceneError(f"{where}: expected WxH like \"512x256\" or [512, 256], got {show(value)}")
    if h < 8 or w != 2 * h or h % 2:
        raise SceneError(f"{where}: grid {show(w)}x{show(h)} must have W = 2H with H even and at least 8 (e.g. 512x256)")
    if h > MAX_GRID_H:
        raise LimitError(f"{where}: grid {show(w)}x{show(h)} is too large; the limit is {2 * MAX_GRID_H}x{MAX_GRID_H}")
    return w, h


def check_depth(data, where: str, limit: int = MAX_DEPTH) -> None:
    """Refuse tables and arrays nested deeper than `limit` (walked without recursion)."""
    todo = [(data, 1)]
    while todo:
        value, depth = todo.pop()
        if isinstance(value, (dict, list, tuple)):
            if depth > limit:
                raise SceneError(f"{where}: tables and arrays nest more than {limit} levels deep; a scene needs 4")
            todo.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))


def read_toml(path) -> dict:
    path = Path(path)
    if not path.is_file():
        raise SceneError(f"{path}: scene file not found")
    try:
        if path.stat().st_size > MAX_SCENE_BYTES:
            raise LimitError(f"{path}: the scene file is {path.stat().st_size} bytes; the limit is {MAX_SCENE_BYTES}")
        data = tomllib.loads(path.read_text())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SceneError(f"{path}: not valid TOML: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise SceneError(f"{path}: tables and arrays nest more than {MAX_DEPTH} levels deep; a scene needs 4") from None
    except OSError as exc:
        raise SceneError(f"{path}: cannot read the scene file: {exc.strerror or exc}") from None
    check_depth(data, str(path))
    return data


MAX_BASES = 8


def _merged(base: dict, over: dict) -> dict:
    """`over` on top of `base`: tables merge key by key, the timelines add up, other values replace."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        if key == "timeline" and isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = out[key] + value
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def read_scene_data(path, chain: tuple = ()) -> dict:
    """A scene file's TOML data with its `base = "other.toml"` (relative to the file) applied: the file
    is the base scene plus its own tables and timeline events (a preset says only what differs)."""
    path = Path(path)
    data = read_toml(path)
    if "base" not in data:
        return data
    base = data.pop("base")
    if not isinstance(base, str) or not base:
        raise SceneError(f"{path}: base: expected the path of another scene file, got {base!r}")
    target = (path.parent / base).resolve()
    if target in chain or len(chain) >= MAX_BASES:
        raise SceneError(f"{path}: base: a cycle or more than {MAX_BASES} levels of base scenes "
                         f"({' -> '.join(str(c) for c in (*chain, target))})")
    return _merged(read_scene_data(target, (*chain, path.resolve())), data)


def load_scene(scene, *, seed: int | None = None, grid=None, registry=None, layers=None) -> Scene:
    """Validate a scene (path or mapping) against the stage registry; fill in every default."""
    from .stages import registry as default_registry

    stages = registry or default_registry()
    if isinstance(scene, Scene):
        scene = copy.deepcopy(scene)
        if seed is not None:
            scene.seed = PLANET_PARAMS["seed"].check(seed, f"{scene.source}: seed")
        if grid is not None:
            scene.grid = parse_grid(grid, f"{scene.source}: grid")
        return scene
    if isinstance(scene, dict):
        check_depth(scene, "<mapping>")
        src, data = "<mapping>", copy.deepcopy(scene)
    elif isinstance(scene, (str, Path)):
        src, data = str(scene), read_scene_data(scene)
    else:
        raise SceneError(f"scene must be a path to a TOML file or a mapping, got {type(scene).__name__}")

    for key in data:
        if key not in ("planet", "timeline") and key not in stages:
            raise unknown_key(src, key, ["planet", "timeline", *stages])
    planet = data.get("planet", {})
    if not isinstance(planet, dict):
        raise SceneError(f"{src}: planet: expected a table")
    for key in planet:
        if key not in PLANET_KEYS:
            raise unknown_key(f"{src}: planet", key, PLANET_KEYS, dotted=True)
    vals = {k: PLANET_PARAMS[k].check(planet.get(k, p.default), f"{src}: planet.{k}") for k, p in PLANET_PARAMS.items()}
    if seed is not None:
        vals["seed"] = PLANET_PARAMS["seed"].check(seed, f"{src}: seed")
    grid_value = grid if grid is not None else planet.get("grid", "512x256")
    w_h = parse_grid(grid_value, f"{src}: planet.grid" if grid is None else f"{src}: grid")
    names = planet.get("stages", list(stages))
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise SceneError(f"{src}: planet.stages: expected a list of stage names; valid: {', '.join(stages)}")
    if not names:
        raise SceneError(f"{src}: planet.stages is empty; name at least one stage: {', '.join(stages)}")
    for n in names:
        if n not in stages:
            raise unknown_key(f"{src}: planet.stages", n, stages)
    for key in data:
        if key in stages and key not in names:
            raise SceneError(f"{src}: [{key}] is set but stage '{key}' is not in planet.stages {names}")
    check_stage_list(src, names, stages)

    base = Path(src).parent if src != "<mapping>" else None  # relative file paths: beside the scene file
    params = {}
    for n in names:
        params[n] = stages[n].defaults()
        params[n].update(check_table(stages[n].param_map, data.get(n, {}), f"{src}: {n}", base))

    timeline = tuple(_event(e, i, src, stages, names, layers, base)
                     for i, e in enumerate(_list(data, "timeline", src)))
    timeline = tuple(sorted(timeline, key=lambda e: e.at))
    return Scene(src, vals["seed"], w_h, vals["dt"], vals["radius"], tuple(names), params, timeline,
                 vals["present"])


def check_stage_list(src: str, names, stages) -> None:
    """The listed stages must make a whole pass graph: each listed once, every field a pass reads
    declared by a listed stage that comes first. Checked without GL, so the error names the file and
    comes before any GL context is made."""
    from .pipeline import resolve_stages, validate_graph

    where = f"{src}: planet.stages {list(names)}"
    seen = set()
    for n in names:
        if n in seen:
            raise SceneError(f"{where}: stage '{n}' is listed twice")
        seen.add(n)
    provider = {f.name: st.name for st in stages.values() for f in st.fields}
    try:
        listed = resolve_stages([stages[n] for n in names])
        present = {f.name for st in listed for f in st.fields}
        for st in listed:
            for p in (*st.init, *st.step):
                for r in (*p.reads, *p.writes):
                    if r not in present and r in provider:
                        raise SceneError(f"{where}: stage '{st.name}' needs field '{r}' of stage '{provider[r]}'; "
                                         f"add '{provider[r]}' before '{st.name}'")
        validate_graph(listed)
    except PipelineError as exc:
        raise SceneError(f"{where}: {exc}") from None


def _list(data, key, src):
    value = data.get(key, [])
    if not isinstance(value, list):
        raise SceneError(f"{src}: {key}: expected an array of tables ([[{key}]])")
    if len(value) > MAX_EVENTS:
        raise LimitError(f"{src}: {key} has {len(value)} entries; the limit is {MAX_EVENTS}")
    return value


def _event(entry, i, src, stages, names, layers, base=None) -> Event:
    where = f"{src}: timeline[{i}]"
    if not isinstance(entry, dict):
        raise SceneError(f"{where}: expected a table")
    if "at" not in entry:
        raise SceneError(f"{where}: missing key 'at' (simulated years)")
    at = Param("at", 0.0, "years", "", 0.0, MAX_YEARS).check(entry["at"], f"{where}.at")
    valid = ["at", "dt", "view", "layer", "caption", "camera", "end", "brush", *names]
    params, dt, view, layer, caption, camera, end, brush = {}, None, None, None, None, {}, False, None
    for key, value in entry.items():
        if key == "at":
            continue
        if key == "caption":
            if not isinstance(value, str) or len(value) > MAX_CAPTION or not value.isprintable():
                raise SceneError(f"{where}.caption: expected one line of printable text (at most {MAX_CAPTION} "
                                 f"characters), got {value!r:.80}")
            caption = value
        elif key == "camera":
            camera = check_table(CAMERA_KEYS, value, f"{where}.camera")
        elif key == "end":
            if value is not True:
                raise SceneError(f"{where}.end: expected true (the story ends at this event), got {value!r}")
            end = True
        elif key == "brush":
            from .brush import check_stroke

            if "terrain" not in names:
                raise SceneError(f"{where}.brush: the brush reshapes the terrain stage's bedrock, which planet.stages "
                                 f"{list(names)} leaves out")
            brush = check_stroke(value, f"{where}.brush")
        elif key == "dt":
            dt = PLANET_PARAMS["dt"].check(value, f"{where}.dt")
        elif key == "view":
            if value not in VIEWS:
                raise SceneError(f"{where}.view: unknown view {value!r}; valid: {', '.join(VIEWS)}")
            view = value
        elif key == "layer":
            known = layers if layers is not None else [l.name for n in names for l in stages[n].layers]
            if value not in known:
                raise SceneError(f"{where}.layer: unknown layer {value!r}; valid: {', '.join(known)}")
            layer = value
        elif key in names:
            params[key] = check_table(stages[key].param_map, value, f"{where}.{key}", base)
        else:
            raise unknown_key(where, key, valid)
    return Event(at, dt, view, layer, params, caption, camera, end, brush)

"""Checkpoints: one .npz file (no pickle) that resumes a run bit for bit, on either backend.

    sim.save("out/run.npz")                    # atomic: a temporary file beside it, then a rename
    sim = Simulation.load("out/run.npz")       # validated before any GL object is made

The file is a zip of .npy members, written with fixed timestamps (the same state gives the same bytes):
  meta.npy          uint8: UTF-8 JSON with the format name and version, tick, years, dt, the timeline
                    position, view, layer and camera, the seed and grid, the current params (they may
                    differ from the scene's after set_params or timeline events), the scene itself as a
                    scene mapping (what a TOML file would hold), the shader-source hash, and for each
                    field its shape, dtype and SHA-256
  field.<name>.npy  (H, W, channels) float32 or int32 (the field's kind): the current (front) state of
                    each field, row 0 = south; field.scalars.npy (n, 4) float32: the planet-wide scalars

Loading refuses, with one line naming the file and what is wrong: a missing, truncated, tampered or
foreign file; another format version; a scene, params or fields that do not fit this planet (grid,
field names, shapes, dtypes); and shaders changed since the save (the hash covers every init and
step pass body with its includes, the same for both backends) unless allow_shader_change=True (which
also loads a file that lacks a scratch field added since, not carried and rebuilt before any read, or
holds one whose channels changed since, and leaves out the fields no stage declares any more).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import zipfile
from pathlib import Path

import numpy as np

from . import __version__, gl
from .errors import LimitError, PlanetError, SceneError
from .atomic import atomic_files
from .params import Param, check_table, show
from .pipeline import resolve_stages
from .scene import CAMERA_KEYS, MAX_TICKS, PLANET_PARAMS, VIEWS, Scene, load_scene
from .shaderlib import read_body
from .stages import registry

FORMAT = "planet-checkpoint"
VERSION = 2  # 2: typed fields (int32 kinds, 1-4 channels) and the planet-wide scalars
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Stated limits on what a checkpoint may make this process inflate and hold. Each entry's size as the
# zip declares it is checked before any of it is read (zipfile never inflates past the declared size):
# the meta JSON at most MAX_META_BYTES, a field at most its grid's size plus MAX_NPY_HEADER.
MAX_ENTRIES = 64
MAX_META_BYTES = 4 << 20
MAX_NPY_HEADER = 1 << 16
MAX_YEARS = 1.0e18  # simulated time (dt <= 1e9 years x 1e9 ticks)
# The camera a checkpoint may restore: the timeline's keys and the two only the window changes.
CAMERA = {**CAMERA_KEYS,
          "fov": Param("fov", 40.0, "degrees", "globe camera field of view", 5.0, 120.0),
          "spin": Param("spin", 0.0, "degrees", "how far the globe has turned under the camera", -360.0, 360.0)}


def shader_hash(stages) -> str:
    """SHA-256 over what decides the run: every init and step pass of `stages` (its declaration and its
    resolved GLSL body, includes expanded), every field's declaration (channels, kind) and every
    planet-wide scalar (its declaration, its shader, the reduction). Backend-independent: the generated
    entry points are not part of it."""
    h = hashlib.sha256()
    for st in stages:
        for p in (*st.init, *st.step):
            decl = [st.name, p.name, p.shader, list(p.reads), list(p.writes), [[k, str(v)] for k, v in p.defines],
                    list(p.scalars)]
            h.update(json.dumps(decl).encode())
            h.update(read_body(p.shader).text.encode())
        for f in st.fields:
            h.update(repr((f.name, f.kind, f.carried, [(c.name, c.unit) for c in f.channels])).encode())
        for sc in st.scalars:
            h.update(repr((sc.name, sc.source, sc.op, sc.scale, sc.shader, sc.reads)).encode())
            if sc.shader:
                h.update(read_body(sc.shader).text.encode())
    if any(st.scalars for st in stages):
        h.update(read_body("common/reduce.glsl").text.encode())
    return h.hexdigest()


def scene_mapping(scene: Scene) -> dict:
    """A validated Scene as the mapping a scene TOML would hold (load_scene accepts it back)."""
    w, h = scene.grid
    out = {"planet": {"seed": scene.seed, "grid": [w, h], "dt": scene.dt, "radius": scene.radius,
                      "present": scene.present, "stages": list(scene.stages)}}
    out.update({name: dict(values) for name, values in scene.params.items()})
    timeline = []
    for ev in scene.timeline:
        entry = {"at": ev.at}
        entry.update({k: v for k, v in (("dt", ev.dt), ("view", ev.view), ("layer", ev.layer), ("caption", ev.caption),
                                        ("camera", ev.camera or None)) if v is not None})
        if ev.end:
            entry["end"] = True
        if ev.brush:
            entry["brush"] = dict(ev.brush)
        entry.update({name: dict(values) for name, values in ev.params.items()})
        timeline.append(entry)
    out["timeline"] = timeline
    return out


def _camera(sim) -> dict:
    cam = sim.camera
    if dataclasses.is_dataclass(cam):
        return {k: v for k, v in dataclasses.asdict(cam).items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    return {}


def _sha(arr: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(arr).tobytes()).hexdigest()


def save(sim, path) -> Path:
    """Write `sim`'s checkpoint to `path` (.npz) atomically; returns the path."""
    path = Path(path)
    if path.suffix.lower() != ".npz":
        raise PlanetError(f"{path}: a checkpoint is a .npz file; give a name ending in .npz")
    fields = {name: sim.read(name) for name in sim.fields}
    if sim.scalars:
        fields["scalars"] = sim.scalar_state()  # the planet-wide scalars, as passes see them next tick
    meta = {
        "format": FORMAT, "version": VERSION, "planet": __version__,
        **sim.clock, "edited": sim.edited, "written": sorted(sim.written), "camera": _camera(sim),
        "seed": sim.seed, "grid": list(sim.scene.grid), "backend": sim.backend,
        "shader_hash": shader_hash(sim.stages),
        "params": sim.params, "source": sim.scene.source, "scene": scene_mapping(sim.scene),
        "fields": {name: {"shape": list(a.shape), "dtype": str(a.dtype), "sha256": _sha(a)} for name, a in fields.items()},
    }
    text = json.dumps(meta, indent=1, allow_nan=False)
    arrays = {"meta": np.frombuffer(text.encode(), dtype=np.uint8)}
    arrays.update({f"field.{name}": a for name, a in fields.items()})
    with atomic_files([path]) as (tmp,):
        with open(tmp, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
            for name, arr in arrays.items():
                info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_DATE)
                with zf.open(info, "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, np.ascontiguousarray(arr), allow_pickle=False)
    return path


@dataclasses.dataclass
class State:
    """A validated checkpoint, before any GL object exists."""

    scene: Scene
    params: dict
    tick: int
    years: float
    dt: float
    next_event: int
    view: str
    layer: str
    camera: dict
    fields: dict
    edited: bool = True   # Simulation.edited: the next tick runs the cadenced passes too
    written: tuple = None  # Simulation.written: fields written from outside since the reset (None: all)


# Parsing an untrusted file can fail in many ways inside zipfile and numpy (BadZipFile, ValueError,
# EOFError, zlib.error, tokenize errors from a mangled .npy header, MemoryError from a forged shape...):
# each means the same thing to the user, so every Exception there becomes one PlanetError line.
_DAMAGED = Exception


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def read(path, allow_shader_change: bool = False) -> State:
    """Open and validate a checkpoint; every problem is one PlanetError line naming the file."""
    try:
        return _read(Path(path), allow_shader_change)
    except PlanetError as exc:
        text = str(exc)
        if "\n" in text or "\r" in text:  # names from a damaged file may hold line breaks: keep one line
            raise PlanetError(text.replace("\r", "\\r").replace("\n", "\\n")) from None
        raise


def _read(path: Path, allow_shader_change: bool) -> State:
    if not path.is_file():
        raise PlanetError(f"{path}: checkpoint not found")
    try:
        npz = np.load(path, allow_pickle=False)
    except _DAMAGED as exc:
        raise PlanetError(f"{path}: not a readable planet checkpoint (truncated, corrupt or another kind of "
                          f"file: {_one_line(exc)})") from None
    if not isinstance(npz, np.lib.npyio.NpzFile):
        raise PlanetError(f"{path}: not a planet checkpoint (a bare .npy array, not a .npz archive)")
    with npz:
        def member(name):
            try:
                return npz[name]
            except _DAMAGED as exc:
                raise PlanetError(f"{path}: entry '{name}' is damaged (the file was truncated or modified: "
                                  f"{_one_line(exc)})") from None

        if "meta" not in npz.files:
            raise PlanetError(f"{path}: not a planet checkpoint (no 'meta' entry; entries: {show(', '.join(npz.files) or 'none', 200)})")
        if len(npz.files) > MAX_ENTRIES:
            raise LimitError(f"{path}: {len(npz.files)} entries; a checkpoint holds at most {MAX_ENTRIES}")
        _check_size(path, npz, "meta", MAX_META_BYTES)
        raw = member("meta")
        if raw.dtype != np.uint8 or raw.ndim != 1:
            raise PlanetError(f"{path}: not a planet checkpoint (entry 'meta' is {raw.dtype} {raw.shape}, not JSON bytes)")
        try:
            meta = json.loads(raw.tobytes().decode())
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PlanetError(f"{path}: the checkpoint's meta entry is not valid JSON ({_one_line(exc)})") from None
        except RecursionError:
            raise PlanetError(f"{path}: the checkpoint's meta entry nests too deeply to be a planet's") from None
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise PlanetError(f"{path}: not a planet checkpoint (format {meta.get('format') if isinstance(meta, dict) else None!r})")
        state = _validate(path, meta, allow_shader_change)
        names = sorted(n[len("field."):] for n in npz.files if n.startswith("field."))
        others = sorted(set(npz.files) - {"meta"} - {f"field.{n}" for n in names})
        if others:
            raise PlanetError(f"{path}: unexpected entries {', '.join(others)}; a checkpoint holds meta and field.<name>")
        if allow_shader_change:     # not the entries of the fields _validate left out (an older version's)
            names = [n for n in names if n in state.fields or n not in meta["fields"]]
        _check_names(path, "the file", names, state.fields)
        w, h = state.scene.grid
        specs = {f.name: f for n in state.scene.stages for f in registry()[n].fields}
        nscalars = sum(len(registry()[n].scalars) for n in state.scene.stages)
        for name in names:
            if name == "scalars":
                want = (np.dtype(np.float32), (nscalars, 4))
            else:
                want = (np.dtype(specs[name].numpy_dtype), (h, w, len(specs[name].channels)))
            _check_size(path, npz, f"field.{name}", want[0].itemsize * math.prod(want[1]) + MAX_NPY_HEADER)
            arr = member(f"field.{name}")
            if (arr.dtype, arr.shape) != want:
                raise PlanetError(f"{path}: field '{name}' is {arr.dtype} {arr.shape}; the {w}x{h} grid needs "
                                  f"{want[0]} {want[1]}")
            if _sha(arr) != state.fields[name]["sha256"]:
                raise PlanetError(f"{path}: field '{name}' does not match its SHA-256 in the meta entry: "
                                  "the file was modified or damaged")
            state.fields[name] = arr
    return state


def _check_size(path, npz, name: str, limit: int) -> None:
    """Refuse an entry whose inflated size (as the zip declares it; zipfile stops there) exceeds `limit`,
    before reading any of it: a small deflated entry must not blow up into gigabytes."""
    size = npz.zip.getinfo(f"{name}.npy").file_size
    if size > limit:
        raise LimitError(f"{path}: entry '{name}' inflates to {size} bytes; the limit for it is {limit} "
                         "(damaged, or not written by planet)")


# How to load an older version's checkpoint on purpose, as the errors name it.
ALLOW = "allow_shader_change=True (Simulation.load; --allow-shader-change in `planet` and `planet export`)"


def _check_names(path, where, have, want, hint: str = "") -> None:
    missing, extra = sorted(set(want) - set(have)), sorted(set(have) - set(want))
    if missing or extra:
        parts = [f"missing {', '.join(missing)}" if missing else "", f"unknown {', '.join(extra)}" if extra else ""]
        raise PlanetError(f"{path}: {where} has the wrong fields ({'; '.join(p for p in parts if p)}); "
                          f"this scene's stages have: {', '.join(sorted(want)) or '(none)'}{hint}")


def _get(path, meta, key, types, what):
    value = meta.get(key)
    if isinstance(value, bool) and bool not in types or not isinstance(value, types):
        raise PlanetError(f"{path}: meta '{key}' must be {what}, got {show(value)} (damaged, or not written by planet)")
    return value


def _validate(path, meta, allow_shader_change) -> State:
    version = meta.get("version")
    if version != VERSION:
        raise PlanetError(f"{path}: checkpoint format version {version!r}; this planet ({__version__}) reads "
                          f"version {VERSION} only")
    stages = registry()
    data = _get(path, meta, "scene", (dict,), "a scene mapping")
    try:
        scene = load_scene(data, registry=stages)
    except SceneError as exc:
        raise PlanetError(f"{path}: the saved scene does not fit this planet: {exc}") from None
    scene.source = " ".join(_get(path, meta, "source", (str,), "a string").split("\n"))
    grid = meta.get("grid")
    if grid != list(scene.grid):
        raise PlanetError(f"{path}: meta 'grid' {grid!r} differs from the saved scene's grid {list(scene.grid)}")

    saved = _get(path, meta, "params", (dict,), "a table of params per stage")
    _check_stage_names(path, saved, scene.stages)
    params = {}
    for name in scene.stages:
        table = saved[name]
        if not isinstance(table, dict):
            raise PlanetError(f"{path}: params.{name} must be a table, got {table!r}")
        missing = sorted(set(stages[name].param_map) - set(table))
        if missing and not allow_shader_change:
            raise PlanetError(f"{path}: params.{name} lacks {', '.join(missing)} (saved by another planet version?); "
                              f"pass {ALLOW} to load it with their defaults")
        # An older version's checkpoint, loaded on purpose: params added since take their defaults.
        table = {**{k: stages[name].param_map[k].default for k in missing}, **table}
        try:
            params[name] = check_table(stages[name].param_map, table, f"{path}: params.{name}")
        except SceneError as exc:
            raise PlanetError(str(exc)) from None

    tick = _get(path, meta, "tick", (int,), "a tick count (integer >= 0)")
    years = _get(path, meta, "years", (int, float), "simulated years (a number)")
    dt = _get(path, meta, "dt", (int, float), "years per tick (a number)")
    nxt = _get(path, meta, "next_event", (int,), "a timeline index")
    if not 0 <= tick <= MAX_TICKS or not math.isfinite(years) or not 0 <= years <= MAX_YEARS:
        raise PlanetError(f"{path}: meta tick {show(tick)} / years {show(years)} must be in [0, {MAX_TICKS}] / "
                          f"[0, {MAX_YEARS:g}]")
    try:
        dt = PLANET_PARAMS["dt"].check(dt, f"{path}: meta dt")
    except SceneError as exc:
        raise PlanetError(str(exc)) from None
    if not 0 <= nxt <= len(scene.timeline):
        raise PlanetError(f"{path}: meta next_event {nxt} is outside the timeline (0..{len(scene.timeline)})")
    view = _get(path, meta, "view", (str,), "a view name")
    layer = _get(path, meta, "layer", (str,), "a layer name")
    layers = [lay.name for n in scene.stages for lay in stages[n].layers]
    if view not in VIEWS or layer not in layers:
        raise PlanetError(f"{path}: meta view/layer {view!r}/{layer!r}; valid views: {', '.join(VIEWS)}; "
                          f"layers: {', '.join(layers)}")
    try:  # known keys only (a key like "__class__" must never reach setattr), each finite and in range
        camera = check_table(CAMERA, meta.get("camera", {}), f"{path}: meta camera")
    except SceneError as exc:
        raise PlanetError(str(exc)) from None

    fields = _get(path, meta, "fields", (dict,), "a table of fields")
    specs = {f.name: f for n in scene.stages for f in stages[n].fields}
    want = list(specs)
    written = meta.get("written")   # older checkpoints: as if every field had been written (nothing skipped)
    if allow_shader_change:
        fields, want, written = _older_fields(scene, specs, fields, written)
    if any(stages[n].scalars for n in scene.stages):
        want.append("scalars")
    # Most often an older version's file (its scratch fields changed shape or name since): say so.
    _check_names(path, "meta 'fields'", list(fields), want,
                 "" if allow_shader_change else f"; if an older version of planet saved it, {ALLOW} loads it, "
                 "rebuilding its scratch fields")
    for name, info in fields.items():
        if not isinstance(info, dict) or not isinstance(info.get("sha256"), str):
            raise PlanetError(f"{path}: meta fields.{name} must hold shape, dtype and sha256")

    saved_hash = _get(path, meta, "shader_hash", (str,), "a SHA-256 hex string")
    now = shader_hash(resolve_stages([stages[n] for n in scene.stages]))  # as the pipeline resolves them
    if saved_hash != now and not allow_shader_change:
        raise PlanetError(f"{path}: the shaders changed since this checkpoint was saved (shader hash {saved_hash[:12]} "
                          f"then, {now[:12]} now), so resuming would not continue the same run; "
                          f"pass {ALLOW} to load it anyway")
    edited = meta.get("edited", True)   # older checkpoints: recompute everything at the first tick
    if not isinstance(edited, bool):
        raise PlanetError(f"{path}: meta edited must be true or false, got {show(edited)}")
    if written is not None and not (isinstance(written, list) and set(written) <= set(want)):
        raise PlanetError(f"{path}: meta written must list field names of the scene ({', '.join(want)}), "
                          f"got {show(written)}")
    return State(scene, params, tick, float(years), dt, nxt, view, layer, dict(camera), dict(fields), edited,
                 None if written is None else tuple(written))


def _older_fields(scene, specs: dict, fields: dict, written) -> tuple[dict, list, object]:
    """An older version's checkpoint, loaded on purpose (allow_shader_change): its meta `fields` less
    those no stage declares any more (removed since: nothing reads them) and the scratch fields (not
    carried, every channel rebuilt before any pass reads it: Field.resample "rebuilt") whose channels
    changed since (another shape or dtype); the field names to expect, less the scratch fields it
    lacks (both kinds of scratch start as the new run's); and its meta `written` less the fields left
    out. A missing or changed field that is not scratch is refused even then."""
    scratch = {name for name, f in specs.items() if not f.carried and set(f.resample_rules()) == {"rebuilt"}}
    w, h = scene.grid

    def changed(name):
        info, f = fields[name], specs[name]
        return isinstance(info, dict) and (info.get("shape"), info.get("dtype")) != \
            ([h, w, len(f.channels)], str(np.dtype(f.numpy_dtype)))
    kept = {name: info for name, info in fields.items()
            if name == "scalars" or name in specs and not (name in scratch and changed(name))}
    if isinstance(written, list):
        written = [n for n in written if not isinstance(n, str) or n in kept]
    return kept, [n for n in specs if n in kept or n not in scratch], written


def _check_stage_names(path, saved, stage_names) -> None:
    if sorted(saved) != sorted(stage_names):
        raise PlanetError(f"{path}: params are for stages {', '.join(sorted(saved)) or '(none)'} but the saved "
                          f"scene has {', '.join(stage_names)}")


def restore(sim, state: State) -> None:
    """Put a validated checkpoint's clock, params, view and fields into `sim` (same scene and grid)."""
    sim.set_clock(state.tick, state.years, state.dt, state.next_event, state.view, state.layer)
    sim.set_params(**state.params)
    for key, value in state.camera.items():
        if key in CAMERA and hasattr(sim.camera, key):  # read() allows CAMERA's keys only
            setattr(sim.camera, key, type(getattr(sim.camera, key))(value))
    for name, arr in state.fields.items():
        if name != "scalars":
            sim.write(name, arr)
    if "scalars" in state.fields:
        sim.set_scalar_state(state.fields["scalars"])
    sim.edited = state.edited   # as when saved (the writes above are no edit)
    sim.written = set(sim.fields if state.written is None else state.written)


def refuse_remake(path, flags: dict) -> None:
    """A PlanetError for the first of `flags` ({"--seed": value, ...}) that is given: a front-end resuming
    the checkpoint `path` cannot also remake the planet (a seed, grid or imported files)."""
    for flag, value in flags.items():
        if value is not None:
            raise PlanetError(f"{flag} cannot be used with a checkpoint ({path}): it resumes the saved planet")


def load(cls, path, ctx=None, backend: str = "auto", allow_shader_change: bool = False):
    """A `cls` (Simulation) resumed from `path`, on `ctx` or on its own headless context when None."""
    if backend not in gl.BACKENDS:
        raise PlanetError(f"unknown backend {backend!r}; valid: {', '.join(gl.BACKENDS)}")
    state = read(path, allow_shader_change)
    own = ctx is None
    if own:
        ctx = gl.create_headless()
    sim = None
    try:
        sim = cls(ctx, state.scene, backend=backend, owns_context=own, init=False)
        restore(sim, state)
        return sim
    except BaseException:
        if sim is not None:
            sim.release()
        elif own:
            ctx.release()
        raise

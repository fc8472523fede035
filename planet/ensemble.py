"""Ensembles: many planets from one scene — seeds x param grids, or random draws — each run headless on
its own GL context, on Ray (a local Ray by default, or a cluster), into one summary table.

    planet sweep scene.toml --seeds 0-63 --set erosion.erodibility=1e-5,1e-4 --ticks 700 -o out/sweep/
    planet.sweep("scene.toml", seeds=range(64), params={"erosion.erodibility": [1e-5, 1e-4]}, ticks=700, out=...)

Output folder:
  sweep.json          the plan: scene, ticks, grid, the --set values and every member's key
  summary.parquet     one row per member: its seed and params, status, attempts, error, the metrics
                      of planet.metrics (whatever the scene's stages allow)
  contact.png         the members' final globes, labelled by their params
  members/<key>/      state.npz (checkpoint), globe.png, any --export files, metrics.json (written
                      last: a member with it is finished) or error.json

Why Parquet: the summary is a table of typed scalar columns, one row per member, that pandas, polars,
DuckDB and Spark read directly; Zarr is made for chunked N-d arrays (the members' fields, which the
checkpoints hold) and would store a table as loose 1-d arrays.

A member's key hashes the scene (after base files), the shader sources, its seed and params, the ticks,
grid and backend: re-running the same command skips finished members (resume), and a changed scene or
shader runs them again. Failed members are retried once (a Python error or a worker that died) and then
recorded with their error. Ctrl-C (or SIGTERM) keeps every finished member and writes the table of them.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import json
import math
import os
import shutil
import signal
import sys
import time
import tomllib
from pathlib import Path

import numpy as np

from .atomic import atomic_path, write_png_atomic
from .errors import PlanetError
from .params import unknown_key

PLANET_SETTABLE = ("dt", "radius")   # planet.<key> a sweep may vary (seed has --seeds, grid --grid)
MAX_MEMBERS = 100_000
SNAPSHOT = 256                       # globe snapshot size [px] per member (contact sheet)
SHEET_MAX = 256                      # members shown on the contact sheet (the first ones)


class SweepError(PlanetError):
    """A bad sweep request (seeds, --set, sampling, output folder): one line, nothing run."""


# -- the plan ---------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Range:
    """`--set key=lo:hi[:log]`: --sample draws uniformly (or log-uniformly) between lo and hi."""

    lo: float
    hi: float
    log: bool = False


@dataclasses.dataclass(frozen=True)
class Member:
    index: int
    seed: int
    params: tuple  # ((dotted key, value), ...) in --set order
    key: str


def parse_seeds(text) -> list[int]:
    """'0-63', '3', '0-3,7,10-11' (or an iterable of ints) -> a list of distinct seeds, in order."""
    from .scene import PLANET_PARAMS

    if not isinstance(text, str):
        items = list(text)
    else:
        items = []
        for part in text.split(","):
            part = part.strip()
            lo, sep, hi = part.partition("-")
            try:
                items.extend(range(int(lo), int(hi) + 1) if sep else [int(part)])
            except ValueError:
                raise SweepError(f"--seeds: expected seeds like 0-63 or 1,5,9, got {part!r}") from None
    seeds = []
    for s in items:
        seeds.append(PLANET_PARAMS["seed"].check(s, "--seeds"))
    if not seeds:
        raise SweepError("--seeds: no seeds given (e.g. --seeds 0-15)")
    if len(set(seeds)) != len(seeds):
        raise SweepError("--seeds: a seed is listed twice")
    return seeds


def _value(text: str):
    """A --set value as TOML reads it (1e-5, 3, true, "path"); a bare word stays a string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def _param(scene, key: str):
    """The Param behind a dotted key of this scene: 'stage.param' or 'planet.dt' / 'planet.radius'."""
    from .scene import PLANET_PARAMS
    from .stages import registry

    stage, dot, name = key.partition(".")
    if not dot:
        raise SweepError(f"--set {key}: expected stage.param=values, e.g. erosion.erodibility=1e-5,1e-4")
    if stage == "planet":
        if name not in PLANET_SETTABLE:
            raise unknown_key(f"--set {key}: planet", name, PLANET_SETTABLE)
        return PLANET_PARAMS[name]
    if stage not in scene.stages:
        raise unknown_key(f"--set {key}: the scene's stages", stage, ["planet", *scene.stages])
    params = registry()[stage].param_map
    if name not in params:
        raise unknown_key(f"--set {key}: {stage}", name, params)
    return params[name]


def parse_set(scene, spec: str):
    """'stage.param=v1,v2,...' or 'stage.param=lo:hi[:log]' -> (key, [values] | Range), every value
    checked against the param's type and range now, before anything runs."""
    key, eq, rest = spec.partition("=")
    key = key.strip()
    if not eq or not rest.strip():
        raise SweepError(f"--set {spec!r}: expected stage.param=values, e.g. erosion.erodibility=1e-5,1e-4")
    param = _param(scene, key)
    where = f"--set {key}"
    parts = rest.split(":")
    if len(parts) in (2, 3) and param.kind in (int, float) and all(p.strip() for p in parts[:2]):
        if len(parts) == 3 and parts[2].strip() != "log":
            raise SweepError(f"{where}: a range is lo:hi or lo:hi:log, got {rest!r}")
        lo, hi = (param.check(_value(p), where) for p in parts[:2])
        if not lo < hi:
            raise SweepError(f"{where}: range {rest!r} needs lo < hi")
        if len(parts) == 3 and lo <= 0:
            raise SweepError(f"{where}: a log range needs lo > 0, got {rest!r}")
        return key, Range(lo, hi, len(parts) == 3)
    values = [param.check(_value(v.strip()), where) for v in rest.split(",")]
    if len(set(map(repr, values))) != len(values):
        raise SweepError(f"{where}: a value is listed twice")
    return key, values


def _draw(rng: np.random.Generator, param, spec):
    if isinstance(spec, list):
        return spec[int(rng.integers(len(spec)))]
    u = float(rng.random())
    x = math.exp(math.log(spec.lo) + u * (math.log(spec.hi) - math.log(spec.lo))) if spec.log else spec.lo + u * (spec.hi - spec.lo)
    if param.kind is int:
        return int(min(max(round(x), math.ceil(spec.lo)), math.floor(spec.hi)))
    return float(min(max(x, spec.lo), spec.hi))


def _digest(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()


def plan(scene_path, *, seeds, params=(), sample: int | None = None, sample_seed: int = 0, ticks: int,
         grid=None, backend: str = "auto"):
    """The sweep's base Scene and its members. `params`: {dotted key: [values] or 'lo:hi' text} or a
    sequence of 'key=values' strings (the CLI's --set). The cross product of seeds and value lists,
    or with `sample` K members drawn at random (seed from `seeds`, each param from its list or range;
    deterministic in `sample_seed`). Raises a one-line PlanetError before anything runs."""
    from .checkpoint import shader_hash
    from .scene import load_scene, read_scene_data
    from .simulation import with_imports
    from .stages import registry

    if isinstance(ticks, bool) or not isinstance(ticks, int) or not 0 <= ticks <= 10**8:
        raise SweepError(f"--ticks: expected an integer number of ticks 0..1e8, got {ticks!r}")
    path = Path(scene_path).resolve()
    scene = load_scene(path, grid=grid)
    with_imports(scene, None, None)  # imported files are read now: a bad one fails before any run
    seeds = parse_seeds(seeds)
    specs = params.items() if isinstance(params, dict) else [s.partition("=")[::2] for s in params]
    sets = {}
    for key, text in specs:
        spec = text if isinstance(text, str) else ",".join(json.dumps(v) if isinstance(v, str) else repr(v) for v in text)
        k, parsed = parse_set(scene, f"{key}={spec}")
        if k in sets:
            raise SweepError(f"--set {k}: given twice")
        sets[k] = parsed
    if sample is None:
        ranges = [k for k, v in sets.items() if isinstance(v, Range)]
        if ranges:
            raise SweepError(f"--set {ranges[0]}: a lo:hi range needs --sample K (random draws); "
                             "list values with commas for a grid")
        combos = [(s, tuple(zip(sets, vals, strict=True))) for s in seeds
                  for vals in itertools.product(*sets.values())]
    else:
        if isinstance(sample, bool) or not isinstance(sample, int) or sample < 1:
            raise SweepError(f"--sample: expected a positive number of members, got {sample!r}")
        rng = np.random.default_rng(sample_seed)
        combos = []
        for _ in range(sample):
            seed = seeds[int(rng.integers(len(seeds)))]
            combos.append((seed, tuple((k, _draw(rng, _param(scene, k), v)) for k, v in sets.items())))
    if len(combos) > MAX_MEMBERS:
        raise SweepError(f"the sweep has {len(combos):,} members; at most {MAX_MEMBERS:,} (fewer seeds or values)")
    base = {"scene": read_scene_data(path), "shaders": shader_hash([registry()[n] for n in scene.stages]),
            "ticks": ticks, "grid": list(scene.grid), "backend": backend}
    members, seen = [], set()
    for i, (seed, values) in enumerate(combos):
        key = _digest({**base, "seed": seed, "params": [list(kv) for kv in values]})[:16]
        if key in seen:  # --sample drew the same member twice: run it once
            continue
        seen.add(key)
        members.append(Member(i, seed, values, key))
    return scene, members, sets


def member_scene(scene, member: Member):
    """The scene of one member: the base scene with its seed and params."""
    from .scene import load_scene

    sc = load_scene(scene, seed=member.seed)
    for key, value in member.params:
        stage, _, name = key.partition(".")
        if stage == "planet":
            setattr(sc, name, value)
        else:
            sc.params[stage][name] = value
    return sc


# -- one member ---------------------------------------------------------------------------------------

def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    text = text[0] if text else ""
    return text if isinstance(exc, PlanetError) else f"{type(exc).__name__}: {text}"


def _write_json(path: Path, data: dict) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, indent=1, allow_nan=True, default=str))


def run_member(scene, member: Member, folder, *, ticks: int, backend: str = "auto", exports=(),
               snapshot: int = SNAPSHOT, attempt: int = 1) -> dict:
    """Run one member headless in this process and write its folder; returns its metrics row.
    Deterministic: the same member gives the same fields here, in a Ray worker or on another machine
    with the same driver."""
    from . import metrics
    from .simulation import Simulation

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob(".*.tmp*"):  # left by a worker killed mid-write
        stale.unlink(missing_ok=True)
    (folder / "error.json").unlink(missing_ok=True)
    _write_json(folder / "running.json", {"pid": os.getpid(), "host": os.uname().nodename, "attempt": attempt})
    cpu = time.process_time()
    with Simulation.headless(member_scene(scene, member), backend=backend) as sim:
        peaks = metrics.Peaks(sim)
        for _ in range(ticks):
            sim.step(1)
            peaks.update(sim)
        row = metrics.summary(sim, peaks)
        sim.save(folder / "state.npz")
        for what in exports:
            sim.export(folder / ("heightmap.png" if what == "heightmap" else f"{what}.png"), what)
        write_png_atomic(folder / "globe.png", sim.snapshot("globe", "satellite", (snapshot, snapshot)))
        row["backend"] = sim.backend
    row["cpu_s"] = time.process_time() - cpu  # this process's CPU time (the GPU's is not in it)
    row["attempts"] = attempt
    _write_json(folder / "metrics.json", row)  # last: its presence marks the member finished
    (folder / "running.json").unlink(missing_ok=True)
    return row


def _run_safely(scene, member, folder, kwargs) -> dict:
    """run_member, with any error caught and returned as {'error': one line} (recorded, not raised)."""
    try:
        return {"status": "ok", **run_member(scene, member, folder, **kwargs)}
    except Exception as exc:  # noqa: BLE001 - every failure of a member is data for the table
        return {"status": "failed", "error": _one_line(exc)}


def _remote_member(scene, member, folder, kwargs) -> dict:
    """The Ray task: pick this worker's GPU for EGL (Ray assigns GPU ids; EGL enumerates devices in
    the same order on NVIDIA drivers), then run the member."""
    import ray

    gpus = ray.get_gpu_ids()
    if gpus:
        os.environ["GLCONTEXT_DEVICE_INDEX"] = str(int(gpus[0]))  # read by glcontext's EGL backend
    return _run_safely(scene, member, folder, kwargs)


# -- the driver ---------------------------------------------------------------------------------------

def _label(member: Member) -> str:
    parts = [f"seed {member.seed}"] + [f"{k.split('.', 1)[1]}={v:.3g}" if isinstance(v, float) else f"{k.split('.', 1)[1]}={v}"
                                        for k, v in member.params]
    return "  ".join(parts)


def contact_sheet(out: Path, members: list[Member], size: int = SNAPSHOT) -> Path | None:
    """The members' globe.png in a grid, each labelled by its seed and params; None when none finished."""
    from PIL import Image, ImageDraw, ImageFont

    done = [m for m in members[:SHEET_MAX] if (out / "members" / m.key / "globe.png").is_file()]
    if not done:
        return None
    cols = math.ceil(math.sqrt(len(done)))
    rows = math.ceil(len(done) / cols)
    label_h = 28
    sheet = Image.new("RGB", (cols * size, rows * (size + label_h)), (12, 12, 16))
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default()
    for n, m in enumerate(done):
        x, y = (n % cols) * size, (n // cols) * (size + label_h)
        with Image.open(out / "members" / m.key / "globe.png") as im:
            sheet.paste(im.convert("RGB").resize((size, size)), (x, y))
        text = _label(m)
        # Two lines at most, cut to the tile's width (~6 px a glyph in the default font).
        per = max(8, size // 6)
        for k, line in enumerate((text[:per], text[per:2 * per])):
            draw.text((x + 3, y + size + 2 + 12 * k), line, fill=(230, 230, 230), font=font)
    path = out / "contact.png"
    write_png_atomic(path, np.asarray(sheet))
    return path


def _row(out: Path, member: Member, attempts: dict) -> dict:
    folder = out / "members" / member.key
    row = {"member": member.index, "key": member.key, "seed": member.seed, **dict(member.params)}
    done, failed = folder / "metrics.json", folder / "error.json"
    if done.is_file():
        row.update(status="ok", error=None, **json.loads(done.read_text()))
    elif failed.is_file():
        row.update(status="failed", **json.loads(failed.read_text()))
    else:
        row.update(status="not run", error=None, attempts=attempts.get(member.key, 0))
    return row


def write_table(out: Path, members: list[Member], attempts: dict):
    """summary.parquet (atomically) from the members' folders; returns the pyarrow Table."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [_row(out, m, attempts) for m in members]
    names = list(dict.fromkeys(k for r in rows for k in r))
    table = pa.Table.from_pylist([{k: r.get(k) for k in names} for r in rows])
    with atomic_path(out / "summary.parquet") as tmp:
        pq.write_table(table, tmp)
    return table


def _require_sweep_extra():
    missing = []
    for mod in ("ray", "pyarrow"):
        try:
            __import__(mod)
        except ImportError:
            missing.append(mod)
    if missing:
        raise SweepError(f"planet sweep needs {' and '.join(missing)}: pip install -e '.[sweep]' (make test installs it)")


@contextlib.contextmanager
def _terminate_as_interrupt():
    """SIGTERM and SIGHUP end a sweep like Ctrl-C: finished members stay, the table is written."""
    def handler(signum, frame):
        raise KeyboardInterrupt
    try:
        old = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGHUP)}
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def _start_ray(address, workers):
    """Join `address` (a cluster), or start a local Ray with `workers` CPUs (default: all cores)."""
    import ray

    if ray.is_initialized():
        return False
    kwargs = {"include_dashboard": False, "log_to_driver": False, "configure_logging": False}
    if address:
        ray.init(address=address, **kwargs)
    else:
        # Workers import planet from where this process does (a source checkout on PYTHONPATH too).
        src = str(Path(__file__).resolve().parent.parent)
        path = os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH", "")) if p)
        ray.init(num_cpus=workers or os.cpu_count() or 1, object_store_memory=200 * 2**20,
                 runtime_env={"env_vars": {"PYTHONPATH": path}}, **kwargs)
    return True


def _record_failure(out: Path, member: Member, error: str, attempt: int) -> None:
    _write_json(out / "members" / member.key / "error.json", {"error": error, "attempts": attempt})


def _run_serial(scene, todo, out, kwargs, retries, attempts, bar):
    for m in todo:
        for attempt in range(1, retries + 2):
            attempts[m.key] = attempt
            res = _run_safely(scene, m, out / "members" / m.key, {**kwargs, "attempt": attempt})
            if res["status"] == "ok":
                break
        else:
            _record_failure(out, m, res["error"], attempts[m.key])
        bar.update(1)


def _run_ray(scene, todo, out, kwargs, retries, attempts, bar, address, workers):
    import ray

    started = _start_ray(address, workers)
    gpu = ray.cluster_resources().get("GPU", 0) >= 1
    # Retries are ours (max_retries=0): a dead worker and a Python error are both recorded and retried once.
    task = ray.remote(max_retries=0, num_gpus=1 if gpu else 0, num_cpus=1)(_remote_member)
    scene_ref = ray.put(scene)
    pending = {}

    def submit(m, attempt):
        attempts[m.key] = attempt
        ref = task.remote(scene_ref, m, str(out / "members" / m.key), {**kwargs, "attempt": attempt})
        pending[ref] = (m, attempt)

    try:
        for m in todo:
            submit(m, 1)
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1)
            for ref in ready:
                m, attempt = pending.pop(ref)
                try:
                    res = ray.get(ref)
                except ray.exceptions.RayError as exc:  # the worker died (killed, out of memory, ...)
                    res = {"status": "failed", "error": _one_line(exc)}
                if res["status"] == "ok":
                    bar.update(1)
                elif attempt <= retries:
                    submit(m, attempt + 1)
                else:
                    _record_failure(out, m, res["error"], attempt)
                    bar.update(1)
    finally:
        for ref in pending:
            ray.cancel(ref, force=True)
        if started:
            ray.shutdown()


def sweep(scene, *, seeds=(0,), params=(), sample: int | None = None, sample_seed: int = 0, ticks: int,
          out, grid=None, backend: str = "auto", exports=(), workers: int | None = None, address: str | None = None,
          retries: int = 1, snapshot: int = SNAPSHOT, progress: bool = True):
    """Run an ensemble and return its summary table (a pyarrow Table; also out/summary.parquet).

    `params`: {"erosion.erodibility": [1e-5, 1e-4], "climate.lapse_rate": "5.5:6.5"} (a range with
    `sample`). `workers`: Ray workers on this machine (default: one per core; ignored with `address`);
    0 runs the members one after another in this process, without Ray. `exports`: what each member also
    exports beside its checkpoint (planet.export names: heightmap, field, view). Finished members in
    `out` are skipped; a KeyboardInterrupt keeps them and writes the table before it propagates."""
    from tqdm import tqdm

    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 0):
        raise SweepError(f"--workers: expected a number of workers >= 0, got {workers!r}")
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise SweepError(f"--retries: expected an integer >= 0, got {retries!r}")
    base, members, sets = plan(scene, seeds=seeds, params=params, sample=sample, sample_seed=sample_seed,
                               ticks=ticks, grid=grid, backend=backend)
    exports = tuple(exports)
    for what in exports:
        if what not in ("heightmap", "view"):
            raise SweepError(f"--export {what}: unknown; valid: heightmap, view")
    if workers != 0:
        _require_sweep_extra()
    out = Path(out).resolve()
    if out.exists() and not out.is_dir():
        raise SweepError(f"{out}: exists and is not a folder")
    try:
        (out / "members").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SweepError(f"{out}: cannot make the output folder: {exc.strerror}") from None
    _write_json(out / "sweep.json", {
        "scene": str(Path(scene).resolve()), "ticks": ticks, "grid": list(base.grid), "backend": backend,
        "sets": {k: (dataclasses.asdict(v) if isinstance(v, Range) else v) for k, v in sets.items()},
        "sample": sample, "sample_seed": sample_seed,
        "members": [{"index": m.index, "key": m.key, "seed": m.seed, "params": dict(m.params)} for m in members]})
    attempts = {}
    todo = []
    for m in members:
        if (out / "members" / m.key / "metrics.json").is_file():
            attempts[m.key] = 0  # finished by an earlier run
        else:
            todo.append(m)
    kwargs = {"ticks": ticks, "backend": backend, "exports": exports, "snapshot": snapshot}
    bar = tqdm(total=len(members), initial=len(members) - len(todo), desc="sweep", unit="planet",
               disable=not progress, file=sys.stderr)
    try:
        with _terminate_as_interrupt():
            if workers == 0:
                _run_serial(base, todo, out, kwargs, retries, attempts, bar)
            elif todo:
                _run_ray(base, todo, out, kwargs, retries, attempts, bar, address, workers)
    finally:
        bar.close()
        for m in members:  # a member cut short by Ctrl-C leaves only its folder's running.json
            (out / "members" / m.key / "running.json").unlink(missing_ok=True)
        table = write_table(out, members, attempts) if _has_pyarrow() else None
        contact_sheet(out, members, snapshot)
    return table


def _has_pyarrow() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def clean(out) -> None:
    """Remove a sweep's output folder (tests, or starting over)."""
    shutil.rmtree(out, ignore_errors=True)


# -- command line -----------------------------------------------------------------------------------

def sweep_parser():
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message):  # one line and exit 2, not a usage block
            raise SweepError(message)

    ap = Parser(prog="planet sweep", allow_abbrev=False, description="Run many planets from one scene (seeds x params) on Ray; "
                "write a summary table (Parquet), checkpoints and a contact sheet.",
                epilog="example: planet sweep scenes/earth.toml --seeds 0-7 --set erosion.erodibility=1e-5,1e-4 "
                       "--ticks 700 -o out/sweep/")
    ap.add_argument("scene", help="scene TOML file")
    ap.add_argument("-o", "--out", required=True, type=Path, help="output folder (re-running resumes it)")
    ap.add_argument("--ticks", required=True, type=int, help="ticks each member runs")
    ap.add_argument("--seeds", default="0", help="seeds: 0-63, 1,5,9 or a mix (default 0)")
    ap.add_argument("--set", action="append", default=[], metavar="STAGE.PARAM=VALUES",
                    help="values to sweep: v1,v2,... (a grid: the cross product), or lo:hi / lo:hi:log with --sample")
    ap.add_argument("--sample", type=int, help="K random members instead of the cross product")
    ap.add_argument("--sample-seed", type=int, default=0, help="seed of the --sample draws (default 0)")
    ap.add_argument("--grid", help="override the scene's grid, WxH")
    ap.add_argument("--backend", default="auto", help="auto, fragment or compute (default auto)")
    ap.add_argument("--export", action="append", default=[], choices=["heightmap", "view"],
                    help="also export this per member (beside its checkpoint)")
    ap.add_argument("--workers", type=int, help="local Ray workers (default: one per core); 0: in this process, no Ray")
    ap.add_argument("--address", help="a Ray cluster to run on (ray://host:10001 or host:6379); default: a local Ray")
    ap.add_argument("--retries", type=int, default=1, help="retries of a failed member (default 1)")
    ap.add_argument("--no-progress", action="store_true", help="no progress bar")
    return ap


def sweep_main(argv=None) -> int:
    try:
        args = sweep_parser().parse_args(argv)
        table = sweep(args.scene, seeds=args.seeds, params=args.set, sample=args.sample, sample_seed=args.sample_seed,
                      ticks=args.ticks, out=args.out, grid=args.grid, backend=args.backend, exports=args.export,
                      workers=args.workers, address=args.address, retries=args.retries, progress=not args.no_progress)
    except PlanetError as exc:
        print(f"planet sweep: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        done = sum(1 for p in Path(args.out).glob("members/*/metrics.json"))
        print(f"planet sweep: interrupted; {done} finished members kept in {args.out} (summary.parquet lists them); "
              "run the same command again to resume", file=sys.stderr)
        return 130
    status = table.column("status").to_pylist()
    ok, failed = status.count("ok"), status.count("failed")
    print(f"planet sweep: {ok} of {len(status)} members finished, {failed} failed: {args.out / 'summary.parquet'}, "
          f"{args.out / 'contact.png'}", file=sys.stderr)
    return 0 if failed == 0 else 1

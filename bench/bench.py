#!/usr/bin/env python3
"""`make bench`: per grid size and backend, time every pass and the views (DESIGN.md §8).

For each grid and backend ("fragment", "compute") this builds `planet.Simulation.headless(scene)`
and times, with GL timer queries (warm-up runs, then the median of --reps):
  * bench.copy     shaders/bench/copy.glsl      a straight copy of `terrain`: the bandwidth reference;
  * bench.stencil9 shaders/bench/stencil9.glsl  a 9-tap D8 stencil through common/grid.glsl;
  * every init and step pass of the scene's stages.
Bytes moved by a pass = (distinct fields read + fields written) x texel bytes x W x H; GB/s is quoted
against the same run's copy pass. It also measures sim steps/s, frames/s with rendering
(step + snapshot) and the view draw alone. Only compare figures taken in one run on one device.

The per-stage and whole-tick figures are taken with every stage active: the clock is moved to the
latest `start` of any stage (plates moving, life seeded, people settling) at the scene's geological dt,
and --active-ticks ticks run first. Whole tick: process CPU time (all of llvmpipe's threads) and wall
clock per `sim.step(1)` after a glFinish, as ticks/s per grid. Peers (`bench/peers.py`): with
fastscapelib installed (the `bench` extra), our erosion tick against fastscapelib's SPL step on the
same grid and landscape, in the same run.

Every timer query is cross-checked against the wall clock between two glFinish calls: where a
driver's query cannot see the work (Mesa llvmpipe reads ~0 ns around compute dispatches and often
around view draws) the wall-clock median is reported instead, marked "wall" in the table.
"""
from __future__ import annotations

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import planet  # noqa: E402
from planet import gl  # noqa: E402
from planet.passes import Pass  # noqa: E402
from planet.pipeline import stage_uniform_types  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
COPY = Pass("bench.copy", reads=("terrain",), writes=("terrain",), shader="bench/copy.glsl")
STENCIL = Pass("bench.stencil9", reads=("terrain",), writes=("terrain",), shader="bench/stencil9.glsl")
SOFTWARE_GRIDS = "256x128,512x256,1024x512"
GPU_GRIDS = "1024x512,2048x1024,4096x2048"
DRAW_SIZES = ((1280, 720), (1920, 1080))
VIDEO_SIZES = ((1280, 720), (1920, 1080))


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scene", default=str(ROOT / "scenes" / "earth.toml"))
    ap.add_argument("--grids", help=f"comma list of WxH (default {SOFTWARE_GRIDS} on software "
                                    f"renderers, {GPU_GRIDS} on GPUs)")
    ap.add_argument("--backends", default="fragment,compute")
    ap.add_argument("--reps", type=int, default=20, help="timed runs per measurement (median reported)")
    ap.add_argument("--warmup", type=int, default=3, help="untimed runs before each measurement")
    ap.add_argument("--record", action="store_true", help=f"append the results to {RESULTS.relative_to(ROOT)}")
    ap.add_argument("--quick", action="store_true", help="smoke test: one small grid, few reps")
    ap.add_argument("--active-ticks", type=int, default=20, help="ticks run after moving the clock to where every "
                    "stage is active, before the per-stage and whole-tick timings")
    ap.add_argument("--tick-reps", type=int, default=10, help="ticks timed for the whole-tick CPU figure")
    ap.add_argument("--no-peers", action="store_true", help="skip the fastscapelib comparison")
    ap.add_argument("--no-video", action="store_true", help="skip the headless video rates")
    ap.add_argument("--no-views", action="store_true", help="skip the view rates and draws (tick figures only)")
    ap.add_argument("--no-passes", action="store_true", help="skip the per-pass table")
    ap.add_argument("--window", metavar="GRIDS", help="also measure the real window's frame rate at 1280x720 "
                    "for these grids (comma list), under $DISPLAY or a private Xvfb")
    args = ap.parse_args(argv)
    if args.quick:
        args.grids, args.reps, args.warmup = args.grids or "128x64", min(args.reps, 3), 1
        args.active_ticks, args.tick_reps = min(args.active_ticks, 2), min(args.tick_reps, 2)
    args.reps, args.warmup = max(1, args.reps), max(0, args.warmup)
    return args


def git_commit() -> str:
    """Short HEAD, plus "+dirty" when the working tree has changes; "unknown" outside a checkout.
    PLANET_COMMIT overrides it (a copy of the tree on another machine has no git history)."""
    if os.environ.get("PLANET_COMMIT"):
        return os.environ["PLANET_COMMIT"]
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        if head.returncode != 0:
            return "unknown"
        status = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True)
    except OSError:
        return "unknown"
    return head.stdout.strip() + ("+dirty" if status.stdout.strip() else "")


def gpu_ms(ctx, fn, warmup: int, reps: int, cpu: list | None = None) -> tuple[float, str]:
    """Median ms of fn() by GL timer query, cross-checked against the wall clock between glFinish
    calls; where the two disagree (the query saw less than half the work, or wrapped past 2^32 ns)
    the wall-clock median is reported instead. Returns (ms, "gl" | "wall"). `cpu`: a list that gets
    the median process CPU ms of the same runs appended (on a shared CPU the robust figure)."""
    for _ in range(warmup):
        fn()
    gl_ms, wall_ms, cpu_ms = [], [], []
    for _ in range(reps):
        ctx.finish()
        t0, c0 = time.perf_counter(), time.process_time()
        q = ctx.query(time=True)
        with q:
            fn()
        ctx.finish()
        wall_ms.append((time.perf_counter() - t0) * 1e3)
        cpu_ms.append((time.process_time() - c0) * 1e3)
        gl_ms.append(q.elapsed / 1e6)
    if cpu is not None:
        cpu.append(statistics.median(cpu_ms))
    g, w = statistics.median(gl_ms), statistics.median(wall_ms)
    # A GPU's query reads more than 0 (1 us), at most the wall time and at least the wall time
    # less the per-call overhead (submission, glFinish round trip, Python): 0.25 ms or half of it.
    if g > 1e-3 and -0.1 * w - 0.05 <= w - g <= max(0.25, 0.5 * w):
        return g, "gl"
    return max(w, 1e-6), "wall"


def wall_rate(ctx, fn, warmup: int, reps: int) -> float:
    """Calls per second of fn() by the wall clock (all GL work finished)."""
    for _ in range(warmup):
        fn()
    ctx.finish()
    t0 = time.perf_counter()
    for _ in range(reps):
        fn()
    ctx.finish()
    return reps / (time.perf_counter() - t0)


def time_passes(sim, args) -> list[dict]:
    """One row per pass: the bench passes first, then every stage's init and step passes."""
    terrain = next((st for st in sim.stages if st.name == "terrain"), None)
    if terrain is None:
        raise SystemExit("bench: the scene has no 'terrain' stage, which the copy/stencil passes read")
    todo = [("bench", COPY, terrain, {}), ("bench", STENCIL, terrain, {})]
    for st in sim.stages:
        allowed = stage_uniform_types(st)
        todo += [("init", p, st, allowed) for p in st.init] + [("step", p, st, allowed) for p in st.step]
    w, h = sim.scene.grid
    rows = []
    for kind, p, st, allowed in todo:
        if p.mask and sim.pipeline.backend != "fragment":
            continue   # a mask pass runs on the fragment backend only (Pass.mask)
        prog = sim.pipeline.program(p, allowed)
        uniforms = sim.stage_uniforms()[st.name]
        # Init passes are compute-heavy generators: fewer runs keep the bench short.
        warm, reps = (min(args.warmup, 1), min(args.reps, 5)) if kind == "init" else (args.warmup, args.reps)
        # A pass with a convergence stop, run alone again on its own converged output, would stop at once:
        # it is timed at its full run count here (the per-stage rows time what a tick really runs).
        early = getattr(sim.pipeline, "early_stop", False)
        if early:
            sim.pipeline.early_stop = False
        ms, method = gpu_ms(sim.ctx, lambda p=p, uniforms=uniforms, prog=prog: sim.pipeline.run_pass(p, uniforms, prog), warm, reps)
        if early:
            sim.pipeline.early_stop = True
        # Bytes: each field's texel size (its components x 4 B), read once and written once.
        per_cell = sum(sim.field_spec(f).bytes_per_cell for f in (*dict.fromkeys(p.reads), *p.writes))
        runs = sim.pipeline.repeats.get(p.name, 1)  # a repeated pass (e.g. erosion.jump) is timed per use
        label = kind if runs == 1 else f"{kind} ×{runs}" + (" (full count)" if getattr(p, "until", "") else "")
        rows.append({"pass": p.name, "kind": label, "ms": ms, "timer": method,
                     "reads": len(p.reads),
                     "bytes": per_cell * w * h, "cells": w * h})
        gl.check(sim.ctx, f"bench pass {p.name}")
    copy_gbs = rows[0]["bytes"] / rows[0]["ms"] / 1e6
    for r in rows:
        r["gbs"] = r["bytes"] / r["ms"] / 1e6
        r["pct"] = 100.0 * r["gbs"] / copy_gbs
    return rows


def time_views(sim, args) -> dict:
    """Steps/s, frames/s with rendering (step + snapshot), and the view draw alone [ms]."""
    out = {"steps": wall_rate(sim.ctx, lambda: sim.step(1), args.warmup, args.reps)}
    for view, size in (("map", (1280, 720)), ("globe", (720, 720))):
        out[f"fps_{view}"] = wall_rate(
            sim.ctx, lambda view=view, size=size: (sim.step(1), sim.snapshot(view, "satellite", size)), args.warmup, args.reps)
    for view in ("map", "globe"):
        for size in DRAW_SIZES:
            fbo = sim.viewer.target(size)

            def draw(fbo=fbo, view=view, size=size):
                fbo.use()
                sim.viewer.draw(view, "satellite", size, sim.builtins())
            ms, method = gpu_ms(sim.ctx, draw, args.warmup, args.reps)
            out[f"draw_{view}_{size[0]}x{size[1]}"] = fmt(ms) + (" (wall)" if method == "wall" else "")
    gl.check(sim.ctx, "bench views")
    return out


def time_view_frames(sim, args, size=(1280, 720)) -> dict:
    """A whole view frame (planet.frames.FrameRenderer.draw: view, legend, caption) of the satellite
    layer at `size`, map and globe: CPU ms of this process per frame, GL finished (llvmpipe draws on
    the CPU, so process time counts every thread's work). "frame": the simulation unchanged since the
    last frame (the layer's bake is reused); "frame + bake": re-baked every frame, as when the
    simulation ticks between frames (issue #16)."""
    from planet.frames import FrameRenderer

    frames, fbo, out = FrameRenderer(sim), sim.viewer.target(size), {}
    try:
        for view, morph in (("map", 0.0), ("globe", 1.0)):
            for what, invalidate in (("frame", False), ("frame + bake", True)):
                def one(invalidate=invalidate, morph=morph):
                    if invalidate:
                        sim.viewer.invalidate()
                    frames.draw(fbo, size, "satellite", morph, caption="bench")
                    sim.ctx.finish()
                for _ in range(args.warmup):
                    one()
                cpu = []
                for _ in range(args.reps):
                    t0 = time.process_time()
                    one()
                    cpu.append((time.process_time() - t0) * 1e3)
                out[f"{view} {what}"] = statistics.median(cpu)
    finally:
        frames.release()
    gl.check(sim.ctx, "bench view frames")
    return out


def video_fps(sim, size, frames: int) -> float:
    """Frames/s of a whole headless video render (step, draw with legend, RGB8 readback, H.264
    encode in the second thread, atomic rename) into a temporary .mp4."""
    import tempfile

    from planet import video

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        video.render(sim, Path(tmp) / "bench.mp4", size=size, fps=30, seconds=frames / 30, progress=False)
        return frames / (time.perf_counter() - t0)


def window_fps(scene: str, grids, frames: int = 150, size: str = "1280x720") -> list[tuple[str, str]]:
    """The real window's frame rate (python -m planet --frames N) per grid, under the current
    DISPLAY or, when there is none, a private Xvfb. Returns [(grid, the app's summary line)]."""
    import os
    import shutil

    env, xvfb = dict(os.environ), None
    if not env.get("DISPLAY"):
        if shutil.which("Xvfb") is None:
            return [(g, "no DISPLAY and no Xvfb: window not measured") for g in grids]
        read, write = os.pipe()
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                                pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as f:
            env["DISPLAY"] = ":" + f.readline().strip()
    try:
        out = []
        for g in grids:
            run = subprocess.run([sys.executable, "-m", "planet", scene, "--grid", g, "--frames", str(frames),
                                  "--size", size], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
            lines = (run.stdout + run.stderr).strip().splitlines()
            out.append((g, lines[-1] if lines else f"exit {run.returncode}"))
        return out
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(timeout=10)


def bench_one(args, grid: str, backend: str, with_video: bool):
    print(f"bench: {grid} {backend} ...", file=sys.stderr, flush=True)
    with planet.Simulation.headless(args.scene, grid=grid, backend=backend) as sim:
        views = {} if args.no_views else time_views(sim, args)
        if not args.no_views:
            views["frames"] = time_view_frames(sim, args)
        if with_video and not args.no_views:
            frames = 30 if gl.describe(sim.ctx)["software"] else 240
            for size in VIDEO_SIZES:
                views[f"video_{size[0]}x{size[1]}"] = video_fps(sim, size, 3 if args.quick else frames)
        activate(sim, args.active_ticks)
        views["ticks"] = time_stage_ticks(sim, args)
        views["cpu_tick"] = cpu_tick(sim, args.tick_reps)
        views["clock"] = f"t = {sim.years:.4g} yr, tick {sim.tick}, dt {sim.dt:.3g} yr"
        if not args.no_peers and backend == "fragment":
            from peers import fastscape_step
            views["peer"] = fastscape_step(sim, reps=max(1, min(args.tick_reps, 3)))
        return ([] if args.no_passes else time_passes(sim, args)), views


def active_time(sim) -> float:
    """Simulated time from which every stage of the scene is active: the latest `start` param of
    any stage (tectonics' plates, life's seeding, people's settlements); 0 when none has one."""
    return max([float(v["start"]) for v in sim.params.values() if "start" in v] or [0.0])


def activate(sim, ticks: int) -> None:
    """Move the clock to active_time (one tick past it) at the scene's geological dt, then run `ticks`
    ticks, so that what is timed is the tick with every stage working (plates moving, not the early-out
    before tectonics starts). The timeline's events before that time are skipped, not applied."""
    years = active_time(sim) + sim.scene.dt
    fired = sum(1 for ev in sim.scene.timeline if ev.at <= years)
    sim.set_clock(sim.tick, years, sim.scene.dt, fired, sim.view, sim.layer)
    sim.step(ticks)
    sim.ctx.finish()


def cpu_tick(sim, reps: int) -> dict:
    """Whole tick (sim.step(1)) by process CPU time (every llvmpipe thread) and wall clock, GL finished."""
    sim.step(1)
    sim.ctx.finish()
    c0, w0 = time.process_time(), time.perf_counter()
    sim.step(reps)
    sim.ctx.finish()
    cpu, wall = (time.process_time() - c0) / reps * 1e3, (time.perf_counter() - w0) / reps * 1e3
    return {"cpu_ms": cpu, "wall_ms": wall, "ticks_per_s": 1e3 / wall, "runs": dict(getattr(sim.pipeline, "runs_done", {}))}


def full_update(sim) -> dict:
    """The stage uniforms of a tick that runs every pass a stage has, also those that keep a cadence
    (u_edited = 1, as after an edit: e.g. the climate's pressure blur): one stage row = one full update."""
    return {name: {**u, "u_edited": 1} for name, u in sim.stage_uniforms().items()}


def time_stage_ticks(sim, args) -> list[tuple[str, int, float, str]]:
    """Per stage: (name, passes per tick = GL dispatches of its step schedule, counting every run of a
    repeated pass, ms for the whole step schedule, timer)."""
    out = []
    for st in sim.stages:
        cpu = []
        ms, method = gpu_ms(sim.ctx, lambda st=st: sim.pipeline.run(st.step, full_update(sim)), args.warmup, args.reps, cpu)
        out.append((st.name, sim.pipeline.dispatches(st.step), ms, method, cpu[0]))
    if sim.scalars:  # the planet-wide scalars' GPU reductions, all of them (planet/reduce.py)
        cpu = []
        ms, method = gpu_ms(sim.ctx, lambda: sim.pipeline.reduce(sim.builtins()), args.warmup, args.reps, cpu)
        out.append((f"reduce ({len(sim.scalars)} scalars)", sim.pipeline.reducer.dispatches(), ms, method, cpu[0]))
    # The whole tick as Simulation.step runs it (every stage, timeline, reductions where passes read
    # them); four ticks per run, so a stage updating every 2nd tick counts twice and the climate's
    # pressure blur (every 4th) once in every run.
    cpu = []
    ms, method = gpu_ms(sim.ctx, lambda: sim.step(4), args.warmup, args.reps, cpu)
    out.append(("whole tick (sim.step, mean of 4)", sum(sim.pipeline.dispatches(st.step) for st in sim.stages),
                ms / 4, method, cpu[0] / 4))
    gl.check(sim.ctx, "bench stage ticks")
    return out


def fmt(x: float) -> str:
    return f"{x:.3f}" if x < 10 else f"{x:.1f}" if x < 1000 else f"{x:.0f}"


def class_of(r: dict) -> str:
    if r["pass"] == COPY.name:
        return "copy (reference)"
    if r["reads"] == 0:
        return "**compute-bound** (generator; GB/s n/a)"
    return "copy-class" if r["pct"] >= 50 else "compute-bound"


def pass_cells(r: dict) -> str:
    gen = r["reads"] == 0  # a generator writes only: its GB/s says nothing about bandwidth
    cells = [r["pass"], r["kind"], r["timer"], fmt(r["ms"]), fmt(r["cells"] / r["ms"] / 1e3), fmt(r["bytes"] / 1e6),
             "—" if gen else fmt(r["gbs"]), "—" if gen else f"{r['pct']:.0f} %", class_of(r)]
    return " | ".join(cells)


def render(args, info: dict, results: list) -> str:
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"### {now} · commit {git_commit()} · {info['renderer']} · GL {info['version']}", "",
             f"Scene `{Path(args.scene).name}`, median of {args.reps} runs after {args.warmup} warm-up "
             f"(init passes: median of {min(args.reps, 5)} after {min(args.warmup, 1)}).", "",
             ]
    if any(rows for _, _, rows, _ in results):  # not --no-passes
        lines += ["| grid | backend | pass | kind | timer | ms | Mcells/s | MB moved | GB/s | % of copy | class |",
                  "|---|---|---|---|---|--:|--:|--:|--:|--:|---|"]
    for grid, backend, rows, _ in results:
        lines += [f"| {grid} | {backend} | " + pass_cells(r) + " |" for r in rows]
    heads = [f"draw {v} {w}×{h} ms" for v in ("map", "globe") for w, h in DRAW_SIZES]
    if any("steps" in v for _, _, _, v in results):  # not --no-views
        lines += ["", "| grid | backend | steps/s | fps map 1280×720 | fps globe 720×720 | " + " | ".join(heads) + " |",
                  "|---|---|--:|--:|--:|" + "--:|" * len(heads)]
    for grid, backend, _, v in results:
        if "steps" not in v:
            continue
        draws = [v[f"draw_{vw}_{w}x{h}"] for vw in ("map", "globe") for w, h in DRAW_SIZES]
        lines.append(f"| {grid} | {backend} | {fmt(v['steps'])} | {fmt(v['fps_map'])} | {fmt(v['fps_globe'])} | "
                     + " | ".join(draws) + " |")
    if "frames" in results[0][3]:
        lines += ["", "View frame 1280×720, satellite layer (FrameRenderer.draw + glFinish; CPU ms of the process):", "",
                  "| grid | backend | " + " | ".join(results[0][3]["frames"]) + " |",
                  "|---|---|" + "--:|" * len(results[0][3]["frames"])]
        for grid, backend, _, v in results:
            lines.append(f"| {grid} | {backend} | " + " | ".join(fmt(ms) for ms in v["frames"].values()) + " |")
    lines += ["", "Per stage, one update (its whole step schedule; passes = dispatches, every run of a repeated pass; "
              "CPU ms = process CPU time incl. llvmpipe's threads, the robust figure on a shared CPU):", "",
              "| grid | backend | stage | passes per tick (at most) | tick ms | timer | CPU ms |", "|---|---|---|--:|--:|---|--:|"]
    for grid, backend, _, v in results:
        lines += [f"| {grid} | {backend} | {name} | {n} | {fmt(ms)} | {method} | {fmt(cpu)} |"
                  for name, n, ms, method, cpu in v["ticks"]]
    lines += ["", "Whole tick with every stage active (process CPU time incl. the GL threads, and wall clock; "
              "`sim.step(1)`, GL finished):", "",
              "| grid | backend | clock | CPU ms per tick | wall ms per tick | ticks/s | converged runs |",
              "|---|---|---|--:|--:|--:|---|"]
    for grid, backend, _, v in results:
        c = v["cpu_tick"]
        runs = ", ".join(f"{k.split('.')[-1]} {n}" for k, n in sorted(c["runs"].items())) or "—"
        lines.append(f"| {grid} | {backend} | {v['clock']} | {fmt(c['cpu_ms'])} | {fmt(c['wall_ms'])} | "
                     f"{fmt(c['ticks_per_s'])} | {runs} |")
    peers = [(grid, v["peer"]) for grid, _, _, v in results if v.get("peer")]
    if peers:
        lines += ["", "Erosion against fastscapelib's SPL step (same grid, the same landscape, same run; CPU ms; "
                  "ours = the erosion stage's step schedule on the fragment backend):", "",
                  "| grid | ours ms | fastscapelib ms | ours / fastscapelib |", "|---|--:|--:|--:|"]
        for grid, peer in peers:
            lines.append(f"| {grid} | {fmt(peer['ours_ms'])} | {fmt(peer['peer_ms'])} | {peer['ours_ms'] / peer['peer_ms']:.2f} |"
                         if "peer_ms" in peer else f"| {grid} | {fmt(peer['ours_ms'])} | — | {peer['note']} |")
    videos = [(grid, backend, v) for grid, backend, _, v in results if f"video_{VIDEO_SIZES[0][0]}x{VIDEO_SIZES[0][1]}" in v]
    if videos:
        heads = [f"video fps {w}×{h}" for w, h in VIDEO_SIZES]
        lines += ["", "Headless video (`render.py`'s path: step, draw, legend, RGB8 readback, H.264 encode):", "",
                  "| grid | backend | " + " | ".join(heads) + " |", "|---|---|" + "--:|" * len(heads)]
        for grid, backend, v in videos:
            lines.append(f"| {grid} | {backend} | " + " | ".join(fmt(v[f"video_{w}x{h}"]) for w, h in VIDEO_SIZES) + " |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    args = parse_args(argv)
    probe = gl.create_headless()
    info = gl.describe(probe)
    probe.release()
    grids = [g.strip() for g in (args.grids or (SOFTWARE_GRIDS if info["software"] else GPU_GRIDS)).split(",")]
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if "compute" in backends and not info["compute"]:
        print(f"bench: skipping backend compute: GL {info['version']} < 4.3", file=sys.stderr)
        backends.remove("compute")
    t0 = time.perf_counter()
    # The whole-video rate is measured once per backend, on the first grid (the slowest part is the
    # frame size, not the grid).
    results = [(g, b, *bench_one(args, g, b, with_video=(g == grids[0] and not args.no_video))) for g in grids for b in backends]
    print(f"bench: done in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    section = render(args, info, results)
    if args.window:
        rows = window_fps(args.scene, [g.strip() for g in args.window.split(",")])
        section += ("\nWindow (`python -m planet --frames 150 --size 1280x720`, backend auto):\n\n"
                    "| grid | result |\n|---|---|\n" + "".join(f"| {g} | {line.replace(' | ', ' · ')} |\n" for g, line in rows))
    print(section)
    if args.record:
        with RESULTS.open("a") as f:
            f.write("\n" + section)
        print(f"bench: appended to {RESULTS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

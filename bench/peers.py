#!/usr/bin/env python3
"""Peers: our erosion against fastscapelib's SPL step, and a finished world against worldengine's.

`python bench/peers.py [--grid 1024x512] [--full-ticks 700] [--sample 20] [--record]` (the `bench`
extra installs both peers: pip install -e '.[bench]'). All figures are process CPU time (ours includes
llvmpipe's threads, with the GL work finished), taken side by side in one run:

  * erosion: the erosion stage's step schedule (routing, lakes, accumulation, incision) on the
    scene's landscape with every stage active, against fastscapelib 0.3's SPL step on the same grid
    and elevations: SingleFlowRouter + MSTSinkResolver routing, drainage accumulation and the
    implicit stream-power erosion (same K, m, n and dt), E-W looped, N-S fixed borders; with the
    world row, again on the finished world (a real planet's land and sea: the sea's quiet cells,
    Pass.quiet, save more there than on the initial relief of the first row);
  * world: worldengine's `world_gen` (plates, erosion, rivers, climate, biomes) at the grid, in a
    child process, against our finished world: `planet world` (planet.world.make: the scene's whole
    history to its present, 4.5 billion years, coarse to fine, with plates, rivers, climate and life),
    timed whole from the scene file to the last tick, GL work finished. --full-ticks N adds the old
    row: N ticks of the story at the full grid with every stage active (the mean of --sample ticks,
    times N), what a world would cost without the coarse history.
bench/bench.py prints the erosion ratio per grid too (fastscape_step).
"""
from __future__ import annotations

import argparse
import datetime
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import planet  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"


def _cpu_ms(sim, fn) -> float:
    sim.ctx.finish()
    t0 = time.process_time()
    fn()
    sim.ctx.finish()
    return (time.process_time() - t0) * 1e3


def fastscape_step(sim, reps: int = 3) -> dict:
    """{"ours_ms", "peer_ms"} (medians of `reps`; CPU ms): one tick of the erosion stage against one
    fastscapelib SPL step (routing with sink resolution, accumulation, erosion) on the same grid and
    bedrock; {"ours_ms", "note"} when fastscapelib is not installed."""
    import numpy as np

    er = next(st for st in sim.pipeline.stages if st.name == "erosion")
    ours = statistics.median(_cpu_ms(sim, lambda: sim.pipeline.run(er.step, sim.stage_uniforms())) for _ in range(reps))
    try:
        import fastscapelib as fs
    except ImportError:
        return {"ours_ms": ours, "note": "fastscapelib not installed (pip install -e '.[bench]')"}
    w, h = sim.scene.grid
    t = sim.read("terrain")
    z = (t[..., 0] - t[..., 1]).astype(np.float64)       # height above sea level [m]
    r = sim.scene.radius * 1e3
    spacing = [np.pi * r / h, 2 * np.pi * r / w]           # [m] north-south, east-west (at the equator)
    status = fs.RasterBoundaryStatus([fs.NodeStatus.LOOPED, fs.NodeStatus.LOOPED,
                                      fs.NodeStatus.FIXED_VALUE, fs.NodeStatus.FIXED_VALUE])
    grid = fs.RasterGrid([h, w], spacing, status)
    graph = fs.FlowGraph(grid, [fs.SingleFlowRouter(), fs.MSTSinkResolver()])
    p = sim.params["erosion"]
    eroder = fs.SPLEroder(graph, p["erodibility"], p["m"], p["n"], 1e-3)

    def step():
        graph.update_routes(z)
        area = graph.accumulate(1.0)
        eroder.erode(z, area, sim.dt)

    times = []
    for _ in range(reps):
        t0 = time.process_time()
        step()
        times.append((time.process_time() - t0) * 1e3)
    return {"ours_ms": ours, "peer_ms": statistics.median(times)}


WORLDENGINE = ("import sys; from worldengine.plates import world_gen; "
               "world_gen('bench', int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), verbose=False)")


def worldengine_cpu_s(w: int, h: int, seed: int) -> float | None:
    """CPU seconds of worldengine's world_gen at w x h in a child process (None: not installed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = subprocess.run([sys.executable, "-c", WORLDENGINE, str(w), str(h), str(seed)], capture_output=True, text=True)
    if run.returncode != 0:
        if "No module named 'worldengine'" in run.stderr:
            return None
        raise SystemExit(f"peers: worldengine failed: {run.stderr.strip()[-500:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def finished_world_cpu_s(scene: str, grid: str, reps: int = 3) -> dict:
    """CPU seconds of `planet world` (planet.world.make) at `grid`, what it made, and the erosion row again
    on that finished planet (a real one's land, sea and rivers, where the sea's quiet cells count; the
    first row's state is the scene's initial relief)."""
    from planet import world

    phases = {}

    def progress(g, done, ticks):
        if done == ticks:
            phases[f"{g[0]}x{g[1]}"] = phases.get(f"{g[0]}x{g[1]}", 0) + ticks

    t0 = time.process_time()
    sim = world.make(scene, grid=grid, backend="fragment", progress=progress)
    with sim:
        sim.ctx.finish()
        total = time.process_time() - t0
        made = {k: sim.scalar(k) for k in ("land_fraction", "global_temperature", "plant_mass")}
        years = sim.years
        erosion = fastscape_step(sim, reps)
    return {"total_s": total, "ticks": phases, "years": years, "erosion": erosion, **made}


def our_world_cpu_s(scene: str, grid: str, ticks: int, sample: int, reps: int = 3) -> dict:
    """The erosion row's state and, with ticks > 0, the cost of `ticks` ticks at the full grid with every stage
    active (bench.activate's clock), measured over `sample` of them (all when sample >= ticks)."""
    from bench import activate

    t0 = time.process_time()
    with planet.Simulation.headless(scene, grid=grid, backend="fragment") as sim:
        sim.ctx.finish()
        init = time.process_time() - t0
        activate(sim, 0)
        n = max(1, min(sample, ticks))
        per_tick = _cpu_ms(sim, lambda: sim.step(n)) / 1e3 / n
        fastscape = fastscape_step(sim, reps)
    return {"init_s": init, "tick_s": per_tick, "ticks": ticks, "sampled": n, "total_s": init + ticks * per_tick,
            "erosion": fastscape}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scene", default=str(ROOT / "scenes" / "earth.toml"))
    ap.add_argument("--grid", default="1024x512")
    ap.add_argument("--full-ticks", type=int, default=0, help="also time N full-grid ticks with every stage active "
                    "(the issue's 700-1,100 ticks of a world without the coarse history; default 0: not timed)")
    ap.add_argument("--sample", type=int, default=20, help="full-grid ticks actually run and timed (default 20)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reps", type=int, default=3, help="erosion updates and fastscapelib steps timed (median)")
    ap.add_argument("--no-world", action="store_true", help="only the erosion row (no worldengine run; one tick sampled)")
    ap.add_argument("--record", action="store_true", help=f"append the table to {RESULTS.relative_to(ROOT)}")
    args = ap.parse_args(argv)
    w, h = (int(x) for x in args.grid.lower().split("x"))
    ours = our_world_cpu_s(args.scene, args.grid, 0 if args.no_world else args.full_ticks, args.sample, args.reps)
    made = None if args.no_world else finished_world_cpu_s(args.scene, args.grid, args.reps)
    peer = None if args.no_world else worldengine_cpu_s(w, h, args.seed)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    from bench import git_commit

    how = "measured" if ours["sampled"] >= ours["ticks"] else f"{ours['sampled']} ticks measured, times {ours['ticks']}"
    e = ours["erosion"]
    lines = [f"### Peers {args.grid} · {now} · commit {git_commit()} · process CPU time, one run", "",
             "| what | ours | peer | ours / peer |", "|---|--:|--:|--:|",
             f"| erosion tick vs fastscapelib SPL step (ms) | {e['ours_ms']:.0f} | "
             + (f"{e['peer_ms']:.0f} | {e['ours_ms'] / e['peer_ms']:.2f} |" if "peer_ms" in e else f"— | {e['note']} |")]
    if made is not None:
        ticks = ", ".join(f"{n} at {g}" for g, n in made["ticks"].items())
        e = made["erosion"]
        if "peer_ms" in e:
            lines += [f"| erosion tick on that finished world vs fastscapelib (ms) | {e['ours_ms']:.0f} | "
                      f"{e['peer_ms']:.0f} | {e['ours_ms'] / e['peer_ms']:.2f} |"]
        lines += [
             f"| finished world (`planet world`: {made['years'] / 1e9:.2g} Gyr coarse to fine; ticks {ticks}; land "
             f"{made['land_fraction']:.2f}, {made['global_temperature']:.1f} °C, plants {made['plant_mass']:.2g} km²) vs "
             f"worldengine world_gen (s) | {made['total_s']:.1f} | "
             + (f"{peer:.1f} | {made['total_s'] / peer:.2f} |" if peer is not None else "— | worldengine not installed |")]
    if args.full_ticks and not args.no_world:
        lines += [
             f"| without the coarse history: init {ours['init_s']:.1f} s + {ours['ticks']} full-grid ticks × "
             f"{ours['tick_s'] * 1e3:.0f} ms ({how}) (s) | {ours['total_s']:.0f} | "
             + (f"{peer:.1f} | {ours['total_s'] / peer:.1f} |" if peer is not None else "— | worldengine not installed |")]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.record:
        with RESULTS.open("a") as f:
            f.write("\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

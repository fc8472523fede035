#!/usr/bin/env python3
"""Same-run before/after on a shared CPU: two (or more) source trees side by side, measured in turns.

`python bench/compare.py --tree before=/path/to/old/checkout --tree after=. [--grid 256x128] [--rounds 8]`
starts one worker process per tree (its own `planet`, its own scenes/earth.toml unless `name=path:scene`
names another scene), moves each worker's clock to where every stage is active (bench.py's activate:
past the latest stage start, the geological dt) and runs --warm ticks; then, round after round, asks each
worker in turn for the process CPU time (GL finished) of four whole ticks (the climate's pressure blur
runs every 4th), of one full update of each stage (its cadenced passes too, with the u_dt = every x dt it runs with) and of one reduction of the planet-wide scalars. Moving the clock leaves the geology unrun: no plate is ever
seeded in the cycle it lands in, life is unseeded and nobody lives, so tectonics, life and people run on
a degenerate state there; `--checkpoint run.npz` (Simulation.save of a story run to the era of interest;
its grid, clock and params) starts every worker from a representative state instead.
Medians over the rounds, and each tree's ratio to the first, come out as a Markdown table: measured in
turns, a load that comes and goes on the machine hits every tree alike.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

WORKER = r'''
import json, sys, time
tree, scene, grid, warm, checkpoint = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
sys.path.insert(0, tree)
import planet
if checkpoint:
    sim = planet.Simulation.load(checkpoint, backend="fragment", allow_shader_change=True)
else:
    sim = planet.Simulation.headless(scene or tree + "/scenes/earth.toml", grid=grid, backend="fragment")
    years = max([float(v["start"]) for v in sim.params.values() if "start" in v] or [0.0]) + sim.scene.dt
    fired = sum(1 for ev in sim.scene.timeline if ev.at <= years)
    sim.set_clock(sim.tick, years, sim.scene.dt, fired, sim.view, sim.layer)
sim.step(warm)

def cpu(fn):
    sim.ctx.finish()
    t0 = time.process_time()
    fn()
    sim.ctx.finish()
    return (time.process_time() - t0) * 1e3

sim.pipeline.reduce(sim.builtins())   # the full reduction's programs are built at first use: not timed
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    out = {"tick": cpu(lambda: sim.step(4)) / 4}   # 4: a whole cadence of the pressure blur
    for st in sim.pipeline.stages:
        # cadenced passes too (u_edited), and a stage with every = k runs with u_dt = k x dt as in a tick
        full = {n: {**u, "u_edited": 1, "u_dt": float(sim.dt * sim.params[n].get("every", 1))}
                for n, u in sim.stage_uniforms().items()}
        out[st.name] = cpu(lambda st=st, full=full: sim.pipeline.run(st.step, full))
    out["reduce"] = cpu(lambda: sim.pipeline.reduce(sim.builtins()))
    out["runs"] = dict(getattr(sim.pipeline, "runs_done", {}))
    print(json.dumps(out), flush=True)
'''


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tree", action="append", required=True, help="name=path[:scene.toml] (the first is the reference)")
    ap.add_argument("--grid", default="256x128")
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--warm", type=int, default=10, help="ticks run after moving the clock, before timing")
    ap.add_argument("--checkpoint", default="", help="start every worker from this checkpoint (Simulation.save; its "
                    "grid, clock and params, e.g. a story run into its people era) instead of moving the clock "
                    "(which leaves the plates unseeded, the life unseeded and nobody living)")
    args = ap.parse_args(argv)
    trees = []
    for spec in args.tree:
        name, _, rest = spec.partition("=")
        path, _, scene = rest.partition(":")
        trees.append((name, str(Path(path).resolve()), scene))
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, path, scene, args.grid, str(args.warm),
                                 str(Path(args.checkpoint).resolve()) if args.checkpoint else ""], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True) for _, path, scene in trees]
    for w in workers:
        if not json.loads(w.stdout.readline()).get("ready"):
            raise SystemExit("compare: a worker failed to start")
    results = [[] for _ in trees]
    for _ in range(args.rounds):
        for i, w in enumerate(workers):
            w.stdin.write("go\n")
            w.stdin.flush()
            results[i].append(json.loads(w.stdout.readline()))
    for w in workers:
        w.stdin.close()
        w.wait(timeout=60)
    rows = ["tick"] + [k for k in results[0][0] if k not in ("tick", "runs")]
    med = [{k: statistics.median(r[k] for r in res) for k in rows if k in res[0]} for res in results]
    head = " | ".join(f"{name} CPU ms" for name, _, _ in trees[:1]) + "".join(
        f" | {name} CPU ms | {name} / {trees[0][0]}" for name, _, _ in trees[1:])
    grid = f"checkpoint {Path(args.checkpoint).name}" if args.checkpoint else f"Grid {args.grid}"
    lines = [f"{grid}, fragment backend, median of {args.rounds} rounds in turns (whole tick: mean of 4 ticks; "
             "stages: one full update each):", "", f"| row | {head} |", "|---|" + "--:|" * (2 * len(trees) - 1)]
    for k in rows:
        cells = [f"{med[0].get(k, float('nan')):.1f}"]
        for m in med[1:]:
            v = m.get(k)
            cells += [f"{v:.1f}", f"{v / med[0][k]:.2f}"] if v is not None and k in med[0] else ["—", "—"]
        lines.append(f"| {'whole tick' if k == 'tick' else k} | " + " | ".join(cells) + " |")
    runs = [f"{name}: " + (", ".join(f"{k.split('.')[-1]} {v}" for k, v in sorted(res[-1]["runs"].items())) or "full count")
            for (name, _, _), res in zip(trees, results, strict=True)]
    lines += ["", "Converged runs at the last round: " + "; ".join(runs)]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())

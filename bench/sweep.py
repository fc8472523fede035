"""Ensemble throughput: members per minute of `planet sweep` on a local Ray with 1 and 2 workers (and in
one process without Ray, for the overhead), same members, same run.

    .venv/bin/python bench/sweep.py [--members 8] [--ticks 100] [--grid 64x32]

Wall-clock figures (a sweep is wall-clock bound); Ray's start is timed apart from the members. The
machine may be shared: compare the rows of one run with each other, not across runs."""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import planet  # noqa: E402
from planet import ensemble  # noqa: E402


def run(workers: int, members: int, ticks: int, grid: str, scene: Path) -> tuple[float, float]:
    """(seconds to start Ray, seconds for the members) with `workers` local workers (0: no Ray)."""
    import ray

    out = Path(tempfile.mkdtemp(prefix="planet-sweep-bench-"))
    try:
        t0 = time.perf_counter()
        if workers:
            ensemble._start_ray(None, workers)
        t1 = time.perf_counter()
        planet.sweep(scene, seeds=f"0-{members - 1}", ticks=ticks, out=out, grid=grid, workers=workers, progress=False)
        t2 = time.perf_counter()
        return t1 - t0, t2 - t1
    finally:
        if workers and ray.is_initialized():
            ray.shutdown()
        shutil.rmtree(out, ignore_errors=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--members", type=int, default=8)
    ap.add_argument("--ticks", type=int, default=100)
    ap.add_argument("--grid", default="64x32")
    ap.add_argument("--scene", type=Path, default=ROOT / "scenes" / "tests" / "sweep.toml")
    args = ap.parse_args(argv)
    print(f"# planet sweep: {args.members} members x {args.ticks} ticks at {args.grid} ({args.scene.name}), "
          f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}")
    print("| workers | Ray start [s] | members [s] | members per minute |")
    print("|---|---|---|---|")
    for workers in (0, 1, 2):
        start, took = run(workers, args.members, args.ticks, args.grid, args.scene)
        label = "0 (one process, no Ray)" if workers == 0 else str(workers)
        print(f"| {label} | {start:.1f} | {took:.1f} | {60 * args.members / took:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The window's frame rate with every stage active (issue 16), under the current DISPLAY (run it with
xvfb-run on a machine without one): the window (1280x720, hidden) with the clock set past the era's
timeline events, as bench.py sets it (the fields stay those of tick 0; what a tick costs is the era's
passes), then frames for `--seconds` of wall clock at the asked speed. Prints frames/s, ticks/s, the
layer's redraws/s and the frame-time median, 95th percentile and worst: wall clock, so compare only
trees measured in turns in one run.

    xvfb-run -a python bench/window.py --grid 256x128 --era geological --seconds 10
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ERAS = {"geological": (3.0e9, None), "today": (4.5000005e9, 2.0)}   # years, dt (None: the scene's)


def measure(scene: str, grid: str, era: str, seconds: float, speed: int = 30) -> dict:
    import planet.app as app

    a = app.App(scene, grid=grid, backend="fragment", visible=False, speed=speed)
    try:
        sim = a.sim
        years, dt = ERAS[era]
        fired = sum(1 for ev in sim.scene.timeline if ev.at <= years)
        sim.set_clock(sim.tick, years, dt or sim.scene.dt, fired, sim.view, sim.layer)
        for ev in sim.scene.timeline[:fired]:
            for stage, values in ev.params.items():
                sim.params[stage].update(values)
        a.run(5)   # warm-up: programs compiled, the first bake drawn
        start, tick0, bakes0 = time.perf_counter(), sim.tick, sim.viewer.bakes
        frames, last = [], start
        while time.perf_counter() - start < seconds:
            a.frame()
            now = time.perf_counter()
            frames.append(now - last)
            last = now
        wall = time.perf_counter() - start
        frames.sort()
        return {"grid": grid, "era": era, "view": sim.view, "fps": len(frames) / wall,
                "ticks_per_s": (sim.tick - tick0) / wall, "redraws_per_s": (sim.viewer.bakes - bakes0) / wall,
                "frame_ms_median": 1e3 * frames[len(frames) // 2],
                "frame_ms_p95": 1e3 * frames[int(0.95 * len(frames))], "frame_ms_max": 1e3 * frames[-1]}
    finally:
        a.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scene", default=str(ROOT / "scenes" / "earth.toml"))
    ap.add_argument("--grid", default="256x128")
    ap.add_argument("--era", choices=sorted(ERAS), default="geological")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--speed", type=int, default=30, help="ticks per second asked (the window's default 30)")
    args = ap.parse_args(argv)
    r = measure(args.scene, args.grid, args.era, args.seconds, args.speed)
    print(f"{r['grid']} {r['era']} ({r['view']}): {r['fps']:.1f} fps, {r['ticks_per_s']:.1f} ticks/s, "
          f"{r['redraws_per_s']:.1f} redraws/s, frame ms median {r['frame_ms_median']:.0f} "
          f"p95 {r['frame_ms_p95']:.0f} max {r['frame_ms_max']:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

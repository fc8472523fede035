"""The satellite bake's CPU cost per overlay (issue #16): process CPU time of one bake after glFinish,
the median of `--reps` bakes, for the whole bake, the bake without each overlay, and the bare layer;
and one video frame (planet.frames.FrameRenderer at 1280x720, globe, night side) after a tick.
Usage: python bench/bake_profile.py CHECKPOINT [--size 1024x512] [--reps 5]. Run from the repo root."""
from __future__ import annotations

import argparse
import sys
import time

sys.path.insert(0, ".")
import planet  # noqa: E402
from planet.frames import FrameRenderer  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoint")
    ap.add_argument("--size", default="1024x512")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--layer", default="satellite")
    ap.add_argument("--no-each", action="store_true", help="only the whole bake and the video frame")
    a = ap.parse_args()
    bw, bh = (int(v) for v in a.size.split("x"))
    sim = planet.Simulation.load(a.checkpoint, backend="fragment", allow_shader_change=True)
    v = sim.viewer
    grid = sim.scene.grid
    frame = (bw, 1)   # a frame bw pixels wide bakes k x the grid, k = bw / W (planet.view.bake_size)

    def bake_ms() -> float:
        v.bake_cache.clear()
        v.invalidate()
        v.baked(a.layer, frame, sim.builtins())   # compiles
        ts = []
        for _ in range(a.reps):
            v.invalidate()
            sim.ctx.finish()
            t = time.process_time()
            v.baked(a.layer, frame, sim.builtins())
            sim.ctx.finish()
            ts.append((time.process_time() - t) * 1e3)
        return min(ts)

    allov = v.overlays
    print(f"bake {a.layer} {bw}x{bh} (grid {grid[0]}x{grid[1]}), CPU ms, min of {a.reps}")
    full = bake_ms()
    print(f"  whole bake            {full:7.1f}")
    if not a.no_each:
        for o in allov:
            if o.layer != a.layer:
                continue
            v.overlays = tuple(x for x in allov if x is not o)
            print(f"  {o.function:22s}{full - bake_ms():7.1f}  (whole - without it)")
        v.overlays = tuple(o for o in allov if o.layer != a.layer)
        print(f"  layer, no overlays    {bake_ms():7.1f}")
        v.overlays = allov
    v.bake_cache.clear()
    fr = FrameRenderer(sim)
    v.camera.night = 0.8
    fr.render_yuv420((1280, 720), a.layer, 1.0)
    ts = []
    for _ in range(a.reps):
        v.invalidate()
        sim.ctx.finish()
        t = time.process_time()
        fr.render_yuv420((1280, 720), a.layer, 1.0)
        sim.ctx.finish()
        ts.append((time.process_time() - t) * 1e3)
    print(f"  video frame 1280x720 globe after a tick {min(ts):7.1f}")


if __name__ == "__main__":
    main()

"""The satellite bake's CPU cost per overlay (issue #16): process CPU time of one bake after glFinish,
the median of `--reps` bakes, for the whole bake, the bake without each overlay, and the bare layer;
and one video frame (planet.frames.FrameRenderer at 1280x720, globe, night side) after a tick.
and, with --video N, N frames of planet.video.render (one tick a frame). Usage: python bench/bake_profile.py
CHECKPOINT [--size 1024x512] [--reps 5] [--video 30]. Run from the repo root (it imports ./planet)."""
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
    ap.add_argument("--video", type=int, default=0, help="also render this many frames with planet.video "
                    "(1280x720 globe, one tick a frame: the tick, the bake and the frame) and report CPU per frame")
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
    if a.video:
        import tempfile
        from pathlib import Path

        from planet import video

        sim.release()
        sim = planet.Simulation.load(a.checkpoint, backend="fragment", allow_shader_change=True)
        with tempfile.TemporaryDirectory() as tmp:
            video.render(sim, Path(tmp) / "warm.mp4", seconds=2 / 30, view="globe", layer=a.layer, progress=False)
            t = time.process_time()
            video.render(sim, Path(tmp) / "v.mp4", seconds=a.video / 30, view="globe", layer=a.layer, progress=False)
            per = (time.process_time() - t) * 1e3 / a.video
        print(f"  planet.video.render, 1280x720 globe, 1 tick a frame: {per:7.1f} CPU ms a frame (ffmpeg not counted)")


if __name__ == "__main__":
    main()

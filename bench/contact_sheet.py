#!/usr/bin/env python3
"""A contact sheet: every layer of a scene in the map and globe views at several eras, in one PNG.

    python bench/contact_sheet.py [--scene scenes/earth.toml] [--grid 128x64] [--ticks 0,50,150,450,1000,2000,3000,4500]
                                  [--cell 256] [-o out/contact_sheet.png]

One row per (era, view), one column per layer; each picture is `--cell` pixels wide (maps 2:1, globes
square, letterboxed into the same 2:1 cell), drawn by planet.frames.FrameRenderer without legend, and
labelled with the layer, the view and the simulated date. The simulation steps from era to era in one
run (the eras are ticks, in increasing order), so the sheet shows one history. Used for the
before/after sheets of issue #15 (run it on two commits with the same arguments and compare).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planet import Simulation  # noqa: E402
from planet.errors import PlanetError  # noqa: E402
from planet.frames import FrameRenderer, format_date  # noqa: E402

VIEWS = ("map", "globe")


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scene", default=str(ROOT / "scenes" / "earth.toml"))
    ap.add_argument("--grid", default="128x64", help="simulation grid WxH (default 128x64)")
    ap.add_argument("--ticks", default="0,50,150,450,1000,2000,3000,4500",
                    help="comma list of increasing ticks to show (default 0,50,150,450,1000,2000,3000,4500)")
    ap.add_argument("--cell", type=int, default=256, help="width of one picture [pixels] (default 256)")
    ap.add_argument("--layers", help="comma list of layers (default: every layer of the scene)")
    ap.add_argument("-o", "--out", default=str(ROOT / "out" / "contact_sheet.png"))
    args = ap.parse_args(argv)
    try:
        args.ticks = [int(t) for t in args.ticks.split(",") if t.strip()]
    except ValueError:
        ap.error(f"--ticks: expected a comma list of whole numbers, got {args.ticks!r}")
    if not args.ticks or any(t < 0 for t in args.ticks) or args.ticks != sorted(args.ticks):
        ap.error(f"--ticks: expected increasing non-negative ticks, got {args.ticks}")
    if not 32 <= args.cell <= 2048:
        ap.error(f"--cell: expected 32..2048 pixels, got {args.cell}")
    return args


def label(image: np.ndarray, text: str) -> np.ndarray:
    """`image` (h, w, 3) with `text` in white on a dark strip along its top."""
    from PIL import Image, ImageDraw

    from planet.overlay import _font

    im = Image.fromarray(np.ascontiguousarray(image))
    px = max(10, image.shape[1] // 22)
    draw = ImageDraw.Draw(im, "RGBA")
    draw.rectangle((0, 0, image.shape[1], px + 4), fill=(0, 0, 0, 160))
    draw.text((3, 2), text, font=_font(px), fill=(255, 255, 255, 255))
    return np.asarray(im)


def picture(frames: FrameRenderer, view: str, layer: str, cell: int) -> np.ndarray:
    """The layer in `view` in a cell x cell/2 picture (a globe is drawn square and centred in it)."""
    w, h = cell, cell // 2
    if view == "map":
        return np.array(frames.render((w, h), layer, 0.0, legend=False))
    globe = np.array(frames.render((h, h), layer, 1.0, legend=False))
    out = np.zeros((h, w, 3), np.uint8)
    out[:, (w - h) // 2:(w - h) // 2 + h] = globe
    return out


def sheet(args) -> np.ndarray:
    grid = tuple(int(v) for v in args.grid.lower().split("x"))
    sim = Simulation.headless(args.scene, grid=grid)
    try:
        layers = [s.strip() for s in args.layers.split(",")] if args.layers else sim.layer_names
        for layer in layers:
            sim.check_view("map", layer)
        frames = FrameRenderer(sim)
        rows = []
        for tick in args.ticks:
            sim.step(tick - sim.tick)
            date = format_date(sim.years, sim.scene.present)
            print(f"contact sheet: tick {tick} ({date})", file=sys.stderr, flush=True)
            for view in VIEWS:
                rows.append(np.concatenate([label(picture(frames, view, layer, args.cell), f"{layer} · {view} · {date}")
                                            for layer in layers], axis=1))
        frames.release()
        return np.concatenate(rows, axis=0)
    finally:
        sim.release()


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        image = sheet(args)
    except PlanetError as exc:
        print(f"contact sheet: {exc}", file=sys.stderr)
        return 2
    from planet.atomic import write_png_atomic

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_png_atomic(out, image)
    print(f"contact sheet: wrote {out} ({image.shape[1]}x{image.shape[0]})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

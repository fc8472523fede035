"""Command-line front-ends. Every user error is one line on stderr and exit code 2, no traceback."""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from .atomic import catch_signals, check_outputs, interrupt_message, write_png_atomic
from .errors import PlanetError
from .scene import VIEWS

MAX_IMAGE = 16384  # pixels per side of a still or window (GL_MAX_TEXTURE_SIZE on most drivers)
MAX_TICKS = 10**9  # --ticks, --ticks-per-frame


class OneLineParser(argparse.ArgumentParser):
    """argparse whose usage errors are one line, `prog: error: ...`, exit 2 (no usage block)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {' '.join(message.split())}\n")


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WxH like 1024x512, got {text[:40]!r}") from None
    if not (1 <= w <= MAX_IMAGE and 1 <= h <= MAX_IMAGE):
        raise argparse.ArgumentTypeError(f"size {text[:40]!r}: each side must be 1..{MAX_IMAGE} pixels")
    return w, h


def number(lo: float, hi: float, unit: str = ""):
    """An argparse type: a finite float in (lo, hi] (nan, inf and 1e300 are refused, naming the range)."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text[:40]!r}") from None
        if not (math.isfinite(value) and lo < value <= hi):
            raise argparse.ArgumentTypeError(f"{text[:40]!r} is outside ({lo:g}, {hi:g}]{' ' + unit if unit else ''}")
        return value
    return parse


def count(hi: int):
    """An argparse type: an integer in [0, hi]."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {text[:40]!r}") from None
        if not 0 <= value <= hi:
            raise argparse.ArgumentTypeError(f"{text[:40]!r} is outside [0, {hi}]")
        return value
    return parse


def interrupted(prog: str, exc: BaseException, what: str = "no output written") -> int:
    """Print `prog: interrupted (SIGTERM); <what>` and return the exit code (128 + the signal)."""
    text, code = interrupt_message(exc)
    print(f"{prog}: {text}; {what}", file=sys.stderr)
    return code


# --auto: (frame size, grid) per kind of renderer. The CPU figures keep the whole default story (about
# 7,000 frames) under 15 minutes on 2 cores with Mesa llvmpipe (bench/RESULTS.md).
AUTO = {"gpu": ("1920x1080", "2048x1024"), "cpu": ("640x360", "128x64")}


def auto_settings(args) -> None:
    """Fill --size and --grid for this machine's renderer (a GPU or a CPU rasterizer) where not given."""
    from . import gl

    ctx = gl.create_headless()
    try:
        kind = "cpu" if gl.describe(ctx)["software"] else "gpu"
    finally:
        ctx.release()
    size, grid = AUTO[kind]
    args.size = args.size or parse_size(size)
    args.grid = args.grid or grid
    print(f"render.py: --auto: {'a CPU rasterizer' if kind == 'cpu' else 'a GPU'}: {args.size[0]}x{args.size[1]} "
          f"frames of a {args.grid} grid", file=sys.stderr)


def render_parser() -> argparse.ArgumentParser:
    from .video import MAX_FPS, MAX_SECONDS

    ap = OneLineParser(
        prog="render.py", description="Render a scene headless: a video (.mp4/.mkv/.mov), PNG frames, or PNG stills.",
        epilog="examples:  render.py scenes/earth.toml -o out/earth.mp4 --seconds 20   |   "
               "render.py scenes/earth.toml -o out/earth.png --view both --ticks 700")
    out = ap.add_mutually_exclusive_group(required=True)
    out.add_argument("-o", "--output", type=Path,
                     help="a video (.mp4, .mkv, .mov) or a still (.png; with --view both, _map/_globe are added)")
    out.add_argument("--frames", type=Path, metavar="DIR", help="write the video's frames as PNG files into DIR")
    ap.add_argument("scene", help="scene TOML file, e.g. scenes/earth.toml")
    ap.add_argument("--view", choices=[*VIEWS, "both"],
                    help="map or globe (default: videos follow the scene's timeline, stills use map); both: stills only")
    ap.add_argument("--layer", help="layer to draw (default: videos follow the timeline, stills use satellite)")
    ap.add_argument("--size", type=parse_size, help="image size WxH (default 1280x720 for video; grid size for a map still)")
    ap.add_argument("--fps", type=number(0, MAX_FPS), default=30.0,
                    help=f"video frames per second, up to {MAX_FPS} (default 30)")
    ap.add_argument("--seconds", type=number(0, MAX_SECONDS, "s"), help="video length in seconds (default: the whole "
                    "story, up to the timeline's end event and its fade-out; 10 s when the scene has no end event)")
    ap.add_argument("--ticks-per-frame", type=count(MAX_TICKS), default=1,
                    help="simulation ticks between video frames (default 1)")
    ap.add_argument("--ticks", type=count(MAX_TICKS), default=0,
                    help="ticks to simulate before the first frame / the still (default 0)")
    ap.add_argument("--no-overlay", action="store_true", help="videos: no caption and legend")
    ap.add_argument("--auto", action="store_true", help="pick the grid and frame size for this machine (flags given "
                    f"override): a GPU renders {AUTO['gpu'][0]} frames of a {AUTO['gpu'][1]} grid, a CPU rasterizer "
                    f"{AUTO['cpu'][0]} frames of a {AUTO['cpu'][1]} grid (the whole story in minutes on 2 cores)")
    ap.add_argument("--seed", type=int, help="override the scene seed")
    ap.add_argument("--grid", help="override the grid, WxH with W = 2H")
    ap.add_argument("--backend", default="auto", help="auto, fragment or compute (default auto)")
    ap.add_argument("--heightmap", type=Path, help="start from this equirectangular heightmap (.png + .json or .tif)")
    ap.add_argument("--land-mask", type=Path, help="start from this land mask image (white = land)")
    return ap


def render_main(argv=None) -> int:
    args = render_parser().parse_args(argv)
    with catch_signals():  # SIGTERM and SIGHUP end the render like Ctrl-C: cleaned up, one line
        try:
            return _render(args)
        except PlanetError as exc:
            print(f"render.py: error: {one_line(exc)}{_kept(exc)}", file=sys.stderr)
            return 2
        except MemoryError:
            print(f"render.py: error: out of memory (grid {args.grid or 'of the scene'}); use a smaller "
                  "--grid or --size", file=sys.stderr)
            return 2
        except KeyboardInterrupt as exc:
            kept = getattr(exc, "frames_kept", None)
            what = (f"--frames: {kept[1]} frames kept in {kept[0]}" if kept and kept[1] else "no output written")
            return interrupted("render.py", exc, what)


def one_line(exc: BaseException) -> str:
    """The error's message on one line (names from files may hold line breaks)."""
    return " ".join(str(exc).split("\n")).replace("\r", " ")


def _kept(exc: BaseException) -> str:
    kept = getattr(exc, "frames_kept", None)
    if not kept:
        return ""
    return f" (--frames: {kept[1]} frames kept in {kept[0]})" if kept[1] else " (no frames written)"


def _render(args) -> int:
    from . import video
    from .simulation import Simulation

    out = args.output
    still = out is not None and out.suffix.lower() == ".png"
    if out is not None and not still and out.suffix.lower() not in video.VIDEO_SUFFIXES:
        raise PlanetError(f"{out}: unsupported output type '{out.suffix}'; valid: .png, {', '.join(video.VIDEO_SUFFIXES)}")
    if out is not None and not out.parent.is_dir():
        raise PlanetError(f"{out}: output directory {out.parent} does not exist")
    if args.frames is not None and not args.frames.parent.is_dir():
        raise PlanetError(f"{args.frames}: parent directory {args.frames.parent} does not exist")
    if args.frames is not None and args.frames.exists() and not args.frames.is_dir():
        raise PlanetError(f"--frames {args.frames}: exists and is not a directory; give a new or empty folder")
    if args.view == "both" and not still:
        raise PlanetError("--view both is for PNG stills; a video shows one view at a time (it follows the timeline)")
    if args.auto:
        auto_settings(args)
    if not still:
        video.check_video_size(args.size or (1280, 720))
        if args.seconds is not None:
            video.frame_count(None, args.fps, args.seconds, args.ticks_per_frame)  # the frame limit, before any work
    views = list(VIEWS) if args.view == "both" else [args.view or "map"]
    check_outputs(_outputs(args, still, views))  # a read-only or full folder fails now, not after the ticks
    with Simulation.headless(args.scene, seed=args.seed, grid=args.grid, backend=args.backend,
                             heightmap=args.heightmap, land_mask=args.land_mask) as sim:
        for view in views:
            sim.check_view(view, args.layer or "satellite")
        print(sim.info(), file=sys.stderr)
        sim.step(args.ticks)
        if not still:
            seconds = args.seconds if args.seconds is not None or sim.scene.end is not None else 10.0
            n = video.render(sim, out, args.frames, size=args.size or (1280, 720), fps=args.fps,
                             seconds=seconds, ticks_per_frame=args.ticks_per_frame, view=args.view,
                             layer=args.layer, overlay=not args.no_overlay)
            print(f"wrote {out or args.frames} ({n} frames, tick {sim.tick}, {sim.years:.4g} years)", file=sys.stderr)
            return 0
        for view, path in zip(views, _outputs(args, still, views), strict=True):
            write_png_atomic(path, sim.snapshot(view, args.layer or "satellite", args.size))
            print(f"wrote {path} (tick {sim.tick}, {sim.years:.4g} years)", file=sys.stderr)
    return 0


def _outputs(args, still: bool, views) -> list[Path]:
    """The files a render writes (for --frames: the first frame, or the folder itself when new)."""
    out = args.output
    if out is None:
        return [args.frames / "frame_00000.png" if args.frames.is_dir() else args.frames]
    if still and len(views) > 1:
        return [out.with_name(f"{out.stem}_{view}{out.suffix}") for view in views]
    return [out]

"""Command-line front-ends. Every user error is one line on stderr and exit code 2, no traceback."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from .errors import PlanetError
from .scene import VIEWS


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WxH like 1024x512, got {text!r}") from None
    if w < 1 or h < 1:
        raise argparse.ArgumentTypeError(f"size {text!r} must be positive")
    return w, h


def write_png_atomic(path: Path, image) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written PNG."""
    import imageio.v3 as iio

    path = Path(path)
    if not path.parent.is_dir():
        raise PlanetError(f"{path}: output directory {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".png", dir=path.parent)
    os.close(fd)
    try:
        iio.imwrite(tmp, image, extension=".png")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a PNG is as readable as any new file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="render.py", description="Render a scene headless to PNG stills.")
    ap.add_argument("scene", help="scene TOML file, e.g. scenes/earth.toml")
    ap.add_argument("-o", "--output", required=True, type=Path,
                    help="output .png; with --view both, '_map' and '_globe' are added before .png")
    ap.add_argument("--view", default="map", choices=[*VIEWS, "both"], help="map, globe or both (default map)")
    ap.add_argument("--layer", default="satellite", help="layer to draw (default satellite)")
    ap.add_argument("--size", type=parse_size, help="image size WxH (default: grid size for map, HxH for globe)")
    ap.add_argument("--ticks", type=int, default=0, help="ticks to simulate before rendering (default 0)")
    ap.add_argument("--seed", type=int, help="override the scene seed")
    ap.add_argument("--grid", help="override the grid, WxH with W = 2H")
    ap.add_argument("--backend", default="auto", help="auto, fragment or compute (default auto)")
    return ap


def render_main(argv=None) -> int:
    args = render_parser().parse_args(argv)
    try:
        return _render(args)
    except PlanetError as exc:
        print(f"render.py: error: {exc}", file=sys.stderr)
        return 2


def _render(args) -> int:
    from .simulation import Simulation

    out = args.output
    if out.suffix.lower() != ".png":
        raise PlanetError(f"{out}: unsupported output type '{out.suffix}'; valid: .png")
    if not out.parent.is_dir():
        raise PlanetError(f"{out}: output directory {out.parent} does not exist")
    if args.ticks < 0:
        raise PlanetError(f"--ticks must be >= 0, got {args.ticks}")
    views = list(VIEWS) if args.view == "both" else [args.view]
    with Simulation.headless(args.scene, seed=args.seed, grid=args.grid, backend=args.backend) as sim:
        for view in views:
            sim.viewer.check(view, args.layer)
        print(sim.info(), file=sys.stderr)
        sim.step(args.ticks)
        for view in views:
            path = out.with_name(f"{out.stem}_{view}{out.suffix}") if len(views) > 1 else out
            write_png_atomic(path, sim.snapshot(view, args.layer, args.size))
            print(f"wrote {path} (tick {sim.tick}, {sim.years:.4g} years)", file=sys.stderr)
    return 0

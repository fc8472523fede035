"""`planet export`: write a planet's heightmap, fields, views, cube map or a checkpoint to files.

    planet export KIND SOURCE -o OUTPUT [options]

`export_main(argv) -> int` is the whole command (argv without the program and subcommand names).
User errors are one line `planet export: error: ...` on stderr and exit code 2; Ctrl-C is 130 and
leaves nothing written.
"""
from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from .atomic import catch_signals
from .cli import MAX_IMAGE, MAX_TICKS, count, interrupted, one_line
from .errors import PlanetError

KINDS = {
    "heightmap": "elevation relative to sea level: OUTPUT.png (16-bit grey + OUTPUT.json sidecar with "
                 "offset/step in m, sea level, planet radius, grid, lon/lat extent) or OUTPUT.tif/.tiff "
                 "(float32 GeoTIFF, geographic WGS 84 lat/lon)",
    "field": "--name: a quantity (e.g. elevation, land) or a field channel (e.g. terrain.bedrock): OUTPUT.png, "
             "16-bit grey + OUTPUT.json with offset, step, min, max",
    "view": "--view map|globe, --layer, --size WxH: the picture as OUTPUT.png (8-bit RGB)",
    "cubemap": "--size N: elevation on six N x N cube faces (OpenGL order and orientation): "
               "OUTPUT_{px,nx,py,ny,pz,nz}.png (16-bit) or .npy (float32 m) + OUTPUT.json",
    "checkpoint": "OUTPUT.npz: every field, the clock, params, seed and scene; resume with "
                  "Simulation.load(OUTPUT) or use it as SOURCE",
}

EPILOG = """\
SOURCE is a scene .toml (run from tick 0, then --ticks) or a checkpoint .npz (resumed where it was
saved, then --ticks). Files are written atomically: on any error or Ctrl-C nothing is left behind.
Images are equirectangular with row 0 = north and column 0 = lon -180.

examples:
  planet export heightmap scenes/earth.toml --ticks 700 -o out/earth.tif
  planet export heightmap scenes/earth.toml --ticks 700 -o out/earth.png     # + out/earth.json
  planet export field out/run.npz --name terrain.glow -o out/glow.png
  planet export view scenes/earth.toml --view globe --layer elevation --size 2048x2048 -o out/globe.png
  planet export cubemap scenes/earth.toml --size 512 -o out/cube.png
  planet export checkpoint scenes/earth.toml --ticks 300 -o out/run.npz
  planet export heightmap scenes/earth.toml --heightmap my_world.tif --ticks 50 -o out/eroded.tif
"""


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage block
        raise _UsageError(message)


def _size(text: str) -> tuple[int, int] | int:
    try:
        if "x" in text.lower():
            w, h = (int(v) for v in text.lower().split("x"))
            if 1 <= w <= MAX_IMAGE and 1 <= h <= MAX_IMAGE:
                return w, h
        elif 1 <= int(text) <= MAX_IMAGE:
            return int(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"expected WxH like 1024x512 (or N for a cube face), each 1..{MAX_IMAGE}, "
                                     f"got {text[:40]!r}")


def export_parser() -> argparse.ArgumentParser:
    kinds = "\n".join(textwrap.fill(v, 100, initial_indent=f"  {k:<11} ", subsequent_indent=" " * 14)
                      for k, v in KINDS.items())
    ap = _Parser(prog="planet export", formatter_class=argparse.RawDescriptionHelpFormatter,
                 usage="planet export KIND SOURCE -o OUTPUT [options]",
                 description=f"Export a planet to files.\n\nKIND:\n{kinds}", epilog=EPILOG)
    ap.add_argument("kind", metavar="KIND", choices=list(KINDS), help=", ".join(KINDS))
    ap.add_argument("source", metavar="SOURCE", help="a scene .toml or a checkpoint .npz")
    ap.add_argument("-o", "--output", required=True, type=Path, help="the file to write (its folder must exist)")
    ap.add_argument("--ticks", type=count(MAX_TICKS), default=0, help="ticks to simulate before exporting (default 0)")
    ap.add_argument("--seed", type=int, help="override the scene seed (scene sources only)")
    ap.add_argument("--grid", help="override the grid, WxH with W = 2H (scene sources only)")
    ap.add_argument("--backend", default="auto", help="auto, fragment or compute (default auto)")
    ap.add_argument("--heightmap", type=Path, help="start from this elevation map instead of the protoplanet: "
                    ".tif/.tiff in m relative to sea level, or .png with a .json sidecar (scene sources only)")
    ap.add_argument("--land-mask", type=Path, help="land-mask image (land where at least half white) that sets "
                    "the coastline (scene sources only)")
    ap.add_argument("--allow-shader-change", action="store_true", help="checkpoint sources: load one saved by "
                    "another version of planet (its changed scratch fields rebuilt, new params at their defaults)")
    ap.add_argument("--name", help="field: the quantity or FIELD.CHANNEL to export")
    ap.add_argument("--view", default="map", help="view: map or globe (default map)")
    ap.add_argument("--layer", default="satellite", help="view: the layer to draw (default satellite)")
    ap.add_argument("--size", type=_size, help="view: WxH (default: grid size for map, HxH for globe); "
                    "cubemap: face size N (default H/2)")
    return ap


def export_main(argv=None) -> int:
    """Run `planet export` with `argv` (default sys.argv[1:]); returns the exit code."""
    parser = export_parser()
    args = None
    try:
        args = parser.parse_args(argv)
        with catch_signals():  # SIGTERM and SIGHUP end it like Ctrl-C: nothing written, one line
            return _run(args)
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    except (_UsageError, PlanetError) as exc:
        print(f"planet export: error: {one_line(exc)}", file=sys.stderr)
        return 2
    except MemoryError:
        print(f"planet export: error: out of memory (grid {getattr(args, 'grid', None) or 'of the source'}); use a smaller --grid "
              "or --size", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        return interrupted("planet export", exc, "nothing written")


def _run(args) -> int:
    from . import maps
    from .atomic import check_outputs
    from .scene import VIEWS
    from .simulation import Simulation

    src = Path(args.source)
    checkpoint = src.suffix.lower() == ".npz"
    if args.ticks < 0:
        raise PlanetError(f"--ticks must be >= 0, got {args.ticks}")
    if checkpoint:
        from .checkpoint import refuse_remake

        refuse_remake(src, {"--seed": args.seed, "--grid": args.grid, "--heightmap": args.heightmap,
                            "--land-mask": args.land_mask})
    elif args.allow_shader_change:
        raise PlanetError("--allow-shader-change applies to checkpoint sources (.npz) only")
    if args.kind == "field" and not args.name:
        raise PlanetError("field needs --name (a quantity such as elevation, or a field channel such as terrain.bedrock)")
    for flag, value, kinds in (("--name", args.name, ("field",)), ("--size", args.size, ("view", "cubemap"))):
        if value is not None and args.kind not in kinds:
            raise PlanetError(f"{flag} applies to {' and '.join(kinds)} only, not {args.kind}")
    if args.kind == "view" and args.size is not None and not isinstance(args.size, tuple):
        raise PlanetError(f"view --size must be WxH like 1024x512, got {args.size}")
    out = args.output
    valid = {"heightmap": maps.HEIGHTMAP_EXTS, "field": (".png",), "view": (".png",),
             "cubemap": (".png", ".npy"), "checkpoint": (".npz",)}[args.kind]
    if out.suffix.lower() not in valid:
        raise PlanetError(f"{out}: unsupported file type {out.suffix or '(none)'!r} for {args.kind}; valid: {', '.join(valid)}")
    check_outputs([out])  # fail before any simulating
    if checkpoint:
        sim = Simulation.load(src, backend=args.backend, allow_shader_change=args.allow_shader_change)
    else:
        sim = Simulation.headless(args.source, seed=args.seed, grid=args.grid, backend=args.backend,
                                  heightmap=args.heightmap, land_mask=args.land_mask)
    with sim:
        if args.kind == "view" and (args.view not in VIEWS or args.layer not in sim.layers):
            raise PlanetError(f"--view {args.view!r} --layer {args.layer!r}: valid views: {', '.join(VIEWS)}; "
                              f"layers: {', '.join(sim.layers)}")
        print(sim.info(), file=sys.stderr)
        sim.step(args.ticks)
        if args.kind == "checkpoint":
            written = [sim.save(out)]
        else:
            written = sim.export(out, args.kind, name=args.name, view=args.view, layer=args.layer, size=args.size)
        for path in written:
            print(f"wrote {path} (tick {sim.tick}, {sim.years:.4g} years)", file=sys.stderr)
    return 0

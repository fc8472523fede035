#!/usr/bin/env python3
"""Figures behind a contact sheet: issue #15's items measured at several eras of one run of a scene.

    PYTHONPATH=. python bench/era_figures.py [--scene scenes/earth.toml] [--grid 128x64]
                                            [--ticks 0,150,600,2000,4500] [--save-elevation DIR]

One row per era (the simulation steps from era to era in one run, as bench/contact_sheet.py does, so
with the same arguments the rows describe the sheet's pictures). All shares are area-weighted; a
quantity the tree does not have (an older commit) prints as "-". Columns:

- land %, mean land [m], land > 3 km %, max [m]: hypsometry (drowning land, issue #15 item 1).
- stripe col / row: tests/test_land.py's stripe score (largest whole-column / whole-row mean of the
  second difference across it over the mean |second difference|, |lat| < 60; the test wants < 1.8)
  and the column it peaks at.
- holes: cells > 1 km below all 8 neighbours (tests/test_land.py's rule).
- mer. cliffs: runs of >= 8 consecutive rows in which the step to the next column east exceeds 1 km
  (a straight north-south wall along one grid column), and the longest such run [rows].
- pole N / S: mean |across-column second difference| over the 3 rows at each pole, over the same
  in |lat| < 60 (relief squeezed into the pole rows: spokes, dotted rows).
- rain max, zonal max [mm/yr], band lat, band width: the precipitation maximum, the zonal-mean
  maximum, its latitude and its width at half maximum [deg].
- cloud %, tropics, subtropics: mean cloud cover; over |lat| < 10 and 15 < |lat| < 35.
- ice %: sea ice > 0.5 or snow > 10 mm.
- lake cells: land cells with lake_depth > 0; basins: river basins of >= 20 land cells.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import planet.grid  # noqa: E402
from planet import Simulation  # noqa: E402
from planet.errors import PlanetError  # noqa: E402

COLUMNS = ("tick", "land %", "mean land m", ">3 km %", "max m", "stripe col", "at", "stripe row", "holes",
           "mer. cliffs", "longest", "pole N", "pole S", "rain max", "zonal max", "band lat", "band width",
           "cloud %", "tropics", "subtropics", "ice %", "lake cells", "basins")


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scene", default=str(ROOT / "scenes" / "earth.toml"))
    ap.add_argument("--grid", default="128x64", help="simulation grid WxH (default 128x64)")
    ap.add_argument("--ticks", default="0,150,600,2000,4500", help="comma list of increasing ticks")
    ap.add_argument("--save-elevation", metavar="DIR", help="also save elevation_<tick>.npy [m] (H, W) there")
    args = ap.parse_args(argv)
    try:
        args.ticks = [int(t) for t in args.ticks.split(",") if t.strip()]
        args.grid = tuple(int(v) for v in args.grid.lower().split("x"))
    except ValueError:
        ap.error(f"expected --ticks as whole numbers and --grid as WxH, got {args.ticks!r}, {args.grid!r}")
    if not args.ticks or any(t < 0 for t in args.ticks) or args.ticks != sorted(args.ticks):
        ap.error(f"--ticks: expected increasing non-negative ticks, got {args.ticks}")
    if len(args.grid) != 2:
        ap.error(f"--grid: expected WxH, got {args.grid}")
    return args


def latitudes(h: int) -> np.ndarray:
    """Cell-centre latitudes [deg], row 0 = south."""
    return -90.0 + (np.arange(h) + 0.5) * 180.0 / h


def stripe_score(e: np.ndarray, axis: int) -> tuple[float, int]:
    """tests/test_land.py's score (axis 1: columns, 0: rows) and where it peaks (column / band row)."""
    band = e[np.abs(latitudes(e.shape[0])) < 60]
    if axis == 1:
        r = band - 0.5 * (np.roll(band, 1, 1) + np.roll(band, -1, 1))
        s = np.abs(r.mean(axis=0))
    else:
        r = band[1:-1] - 0.5 * (band[2:] + band[:-2])
        s = np.abs(r.mean(axis=1))
    return float(s.max() / np.abs(r).mean()), int(s.argmax())


def holes(e: np.ndarray, depth: float = 1000.0) -> int:
    """Cells more than `depth` [m] below all 8 neighbours (longitude wraps; the pole rows pad by copy)."""
    pad = np.concatenate([e[:1], e, e[-1:]])
    nb = [np.roll(pad, (dj, di), (0, 1))[1:-1] for dj in (-1, 0, 1) for di in (-1, 0, 1) if (di, dj) != (0, 0)]
    return int((e < np.min(nb, axis=0) - depth).sum())


def meridional_cliffs(e: np.ndarray, step: float = 1000.0, rows: int = 8) -> tuple[int, int]:
    """(runs of >= `rows` consecutive rows whose step to the next column east exceeds `step` [m] with
    one sign, the longest run of any length)."""
    dx = np.roll(e, -1, 1) - e
    count, longest = 0, 0
    for mask in (dx > step, dx < -step):
        padded = np.zeros((mask.shape[0] + 2, mask.shape[1]), np.int8)
        padded[1:-1] = mask
        d = np.diff(padded, axis=0)
        for i in range(mask.shape[1]):
            lengths = np.where(d[:, i] == -1)[0] - np.where(d[:, i] == 1)[0]
            count += int((lengths >= rows).sum())
            longest = max(longest, int(lengths.max(initial=0)))
    return count, longest


def pole_roughness(e: np.ndarray) -> tuple[float, float]:
    """(north, south): mean |across-column second difference| of the 3 pole rows over that at |lat| < 60."""
    r = np.abs(e - 0.5 * (np.roll(e, 1, 1) + np.roll(e, -1, 1)))
    mid = r[np.abs(latitudes(e.shape[0])) < 60].mean()
    return float(r[-3:].mean() / mid), float(r[:3].mean() / mid)


def era_row(sim, area: np.ndarray) -> list:
    names = sim.quantities

    def q(name):
        return sim.quantity(name).astype(np.float64) if name in names else None

    lat = latitudes(area.shape[0])
    e = q("elevation")
    land = e > 0
    la = max(area[land].sum(), 1e-9)
    col, at = stripe_score(e, 1)
    row = [sim.tick, 100 * la / area.sum(), (area * e)[land].sum() / la, 100 * area[land & (e > 3000)].sum() / la,
           e.max(), col, at, stripe_score(e, 0)[0], holes(e), *meridional_cliffs(e), *pole_roughness(e)]
    p = q("precipitation")
    if p is None:
        row += [None] * 4
    else:
        z = p.mean(axis=1)
        jm = int(np.argmax(z))
        above = np.where(z >= 0.5 * z[jm])[0] if z[jm] > 0 else np.array([0, area.shape[0] - 1])
        row += [p.max(), z[jm], lat[jm], (above.max() - above.min() + 1) * 180.0 / area.shape[0]]
    c = q("cloud_cover")
    if c is None:
        row += [None] * 3
    else:
        tropics, subtropics = np.abs(lat) < 10, (np.abs(lat) > 15) & (np.abs(lat) < 35)
        row += [100 * (area * c).sum() / area.sum(), (area * c)[tropics].sum() / area[tropics].sum(),
                (area * c)[subtropics].sum() / area[subtropics].sum()]
    ice, snow = q("sea_ice"), q("snow")
    row.append(None if ice is None or snow is None else 100 * area[(ice > 0.5) | (snow > 10.0)].sum() / area.sum())
    lakes = q("lake_depth")
    row.append(None if lakes is None else int(((lakes > 0) & land).sum()))
    basin = q("basin")
    if basin is None:
        row.append(None)
    else:
        _, sizes = np.unique(basin[land].astype(np.int64), return_counts=True)
        row.append(int((sizes >= 20).sum()))
    return row


def fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return f"{v:.3g}" if abs(v) < 1000 else f"{v:.0f}"


def main(argv=None) -> int:
    args = parse_args(argv)
    w, h = args.grid
    area = np.repeat(planet.grid.cell_area_km2(w, h, 6371.0)[:, None], w, axis=1)
    try:
        sim = Simulation.headless(args.scene, grid=args.grid)
    except PlanetError as exc:
        print(f"era figures: {exc}", file=sys.stderr)
        return 2
    try:
        print(" | ".join(COLUMNS), flush=True)
        for tick in args.ticks:
            sim.step(tick - sim.tick)
            if args.save_elevation:
                out = Path(args.save_elevation)
                out.mkdir(parents=True, exist_ok=True)
                np.save(out / f"elevation_{tick}.npy", sim.quantity("elevation"))
            print(" | ".join(fmt(v) for v in era_row(sim, area)), flush=True)
    finally:
        sim.release()
    return 0


if __name__ == "__main__":
    sys.exit(main())

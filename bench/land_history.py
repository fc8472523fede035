"""Diagnostic: land through the whole geological history of a scene (terrain + tectonics [+ erosion]).

Prints every N ticks: land fraction, area-weighted mean land elevation, share of land above 3 km,
and the change of continental crust volume (crust above the shelf level, km^3) per pass group since
the last print, to find which pass loses crust.
  PYTHONPATH=. python bench/land_history.py [scene] --grid 128x64 --dt 1e7 --every 10 [--erosion]
      [--set tectonics.uplift_rate=1e-4 ...]
Crust = area x height above the shelf level (sea level - shelf_depth), km² m; it includes the shelves.
"""
from __future__ import annotations

import argparse
import time
import tomllib
from pathlib import Path

import numpy as np

import planet
import planet.grid


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("scene", nargs="?", default="scenes/earth.toml")
    ap.add_argument("--grid", default="128x64")
    ap.add_argument("--dt", type=float, default=1.0e7)
    ap.add_argument("--every", type=int, default=10)
    ap.add_argument("--until", type=float, default=4.5e9)
    ap.add_argument("--erosion", action="store_true")
    ap.add_argument("--set", action="append", default=[], help="stage.key=value")
    a = ap.parse_args()
    data = tomllib.loads(Path(a.scene).read_text())
    stages = ["terrain", "tectonics"] + (["erosion"] if a.erosion else [])
    data = {k: v for k, v in data.items() if k in ("planet", *stages)}
    data["planet"].update(grid=a.grid, dt=a.dt, stages=stages)
    for s in a.set:
        k, v = s.split("=")
        st, key = k.split(".")
        data.setdefault(st, {})[key] = float(v) if "." in v or "e" in v else int(v)
    w, h = (int(x) for x in a.grid.split("x"))
    area = np.repeat(planet.grid.cell_area_km2(w, h, 6371.0)[:, None], w, axis=1)
    sim = planet.Simulation.headless(data, backend="fragment")
    shelf_depth = sim.params["tectonics"]["shelf_depth"]
    groups = {"move": ["move", "carry", "plates"], "uplift": ["uplift"], "talus": ["talus"]}
    if a.erosion:
        groups["erosion"] = [p.name for p in next(s for s in sim.stages if s.name == "erosion").step]
    names = {p.name.split(".")[-1]: p.name for st in sim.stages for p in st.step}
    terrain_step = [p.name for p in sim.stages[0].step]

    def crust():
        t = sim.read("terrain")
        return float((area * np.maximum(t[..., 0] - (t[..., 1] - shelf_depth), 0.0)).sum())

    delta = dict.fromkeys(groups, 0.0)
    t0 = time.process_time()
    print(f"{'Myr':>6} {'land%':>6} {'meanE':>6} {'>3km%':>6} {'crust':>9} " + " ".join(f"{g:>9}" for g in groups))
    while sim.years < a.until:
        sim._apply_events()
        sim.run_passes(terrain_step)
        for g, ns in groups.items():
            c0 = crust()
            sim.run_passes([names.get(n, n) for n in ns])
            delta[g] += crust() - c0
        sim.tick += 1
        sim.years += sim.dt
        if sim.tick % a.every == 0:
            e = sim.quantity("elevation")
            land = e > 0
            la = (area * land).sum()
            frac = la / area.sum()
            mean = (area * e * land).sum() / max(la, 1e-9)
            high = (area * (e > 3000)).sum() / max(la, 1e-9)
            pct = np.percentile(e[land], [50, 90, 99]) if land.any() else [0, 0, 0]
            print(f"{sim.years / 1e6:6.0f} {100 * frac:6.1f} {mean:6.0f} {100 * high:6.1f} {crust():9.3g} "
                  + " ".join(f"{delta[g]:9.2e}" for g in groups) + " p50/90/99 " + " ".join(f"{x:.0f}" for x in pct),
                  flush=True)
            delta = dict.fromkeys(groups, 0.0)
    print(f"cpu {time.process_time() - t0:.1f} s")
    sim.release()


if __name__ == "__main__":
    main()

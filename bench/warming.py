#!/usr/bin/env python3
"""The story's warming in numbers: run a scene (default scenes/earth.toml) to its last timeline event
at a small grid and print peak CO2, the global-mean warming and the people lost (README: People).

    python bench/warming.py [--scene scenes/earth.toml] [--grid 128x64] [--seed N]

Warming dT: the global mean surface air temperature (sim.global_temperature) averaged over the last
climate year of the run, less its average over the climate year before the first settlement (the
climate's seasons make a single tick's value swing; a climate year is steps_per_year ticks). Population
lost: from its peak to the end, planet-wide, in the tropics (|lat| < 23.44°) and in the tropical lowlands
(below 500 m: the highlands stay cool enough).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import planet  # noqa: E402
from planet.grid import cell_area_km2, cell_lat  # noqa: E402

TROPIC = 23.44    # [deg]
LOWLAND_M = 500.0  # [m] above sea level


def tropical_people(sim, tropics) -> float:
    """People [1] in the cells weighted by `tropics` (area [km²] where counted, else 0)."""
    return float((sim.channel("people", "density") * tropics).sum())


def lowlands(sim):
    """1 on land below LOWLAND_M above sea level, else 0."""
    above = sim.channel("terrain", "bedrock") - sim.channel("terrain", "sea_level")
    return np.where(above < LOWLAND_M, 1.0, 0.0)


def run(scene: str, grid: str, seed: int | None, end: float | None = None) -> dict:
    t0 = time.perf_counter()
    with planet.Simulation.headless(scene, grid=grid, seed=seed) as sim:
        w, h = sim.scene.grid
        lat = np.degrees(cell_lat(np.arange(h), h))[:, None]
        area = cell_area_km2(w, h, sim.scene.radius)[:, None]
        tropics = np.where(np.abs(lat) < TROPIC, 1.0, 0.0) * area
        start = sim.params["people"]["start"]
        end = end if end is not None else max(ev.at for ev in sim.scene.timeline)
        year = sim.params["climate"]["steps_per_year"]
        before, temps = [], []
        peak = {"co2": 0.0, "people": 0.0, "tropics": 0.0, "lowlands": 0.0, "co2_year": 0.0}
        while sim.years < end:
            coarse = sim.years + 200 * sim.dt < start - year * 2.0 * sim.dt
            sim.step(200 if coarse else 1)
            if coarse:
                continue
            t = sim.global_temperature
            if sim.years < start:
                before = (before + [t])[-year:]
                continue
            temps = (temps + [t])[-year:]
            co2, people = sim.co2_ppm, sim.scalar("population")
            if co2 > peak["co2"]:
                peak["co2"], peak["co2_year"] = co2, sim.years - start
            peak["people"] = max(peak["people"], people)
            peak["tropics"] = max(peak["tropics"], tropical_people(sim, tropics))
            peak["lowlands"] = max(peak["lowlands"], tropical_people(sim, tropics * lowlands(sim)))
        emitted, uptake = sim.scalar("emitted") / 1e9, sim.scalar("uptake") / 1e9
        out = {
            "grid": f"{w}x{h}", "ticks": sim.tick, "years_of_people": sim.years - start,
            "co2_peak": peak["co2"], "co2_peak_year": peak["co2_year"], "co2_end": sim.co2_ppm,
            "dT": float(np.mean(temps) - np.mean(before)), "T_before": float(np.mean(before)),
            "people_peak": peak["people"], "people_end": sim.scalar("population"),
            "tropics_peak": peak["tropics"], "tropics_end": tropical_people(sim, tropics),
            "lowlands_peak": peak["lowlands"], "lowlands_end": tropical_people(sim, tropics * lowlands(sim)),
            "emitted_GtC": emitted, "uptake_GtC": uptake, "seconds": time.perf_counter() - t0,
        }
    return out


def report(r: dict) -> str:
    lost = 1.0 - r["people_end"] / max(r["people_peak"], 1.0)
    lost_tropics = 1.0 - r["tropics_end"] / max(r["tropics_peak"], 1.0)
    lost_lowlands = 1.0 - r["lowlands_end"] / max(r["lowlands_peak"], 1.0)
    return "\n".join([
        f"grid {r['grid']}: {r['ticks']} ticks, {r['years_of_people']:.0f} years of people ({r['seconds']:.0f} s)",
        f"  CO2 peak        {r['co2_peak']:7.0f} ppm  ({r['co2_peak_year']:.0f} years after the first settlement); "
        f"end {r['co2_end']:.0f} ppm",
        f"  carbon          {r['emitted_GtC']:7.0f} GtC emitted, {r['uptake_GtC']:.0f} GtC taken up by plants",
        f"  warming dT      {r['dT']:+7.1f} °C  (global mean, last climate year vs the year before people: "
        f"{r['T_before']:.1f} °C)",
        f"  population      peak {r['people_peak'] / 1e9:.2f} billion, end {r['people_end'] / 1e9:.2f} billion "
        f"({lost:.0%} lost)",
        f"  tropics         peak {r['tropics_peak'] / 1e9:.2f} billion, end {r['tropics_end'] / 1e9:.2f} billion "
        f"({lost_tropics:.0%} lost)",
        f"  tropical lowlands (< {LOWLAND_M:.0f} m) peak {r['lowlands_peak'] / 1e9:.2f} billion, end "
        f"{r['lowlands_end'] / 1e9:.2f} billion ({lost_lowlands:.0%} lost)",
    ])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scene", default=str(ROOT / "scenes" / "earth.toml"))
    ap.add_argument("--grid", default="128x64")
    ap.add_argument("--seed", type=int)
    args = ap.parse_args(argv)
    print(report(run(args.scene, args.grid, args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

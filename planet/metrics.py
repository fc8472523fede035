"""Summary metrics of a planet: one flat row of named numbers (land, relief, rivers, climate, life,
people), for ensembles (planet.sweep) and scripts. Every metric is computed from the fields in NumPy
float64 with the sphere's area weights (planet.grid), so two runs with the same fields give the same
row; a metric whose stage is not in the scene is absent (not zero).

Units are in the names: _m metres, _km kilometres, _c °C, _mm_yr mm/yr, _ppm ppm; shares are 0..1 of
the surface (land_fraction) or of the land (land_above_3km, biome_*)."""
from __future__ import annotations

import math

import numpy as np

from . import grid

# A "river": a land cell whose mean discharge is at least this [m³/s] (about a large stream on Earth;
# the Thames is ~65 m³/s, the Rhine ~2,300). River count: river cells that flow straight into the sea.
RIVER_DISCHARGE = 100.0
EQUATOR_BAND = 10.0   # |latitude| <= this [deg]: the equator's temperature
POLAR_BAND = 70.0     # |latitude| >= this [deg]: the poles' temperature (both)


class Peaks:
    """Running maxima of planet-wide scalars over a run (CO2 and population peak and then fall)."""

    NAMES = ("co2_ppm", "population")

    def __init__(self, sim):
        self.names = [n for n in self.NAMES if n in sim.scalars]
        self.peak = {n: -math.inf for n in self.names}

    def update(self, sim) -> None:
        for n in self.names:
            self.peak[n] = max(self.peak[n], float(sim.scalar(n)))


def _weighted_mean(values: np.ndarray, weights: np.ndarray, mask: np.ndarray | None = None) -> float:
    w = weights if mask is None else weights * mask
    total = float(w.sum())
    return float((values * w).sum() / total) if total > 0 else math.nan


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    if values.size == 0:
        return math.nan
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order])
    return float(values[order][min(np.searchsorted(cum, q * cum[-1]), values.size - 1)])


def relief(elevation: np.ndarray, area: np.ndarray) -> dict:
    """Land share and hypsometry from surface elevation above sea level [m] (H, W)."""
    land = elevation > 0
    land_area = float(area[land].sum())
    out = {"land_fraction": land_area / float(area.sum())}
    e, w = elevation[land].astype(np.float64), area[land]
    out["land_mean_elevation_m"] = _weighted_mean(e, w)
    for q in (10, 50, 90):
        out[f"land_p{q}_elevation_m"] = _weighted_quantile(e, w, q / 100)
    out["land_above_3km"] = float(w[e > 3000.0].sum() / land_area) if land_area > 0 else math.nan
    out["ocean_mean_depth_m"] = _weighted_mean(-elevation.astype(np.float64), area, ~land)
    return out


def path_lengths(receiver: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Distance [km] from every cell to the root of its flow tree along the receivers (pointer
    jumping, ceil(log2 N) + 1 rounds). `receiver`: flat cell index or -1 at a root; `length`: the
    length of each cell's step to its receiver (ignored at roots)."""
    n = receiver.size
    nxt = np.where(receiver < 0, np.arange(n), receiver).astype(np.int64)
    dist = np.where(receiver < 0, 0.0, length).astype(np.float64)
    for _ in range(max(1, math.ceil(math.log2(max(n, 2)))) + 1):
        dist = dist + dist[nxt]
        nxt = nxt[nxt]
    return dist


def rivers(sim, elevation: np.ndarray, area: np.ndarray) -> dict:
    """River count, longest river [km] and the largest basin's share of the land (the erosion stage)."""
    h, w = elevation.shape
    land = (elevation > 0).ravel()
    discharge = sim.channel("drainage", "discharge").ravel().astype(np.float64)
    receiver = sim.channel("route", "receiver").ravel().astype(np.int64)
    root = sim.channel("route", "root").ravel().astype(np.int64)
    river = land & (discharge >= RIVER_DISCHARGE)
    pos = grid.cell_pos(w, h).reshape(-1, 3)
    has = receiver >= 0
    step = np.zeros(receiver.size)
    step[has] = grid.distance_km(pos[has], pos[receiver[has]], float(sim.scene.radius))
    to_root = path_lengths(receiver, step)
    to_sea = river & (root >= 0) & ~land[np.clip(root, 0, None)]
    mouths = river & has & ~land[np.clip(receiver, 0, None)]
    flat_area = area.ravel()
    land_area = float(flat_area[land].sum())
    basin_area = np.bincount(np.clip(root[land], 0, None), weights=flat_area[land], minlength=receiver.size)
    return {
        "river_count": int(mouths.sum()),
        "longest_river_km": float(to_root[to_sea].max()) if to_sea.any() else 0.0,
        "largest_basin_share": float(basin_area.max() / land_area) if land_area > 0 else math.nan,
        "lake_fraction": float(flat_area[sim.channel("drainage", "lake_depth").ravel() > 0].sum() / flat_area.sum()),
    }


def climate(sim, area: np.ndarray) -> dict:
    h, _ = area.shape
    lat = np.degrees(grid.cell_lat(np.arange(h), h))[:, None] * np.ones_like(area)
    t = sim.quantity("temperature").astype(np.float64)
    rain = sim.quantity("precipitation").astype(np.float64)
    land = sim.quantity("elevation") > 0
    return {
        "temperature_mean_c": _weighted_mean(t, area),
        "temperature_equator_c": _weighted_mean(t, area, np.abs(lat) <= EQUATOR_BAND),
        "temperature_pole_c": _weighted_mean(t, area, np.abs(lat) >= POLAR_BAND),
        "precipitation_mean_mm_yr": _weighted_mean(rain, area),
        "precipitation_land_mm_yr": _weighted_mean(rain, area, land),
    }


def biomes(sim, area: np.ndarray) -> dict:
    from .stages.life import BIOMES

    biome = sim.quantity("biome")
    land = sim.quantity("elevation") > 0
    land_area = float(area[land].sum())
    out = {}
    for k, name in enumerate(BIOMES):
        share = float(area[land & (biome == k)].sum() / land_area) if land_area > 0 else math.nan
        out[f"biome_{name.replace(' ', '_')}"] = share
    out["plant_mass_km2"] = float(sim.scalar("plant_mass"))
    return out


def people(sim, peaks: Peaks | None) -> dict:
    out = {"population": float(sim.scalar("population")), "co2_ppm": float(sim.scalar("co2_ppm"))}
    if peaks is not None:
        out["population_peak"] = peaks.peak.get("population", out["population"])
        out["co2_peak_ppm"] = peaks.peak.get("co2_ppm", out["co2_ppm"])
        peak = out["population_peak"]
        out["population_lost"] = 1.0 - out["population"] / peak if peak > 0 else 0.0
    if "climate" in sim.params:
        # The greenhouse warming the climate applies (shaders/climate/warming.glsl): S log2(C / C0).
        c = sim.params["climate"]
        for name, ppm in (("warming_c", out["co2_ppm"]), ("warming_peak_c", out.get("co2_peak_ppm"))):
            if ppm is not None:
                out[name] = c["sensitivity"] * math.log2(ppm / c["co2_reference"]) if ppm > 0 else 0.0
    return out


def summary(sim, peaks: Peaks | None = None) -> dict:
    """Every metric the scene's stages allow, as {name: number}; see the module docstring."""
    w, h = sim.scene.grid
    area = np.repeat(grid.cell_area_km2(w, h, float(sim.scene.radius))[:, None], w, axis=1)  # (H, W) km²
    elevation = sim.quantity("elevation")
    out = {"tick": int(sim.tick), "years": float(sim.years), **relief(elevation, area)}
    stages = set(sim.scene.stages)
    if "erosion" in stages:
        out.update(rivers(sim, elevation, area))
    if "climate" in stages:
        out.update(climate(sim, area))
    if "life" in stages:
        out.update(biomes(sim, area))
    if "people" in stages:
        out.update(people(sim, peaks))
    return out

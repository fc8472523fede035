"""Float64 NumPy references of the people stage's passes (shaders/people/grow.glsl, carbon.glsl), for
per-pass tests on hand-made states (DESIGN.md §7.3). Fields are (H, W) arrays, row 0 = south."""
from __future__ import annotations

import numpy as np

from planet import grid
from planet.constants import CARBON_PER_PPM

GONE = 1.0e-3       # [1/km²] as grow.glsl
TAPER_YEARS = 10.0  # [years] as grow.glsl


def grow(density, habitability, t_mean, land, p: dict, dt: float, radius: float):
    """people.grow without new settlements: (density, capacity) after one tick of dt years."""
    h, w = density.shape
    dx = np.maximum(grid.cell_dx_km(w, h, radius), 1.0)[:, None] * np.ones((h, w))
    dy = grid.cell_dy_km(h, radius)
    wsum, psum = np.zeros((h, w)), np.zeros((h, w))
    for d, spacing in (((1, 0), dx), ((-1, 0), dx), ((0, 1), dy), ((0, -1), dy)):
        i, j = grid.neighbour(w, h, d)
        on = land[j, i]
        wk = np.where(on, 1.0 / spacing ** 2, 0.0)
        wsum += wk
        psum += wk * density[j, i]
    mean = np.divide(psum, wsum, out=np.zeros((h, w)), where=wsum > 0)
    P = density + np.where(wsum > 0, (1.0 - np.exp(-dt * p["spread"] * wsum)) * (mean - density), 0.0)
    cap = p["capacity"] * habitability
    e = np.exp(-p["growth_rate"] * dt)
    with np.errstate(divide="ignore", invalid="ignore"):
        grown = np.where(P > 0, cap * P / (cap * e + P * (1.0 - e)), 0.0)
    left = cap + (P - cap) * np.exp(-dt / p["leave_time"])
    P = np.where(P < cap, grown, left)
    frozen = (habitability <= 0) & (t_mean <= 0)
    P = np.where(~land | frozen | (P < GONE), 0.0, P)
    return P, cap


def share(p: dict, dt: float, population: float, emitted: float) -> float:
    """people/reserve.glsl: the share of the planet's demand the fossil reserve meets this tick."""
    remaining = max(p["reserve"] * 1e9 - emitted, 0.0)
    demand = p["per_capita"] * population
    if remaining <= 0:
        return 0.0
    return min(1.0, remaining / (demand * max(dt, TAPER_YEARS))) if demand > 0 else 1.0


def carbon(co2, emitted, uptake, density, plants, p: dict, dt: float, radius: float, scalars: dict):
    """people.carbon in still air (the wind's trace-back returns the cell itself): (co2, emitted, uptake,
    emission). `scalars`: co2_ppm, emitted, uptake, population of the previous tick."""
    area = 4.0 * np.pi * radius ** 2
    budget = p["co2_initial"] + (scalars["emitted"] - scalars["uptake"]) / (CARBON_PER_PPM * area)
    tau = p["mixing_time"]
    m = np.exp(-dt / tau)
    mixed = tau * (1.0 - m)
    f = share(p, dt, scalars["population"], scalars["emitted"])
    emission = p["per_capita"] * density * f
    s_here = emission / CARBON_PER_PPM
    s_mean = p["per_capita"] * scalars["population"] * f / (CARBON_PER_PPM * area)
    c = np.maximum(budget + (co2 - scalars["co2_ppm"]) * m + s_here * mixed + s_mean * max(dt - mixed, 0.0), 0.0)
    removed = np.maximum(c - p["co2_initial"], 0.0) * (1.0 - np.exp(-dt * plants / p["uptake_time"]))
    return c - removed, emitted + emission * dt, uptake + removed * CARBON_PER_PPM, emission

"""Land through the whole geological history (issue 15, MODEL.md §2-3): scenes/tests/land.toml, the
default story's terrain, tectonics and erosion on a 128x64 grid at 10 Myr per tick, sampled every
500 Myr from 500 Myr (the oceans are full at 400 Myr, the plates start then) to 4.5 Gyr.

- The continents last: the land fraction stays near tectonics.land_fraction (0.3) at every sample.
- Earth-like hypsometry: area-weighted mean land elevation of the order of Earth's ~800 m, a small
  share of land above 3 km, and two modes (ocean floor, continents) with a trough between them.
- No grid artefacts: no single-column or single-row stripe (the column / row means of the second
  difference across the stripe), no single-cell hole (a cell far below all 8 neighbours).
- With erosion: continents with interiors drain into big river basins.
One run per module (terrain + tectonics, and the same with erosion), shared by the tests."""
from __future__ import annotations

import tomllib

import numpy as np
import pytest

import planet
import planet.grid

from conftest import ROOT

SCENE = ROOT / "scenes" / "tests" / "land.toml"
W, H = 128, 64
SAMPLES_MYR = tuple(range(500, 4501, 500))


def scene(erosion: bool) -> dict:
    data = tomllib.loads(SCENE.read_text())
    if not erosion:
        data["planet"]["stages"] = ["terrain", "tectonics"]
        del data["erosion"]
    return data


def history(gl_ctx, erosion: bool) -> dict:
    """{Myr: (elevation [m] (H, W), basin ids or None)} at every sample."""
    sim = planet.Simulation(gl_ctx, scene(erosion), backend="fragment")
    try:
        out = {}
        for myr in SAMPLES_MYR:
            sim.step(int(round((myr * 1e6 - sim.years) / sim.dt)))
            out[myr] = (sim.quantity("elevation").astype(np.float64),
                        sim.quantity("basin").astype(np.int64) if erosion else None)
        out["target"] = sim.params["tectonics"]["land_fraction"]
        return out
    finally:
        sim.release()


@pytest.fixture(scope="module")
def land_only(gl_ctx):
    return history(gl_ctx, erosion=False)


@pytest.fixture(scope="module")
def with_erosion(gl_ctx):
    return history(gl_ctx, erosion=True)


AREA = np.repeat(planet.grid.cell_area_km2(W, H, 6371.0)[:, None], W, axis=1)
LAT = -90.0 + (np.arange(H) + 0.5) * 180.0 / H


def land_stats(e):
    """(land fraction, mean land elevation [m], share of land above 3 km), all area-weighted."""
    land = e > 0
    la = AREA[land].sum()
    return la / AREA.sum(), (AREA * e)[land].sum() / la, AREA[land & (e > 3000)].sum() / la


def stripe_score(e, axis):
    """Largest mean, along a whole column (axis=1: over the rows within 60 deg of the equator) or a whole
    row (axis=0: over all columns), of the second difference across it, over the mean |second difference|.
    A stripe one cell wide adds its height to one such mean; relief cancels out."""
    band = e[np.abs(LAT) < 60]
    if axis == 1:
        r = band - 0.5 * (np.roll(band, 1, 1) + np.roll(band, -1, 1))
        return np.abs(r.mean(axis=0)).max() / np.abs(r).mean()
    r = band[1:-1] - 0.5 * (band[2:] + band[:-2])
    return np.abs(r.mean(axis=1)).max() / np.abs(r).mean()


def holes(e, depth=1000.0):
    """Cells more than `depth` [m] below all 8 neighbours (longitude wraps; the pole rows pad by copy)."""
    pad = np.concatenate([e[:1], e, e[-1:]])
    nb = [np.roll(pad, (dj, di), (0, 1))[1:-1] for dj in (-1, 0, 1) for di in (-1, 0, 1) if (di, dj) != (0, 0)]
    return int((e < np.min(nb, axis=0) - depth).sum())


def test_land_fraction_stays_near_its_target(land_only, with_erosion):
    for run in (land_only, with_erosion):
        fracs = [land_stats(run[t][0])[0] for t in SAMPLES_MYR]
        assert all(abs(f - run["target"]) <= 0.07 for f in fracs), [round(f, 3) for f in fracs]


def test_hypsometry_low_continents_few_high_peaks_two_modes(land_only, with_erosion):
    for run in (land_only, with_erosion):
        for t in SAMPLES_MYR:
            e = run[t][0]
            _, mean, high = land_stats(e)
            assert 400.0 <= mean <= 1900.0, f"{t} Myr: mean land elevation {mean:.0f} m"
            assert high <= 0.2, f"{t} Myr: {high:.1%} of the land above 3 km"
            edges = np.arange(-8000, 9001, 500)
            hist, _ = np.histogram(e, bins=edges, weights=AREA)
            centre = (edges[:-1] + edges[1:]) / 2
            ocean = int(np.argmax(np.where(centre < -2000, hist, -1)))
            cont = int(np.argmax(np.where(centre >= -2000, hist, -1)))
            assert centre[ocean] <= -3000 and -1500 <= centre[cont] <= 2000, (t, centre[ocean], centre[cont])
            assert hist[ocean:cont + 1].min() < 0.6 * min(hist[ocean], hist[cont]), f"{t} Myr: one mode"
        highs = [land_stats(run[t][0])[2] for t in SAMPLES_MYR]
        assert np.mean(highs) <= 0.12, f"share of land above 3 km: {np.round(highs, 3)}"


def test_no_single_column_or_row_stripes(land_only, with_erosion):
    for run in (land_only, with_erosion):
        for t in SAMPLES_MYR:
            e = run[t][0]
            assert stripe_score(e, 1) < 1.8, f"{t} Myr: a column stripe ({stripe_score(e, 1):.2f})"
            assert stripe_score(e, 0) < 1.8, f"{t} Myr: a row stripe ({stripe_score(e, 0):.2f})"
    # The score sees a stripe 3 times the size of the relief's own mean curvature.
    e = land_only[SAMPLES_MYR[-1]][0]
    band = e[np.abs(LAT) < 60]
    col, row = e.copy(), e.copy()
    col[:, 40] += 3.0 * np.abs(band - 0.5 * (np.roll(band, 1, 1) + np.roll(band, -1, 1))).mean()
    row[H // 2, :] += 3.0 * np.abs(band[1:-1] - 0.5 * (band[2:] + band[:-2])).mean()
    assert stripe_score(col, 1) >= 1.8 and stripe_score(row, 0) >= 1.8


def test_no_single_cell_holes(land_only, with_erosion):
    for run in (land_only, with_erosion):
        # Before issue 15 there were 5-29 per sample, 144 in all. Seeds 0-5 and 42 now give 12-21 in all, at
        # most 6 per sample, both runs (at 42a48bd: 7-17, at most 5): mostly fresh rift cells in the ocean
        # floor; the polar rows' sub-resolution rifts and pockets (tectonics.uplift's stretching share and
        # talus's metric enclosure) now level out, 3x fewer polar pits (test_tectonics), for a few more here.
        counts = [holes(run[t][0]) for t in SAMPLES_MYR]
        assert max(counts) <= 7 and sum(counts) <= 25, f"single-cell holes per sample: {counts}"
    e = land_only[SAMPLES_MYR[-1]][0].copy()
    j, i = np.unravel_index(np.argmax(e), e.shape)
    e[j, i] = e.min() - 1.0
    assert holes(e) >= 1


def test_continents_drain_into_big_basins(with_erosion):
    """Once continents have interiors (from 1 Gyr on), the largest river basin drains over a million
    km² (the Mississippi: 3.2e6) and the ten largest drain over 6 % of the land."""
    for t in SAMPLES_MYR[1:]:
        e, basin = with_erosion[t]
        land = e > 0
        _, inverse = np.unique(basin[land], return_inverse=True)
        sizes = np.sort(np.bincount(inverse, weights=AREA[land]))[::-1]
        assert sizes[0] >= 1.0e6, f"{t} Myr: largest basin {sizes[0]:.3g} km²"
        assert sizes[:10].sum() >= 0.06 * sizes.sum(), f"{t} Myr: ten largest {sizes[:10].sum() / sizes.sum():.2f}"

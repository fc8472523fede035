"""bench/era_figures.py: its measures see what they claim to (planted walls, pole noise, holes), agree
with tests/test_land.py's stripe score, and the script prints one full row per era on a small run."""
from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from conftest import ROOT

spec = importlib.util.spec_from_file_location("era_figures", ROOT / "bench" / "era_figures.py")
era = importlib.util.module_from_spec(spec)
spec.loader.exec_module(era)

H, W = 64, 128


def relief(seed=3):
    """Smooth random relief [m] (H, W): a few long waves, no straight edges."""
    rng = np.random.default_rng(seed)
    lat = np.radians(era.latitudes(H))[:, None]
    lon = np.linspace(-np.pi, np.pi, W, endpoint=False)[None, :]
    e = np.zeros((H, W))
    for _ in range(6):
        k, l, ph = rng.integers(1, 5), rng.integers(1, 4), rng.uniform(0, 2 * np.pi)
        e += rng.uniform(500, 1500) * np.cos(k * lon + ph) * np.cos(l * lat)
    return e


def test_meridional_cliffs_find_a_planted_wall_only():
    e = relief()
    assert era.meridional_cliffs(e) == (0, 0)
    e[20:33, 40:] -= 3000.0  # a 13-row, 3 km wall between columns 39 and 40 (and one at the seam)
    count, longest = era.meridional_cliffs(e)
    assert count >= 1 and longest == 13


def test_pole_roughness_sees_noise_in_the_pole_rows():
    e = relief()
    north, south = era.pole_roughness(e)
    assert north < 1.0 and south < 1.0
    e[-3:] += np.random.default_rng(1).normal(0, 2000, (3, W))
    assert era.pole_roughness(e)[0] > 2.0 and era.pole_roughness(e)[1] == south


def test_holes_and_stripe_score_match_the_land_tests():
    test_land = pytest.importorskip("test_land")
    e = relief()
    e[30, 50] -= 5000.0
    assert era.holes(e) == test_land.holes(e) == 1
    for axis in (0, 1):
        assert era.stripe_score(e, axis)[0] == pytest.approx(test_land.stripe_score(e, axis))
    e[:, 77] += 2000.0
    assert era.stripe_score(e, 1)[1] == 77


def test_script_prints_a_row_per_era(capsys):
    assert era.main(["--grid", "32x16", "--ticks", "0,2"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    header, *rows = [line.split(" | ") for line in lines]
    assert header == list(era.COLUMNS)
    assert [r[0] for r in rows] == ["0", "2"] and all(len(r) == len(header) for r in rows)


def test_bad_arguments_are_refused():
    with pytest.raises(SystemExit):
        era.parse_args(["--ticks", "5,2"])
    with pytest.raises(SystemExit):
        era.parse_args(["--grid", "big"])

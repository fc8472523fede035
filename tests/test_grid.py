"""The sphere grid helpers (shaders/common/grid.glsl) against a float64 NumPy reference, both backends."""
import numpy as np
import pytest

from planet.passes import Pass

from conftest import BACKENDS
from erosion_reference import neighbour as reference_neighbour

PROBE = Pass("tests.grid_probe", reads=(), writes=("terrain",), shader="tests/grid_probe.glsl")
DIRS = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, -1), (1, -1), (-1, 1)]


def probe(sim, d):
    prog = sim.pipeline.program(PROBE, {"u_probe_dir": "ivec2"})
    sim.pipeline.run_pass(PROBE, {**sim.stage_uniforms()["terrain"], "u_probe_dir": d}, prog)
    return sim.read("terrain")


def lonlat(W, H, i, j):
    return -np.pi + (i + 0.5) * 2 * np.pi / W, -np.pi / 2 + (j + 0.5) * np.pi / H


@pytest.mark.parametrize("backend", BACKENDS)
def test_neighbours_wrap_and_cross_poles(make_sim, backend):
    sim = make_sim(backend=backend)
    W, H = sim.scene.grid
    for d in DIRS:
        out = probe(sim, d)
        ni, nj = reference_neighbour(W, H, d)
        assert np.array_equal(out[..., 0], ni), f"neighbour column wrong for d={d}"
        assert np.array_equal(out[..., 1], nj), f"neighbour row wrong for d={d}"
    # Spot checks straight from DESIGN.md §4: north of (i, H-1) is (i + W/2, H-1); east of W-1 is 0.
    out = probe(sim, (0, 1))
    assert tuple(out[H - 1, 3, :2]) == (3 + W // 2, H - 1)
    out = probe(sim, (1, 0))
    assert out[5, W - 1, 0] == 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_cell_area_and_distances(make_sim, backend):
    sim = make_sim(backend=backend)
    W, H = sim.scene.grid
    R = sim.scene.radius
    out = probe(sim, (1, 1))
    # Areas sum to the sphere's area and are proportional to cos(lat) (to first order).
    total = out[..., 2].astype(np.float64).sum()
    assert total == pytest.approx(4 * np.pi * R * R, rel=1e-4)
    j = np.arange(H)
    ref_area = R * R * (np.sin(-np.pi / 2 + (j + 1) * np.pi / H) - np.sin(-np.pi / 2 + j * np.pi / H)) * 2 * np.pi / W
    np.testing.assert_allclose(out[:, 0, 2], ref_area, rtol=2e-4)
    for d in DIRS:
        out = probe(sim, d)
        jj, ii = np.mgrid[0:H, 0:W]
        ni, nj = reference_neighbour(W, H, d)
        lo1, la1 = lonlat(W, H, ii, jj)
        lo2, la2 = lonlat(W, H, ni, nj)
        p1 = np.stack([np.cos(la1) * np.cos(lo1), np.cos(la1) * np.sin(lo1), np.sin(la1)])
        p2 = np.stack([np.cos(la2) * np.cos(lo2), np.cos(la2) * np.sin(lo2), np.sin(la2)])
        ref = 2 * R * np.arcsin(np.linalg.norm(p1 - p2, axis=0) / 2)
        np.testing.assert_allclose(out[..., 3], ref, rtol=2e-3, atol=0.05 * R * np.pi / H)
    # East spacing shrinks toward the poles; across a pole the step is one row spacing.
    east = probe(sim, (1, 0))[..., 3]
    assert east[H // 2, 0] > 10 * east[H - 1, 0]
    north = probe(sim, (0, 1))[..., 3]
    assert north[H - 1, 0] == pytest.approx(R * np.pi / H, rel=2e-3)

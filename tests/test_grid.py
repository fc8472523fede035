"""The sphere grid helpers (shaders/common/grid.glsl) against their float64 NumPy twin planet.grid, both
backends; and planet.grid itself against the plain formulas."""
import re

import numpy as np
import pytest

from planet import grid
from planet.fields import Ch, Field
from planet.params import Param
from planet.passes import Pass
from planet.pipeline import Pipeline
from planet.shaderlib import SHADER_ROOT
from planet.stages import Stage

from conftest import BACKENDS

PROBE_FIELD = Field("probe", "what shaders/tests/grid_probe.glsl computes", (
    Ch("column", "cell", "column of grid_neighbour(cell, (dx, dy))"),
    Ch("row", "cell", "row of grid_neighbour(cell, (dx, dy))"),
    Ch("area", "km²", "cell_area_km2(row)"),
    Ch("distance", "km", "cell_distance_km(cell, cell + (dx, dy))"),
))
PROBE_STAGE = Stage("probe", "grid probe", (PROBE_FIELD,),
                    (Param("dx", 0, "cells", "probe offset east", -1, 1), Param("dy", 0, "cells", "probe offset north", -1, 1)),
                    init=(Pass("grid", writes=("probe",), shader="tests/grid_probe.glsl"),))
DIRS = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, -1), (1, -1), (-1, 1)]


class Probe:
    """The grid probe pass on its own pipeline: run(d) -> (H, W, 4) of PROBE_FIELD."""

    def __init__(self, ctx, backend, grid=(64, 32), radius=6371.0):
        self.pipe = Pipeline(ctx, [PROBE_STAGE], grid, backend)
        self.scene = type("S", (), {"grid": grid, "radius": radius})()

    def __call__(self, d):
        self.pipe.run(self.pipe.stages[0].init, {"probe": {"u_dx": d[0], "u_dy": d[1], "u_radius": self.scene.radius}})
        return self.pipe.fields["probe"].read()


@pytest.fixture
def make_probe(ctx):
    made = []

    def make(backend):
        made.append(Probe(ctx, backend))
        return made[-1]
    yield make
    for p in made:
        p.pipe.release()


@pytest.mark.parametrize("backend", BACKENDS)
def test_neighbours_wrap_and_cross_poles(make_probe, backend):
    sim = probe = make_probe(backend)
    W, H = sim.scene.grid
    for d in DIRS:
        out = probe(d)
        ni, nj = grid.neighbour(W, H, d)
        assert np.array_equal(out[..., 0], ni), f"neighbour column wrong for d={d}"
        assert np.array_equal(out[..., 1], nj), f"neighbour row wrong for d={d}"
    # Spot checks straight from DESIGN.md §4: north of (i, H-1) is (i + W/2, H-1); east of W-1 is 0.
    out = probe((0, 1))
    assert tuple(out[H - 1, 3, :2]) == (3 + W // 2, H - 1)
    out = probe((1, 0))
    assert out[5, W - 1, 0] == 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_cell_area_and_distances(make_probe, backend):
    sim = probe = make_probe(backend)
    W, H = sim.scene.grid
    R = sim.scene.radius
    out = probe((1, 1))
    # Areas sum to the sphere's area and are proportional to cos(lat) (to first order).
    total = out[..., 2].astype(np.float64).sum()
    assert total == pytest.approx(4 * np.pi * R * R, rel=1e-4)
    np.testing.assert_allclose(out[:, 0, 2], grid.cell_area_km2(W, H, R), rtol=2e-4)
    for d in DIRS:
        out = probe(d)
        ni, nj = grid.neighbour(W, H, d)
        p = grid.cell_pos(W, H)
        ref = grid.distance_km(p, p[nj, ni], R)
        np.testing.assert_allclose(out[..., 3], ref, rtol=2e-3, atol=0.05 * R * np.pi / H)
    # East spacing shrinks toward the poles; across a pole the step is one row spacing.
    east = probe((1, 0))[..., 3]
    assert east[H // 2, 0] > 10 * east[H - 1, 0]
    north = probe((0, 1))[..., 3]
    assert north[H - 1, 0] == pytest.approx(R * np.pi / H, rel=2e-3)


# -- planet.grid (CPU) ---------------------------------------------------------------------------------

def test_cells_positions_and_frames():
    W, H = 16, 8
    lon, lat = grid.cell_lonlat(W, H)
    assert lon.shape == lat.shape == (H, W)
    assert lon[0, 0] == pytest.approx(-np.pi + np.pi / W) and lat[0, 0] == pytest.approx(-np.pi / 2 + np.pi / (2 * H))
    p = grid.cell_pos(W, H)
    np.testing.assert_allclose(np.linalg.norm(p, axis=-1), 1.0, atol=1e-15)
    back = grid.pos_lonlat(3.0 * p)
    np.testing.assert_allclose(back[0], lon, atol=1e-14)
    np.testing.assert_allclose(back[1], lat, atol=1e-14)
    gx, gy = grid.lonlat_to_grid(lon, lat, W, H)
    i, j = grid.cell_ij(W, H)
    np.testing.assert_allclose(gx, i + 0.5, atol=1e-12)
    np.testing.assert_allclose(gy, j + 0.5, atol=1e-12)
    e, n = grid.tangent_east(lon, lat), grid.tangent_north(lon, lat)
    for a, b in ((e, n), (e, p), (n, p)):
        np.testing.assert_allclose((a * b).sum(-1), 0.0, atol=1e-15)
    np.testing.assert_allclose(np.cross(e, n), p, atol=1e-15)   # east x north = up


def test_areas_and_spacings():
    W, H, R = 64, 32, 6371.0
    area = grid.cell_area_km2(W, H, R)
    edges = np.sin(-np.pi / 2 + np.arange(H + 1) * np.pi / H)
    np.testing.assert_allclose(area, R * R * np.diff(edges) * 2 * np.pi / W, rtol=1e-12)   # sin difference
    assert (W * area).sum() == pytest.approx(4 * np.pi * R * R, rel=1e-14)
    assert grid.area_weights(H).sum() == pytest.approx(1.0, rel=1e-14)
    np.testing.assert_allclose(grid.area_weights(H), W * area / (4 * np.pi * R * R), rtol=1e-14)
    np.testing.assert_allclose(grid.cell_dx_km(W, H, R), R * np.cos(grid.cell_lat(np.arange(H), H)) * 2 * np.pi / W)
    assert grid.cell_dy_km(H, R) == pytest.approx(R * np.pi / H)
    edge = grid.row_edge_dx_km(W, H, R)
    assert edge.shape == (H + 1,) and edge[0] == edge[-1] == 0.0 and edge[H // 2] == pytest.approx(2 * np.pi * R / W)


def test_neighbours_and_d8():
    W, H = 16, 8
    ni, nj = grid.neighbour(W, H, (0, 1))
    assert (ni[H - 1, 3], nj[H - 1, 3]) == (3 + W // 2, H - 1)      # over the north pole
    ni, nj = grid.neighbour(W, H, (1, -1))
    assert (ni[0, W - 1], nj[0, W - 1]) == ((W - 1 + 1 + W // 2) % W, 0)  # over the south pole, across the seam
    ni, nj = grid.neighbour(W, H, (1, 0))
    assert ni[5, W - 1] == 0 and nj[5, W - 1] == 5
    # D8 in the order of GRID_D8 in grid.glsl.
    text = (SHADER_ROOT / "common" / "grid.glsl").read_text()
    body = re.search(r"GRID_D8\[8\]\s*=\s*ivec2\[8\]\((.*?)\);", text, re.S).group(1)
    assert tuple((int(a), int(b)) for a, b in re.findall(r"ivec2\((-?\d+),\s*(-?\d+)\)", body)) == grid.D8
    # Neighbour distances: one row apart across a pole, great-circle (chord) form elsewhere.
    p = grid.cell_pos(W, H)
    ni, nj = grid.neighbour(W, H, (0, 1))
    np.testing.assert_allclose(grid.distance_km(p, p[nj, ni], 1.0)[:-1], np.pi / H, rtol=1e-12)
    assert grid.distance_km(p, p[nj, ni], 1.0)[-1, 0] == pytest.approx(np.pi / H, rel=1e-12)


def test_bilinear_sample_wraps_and_crosses_the_poles():
    W, H = 16, 8
    src = np.random.default_rng(0).uniform(size=(H, W))
    i, j = grid.cell_ij(W, H)
    np.testing.assert_allclose(grid.sample(src, i + 0.5, j + 0.5), src, atol=1e-14)   # centres
    np.testing.assert_allclose(grid.sample(src, 0.0, j[:, 0] + 0.5), 0.5 * (src[:, 0] + src[:, -1]))  # the seam
    got = grid.sample(src, i[0] + 0.5, float(H))                                                 # the north pole
    np.testing.assert_allclose(got, 0.5 * (src[-1] + np.roll(src[-1], -W // 2)))

"""The protoplanet reads at a glance (issue #15): craters that span many cells at the grids people use,
and a satellite view whose crater rims and melt ponds read and whose glowing cracks are not boxes.

- Craters (terrain/protoplanet.glsl, common/craters.glsl impact_basins): at tick 0 of the default
  story's terrain at 128x64, rings found in the elevation: a local minimum whose rim (the mean over an
  annulus at 0.7-1.3 r, in each of 8 azimuth sectors) stands above both its floor (within 0.4 r) and its
  surroundings (the same sector's annulus at 1.8-2.6 r) in at least 7 of the 8 sectors; distinct rings
  (none within another's radius of a stronger one) of radius r >= 2 cells (>= 4 cells across).
- The view (view/layers/satellite.glsl): one Pike crater on flat molten ground: its melt-pond floor
  glows against its crusted rim (ring contrast) and its walls are hillshaded (the wall facing the light
  brighter than the one facing away); and a flat molten plain's cracks have no preferred direction
  along the map's axes (the value-noise ridge drew boxes aligned with longitude and latitude)."""
import tomllib

import numpy as np
import pytest

import planet.grid as sphere

from conftest import ROOT, TINY

EARTH = ROOT / "scenes" / "earth.toml"
SECTORS = 8


def earth_terrain_scene(grid: str) -> dict:
    """The default story's planet and terrain, terrain stage only, on `grid`."""
    data = tomllib.loads(EARTH.read_text())
    p = {k: data["planet"][k] for k in ("seed", "dt", "radius")}
    return {"planet": {**p, "grid": grid, "stages": ["terrain"]}, "terrain": data["terrain"]}


def rings(e: np.ndarray, radii=(2, 3, 4, 6, 8)) -> list[tuple[float, int, int, int]]:
    """Distinct rings in the elevation e (H, W) [m]: (score [m], r [cells], row, col), strongest first.
    score = the second smallest over the 8 sectors of min(rim - floor, rim - surroundings)."""
    H, W = e.shape
    pos = sphere.cell_pos(W, H).reshape(-1, 3)
    lon, lat = (a.ravel() for a in sphere.cell_lonlat(W, H))
    cell = np.pi / H                                           # [rad] one row
    pad = np.concatenate([e[:2], e, e[-2:]])
    low = np.min([np.roll(pad, (dj, di), (0, 1))[2:-2] for dj in range(-2, 3) for di in range(-2, 3)
                  if (di, dj) != (0, 0)], axis=0)
    row_lat = np.degrees(lat.reshape(H, W)[:, 0])
    flat = e.ravel()
    found = []
    for j, i in np.argwhere((e <= low) & (np.abs(row_lat)[:, None] < 60)):
        c = j * W + i
        ang = np.arccos(np.clip(pos @ pos[c], -1.0, 1.0)) / cell     # [cells] from the centre
        east = np.angle(np.exp(1j * (lon - lon[c]))) * np.cos(lat[c])
        sector = ((np.arctan2(lat - lat[c], east) + np.pi) / (2 * np.pi) * SECTORS).astype(int) % SECTORS
        for r in radii:
            floor = flat[ang < max(0.4 * r, 0.5)].mean()
            margins = []
            for k in range(SECTORS):
                rim = flat[(sector == k) & (ang >= 0.7 * r) & (ang < 1.3 * r)]
                out = flat[(sector == k) & (ang >= 1.8 * r) & (ang < 2.6 * r)]
                margins.append(min(rim.mean() - floor, rim.mean() - out.mean()) if rim.size and out.size else -1e9)
            found.append((sorted(margins)[1], r, int(j), int(i)))
    distinct = []
    for score, r, j, i in sorted(found, reverse=True):
        here = pos[j * W + i]
        if all(np.arccos(np.clip(here @ pos[b * W + a], -1, 1)) / cell >= max(r, q) for _, q, b, a in distinct):
            distinct.append((score, r, j, i))
    return distinct


RIM_M = 500.0       # [m] a ring's rim above both its floor and its surroundings
MIN_CRATERS = 15    # at 128x64 (this branch: 21; main: 4)


def test_craters_span_many_cells_with_rims_above_floor_and_surroundings(make_sim):
    sim = make_sim(earth_terrain_scene("128x64"), backend="fragment")
    found = [x for x in rings(sim.quantity("elevation").astype(np.float64)) if x[0] > RIM_M and x[1] >= 2]
    big = [x for x in found if x[1] >= 4]
    assert len(found) >= MIN_CRATERS, f"{len(found)} rings >= 4 cells across with rims > {RIM_M:.0f} m: {found}"
    assert len(big) >= 4, f"the largest basins span >= 8 cells (this branch: 7, main: 1): {big}"
    deep = [x for x in found if x[0] > 1000.0]
    assert len(deep) >= 5, f"rims over 1 km above floor and surroundings (this branch: 9, main: 0): {deep}"


# ---- the view ---------------------------------------------------------------------------------------
W, H, K = 128, 64, 8                 # grid, picture pixels per cell
D_KM, BASE_M = 2000.0, 3000.0        # the test crater's diameter and the plain's height


def lum(img):
    return img[..., :3].astype(float) @ np.array([0.299, 0.587, 0.114])


def crater_terrain(radius_km: float):
    """A flat molten plain BASE_M high (no sea) with one Pike crater (D_KM) centred at lon 0, lat 0, its
    floor filled with melt to the datum, as terrain/protoplanet.glsl makes them; and each cell's distance
    from the centre in crater radii (H, W)."""
    import reference

    pos = sphere.cell_pos(W, H)
    r = np.linalg.norm(pos - np.array([1.0, 0.0, 0.0]), axis=-1) * radius_km
    x = r / (0.5 * D_KM)
    z = BASE_M + reference.basin_profile(x, 1000 * 1.044 * D_KM ** 0.301, 1000 * 0.236 * D_KM ** 0.399)
    t = np.zeros((H, W, 4), np.float32)
    t[..., 0] = np.maximum(z, 100.0)   # terrain/protoplanet.glsl MELT_LEVEL_M
    t[..., 1] = 0.0
    t[..., 2] = 1.0
    return t, x


def pixel_geometry(radius_km: float):
    """Per pixel (row 0 = north): distance from the crater centre in crater radii, and the unit vector
    (east, north) from the centre."""
    lon = np.radians(-180.0 + (np.arange(W * K) + 0.5) * 360.0 / (W * K))
    lat = np.radians(90.0 - (np.arange(H * K) + 0.5) * 180.0 / (H * K))
    LON, LAT = np.meshgrid(lon, lat)
    p = np.stack([np.cos(LAT) * np.cos(LON), np.cos(LAT) * np.sin(LON), np.sin(LAT)], -1)
    x = np.linalg.norm(p - np.array([1.0, 0.0, 0.0]), axis=-1) * radius_km / (0.5 * D_KM)
    d = np.stack([LON, LAT], -1)
    d /= np.maximum(np.linalg.norm(d, axis=-1, keepdims=True), 1e-9)
    return x, d


def is_lava(img):
    img = img.astype(int)
    return (img[..., 0] > 180) & (img[..., 0] > img[..., 2] + 100)


def test_satellite_crater_reads_melt_pond_against_rim_and_shaded_walls(make_sim):
    sim = make_sim(TINY, grid=(W, H), backend="fragment")
    t, _ = crater_terrain(sim.scene.radius)
    sim.write("terrain", t)
    img = sim.snapshot("map", "satellite", (W * K, H * K))
    L, lava = lum(img), is_lava(img)
    x, d = pixel_geometry(sim.scene.radius)
    bowl, rim = x < 0.45, (x > 0.85) & (x < 1.3)
    # Ring contrast: the melt pond in the floor against the crusted rim (this branch: 131 vs 44 in
    # luminance 0-255, 98 % of the floor lava; main: 108 vs 62, 68 %).
    assert lava[bowl].mean() > 0.9, f"the floor is a melt pond: lava on {lava[bowl].mean():.2f} of it"
    assert L[bowl].mean() > L[rim].mean() + 60, f"pond {L[bowl].mean():.0f} vs rim {L[rim].mean():.0f}"
    # The walls' hillshade, on crust pixels: the light comes from the north-west (view/map.glsl), so the
    # inner wall on the south-east side faces it and the one on the north-west faces away.
    wall = (x > 0.6) & (x < 1.0) & ~lava
    towards = d @ np.array([-1.0, 1.0]) / np.sqrt(2.0)        # > 0: the north-west side of the centre
    lit, dark = wall & (towards < -0.7), wall & (towards > 0.7)
    assert lit.sum() > 50 and dark.sum() > 50, "test premise: crust on both walls"
    # (this branch: 58 vs 26; main: 53 vs 40)
    assert L[lit].mean() > 1.5 * L[dark].mean(), f"lit wall {L[lit].mean():.0f} vs dark {L[dark].mean():.0f}"


def axis_share(lava: np.ndarray) -> float:
    """Share of the edge pixels of the (blurred) glow picture whose gradient lies within 10 degrees of the
    map's axes (isotropic edges: 20/90 = 0.22), within 30 degrees of the equator."""
    n = lava.shape[0]
    band = lava[n // 2 - n // 6: n // 2 + n // 6].astype(float)
    for _ in range(3):   # a binary mask's pixel gradients snap to the axes: blur first
        band = sum(np.roll(band, (a, b), (0, 1)) for a in (-1, 0, 1) for b in (-1, 0, 1)) / 9.0
    gy, gx = np.gradient(band)
    edge = np.hypot(gx, gy) > 0.05
    ang = np.degrees(np.arctan2(gy[edge], gx[edge])) % 90.0
    return float(((ang < 10.0) | (ang > 80.0)).mean())


PLAIN_M = 1000.0     # [m] a low plain: its cracks are several pixels wide (hairlines snap to the pixels)


def glowing(img) -> np.ndarray:
    """How much each pixel glows [0..1]: red far above blue (lava and red-hot crust), anti-aliased."""
    img = img.astype(float)
    return np.clip((img[..., 0] - img[..., 2] - 60.0) / 120.0, 0.0, 1.0)


@pytest.mark.parametrize("glow", (1.0, 0.7, 0.5))
def test_glowing_cracks_are_not_boxes_along_the_map_axes(make_sim, glow):
    sim = make_sim(TINY, grid=(W, H), backend="fragment")
    t = np.zeros((H, W, 4), np.float32)
    t[..., 0], t[..., 2] = PLAIN_M, glow
    sim.write("terrain", t)
    hot = glowing(sim.snapshot("map", "satellite", (W * K, H * K)))
    assert 0.02 < hot.mean() < 0.8, f"test premise: cracks glow ({hot.mean():.3f})"
    share = axis_share(hot)
    # (this branch: 0.217 at glow 1, 0.7 and 0.5; main: 0.322, 0.306, 0.301)
    assert share < 0.25, f"{share:.3f} of the cracks' edges lie along the map's axes (isotropic: 0.22)"

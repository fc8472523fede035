"""The views' one smooth coast (issue #15, shaders/view/coast.glsl): every layer draws land and sea, and
the coastline, from the same smooth coast height (a quadratic B-spline of the bounded height above sea
level), so a coast drawn from cells is a smooth curve near the true line, not a staircase that hugs the
land cells' centres, and all layers put it in the same place. Lakes' shores get the same treatment
(view/rivers.glsl), and the protoplanet's glow is sampled smoothly (view/layers/satellite.glsl).

The synthetic coasts: an island whose cells are land (+100 m) where their centres lie within a circle
of radius R cells and sea (-4000 m) elsewhere, and a lake of cells within a circle; a picture at K
pixels per cell is compared with the true circle."""
import numpy as np
import pytest

from conftest import TINY_ALL

W, H, K = 64, 32, 4                  # grid, and picture pixels per cell
CX, CY, R = 31.7, 16.3, 7.3          # [cells] the true coast: a circle in grid coordinates (centres at +0.5)
LAND, SEA = 100.0, -4000.0           # [m] above sea level
CELL_X, CELL_Y = np.meshgrid(np.arange(W) + 0.5, np.arange(H) + 0.5)
PIX_X, PIX_Y = np.meshgrid((np.arange(W * K) + 0.5) / K, (np.arange(H * K) + 0.5) / K)
INSIDE = np.hypot(CELL_X - CX, CELL_Y - CY) < R          # the cells whose centres lie in the circle
PIX_R = np.hypot(PIX_X - CX, PIX_Y - CY)                  # [cells] each pixel's distance from the centre
NEAR = np.abs(PIX_R - R) < 3.0                            # the pixels that matter: the coast's band

FILLED = ("satellite", "elevation", "life", "basins", "plates", "biomes", "population")   # land vs sea
LINED = ("temperature", "precipitation", "co2")    # a coastline over colours alike on land and sea


def terrain(height):
    """A terrain field: bedrock `height` [m] (H x W or a number) above a sea level of 0, no glow."""
    t = np.zeros((H, W, 4), np.float32)
    t[..., 0] = height
    return t


def picture(sim, layer, height):
    """The map of `layer` at K pixels per cell with bedrock `height`, float RGB, row 0 = south."""
    sim.write("terrain", terrain(height))
    return sim.snapshot("map", layer, (W * K, H * K)).astype(float)[::-1]


def boundary(land):
    """The land pixels with a sea pixel among their 4 neighbours (in the coast's band)."""
    edge = np.zeros_like(land)
    for ax in (0, 1):
        for d in (1, -1):
            edge |= land & ~np.roll(land, d, axis=ax)
    return edge & NEAR


def coast_radii(land):
    """[cells] The distances from the circle's centre of the pixels on either side of the drawn coast
    (land pixels next to sea and sea pixels next to land: their mean is the coast's)."""
    return np.concatenate([PIX_R[boundary(land)], PIX_R[boundary(~land)]])


@pytest.fixture(scope="module")
def island(gl_ctx):
    """Per layer: the land mask of the island picture (each pixel nearer to the all-land or to the
    all-sea picture of the same layer; the satellite's: bluer than green is water, its coastal shelf
    lies between the rock's and the deep sea's colours), and the coastline layers' line masks (pixels
    darker than both the all-land and the all-sea picture)."""
    import planet
    from planet import gl

    gl.make_current(gl_ctx)
    sim = planet.Simulation(gl_ctx, TINY_ALL, grid=(W, H), backend="fragment")
    # A clear sky, no ice or snow, no lakes or rivers: they hide where the coast is.
    for field in ("clouds", "ice", "drainage"):
        sim.write(field, np.zeros_like(sim.read(field)))
    for field, channel in (("habitat", "mean_temperature"), ("atmosphere", "temperature")):
        values = sim.read(field)
        values[..., [c.name for c in sim.channels(field)].index(channel)] = 15.0   # [°C]
        sim.write(field, values)
    try:
        masks, lines = {}, {}
        for layer in FILLED:
            img, land, sea = (picture(sim, layer, h) for h in (np.where(INSIDE, LAND, SEA), LAND, SEA))
            unlike = np.abs(land - sea).sum(-1)[NEAR] > 20
            assert unlike.mean() > 0.99, f"test premise: {layer} draws land unlike sea ({unlike.mean():.3f})"
            masks[layer] = (img[..., 2] < img[..., 1] if layer == "satellite"
                            else np.abs(img - land).sum(-1) < np.abs(img - sea).sum(-1))
        for layer in LINED:
            img, land, sea = (picture(sim, layer, h) for h in (np.where(INSIDE, LAND, SEA), LAND, SEA))
            lines[layer] = (np.minimum(land, sea).mean(-1) - img.mean(-1) > 15.0) & NEAR
    finally:
        sim.release()
    return masks, lines


@pytest.mark.parametrize("layer", FILLED)
def test_the_coast_is_a_smooth_curve_near_the_true_line(island, layer):
    land = island[0][layer]
    r = coast_radii(land)
    dev = r - R                                                           # [cells]
    # The raw bilinear height's zero hugs the land cells' centres: the drawn coast lies 0.56 cells inside
    # the true line (at most 1.2), a staircase wandering 0.30 cells about its mean, and the land drawn
    # 16 % short of its cells; the smooth bounded height: 0.21 (0.7), 0.235 and 7 %.
    assert r.size > 2 * 2 * np.pi * R * K * 0.8, "test premise: a whole coastline was found"
    assert abs(dev.mean()) < 0.35, f"{layer}: the drawn coast lies {dev.mean():+.2f} cells from the true line"
    assert np.abs(dev).max() < 0.9, f"{layer}: the drawn coast strays {np.abs(dev).max():.2f} cells"
    assert dev.std() < 0.27, f"{layer}: the drawn coast wanders by {dev.std():.2f} cells about its mean"
    area = (land & (PIX_R < R + 3.0)).sum() / K**2
    assert area == pytest.approx(INSIDE.sum(), rel=0.1), f"{layer}: {area:.0f} cells of land drawn, {INSIDE.sum()} land cells"


def test_every_layer_puts_the_coast_in_the_same_place(island):
    masks, lines = island
    ref = masks["elevation"]
    perimeter = boundary(ref).sum()
    for layer, land in masks.items():
        differ = (land != ref) & NEAR
        assert differ.sum() <= 0.4 * perimeter, f"{layer} and elevation disagree on {differ.sum()} coast pixels"
    ref_r = coast_radii(ref).mean()
    for layer, line in lines.items():
        r = PIX_R[line]
        assert r.size > 2 * np.pi * R * K * 0.8, f"test premise: {layer} draws a coastline"
        assert abs(r.mean() - ref_r) < 0.1, f"{layer}'s coastline lies {r.mean() - ref_r:+.2f} cells off the land's edge"
        assert r.std() < 0.27, f"{layer}'s coastline wanders by {r.std():.2f} cells"

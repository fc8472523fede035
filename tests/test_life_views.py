"""The life stage's biomes and views (issue 12): the biome classes, the biomes layer against the biome
quantity, the satellite's biome colours, class legends, and goldens of the satellite, life and biomes
layers on a grown synthetic planet."""
import re

import numpy as np
import pytest

from planet import grid
from planet.overlay import Overlay
from planet.stages import registry
from planet.stages.life import BIOMES, biome_class

from conftest import ROOT

LIFE = ROOT / "scenes" / "tests" / "life.toml"


def lonlat(W, H):
    return (np.degrees(a) for a in grid.cell_lonlat(W, H))


def test_biome_classes_follow_temperature_and_precipitation():
    t = np.array([-20, -8, 0, 0, 10, 10, 10, 25, 25, 25])
    p = np.array([500, 500, 100, 600, 100, 400, 1200, 300, 1000, 2500])
    names = [BIOMES[k] for k in biome_class(t, p)]
    assert names == ["ice", "tundra", "desert", "boreal forest", "desert", "grassland", "temperate forest",
                     "desert", "savanna", "rain forest"]


def glsl_palette():
    text = (ROOT / "shaders" / "common" / "colormap.glsl").read_text()
    body = text[text.index("vec3 biome_color"):text.index("vec3 cmap_biomes")]
    return np.array([[float(v) for v in m] for m in re.findall(r"vec3\(([\d.]+), ([\d.]+), ([\d.]+)\)", body)])


@pytest.fixture(scope="module")
def grown(gl_ctx):
    """The continent planet (128 x 64) after 240 ticks, fragment backend: shared by the view tests."""
    import planet

    sim = planet.Simulation(gl_ctx, LIFE, grid="128x64", backend="fragment")
    W, H = 128, 64
    lon, lat = lonlat(W, H)
    land = ((np.abs(lon - 20) < 70) & (np.abs(lat) < 75)) | ((np.abs(lon + 120) < 25) & (np.abs(lat + 10) < 30))
    t = np.zeros((H, W, 4), np.float32)
    t[..., 0] = np.where(land, 300.0 + 2500.0 * (np.abs(lon - 20) < 6), -4000.0)
    sim.write("terrain", t)
    sim.step(240)
    yield sim
    sim.release()


def test_biomes_layer_agrees_with_the_biome_quantity(grown):
    W, H = grown.scene.grid
    img = grown.snapshot("map", "biomes", (W, H))[::-1].astype(np.float64)   # row 0 = south, like the fields
    b = grown.quantity("biome").astype(int)
    palette = glsl_palette()
    assert palette.shape == (len(BIOMES), 3)
    # The hillshade scales a class colour; compare directions (chromaticity), away from the coasts.
    unit = palette / np.linalg.norm(palette, axis=1, keepdims=True)
    pix = img / np.maximum(np.linalg.norm(img, axis=-1, keepdims=True), 1e-6)
    nearest = np.argmax(pix @ unit.T, axis=-1)
    land = b >= 0
    inland = land.copy()
    for d in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        ii, jj = grid.neighbour(W, H, d)
        inland &= land[jj, ii]
    assert len(np.unique(b[inland])) >= 4, "test premise: several biomes"
    assert (nearest[inland] == b[inland]).mean() > 0.97


def test_satellite_land_is_green_where_wet_and_sandy_where_dry(grown):
    W, H = grown.scene.grid
    img = grown.snapshot("map", "satellite", (W, H))[::-1].astype(np.float64)
    plants = grown.quantity("plants")
    b = grown.quantity("biome")
    wet = grown.channel("precipitation", "annual") > 800.0   # [mm/yr]; drier grassland is drawn khaki
    green = (plants > 1.0) & wet
    desert = (b == BIOMES.index("desert")) & (plants < 0.01)
    assert green.sum() > 20 and desert.sum() > 20
    g, d = img[green].mean(0), img[desert].mean(0)
    assert g[1] > g[0] and g[1] > g[2], f"vegetation is green: {g}"
    assert d[0] > d[1] > d[2] and d[0] > 120, f"desert is sand: {d}"


def test_class_legends_show_each_class_colour(ctx):
    from planet import gl

    life = registry()["life"]
    overlay = Overlay(ctx)
    fbo = ctx.simple_framebuffer((400, 300))
    try:
        fbo.use()
        fbo.clear(0.0, 0.0, 0.0)
        overlay.draw((400, 300), life.layers[1].legend)
        img = np.frombuffer(fbo.read(components=3), np.uint8).reshape(300, 400, 3).astype(int)
        for colour in (glsl_palette() * 255).round():
            assert (np.abs(img - colour).max(axis=-1) <= 2).sum() > 20, f"no swatch of {colour}"
    finally:
        overlay.release()
        gl.release_framebuffers(ctx, [fbo], with_attachments=True)


@pytest.mark.parametrize("layer", ["satellite", "life", "biomes"])
def test_golden(grown, golden, layer):
    golden(f"life_map_{layer}_256x128", grown.snapshot("map", layer, (256, 128)))

"""Views: snapshot shapes, pictures that respond to the state, and golden images (llvmpipe)."""
import re

import numpy as np
import pytest

import planet
from planet.shaderlib import SHADER_ROOT, Source
from planet.stages import Overlay, registry
from planet.view import Viewer

from conftest import TINY, TINY_ALL


def test_snapshot_shapes_and_defaults(make_sim):
    sim = make_sim()
    assert sim.snapshot().shape == (32, 64, 3)
    assert sim.snapshot("globe").shape == (32, 32, 3)
    img = sim.snapshot("map", "elevation", (100, 40))
    assert img.shape == (40, 100, 3) and img.dtype == np.uint8
    with pytest.raises(planet.PlanetError, match="valid: map, globe"):
        sim.snapshot("mercator")
    with pytest.raises(planet.PlanetError, match="valid: satellite, elevation"):
        sim.snapshot("map", "lava_lamp")
    with pytest.raises(planet.PlanetError, match="between"):
        sim.snapshot("map", "satellite", (0, 10))


def test_map_orientation_north_up(make_sim):
    """Row 0 of a snapshot is the north: flood the southern half of the field and check the halves."""
    sim = make_sim()
    t = sim.read("terrain")
    H = t.shape[0]
    t[..., 2] = 0.0
    t[: H // 2, :, 1] = 1e5  # southern rows (row 0 = south) under deep water
    t[H // 2:, :, 1] = -1e5  # northern rows dry
    sim.write("terrain", t)
    img = sim.snapshot("map", "elevation", (64, 32)).astype(float)
    top, bottom = img[:16].mean(axis=(0, 1)), img[16:].mean(axis=(0, 1))
    assert top.mean() > 150, "top (north): 100 km above sea level is the snow end of the colormap"
    assert bottom.mean() < 100 and bottom[2] > 2 * bottom[0], "bottom (south) should be deep-water navy"


def test_lava_fades_as_the_planet_cools(make_sim):
    sim = make_sim()
    hot = sim.snapshot().astype(float)
    sim.step(800)
    cold = sim.snapshot().astype(float)
    # Molten: red dominates everywhere. Cooled with oceans: blue dominates on average.
    assert hot[..., 0].mean() > hot[..., 2].mean() + 50
    assert cold[..., 2].mean() > cold[..., 0].mean()


def test_globe_shows_a_disc_on_black(make_sim):
    sim = make_sim()
    sim.step(800)
    img = sim.snapshot("globe", "satellite", (64, 64)).astype(float)
    assert img[0, 0].sum() < 30 and img[32, 32].sum() > 30
    sim.camera.yaw += 180.0
    other = sim.snapshot("globe", "satellite", (64, 64)).astype(float)
    assert np.abs(other - img).mean() > 2, "turning the camera must show the other side"


@pytest.mark.parametrize("view,layer,size", [
    ("map", "satellite", (256, 128)),
    ("map", "elevation", (256, 128)),
    ("globe", "satellite", (256, 128)),
])
def test_golden(make_sim, golden, view, layer, size):
    sim = make_sim(TINY, grid="256x128", backend="fragment", seed=5)
    sim.step(650)
    golden(f"{view}_{layer}_256x128", sim.snapshot(view, layer, size))


def test_golden_molten(make_sim, golden):
    sim = make_sim(TINY, grid="256x128", backend="fragment", seed=5)
    sim.step(60)
    golden("map_satellite_molten_256x128", sim.snapshot("map", "satellite", (256, 128)))


# Frame compositing, not field drawing: the legend/text overlay and the video's colour conversion.
NOT_FIELD_SHADERS = {"view/overlay.glsl", "view/yuv420.glsl", "view/baked.glsl"}  # baked: the bake


def test_view_shaders_read_fields_through_generated_accessors():
    """No layer or view helper declares a field sampler or fetches texels itself: they read named
    channels through the generated accessors (terrain_sample(ll).bedrock, drainage_at(c).discharge)."""
    files = sorted(SHADER_ROOT.glob("view/**/*.glsl"))
    assert any(f.name == "satellite.glsl" for f in files)
    for f in files:
        rel = f.relative_to(SHADER_ROOT).as_posix()
        if rel in NOT_FIELD_SHADERS:
            continue
        text = re.sub(r"//[^\n]*|/\*.*?\*/", "", f.read_text(), flags=re.S)
        for bad in (r"\buniform\s+i?sampler2D\b", r"\btexelFetch\s*\(", r"\bgrid_(sample|fetch\w*)\s*\("):
            assert not re.search(bad, text), f"shaders/{rel} reads a texture itself ({bad})"


def test_every_layer_compiles_in_every_view(make_sim):
    """Every layer of the full scene (with every stage's overlays) in map, globe and the unwrap."""
    sim = make_sim(TINY_ALL, backend="fragment")
    sim.reload_shaders()   # compiles each (view, layer), the morph mesh's included
    for layer in sim.layers:
        assert sim.snapshot("map", layer, (32, 16)).shape == (16, 32, 3)


def test_stages_declare_their_own_overlays_on_the_satellite_layer():
    stages = registry()
    satellite = stages["terrain"].layers[0]
    assert satellite.name == "satellite" and satellite.reads == ("terrain",) and not satellite.optional
    rivers, = stages["erosion"].overlays
    clouds, = [o for o in stages["climate"].overlays if o.when == "sky"]
    assert (rivers.layer, rivers.when, rivers.shader) == ("satellite", "ground", "view/rivers.glsl")
    assert (clouds.layer, clouds.when, clouds.shader) == ("satellite", "sky", "view/clouds.glsl")
    # overlays_ground / overlays_sky call them by (order, stage order): a stage's order-0 ground
    # overlay (colouring the land) comes before the rivers, whatever the stage order.
    ground = Overlay("satellite", "view/clouds.glsl", "overlay_clouds", ("vapour",), when="ground")
    src = Source()
    Viewer(None, None, {}, (clouds, rivers, ground)).overlay_block("satellite", src)
    body = src.text[src.text.index("vec3 overlays_ground"):]
    ground_fn, sky_fn = body.split("vec3 overlays_sky")
    assert ground_fn.index("overlay_clouds") < ground_fn.index("overlay_rivers")
    assert "overlay_clouds" in sky_fn and "overlay_rivers" not in sky_fn


def test_an_overlay_reading_a_field_the_scene_lacks_is_named():
    """A stage's overlay that reads another stage's field, in a scene without that stage."""
    from types import SimpleNamespace

    stages = registry()
    terrain = SimpleNamespace(fields={"terrain": None}, specs={"terrain": stages["terrain"].fields[0]})
    biomes = Overlay("satellite", "view/clouds.glsl", "overlay_biomes", ("terrain", "vapour"))
    viewer = Viewer(None, terrain, {"satellite": stages["terrain"].layers[0]}, (biomes,))
    with pytest.raises(planet.PipelineError, match=r"overlay overlay_biomes .* reads 'vapour'.*fields: terrain"):
        viewer.reads("satellite")

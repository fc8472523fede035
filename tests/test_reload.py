"""Hot reload (F5 in the window): a failed compile keeps the running programs and names the file and
line; fixing the file and reloading picks up the change."""
import shutil

import numpy as np
import pytest

import planet
from planet.shaderlib import SHADER_ROOT


@pytest.fixture
def shader_copy(tmp_path, monkeypatch):
    root = tmp_path / "shaders"
    shutil.copytree(SHADER_ROOT, root)
    monkeypatch.setattr(planet.shaderlib, "SHADER_ROOT", root)
    return root


@pytest.mark.parametrize("backend", ["fragment", "compute"])
def test_failed_reload_keeps_running_programs(make_sim, shader_copy, backend):
    sim = make_sim(backend=backend)
    cool = shader_copy / "terrain" / "cool.glsl"
    good = cool.read_text()
    lines = good.splitlines()
    n = next(i for i, ln in enumerate(lines, 1) if "float glow = " in ln)
    cool.write_text("\n".join(ln.replace("float glow = ", "float glow = undefined_thing + ") for ln in lines))
    with pytest.raises(planet.ShaderError, match=rf"shaders/terrain/cool.glsl:{n}:"):
        sim.reload_shaders()
    sim.step(2)  # the old program still runs
    assert np.isfinite(sim.read("terrain")).all()
    # Fixed: quench at sea drops to 1 by editing the shader; the reload takes effect.
    cool.write_text(good.replace("if (t.r < u_sea_level_now) tau /= u_quench;", "// no quench"))
    sim.reload_shaders()
    sim.step(1)


def test_failed_view_reload_keeps_running_programs(make_sim, shader_copy):
    sim = make_sim()
    before = sim.snapshot("map", "elevation")
    layer = shader_copy / "view" / "layers" / "elevation.glsl"
    layer.write_text(layer.read_text().replace("vec3 c = ", "vec3 c = nope + "))
    with pytest.raises(planet.ShaderError, match="shaders/view/layers/elevation.glsl:"):
        sim.viewer.reload()
    assert np.array_equal(sim.snapshot("map", "elevation"), before)


def test_reload_with_quiet_cells(make_sim, shader_copy):
    """The passes with quiet cells (Pass.quiet: two programs each, and the mask passes) reload too: a failed
    reload keeps all of them running, a good one swaps them, and either way the fields stay those of a
    simulation that never reloaded (same shaders), bit for bit."""
    from conftest import TINY_ALL

    sim, ref = make_sim(TINY_ALL, backend="fragment"), make_sim(TINY_ALL, backend="fragment")
    assert sim.pipeline.quiet_programs and sim.pipeline.mask_passes
    for s in (sim, ref):
        s.step(2)
    receivers = shader_copy / "erosion" / "receivers.glsl"
    good = receivers.read_text()
    receivers.write_text(good.replace("o_route = Route(NONE, NONE, NONE);", "o_route = Route(NONE, NONE, nope);"))
    with pytest.raises(planet.ShaderError, match="shaders/erosion/receivers.glsl:"):
        sim.reload_shaders()
    for s in (sim, ref):
        s.step(2)
    receivers.write_text(good)
    sim.reload_shaders()
    for s in (sim, ref):
        s.step(2)
    for name in sim.fields:
        assert np.array_equal(sim.read(name).view(np.uint32), ref.read(name).view(np.uint32)), name

"""The satellite bake's speed-ups (issue 16) keep its picture: the city lights drawn by a gated pass only over
the blocks of cells where someone lives (Overlay.bake_gate, view/bake_gate.glsl) give the same bake, byte for
byte, as the one-pass bake; the layer's terrain samples from one 4 x 4 stencil (view/terrain_stencil.glsl)
agree with their own functions (terrain_sample, terrain_sample_smooth, coast_height, relief_shade) to float
rounding at every texel, and the whole bake with them matches the per-pixel reference within 1/255 (mean)
and 2/255 (max); measured: identical bytes on this state and on the late story at 256x128."""
import numpy as np
import pytest

from planet import grid, shaderlib
from planet.passes import builtins_block, fields_block, vertex_source
from planet.shaderlib import Source, compile_program

from conftest import ROOT

STAGES = ["terrain", "climate", "erosion", "life", "people"]
SIZE = (256, 1)   # a map frame 256 wide: the bake of the 64 x 32 grid is 256 x 128 (4 texels a cell)


@pytest.fixture(scope="module")
def late(gl_ctx):
    """A 64 x 32 planet with every satellite overlay: a continent with a ridge and a crater lake, grown 60
    ticks, then people written on part of its land (so the lights have both lit and empty blocks)."""
    import planet

    sim = planet.Simulation(gl_ctx, {"planet": {"grid": "64x32", "dt": 1.0, "seed": 5, "stages": STAGES},
                                     "climate": {"steps_per_year": 180}, "life": {"start": 0.0, "year_ticks": 180}},
                            backend="fragment")
    W, H = sim.scene.grid
    lon, lat = (np.degrees(a) for a in grid.cell_lonlat(W, H))
    land = (np.abs(lon - 20) < 70) & (np.abs(lat) < 60)
    t = sim.read("terrain")
    t[..., 0] = np.where(land, 200.0 + 2500.0 * (np.abs(lon - 20) < 5) - 600.0 * (np.hypot(lon - 50, lat) < 6),
                         -4000.0) + t[..., 1]
    sim.write("terrain", t)
    sim.step(60)
    people = sim.read("people")
    people[..., 0] = np.where(land & (lon < 30) & (lat > -30), 5.0 + 60.0 * (np.abs(lat - 10) < 8), 0.0)
    sim.write("people", people)
    yield sim
    sim.release()


def bake(sim, gate=True):
    v = sim.viewer
    v.gate_bakes = gate
    v.bake_cache.clear()
    v.invalidate()
    tex = v.baked("satellite", SIZE, sim.builtins())
    w, h = tex.size
    out = np.frombuffer(tex.read(), np.uint8).reshape(h, w, 4).astype(int)
    v.gate_bakes = True
    return out


def test_gated_lights_bake_is_the_one_pass_bake(late):
    one, gated = bake(late, gate=False), bake(late, gate=True)
    lit = one[..., 3] > 0
    assert 0.02 < lit.mean() < 0.5, "the state has lit and dark texels"
    assert np.array_equal(one, gated), f"differs at {np.argwhere(one != gated)[:5].tolist()}"
    assert late.viewer.bake_gate_program("satellite") is not None


def test_terrain_stencil_matches_its_functions(late):
    """terrain_pixel against the four functions it replaces, in float, at every texel of a 4x bake."""
    sim, ctx = late, late.ctx
    spec = sim.pipeline.specs["terrain"]
    src = Source()
    src.text = "#version 330 core\n"
    src.add("<test:stencil>", builtins_block())
    src.include("common/grid.glsl")
    src.add("<test:stencil:fields>", fields_block([spec], ("terrain",)))
    src.include("view/terrain_stencil.glsl")
    src.add("<test:stencil:main>", """
uniform vec2 u_size;
out vec4 frag;
void main() {
    vec2 uv = gl_FragCoord.xy / u_size;
    vec2 ll = vec2(-PI + uv.x * 2.0 * PI, -0.5 * PI + uv.y * PI);
    vec3 light = normalize(vec3(-0.5, 0.5, 0.7071));
    TerrainPixel p = terrain_pixel(ll, light, 2.5);
    Terrain b = terrain_sample(ll), c = terrain_sample_smooth(ll);
    frag = vec4(max(abs(p.bilinear.bedrock - b.bedrock), abs(p.bilinear.sea_level - b.sea_level)),
                max(abs(p.cubic.bedrock - c.bedrock), abs(p.cubic.glow - c.glow)),
                abs(p.coast - coast_height(ll)), max(abs(p.shade - relief_shade(ll, light)),
                                                     abs(p.shade_extra - relief_shade_x(ll, light, 2.5))));
}
""")
    prog = compile_program(ctx, "test terrain stencil", vertex=vertex_source(), fragment=src)
    W, H = sim.scene.grid
    size = (4 * W, 4 * H)
    fbo = ctx.framebuffer(color_attachments=[ctx.texture(size, 4, dtype="f4")])
    try:
        fbo.use()
        ctx.viewport = (0, 0, *size)
        for name, value in {**sim.builtins(), "u_size": (float(size[0]), float(size[1]))}.items():
            if name in prog:
                prog[name].value = value
        sim.pipeline.fields["terrain"].front.use(location=0)
        prog["t_terrain"].value = 0
        ctx.vertex_array(prog, []).render(vertices=3)
        d = np.frombuffer(fbo.read(components=4, dtype="f4"), np.float32).reshape(size[1], size[0], 4)
    finally:
        fbo.release()
    relief = np.abs(sim.read("terrain")[..., 0]).max()
    assert d[..., 0].max() <= 1e-6 * relief, "bilinear terrain: float rounding only"
    assert d[..., 1].max() <= 1e-6 * relief, "cubic terrain: float rounding only"
    assert d[..., 2].max() <= 1e-6, "coast height (in [-1, 1]): float rounding only"
    assert d[..., 3].max() <= 1e-4, "hillshade: the shifted samples' fraction within a few ulp"


def test_satellite_bake_matches_the_per_pixel_reference(late, tmp_path, monkeypatch):
    """The bake with the stencil and the vegetation's reuse against the per-pixel picture: terrain_pixel
    replaced by calls of the four functions (what the layer and vegetation called before, issue 16)."""
    fast = bake(late, gate=False)
    import shutil

    root = tmp_path / "shaders"
    shutil.copytree(ROOT / "shaders", root)
    path = root / "view" / "terrain_stencil.glsl"
    text = path.read_text()
    head = text[:text.index("TerrainPixel terrain_pixel(")]
    path.write_text(head + """TerrainPixel terrain_pixel(vec2 ll, vec3 light, float extra) {
    return TerrainPixel(terrain_sample(ll), terrain_sample_smooth(ll), coast_height(ll), relief_shade(ll, light),
                        relief_shade_x(ll, light, extra));
}
""")
    monkeypatch.setattr(shaderlib, "SHADER_ROOT", root)
    ref = bake(late, gate=False)
    monkeypatch.undo()
    late.viewer.bake_cache.clear()
    d = np.abs(fast[..., :3] - ref[..., :3])
    assert d.mean() < 1.0 and d.max() <= 2, f"mean {d.mean():.4f}, max {d.max()} [1/255]"
    assert np.array_equal(fast[..., 3], ref[..., 3])


def test_cold_blocks_draw_the_same_picture(late):
    """A planet half cooled (glow written 0 outside a patch): the bake drawn as hot blocks (the whole
    satellite program) and cold blocks (BAKE_COLD: no young crust, Layer.cold_gate) against the whole
    program everywhere: within rounding (mean < 1/255, max <= 2/255; measured identical)."""
    W, H = late.scene.grid
    lon, lat = (np.degrees(a) for a in grid.cell_lonlat(W, H))
    saved = late.read("terrain")
    t = saved.copy()
    t[..., 2] = np.where(np.hypot(lon - 10, lat - 20) < 25, 0.6, 0.0)
    late.write("terrain", t)
    try:
        assert late.viewer.split_bake("satellite")
        whole, split = bake(late, gate=False), bake(late, gate=True)
    finally:
        late.write("terrain", saved)
    d = np.abs(whole[..., :3] - split[..., :3])
    assert d.mean() < 1.0 and d.max() <= 2, f"mean {d.mean():.4f}, max {d.max()} [1/255]"
    hot = np.abs(whole[..., :3] - bake_no_crust(late, t)[..., :3]).max(-1) > 8
    assert 0.01 < hot.mean() < 0.5, "the patch's crust shows, the rest is cold"


def bake_no_crust(sim, terrain):
    """The bake of `terrain` with no glow anywhere (every block cold)."""
    saved = sim.read("terrain")
    t = terrain.copy()
    t[..., 2] = 0.0
    sim.write("terrain", t)
    try:
        return bake(sim)
    finally:
        sim.write("terrain", saved)

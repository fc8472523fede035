"""The views' drawing (issues #15, #16): the per-tick bake that frames reuse, rivers as lines whose width
grows with discharge, lakes with smooth shores, the protoplanet's crust and cracks, legends that fit and
render every glyph, the elevation legend's range and the wipe between layers."""
import numpy as np
import pytest

from planet.constants import SECONDS_PER_YEAR
from planet.frames import WIPE_SECONDS, FrameRenderer
from planet.overlay import Overlay, font_px, missing_glyphs, text_image, text_width, wrap_title, legend_title
from planet.stages import registry
from planet.view import BAKE_TEXELS_MAX, bake_size

from conftest import ROOT, TINY

RIVERS = {"planet": {"grid": "32x16", "stages": ["terrain", "erosion"]}}


def test_bake_size_fits_the_frame_within_its_caps():
    assert bake_size((256, 128), (256, 128)) == (256, 128), "a map at the grid's size: one texel per cell"
    assert bake_size((128, 64), (640, 360)) == (512, 256), "at most 4 texels per cell"
    assert bake_size((256, 128), (1280, 720)) == (1024, 512)
    w, h = bake_size((1024, 512), (1920, 1080))
    assert (w, h) == (1024, 512) and w * h <= BAKE_TEXELS_MAX, "big grids: one texel per cell"
    assert bake_size((64, 32), (10, 10)) == (64, 32), "never below the grid"


def counting_bakes(sim):
    calls = []
    bake = sim.viewer.bake_program

    def counted(layer):
        calls.append(layer)
        return bake(layer)
    sim.viewer.bake_program = counted
    return calls


def test_frames_reuse_the_bake_until_the_simulation_changes(make_sim):
    sim = make_sim()
    sim.step(3)
    calls = counting_bakes(sim)
    a = sim.snapshot("globe", "elevation", (96, 96))
    b = sim.snapshot("globe", "elevation", (96, 96))
    assert len(calls) == 1 and np.array_equal(a, b), "the second frame fetches the first one's bake"
    sim.camera.yaw += 90.0
    turned = sim.snapshot("globe", "elevation", (96, 96))
    assert len(calls) == 1 and np.abs(turned.astype(int) - a).mean() > 2, "a camera move needs no bake"
    t = sim.read("terrain")
    t[..., 0] += 3000.0
    sim.write("terrain", t)
    raised = sim.snapshot("globe", "elevation", (96, 96))
    assert len(calls) == 2 and not np.array_equal(raised, turned), "a write re-bakes"
    sim.step(1)
    sim.snapshot("globe", "elevation", (96, 96))
    assert len(calls) == 3, "a tick re-bakes"


def river_sim(make_sim):
    """Flat land, one river along row 8 flowing east whose discharge grows from Q_min to 1e5 Q_min."""
    sim = make_sim(RIVERS, backend="fragment")
    W, H = sim.scene.grid
    t = sim.read("terrain")
    t[..., 0], t[..., 1], t[..., 2] = 1000.0, 0.0, 0.0
    sim.write("terrain", t)
    j = 8
    qmin = river_qmin(sim)
    d = np.zeros_like(sim.read("drainage"))
    r = np.full_like(sim.read("route"), -1)
    cols = np.arange(2, 30)
    d[j, cols, 1] = qmin * 10.0 ** (5.0 * (cols - 2) / (len(cols) - 1)) * 1.0001
    r[j, cols, 0] = j * W + cols + 1
    sim.write("drainage", d)
    sim.write("route", r)
    major_basin(sim, j * W + 30)
    return sim, j


def river_qmin(sim):
    """view/rivers.glsl's Q_min [m³/s]: RIVER_KM2 (at least RIVER_CELLS mean cells) of 1 m/yr of rain."""
    W, H = sim.scene.grid
    mean_cell_km2 = 4 * np.pi * sim.scene.radius ** 2 / (W * H)
    return max(2.0e5, 6.0 * mean_cell_km2) * 1e6 / SECONDS_PER_YEAR


def major_basin(sim, root, cells=None):
    """Make every cell (or the boolean mask `cells`) part of one major basin (view/rivers.glsl: its root
    drains >= MAJOR_BASIN_KM2) whose root is cell index `root`."""
    W, _ = sim.scene.grid
    b = sim.read("basins")
    if cells is None:
        b[...] = root
    else:
        b[cells, 0] = root
    sim.write("basins", b)
    d = sim.read("drainage")
    d[root // W, root % W, 0] = 1.0e7
    sim.write("drainage", d)


def river_widths(img, j, H, scale):
    """Per grid column: the number of river-blue pixels in the rows around grid row j."""
    top = (H - 1 - j) * scale
    band = img[top - scale: top + 2 * scale].astype(int)
    blue = (band[..., 2] - band[..., 0]) > 25
    return blue.sum(axis=0).reshape(-1, scale).mean(axis=1)


def test_river_line_width_grows_with_discharge(make_sim):
    sim, j = river_sim(make_sim)
    W, H = sim.scene.grid
    scale = 8
    img = sim.snapshot("map", "satellite", (W * scale, H * scale))
    widths = river_widths(img, j, H, scale)
    assert widths[0] == 0 and widths[31] == 0, "no river where no cell carries one"
    small, big = widths[4:8].mean(), widths[25:29].mean()
    assert small >= 0.5, f"the smallest river shows (a faint line about a pixel wide): {small}"
    assert big > 2.5 * small, f"a great river is wider than a brook: {big} vs {small}"
    assert (np.diff(widths[3:29]) >= -0.5).all(), "width grows along the river, with its discharge"
    # Anti-aliased: the river's edge pixels are partly covered (colours between land and river).
    band = img[(H - 1 - j) * scale - scale:(H + 1 - j) * scale, 25 * scale:29 * scale].astype(int)
    b_minus_r = band[..., 2] - band[..., 0]
    assert ((b_minus_r > 5) & (b_minus_r < b_minus_r.max() - 20)).any(), "soft edges"


def test_no_dotted_row_of_rivers_by_the_poles(make_sim):
    """The tiny cells next to a pole, with inflow from the row below, are no rivers unless Q is large."""
    sim, _ = river_sim(make_sim)
    W, H = sim.scene.grid
    d, r = sim.read("drainage"), sim.read("route")
    d[..., 1] = 0.0
    r[..., 0] = -1
    cell_km2 = sim.scene.radius ** 2 * 2 * np.cos(np.radians(90 - 90 / H)) * np.sin(np.pi / H / 2) * 2 * np.pi / W
    d[H - 1, :, 1] = 8 * cell_km2 * 1e6 / SECONDS_PER_YEAR    # 8 pole cells' worth of rain each
    r[H - 1, :, 0] = (H - 1) * W + (np.arange(W) + 1) % W
    sim.write("drainage", d)
    sim.write("route", r)
    img = sim.snapshot("map", "satellite", (8 * W, 8 * H)).astype(int)
    assert not ((img[:16, :, 2] - img[:16, :, 0]) > 25).any(), "no rivers drawn along the top row"


def test_lakes_have_smooth_shores_and_never_sit_on_lava(make_sim):
    sim, _ = river_sim(make_sim)
    W, H = sim.scene.grid
    d = sim.read("drainage")
    jj, ii = np.mgrid[0:H, 0:W]
    d[..., 2] = np.where((jj - 4) ** 2 + (ii - 16) ** 2 <= 5, 40.0, 0.0)   # a round lake of 21 cells
    sim.write("drainage", d)
    scale = 8
    img = sim.snapshot("map", "satellite", (W * scale, H * scale)).astype(int)
    water = (img[..., 2] - img[..., 0]) > 25
    lake = water[(H - 8) * scale:, 10 * scale:22 * scale]
    rows = lake.sum(axis=1)
    rows = rows[rows > 0]
    # A round lake drawn from cells: its row widths change in more steps than the cells' 3 (stair-steps).
    assert len(np.unique(rows)) > 6, f"shore follows a curve, not cell edges: {np.unique(rows)}"
    sea_shelf = np.array([0.13, 0.46, 0.58]) * 255
    assert img[water].mean(0)[2] <= sea_shelf[2] + 10, "lakes are no brighter than the sea's shelf"
    t = sim.read("terrain")
    t[..., 2] = 0.9
    sim.write("terrain", t)
    hot = sim.snapshot("map", "satellite", (W * scale, H * scale)).astype(int)
    assert not ((hot[..., 2] - hot[..., 0]) > 25).any(), "no lakes or rivers on glowing lava"


def test_the_protoplanet_is_dark_crust_with_glowing_cracks_that_close_as_it_cools(make_sim):
    sim = make_sim(TINY, backend="fragment")
    W, H = sim.scene.grid
    img = sim.snapshot("map", "satellite", (4 * W, 4 * H)).astype(int)
    lava = (img[..., 0] > 180) & (img[..., 0] > img[..., 2] + 100)
    dark = (img[..., 1] < 45) & (img[..., 0] < 140)     # a dark (at most dull red-hot) crust
    assert 0.1 < lava.mean() < 0.7, f"glowing cracks: {lava.mean():.2f}"
    assert dark.mean() > 0.2, f"dark crust between them: {dark.mean():.2f}"
    t = sim.read("terrain")
    t[..., 1] = -1e4            # no sea: all land
    t[..., 2] = 0.02            # nearly cooled
    sim.write("terrain", t)
    cool = sim.snapshot("map", "satellite", (4 * W, 4 * H)).astype(int)
    cool_lava = (cool[..., 0] > 180) & (cool[..., 0] > cool[..., 2] + 100)
    assert cool_lava.mean() < 0.25 * lava.mean(), "the cracks close as the glow fades"


def test_elevation_legend_covers_the_protoplanet_peaks(make_sim):
    """The default story's protoplanet at tick 0 (its crater rims stand highest on finer grids)."""
    sim = make_sim(ROOT / "scenes" / "earth.toml", grid="256x128", backend="fragment")
    e = sim.quantity("elevation")
    legend = sim.layers["elevation"].legend
    assert legend.vmin <= e.min() and e.max() <= legend.vmax
    assert e.max() > 15000.0, "test premise: the protoplanet's peaks"


def test_every_legend_fits_its_box_and_renders_every_glyph(ctx):
    assert missing_glyphs("m³/s km² °C · 1e5 m³") == ""
    assert text_image(["m³"], 16)[..., 0].astype(int).sum() > text_image(["m"], 16)[..., 0].astype(int).sum() + 500, \
        "the superscript is drawn"
    overlay = Overlay(ctx)
    size = (640, 360)
    fbo = ctx.simple_framebuffer(size)
    px = font_px(size)
    pad = max(px // 3, 3)
    try:
        fbo.use()
        for st in registry().values():
            for lay in st.layers:
                if lay.legend is None:
                    continue
                title = legend_title(lay.legend)
                assert missing_glyphs(title) == "", f"{lay.name}: {title!r}"
                for name in lay.legend.classes:
                    assert missing_glyphs(name) == ""
                w, h = overlay._draw_legend(lay.legend, size, px, (0, 0))
                lines = [title] if lay.legend.classes else wrap_title(title, px, int(0.45 * size[0]))
                assert all(text_width(line, px) + 2 * pad <= w for line in lines), f"{lay.name}: title overflows"
                assert w <= 0.5 * size[0] and h <= 0.5 * size[1], f"{lay.name}: legend {w}x{h} too big"
    finally:
        from planet import gl

        overlay.release()
        gl.release_framebuffers(ctx, [fbo], with_attachments=True)


def test_the_wipe_sweeps_the_new_layer_across_the_old(make_sim):
    sim = make_sim()
    size = (128, 64)
    still = FrameRenderer(sim)
    old = still.render(size, "elevation", 0.0, legend=False).astype(int)
    new = still.render(size, "satellite", 0.0, legend=False).astype(int)
    assert np.abs(old - new).mean() > 10, "test premise: the layers differ"
    wiped = FrameRenderer(sim, wipe=True)
    wiped.render(size, "elevation", 0.0, legend=False)
    start = wiped.render(size, "satellite", 0.0, legend=False).astype(int)
    assert np.array_equal(start, old), "the wipe starts from the old layer"
    wiped.advance(0.5 * WIPE_SECONDS)
    half = wiped.render(size, "satellite", 0.0, legend=False).astype(int)
    x = size[0] // 2
    assert np.array_equal(half[:, :x - 1], new[:, :x - 1]) and np.array_equal(half[:, x + 1:], old[:, x + 1:]), \
        "half way: the new layer left of the front, the old one right of it"
    wiped.advance(0.5 * WIPE_SECONDS)
    assert np.array_equal(wiped.render(size, "satellite", 0.0, legend=False).astype(int), new), "then the new one"
    assert np.array_equal(still.render(size, "elevation", 0.0, legend=False).astype(int), old), \
        "without a wipe a layer change is a cut"
    still.release()
    wiped.release()


@pytest.mark.parametrize("morph", [0.5, 1.0])
def test_the_wipe_works_on_the_globe_and_the_unwrap(make_sim, morph):
    sim = make_sim()
    size = (96, 64)
    wiped = FrameRenderer(sim, wipe=True)
    old = wiped.render(size, "elevation", morph, legend=False).astype(int)
    wiped.advance(2 * WIPE_SECONDS)
    new = FrameRenderer(sim).render(size, "satellite", morph, legend=False).astype(int)
    wiped.render(size, "satellite", morph, legend=False)
    wiped.advance(0.5 * WIPE_SECONDS)
    half = wiped.render(size, "satellite", morph, legend=False).astype(int)
    x = size[0] // 2
    assert np.array_equal(half[:, :x - 1], new[:, :x - 1]) and np.array_equal(half[:, x + 1:], old[:, x + 1:])
    wiped.release()


def test_captions_tell_the_planet_in_numbers(make_sim):
    from planet.frames import story_lines

    sim = make_sim(TINY)
    t = sim.read("terrain")
    t[..., 1] = np.where(np.arange(t.shape[1]) < t.shape[1] // 4, 1e5, -1e5)[None, :]   # a quarter under water
    t[..., 0] = 0.0
    sim.write("terrain", t)
    (line,) = story_lines(sim, "satellite")
    assert "satellite" in line and "land 75 %" in line, line

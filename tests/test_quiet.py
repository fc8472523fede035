"""Quiet cells (issue 16; planet/passes.py Pass.mask / Pass.quiet): on the fragment backend a pass with a
mask runs its pass_quiet on the mask's cells (sea cells of land-only processes) and pass_main elsewhere,
which must give the same bits as pass_main everywhere. Checked on the shortened story (every era, every
stage) against the same run with the masks off, field by field, bit for bit."""
import numpy as np
import pytest

import planet

from conftest import ROOT

SHORT = ROOT / "scenes" / "tests" / "story.toml"
TICKS = 300   # through plates, rivers, climate, life and 35 ticks into the people's era (scenes/tests/story.toml)


@pytest.fixture(scope="module")
def runs(gl_ctx):
    """The shortened story to TICKS with the masks on and off (fragment backend), and per mask pass the
    share of quiet cells at the end."""
    sims = []
    try:
        for use in (True, False):
            sim = planet.Simulation(gl_ctx, SHORT, backend="fragment")
            sim.pipeline.use_masks = use
            sims.append(sim)
        for sim in sims:
            sim.step(TICKS)
        on, off = sims
        shares = {name: on.pipeline.mask_cells(name).mean() for name in on.pipeline.mask_passes}
        yield on, off, shares
    finally:
        for sim in sims:
            sim.release()


def test_the_masks_split_real_draws(runs):
    on, off, shares = runs
    assert on.years > 4.5e9 and on.scalar("population") > 0, "the run reaches the people's era"
    assert set(shares) == {"erosion.sea", "erosion.quiet", "life.sea", "people.sea"}
    terrain = on.read("terrain")
    sea = (terrain[..., 0] <= terrain[..., 1]).mean()
    # The sea mask is the sea; the open sea a part of it; neither vacuous.
    assert shares["erosion.sea"] == pytest.approx(sea, abs=1e-9) and 0.3 < sea < 0.95
    assert 0.1 < shares["erosion.quiet"] < shares["erosion.sea"]
    assert shares["life.sea"] == shares["people.sea"] == shares["erosion.sea"]   # incise is before life
    assert on.pipeline._masks["people.sea"]["src"] == "life.sea"   # nothing between them changes the terrain
    assert off.pipeline.mask_cells("erosion.sea") is None


def test_quiet_cells_give_the_same_bits(runs):
    on, off, _ = runs
    assert on.tick == off.tick >= TICKS
    bad = []
    for name in on.fields:
        a, b = on.read(name), off.read(name)
        same = a.view(np.uint32) == b.view(np.uint32)
        if not same.all():
            bad.append(f"{name}: {(~same).sum()} values differ")
    assert not bad, "masks on vs off: " + "; ".join(bad)
    assert np.array_equal(on.scalar_state(), off.scalar_state())


def _morph(sim, size=(96, 64)) -> np.ndarray:
    """A frame of the animated unwrap (the view drawn with the depth test) as the window draws it."""
    fbo = sim.target(size)
    fbo.use()
    fbo.clear(0.0, 0.0, 0.0, 1.0, depth=1.0)
    sim.draw("globe", "satellite", size, morph=0.6)
    return np.frombuffer(fbo.read(components=4), np.uint8)


def test_the_views_draw_the_same_after_quiet_cells(runs):
    """End to end: the views drawn right after a tick with the masks (the last GL work) are those drawn
    after the same tick without them (the depth state itself: tests/test_pipeline.py)."""
    on, off, _ = runs
    for sim in (off, on):   # the masked tick last
        sim.step(1)
    assert np.array_equal(_morph(on), _morph(off)), "the unwrap (depth test)"
    for view, size in (("map", (128, 64)), ("globe", (64, 64))):
        assert np.array_equal(on.snapshot(view, "satellite", size), off.snapshot(view, "satellite", size)), view

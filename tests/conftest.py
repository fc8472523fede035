"""One place makes the GL context for the suite; every GL test checks ctx.error before and after.

A context failure is a test failure, never a skip (CI has no GPU; Mesa llvmpipe is the reference).
`--regen-goldens` rewrites golden images (refused when CI is set).
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import planet
from planet import gl

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "scenes" / "tests" / "tiny.toml"          # terrain only
TINY_ALL = ROOT / "scenes" / "tests" / "tiny_all.toml"  # every stage
GOLDENS = Path(__file__).resolve().parent / "goldens"
FAILURES = Path(__file__).resolve().parent / "_failures"
BACKENDS = ("fragment", "compute")


def pytest_addoption(parser):
    parser.addoption("--regen-goldens", action="store_true", help="rewrite tests/goldens/*.png (not in CI)")


@pytest.fixture(scope="session")
def gl_ctx():
    try:
        ctx = gl.create_headless()
    except planet.GLContextError as exc:
        pytest.fail(f"no OpenGL context: {exc}", pytrace=False)
    yield ctx
    ctx.release()


@pytest.fixture
def ctx(gl_ctx):
    """The session context, made current (other tests make and drop headless contexts of their own),
    with GL errors checked around the test."""
    gl.make_current(gl_ctx)
    assert gl_ctx.error == "GL_NO_ERROR", "a GL error was pending before the test"
    yield gl_ctx
    gl.make_current(gl_ctx)
    assert gl_ctx.error == "GL_NO_ERROR", "the test left a GL error behind"


@pytest.fixture
def make_sim(ctx):
    """make_sim(scene=TINY, **kw) -> Simulation on the shared context, released after the test."""
    made = []

    def make(scene=TINY, **kw):
        sim = planet.Simulation(ctx, scene, **kw)
        made.append(sim)
        return sim

    yield make
    for sim in made:
        sim.release()


@pytest.fixture
def golden(request, gl_ctx):
    """golden(name, image): compare with tests/goldens/<name>.png on llvmpipe (max |d| <= 2/255 on
    >= 99.9 % of pixels); elsewhere render but skip the comparison. --regen-goldens rewrites."""
    import imageio.v3 as iio

    def check(name: str, image: np.ndarray) -> None:
        path = GOLDENS / f"{name}.png"
        if request.config.getoption("--regen-goldens"):
            if os.environ.get("CI"):
                pytest.fail("--regen-goldens is refused when CI is set")
            GOLDENS.mkdir(exist_ok=True)
            iio.imwrite(path, image)
            return
        if not gl.describe(gl_ctx)["software"] or "llvmpipe" not in gl.describe(gl_ctx)["renderer"]:
            pytest.skip(f"goldens are compared on llvmpipe only (this is {gl.describe(gl_ctx)['renderer']})")
        assert path.is_file(), f"missing golden {path}; run pytest --regen-goldens and commit it"
        expected = iio.imread(path)[..., :3]
        assert expected.shape == image.shape, f"{name}: shape {image.shape} != golden {expected.shape}"
        diff = np.abs(expected.astype(int) - image.astype(int)).max(axis=-1)
        bad = float((diff > 2).mean())
        if bad > 0.001:
            FAILURES.mkdir(exist_ok=True)
            iio.imwrite(FAILURES / f"{name}_actual.png", image)
            iio.imwrite(FAILURES / f"{name}_expected.png", expected)
            iio.imwrite(FAILURES / f"{name}_diff.png", np.clip(diff * 16, 0, 255).astype(np.uint8))
            pytest.fail(f"{name}: {bad:.3%} of pixels differ by more than 2/255 (max {diff.max()}); "
                        f"see {FAILURES}/{name}_{{actual,expected,diff}}.png")

    return check


def ran_each_tick(sim, name: str, ticks: int) -> list[bool]:
    """Step `sim` tick by tick and say, for each tick, whether the pass `name` ran (a gate, Pass.when,
    may skip it): read from the pipeline's per-pass timings."""
    ran = []
    try:
        for _ in range(ticks):
            sim.pipeline.timings = {}
            sim.step(1)
            ran.append(name in sim.pipeline.timings)
    finally:
        sim.pipeline.timings = None
    return ran

"""Every stage pass compiles and links on this GL for both backends; every (view, layer) program too;
every shader file under shaders/ starts with a header comment."""
from pathlib import Path

import pytest

from planet import gl
from planet.pipeline import Pipeline
from planet.scene import VIEWS
from planet.stages import registry
from planet.view import Viewer

from conftest import BACKENDS

SHADERS = Path(__file__).resolve().parent.parent / "shaders"


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_pass_compiles(ctx, backend):
    stages = list(registry().values())
    pipe = Pipeline(ctx, stages, (32, 16), backend)
    try:
        # Every pass (a mask pass only on the fragment backend: Pass.mask), the quiet cells' programs
        # (Pass.quiet, fragment; a convergence pass has none: it starts with its quiet cells done), the
        # convergence checks (Pass.until), and the scalars' reduction levels.
        names = {p.name for st in stages for p in (*st.init, *st.step) if backend == "fragment" or not p.mask}
        quiet = ({p.name for st in stages for p in st.step if p.quiet and not p.until} if backend == "fragment"
                 else set())
        assert set(pipe.programs) == names and set(pipe.quiet_programs) == quiet
        assert quiet or backend == "compute"
        total = len(names) + len(quiet) + len(pipe.checks) + pipe.reducer.dispatches()
        assert len(pipe.cache) == total
        # Building again hits the cache keyed by (pass, backend, defines, entry): no new programs.
        pipe.build()
        assert len(pipe.cache) == total
        # A reload recompiles from disk and keeps working.
        pipe.reload()
        assert set(pipe.programs) == names and set(pipe.quiet_programs) == quiet
    finally:
        pipe.release()


def test_every_view_and_layer_compiles(ctx):
    stages = list(registry().values())
    pipe = Pipeline(ctx, stages, (32, 16), "fragment")
    viewer = Viewer(ctx, pipe, {lay.name: lay for st in stages for lay in st.layers})
    try:
        for view in VIEWS:
            for layer in viewer.layers:
                viewer.program(view, layer)
        assert len(viewer.cache) == len(VIEWS) * len(viewer.layers)
    finally:
        viewer.release()
        pipe.release()


def test_backend_choice(ctx):
    info = gl.describe(ctx)
    assert gl.choose_backend(ctx, "fragment") == "fragment"
    assert gl.choose_backend(ctx, "auto") == ("compute" if info["compute"] and not info["software"] else "fragment")
    with pytest.raises(Exception, match="valid: auto, fragment, compute"):
        gl.choose_backend(ctx, "metal")


def test_every_shader_has_a_header():
    for path in SHADERS.rglob("*.glsl"):
        first = path.read_text().splitlines()[0]
        assert first.startswith("// shaders/"), f"{path} must start with a header comment naming itself"
        assert f"shaders/{path.relative_to(SHADERS).as_posix()}" in first, f"{path}: header names another file"


def test_no_context_is_a_clear_error(monkeypatch):
    """When EGL cannot make a context, say what was tried and which packages fix it (no glcontext traceback)."""
    import moderngl

    import planet

    def refuse(**kw):
        raise Exception("eglGetDisplay failed")

    monkeypatch.setattr(moderngl, "create_standalone_context", refuse)
    gl.release_idle()  # no reusable context of an earlier test: create_headless must make one
    with pytest.raises(planet.GLContextError) as err:
        gl.create_headless()
    msg = str(err.value)
    assert "EGL with GL 4.3" in msg and "EGL with GL 3.3" in msg and "eglGetDisplay failed" in msg
    assert gl.GL_PACKAGES in msg and "\n" not in msg

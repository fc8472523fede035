"""The pass runner: multiple outputs, ping-pong, uniforms by name, and profiling, on both backends."""
import contextlib
import dataclasses

import numpy as np
import pytest

from planet.errors import PipelineError
from planet.fields import Ch, Field
from planet.params import Param
from planet.passes import Pass
from planet.pipeline import Pipeline, stage_uniform_types
from planet.stages import Stage

from conftest import BACKENDS

CH = tuple(Ch(c, "1", f"test channel {c}") for c in "xyzw")
PROBE = Pass("probe.mrt", reads=("a",), writes=("a", "b"), shader="tests/mrt_probe.glsl")
INIT = Pass("probe.init", reads=(), writes=("a", "b"), shader="tests/mrt_init.glsl")
STAGE = Stage("probe", "test stage", (Field("a", "", CH), Field("b", "", CH)),
              (Param("gain", 2.0, "", "", 0.0, 10.0),), init=(INIT,), step=(PROBE,))


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_outputs_and_ping_pong(ctx, backend):
    pipe = Pipeline(ctx, [STAGE], (16, 8), backend)
    try:
        start = np.random.default_rng(1).uniform(-1, 1, (8, 16, 4)).astype(np.float32)
        pipe.fields["a"].write(start)
        uniforms = {"probe": {**STAGE.uniforms({"gain": 2.0}, 0.0), "u_tick": 7}}
        pipe.timings = {}
        pipe.run([PROBE, PROBE], uniforms)
        a, b = pipe.fields["a"].read(), pipe.fields["b"].read()
        np.testing.assert_allclose(a, start + 2 * np.array([1, 2, 3, 4], np.float32), rtol=1e-6)
        jj, ii = np.mgrid[0:8, 0:16]
        assert np.array_equal(b[..., 0], ii) and np.array_equal(b[..., 1], jj)
        # The second run read the first run's output of `a` (ping-pong), times u_gain.
        np.testing.assert_allclose(b[..., 2], (start[..., 0] + 1) * 2.0, rtol=1e-6)
        assert (b[..., 3] == 7).all()
        assert len(pipe.timings["probe.mrt"]) == 2 and all(t >= 0 for t in pipe.timings["probe.mrt"])
        assert stage_uniform_types(STAGE) == {"u_gain": "float"}
    finally:
        pipe.release()


def test_optional_reads_follow_the_scene(ctx):
    """A pass with optional=("b",) reads b and sees HAVE_B=1 only when a stage declares b."""
    opt = Pass("probe.opt", reads=("a",), writes=("a",), optional=("b", "zzz"), shader="tests/optional_probe.glsl")
    resolved = opt.resolve({"a", "b"})
    assert resolved.reads == ("a", "b") and dict(resolved.defines) == {"HAVE_B": 1, "HAVE_ZZZ": 0}
    assert opt.resolve({"a"}).reads == ("a",) and dict(opt.resolve({"a"}).defines)["HAVE_B"] == 0
    fill = Pass("probe.fill", reads=(), writes=("a",), shader="tests/fill_a.glsl")
    for fields, init, expected in (
            (STAGE.fields, (fill, INIT), 1.0 + 2.0 + 100.0),   # b present: a = 1, b = 2 -> a + b + 100
            (STAGE.fields[:1], (fill,), 1.0)):                 # b absent: a stays 1
        stage = Stage("probe", "", fields, STAGE.params, init=init[::-1], step=(opt,))
        pipe = Pipeline(ctx, [stage], (16, 8), "fragment")
        try:
            pipe.run(pipe.stages[0].init, {"probe": {}})
            if len(fields) == 2:
                pipe.fields["b"].write(np.full((8, 16, 4), 2.0, np.float32))
            pipe.run(pipe.stages[0].step, {"probe": {}})
            assert np.allclose(pipe.fields["a"].read(), expected)
        finally:
            pipe.release()


# Quiet cells (Pass.mask / Pass.quiet): the probe's pass_quiet writes b.x = 2 and pass_main b.x = 1 on
# purpose, so the test sees which program ran where (a real pass_quiet writes what pass_main would).
MASK = Pass("mask", reads=("a",), mask=True, shader="tests/quiet_mask.glsl")
QUIET_PROBE = Pass("quiet_probe", reads=("a",), writes=("b",), quiet="mask", shader="tests/quiet_probe.glsl")


def quiet_stage(step=(MASK, QUIET_PROBE)):
    return Stage("probe", "test stage", (Field("a", "", CH), Field("b", "", CH)),
                 (Param("gain", 2.0, "", "", 0.0, 10.0),), init=(INIT,), step=step)


U = {"probe": STAGE.uniforms({"gain": 2.0}, 0.0)}   # the quiet probe's uniforms (u_gain = 2: a.x < 0 quiet)


@contextlib.contextmanager
def quiet_pipe(ctx, seed: int, grid=(64, 32), backend="fragment", step=(MASK, QUIET_PROBE)):
    """A pipeline of quiet_stage(step) with random `a` written in; yields (pipe, its step passes, a)."""
    pipe = Pipeline(ctx, [quiet_stage(step)], grid, backend)
    try:
        a = np.random.default_rng(seed).uniform(-1, 1, (grid[1], grid[0], 4)).astype(np.float32)
        pipe.fields["a"].write(a)
        yield pipe, pipe.stages[0].step, a
    finally:
        pipe.release()


def split(a):
    """b.x where the probe's pass_quiet ran on a.x < 0 (2) and pass_main elsewhere (1)."""
    return np.where(a[..., 0] < 0, 2.0, 1.0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_quiet_cells_run_pass_quiet_where_the_mask_is_current(ctx, backend):
    with quiet_pipe(ctx, 3, backend=backend) as (pipe, step, a):
        pipe.run(step, U)
        which = pipe.fields["b"].read()[..., 0]
        quiet = a[..., 0] < 0
        assert np.array_equal(pipe.fields["b"].read()[..., 1], a[..., 0])
        if backend == "compute":   # no mask there: pass_main everywhere
            assert (which == 1).all() and pipe.mask_cells("probe.mask") is None
            return
        assert np.array_equal(pipe.mask_cells("probe.mask"), quiet)
        assert np.array_equal(which, split(a)), "pass_quiet exactly on the mask's cells"
        assert pipe.dispatches(step) == 3   # the mask, and two draws of the quiet pass
        # A mask no longer current runs pass_main everywhere: after a field it read changed ...
        pipe.fields["a"].write(a)
        pipe.run(step[1:], U)
        assert (pipe.fields["b"].read()[..., 0] == 1).all()
        # ... or with other values of the uniforms its program reads (here u_gain, its threshold) ...
        pipe.run(step[:1], U)
        pipe.run(step[1:], {"probe": STAGE.uniforms({"gain": 3.0}, 0.0)})
        assert (pipe.fields["b"].read()[..., 0] == 1).all()
        # ... and with use_masks off.
        pipe.use_masks = False
        pipe.run(step, U)
        assert (pipe.fields["b"].read()[..., 0] == 1).all() and pipe.mask_cells("probe.mask") is None


def test_a_twin_mask_lends_its_depth_buffer(ctx):
    """A mask pass with the same body, defines and reads as one already drawn from the same state (the
    stages' sea masks) uses that one's depth buffer instead of drawing (issue 16), and only while the
    twin is not redrawn; other uniform values, or a changed field, make it draw its own."""
    twin = dataclasses.replace(MASK, name="twin")
    probe = dataclasses.replace(QUIET_PROBE, quiet="twin")
    with quiet_pipe(ctx, 4, step=(MASK, twin, probe)) as (pipe, step, a):
        pipe.run(step, U)
        assert pipe._masks["probe.twin"]["src"] == "probe.mask" and pipe._masks["probe.twin"]["depth"] is None
        assert np.array_equal(pipe.fields["b"].read()[..., 0], split(a))
        # The twin redrawn from another state: the lent buffer no longer describes this one's state.
        pipe.fields["a"].write(-a)
        pipe.run(step[:1], U)
        assert pipe.mask_cells("probe.twin") is None
        pipe.run(step[2:], U)
        assert (pipe.fields["b"].read()[..., 0] == 1).all()
        # Other values of the uniforms the mask reads: it draws its own.
        pipe.run(step[1:], {"probe": STAGE.uniforms({"gain": 2.5}, 0.0)})
        assert pipe._masks["probe.twin"]["src"] is None
        assert np.array_equal(pipe.mask_cells("probe.twin"), -a[..., 0] < 0.5)
        assert np.array_equal(pipe.mask_cells("probe.mask"), -a[..., 0] < 0.0)


# A convergence pass (Pass.until) with quiet=: a.x counts up to a.y (shaders/tests/until_probe.glsl).
COUNT = Pass("count", reads=("a",), writes=("a",), repeat=40, until="done", quiet="mask",
             shader="tests/until_probe.glsl")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_convergence_pass_starts_with_its_quiet_cells_done(ctx, backend):
    """A convergence pass with quiet=: while the mask is current, the fragment backend marks its quiet
    cells done from the mask's depth buffer instead of checking them (issue 16), and counts them: where
    the contract holds (until is true on the quiet cells, here a.x = a.y < 0) the fields and the run
    at which it stops are those of checking every cell. Where it does not (on purpose, below), the
    quiet cells stay as they were: the seed is used (the compute backend has no masks: it checks all)."""
    rng = np.random.default_rng(5)
    x = rng.integers(-5, 6, (32, 64)).astype(np.float32)
    steps = np.where(x < 0, 0, rng.integers(0, 31, x.shape)).astype(np.float32)
    a = np.stack([x, x + steps, x, x], axis=-1)
    out = {}
    for masks, late in ((True, 0), (False, 0), (True, 5)):
        with quiet_pipe(ctx, 0, backend=backend, step=(MASK, COUNT)) as (pipe, step, _):
            pipe.use_masks = masks
            pipe.fields["a"].write(a + np.where(x < 0, late, 0)[..., None] * np.array([0, 1, 0, 0], np.float32))
            pipe.run(step, U)
            out[masks, late] = pipe.fields["a"].read(), pipe.runs_done["probe.count"]
            if masks and backend == "fragment":
                assert pipe.mask_cells("probe.mask").sum() == (x < 0).sum() > 0
                # The mask and the marks are depth buffers alone (no colour: cheaper draws on llvmpipe); the
                # marks start as the mask's depth (0 on the quiet cells), copied through scratch colour.
                check_fbo, mask_fbo = pipe._check_fbo(), pipe._masks["probe.mask"]["fbo"]
                assert not check_fbo.color_attachments and not mask_fbo.color_attachments
                marks = np.frombuffer(check_fbo.read(components=1, attachment=-1, dtype="f4"), np.float32)
                assert (marks.reshape(x.shape)[x < 0] == 0).all() and (marks.reshape(x.shape)[x >= 0] > 0).all()
    (on, runs_on), (off, runs_off) = out[True, 0], out[False, 0]
    assert np.array_equal(on.view(np.uint32), off.view(np.uint32)) and np.array_equal(on[..., 0], a[..., 1])
    assert runs_on == runs_off == steps.max() < 40
    broken = out[True, 5][0][..., 0]
    assert np.array_equal(broken[x >= 0], a[..., 1][x >= 0])
    assert np.array_equal(broken[x < 0], x[x < 0] + (5 if backend == "compute" else 0))


@pytest.mark.parametrize("backend", BACKENDS)
def test_redrawing_the_done_cells_gives_the_same_bits(ctx, backend):
    """Pass.redraw_done: each run after the first writes over the state before the current one and draws
    the cells the last check found done too, instead of copying the current state (fragment backend):
    the fields are those of the copying runs, with the quiet cells seeded or not, with every cell checked
    and drawn (skip_done off), and with the checks read a run late (a GPU's check_lag: one more run, which
    changes nothing); the compute backend ignores it."""
    rng = np.random.default_rng(6)
    x = rng.integers(-5, 6, (32, 64)).astype(np.float32)
    steps = np.where(x < 0, 0, rng.integers(0, 31, x.shape)).astype(np.float32)
    x[0, 0], steps[0, 0] = 1, 30   # one slow cell (not quiet): the others finish on many runs before it
    a = np.stack([x, x + steps, rng.uniform(-1, 1, x.shape), x], axis=-1).astype(np.float32)
    out = set()
    for redraw, masks, skip, lag in ((False, True, True, 0), (True, True, True, 0), (True, False, True, 0),
                                     (True, True, False, 0), (False, True, True, 1), (True, True, True, 1)):
        count = dataclasses.replace(COUNT, redraw_done=redraw)
        with quiet_pipe(ctx, 0, backend=backend, step=(MASK, count)) as (pipe, step, _):
            pipe.use_masks, pipe.skip_done, pipe.check_lag = masks, skip, lag
            pipe.fields["a"].write(a)
            for _ in range(2):   # twice: the second use starts with the back textures of the first
                pipe.fields["a"].write(a)
                pipe.run(step, U)
                out.add(pipe.fields["a"].read().tobytes())
                assert pipe.runs_done["probe.count"] == 30 + lag
    assert len(out) == 1
    assert np.array_equal(np.frombuffer(out.pop(), np.float32).reshape(a.shape)[..., 0], a[..., 1])


@pytest.mark.parametrize("step, message", [
    ((QUIET_PROBE,), "quiet='probe.mask' names no mask pass listed before it"),
    ((QUIET_PROBE, MASK), "names no mask pass listed before it"),
    ((MASK, dataclasses.replace(QUIET_PROBE, quiet="mask_typo")), "did you mean 'probe.mask'"),
    ((dataclasses.replace(MASK, writes=("b",)), QUIET_PROBE), "a mask pass .* writes no field"),
    ((MASK, dataclasses.replace(QUIET_PROBE, redraw_done=True)), "redraw_done=True needs a convergence check"),
])
def test_quiet_cells_are_validated(ctx, step, message):
    with pytest.raises(PipelineError, match=message):
        Pipeline(ctx, [quiet_stage(step)], (16, 8), "fragment")


def _libgl():
    """The GL entry points of this process's context (glvnd's libOpenGL, else libGL), for glGet/glIs*."""
    import ctypes
    import ctypes.util

    return ctypes.CDLL(ctypes.util.find_library("OpenGL") or ctypes.util.find_library("GL") or "libGL.so.1")


def _gl_state() -> dict:
    """The depth state of the current GL context, read with glGet (moderngl has no getters for it)."""
    import ctypes

    lib = _libgl()
    lib.glIsEnabled.restype = ctypes.c_ubyte
    rng, func = (ctypes.c_float * 2)(), ctypes.c_int()
    lib.glGetFloatv(0x0B70, rng)                       # GL_DEPTH_RANGE
    lib.glGetIntegerv(0x0B74, ctypes.byref(func))      # GL_DEPTH_FUNC
    return {"test": lib.glIsEnabled(0x0B71), "clamp": lib.glIsEnabled(0x864F), "range": tuple(rng),
            "func": func.value}


DEPTH_DEFAULT = {"test": 0, "clamp": 0, "range": (0.0, 1.0), "func": 0x0201}   # GL_LESS (planet.gl._reset_state)


def _gl_alive(kind: str, glo: int) -> bool:
    """Whether GL object name `glo` is a live Renderbuffer / Framebuffer of the current context."""
    import ctypes

    fn = getattr(_libgl(), f"glIs{kind}")
    fn.restype = ctypes.c_ubyte
    return bool(fn(glo))


def test_quiet_cells_leave_the_depth_state_and_the_mask_as_they_were(ctx):
    """After a mask draw and a split draw, and after a split draw that fails half way, the depth state
    is the context's default again (the views rely on it), and the split draws never write the mask."""
    with quiet_pipe(ctx, 4) as (pipe, step, a):
        pipe.run(step[:1], U)
        assert _gl_state() == DEPTH_DEFAULT
        pipe.run(step[1:], U)
        assert _gl_state() == DEPTH_DEFAULT
        assert np.array_equal(pipe.mask_cells("probe.mask"), a[..., 0] < 0), "no depth writes into the mask"
        assert (pipe.fields["b"].read()[..., 0] == split(a)).all()
        quiet = pipe.quiet_programs["probe.quiet_probe"]
        vao = pipe._vao

        def failing(prog):
            if prog is quiet:
                raise RuntimeError("the quiet draw fails")
            return vao(prog)

        pipe._vao = failing
        with pytest.raises(RuntimeError, match="the quiet draw fails"):
            pipe.run(step[1:], U)
        pipe._vao = vao
        assert _gl_state() == DEPTH_DEFAULT
        pipe.run(step[1:], U)   # the mask is still current (the failed run swapped nothing)
        assert (pipe.fields["b"].read()[..., 0] == split(a)).all()


def test_masks_off_and_on_again_leak_nothing(ctx):
    """use_masks off makes a mask pass draw nothing (nor count as a draw) and its mask no longer current;
    on again, the mask draws into the buffers it had; release() frees every buffer a mask ever had."""
    made = []
    with quiet_pipe(ctx, 5, grid=(32, 16)) as (pipe, step, _):
        for use in (True, False, True, False, True):
            pipe.use_masks = use
            pipe.run(step, U)
            m = pipe._masks.get("probe.mask")
            if m is not None:
                made.append((m["depth"].glo, m["fbo"].glo))
            assert (pipe.mask_cells("probe.mask") is None) == (not use)
            assert pipe.dispatches(step) == (3 if use else 1)   # the mask and two draws; or one plain draw
        assert len(set(made)) == 1, "one depth buffer and framebuffer per mask, however often masks go off"
    assert not any(_gl_alive("Renderbuffer", d) or _gl_alive("Framebuffer", f) for d, f in made)


def test_reload_makes_the_masks_stale(ctx):
    """A mask drawn by the programs before Pipeline.reload (the mask's shader may have changed) is not
    current after it: the quiet pass runs pass_main everywhere until its mask is drawn again."""
    with quiet_pipe(ctx, 6, grid=(32, 16)) as (pipe, step, a):
        pipe.run(step[:1], U)
        pipe.reload()
        assert pipe.mask_cells("probe.mask") is None
        pipe.run(step[1:], U)
        assert (pipe.fields["b"].read()[..., 0] == 1).all()
        pipe.run(step, U)
        assert (pipe.fields["b"].read()[..., 0] == split(a)).all()

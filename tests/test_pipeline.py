"""The pass runner: multiple outputs, ping-pong, uniforms by name, and profiling, on both backends."""
import numpy as np
import pytest

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

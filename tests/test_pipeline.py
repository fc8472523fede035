"""The pass runner: multiple outputs, ping-pong, uniforms by name, and profiling, on both backends."""
import numpy as np
import pytest

from planet.fields import Field
from planet.params import Param
from planet.passes import Pass
from planet.pipeline import Pipeline, stage_uniform_types
from planet.stages import Stage

from conftest import BACKENDS

CH = ("x", "y", "z", "w")
PROBE = Pass("probe.mrt", "tests/mrt_probe.glsl", reads=("a",), writes=("a", "b"))
INIT = Pass("probe.init", "tests/mrt_init.glsl", reads=(), writes=("a", "b"))
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

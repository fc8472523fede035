"""Fragment and compute backends agree (issue 17; README "Backends agree"): every pass of every stage
gives the same bits on both entry points of the same driver, operation by operation, pass by pass
and over whole runs; the floating-point policy that makes it so (no state below 2^-100,
shaders/common/math.glsl ftz) holds on both backends and on the CPU side."""
import numpy as np

from planet import fields as fields_mod
from planet.fields import Ch, Field
from planet.params import Param
from planet.passes import Pass
from planet.pipeline import Pipeline
from planet.stages import Stage

import backends
from conftest import ROOT

SCENE = ROOT / "scenes" / "tests" / "backends.toml"   # every stage; plates, life and people early
TICKS = 70   # past the plates' start (tick 3), life and people (tick 30) and 40 ticks of them


def test_every_pass_gives_the_same_bits_on_both_backends(make_sim):
    """Each pass (and each reduction) of a tick runs on the compute backend from the fragment
    backend's state just before it, for 70 ticks of every stage; what both write must be equal bit
    for bit (on renderers not known to be exact: within backends.FLOAT_BOUND). The first differing
    pass is reported. The run must reach every stage's active branches."""
    a, b = make_sim(SCENE, backend="fragment"), make_sim(SCENE, backend="compute")
    exact = backends.exact(a.ctx)
    obs = backends.lockstep(a, b, TICKS, bitwise=exact)
    passes = {p.name: p for st in a.stages for p in st.step}
    ungated = [n for n, p in passes.items() if p.when is None]   # gated passes (Pass.when) run in some ticks
    assert obs.passes >= TICKS * len(ungated), "every pass of every tick was compared"
    assert set(passes) <= set(obs.names), f"never compared: {sorted(set(passes) - set(obs.names))}"
    assert not obs.differences, f"fragment and compute differ: {obs.report()}"
    # What the run covered: moving plates under stress, oceans, lakes, life and people.
    assert (a.quantity("uplift") > 0).sum() > 100 and (a.quantity("plate") >= 0).mean() > 0.5
    assert (a.quantity("lake_depth") > 0).any() and (a.quantity("elevation") < 0).mean() > 0.2
    assert (a.quantity("plants") > 0).sum() > 100 and (a.quantity("predators") > 0).sum() > 100
    assert (a.quantity("population") > 0).any() and a.scalar("co2_ppm") > 280.0


def test_whole_runs_are_bit_identical(make_sim):
    """The same scene run freely on both backends gives the same bits in every field and scalar
    (on renderers not known to be exact: pass by pass within the bound, as above)."""
    a, b = make_sim(SCENE, backend="fragment"), make_sim(SCENE, backend="compute")
    backends.assert_agree(a, b, TICKS)
    if backends.exact(a.ctx):
        assert np.array_equal(a.scalar_state().view(np.uint32), b.scalar_state().view(np.uint32))


PROBE_IN = Field("probe_in", "operand bit patterns", tuple(Ch(c, "1", "float bits") for c in ("lhs", "rhs", "addend", "one")),
                 kind="int")
PROBE_OUT = Field("probe_out", "result", (Ch("r", "1", "the operation's result"),))
PROBE_BITS = Field("probe_bits", "ftz(x)", (Ch("ftz_x", "1", "bit pattern of ftz(x)"),), kind="int")
OPS = 25  # operations of shaders/tests/float_probe.glsl


def probe_run(ctx, backend, operands: np.ndarray, op: int, size=(64, 32)):
    """Run operation `op` of the float probe on `operands` (H, W, 4) float32 on `backend`."""
    stage = Stage("probe", "float probe", (PROBE_IN, PROBE_OUT, PROBE_BITS), (Param("op", 0, "", "operation", 0, 99),),
                  init=(Pass("probe.init", writes=("probe_in", "probe_out", "probe_bits"), shader="tests/float_probe_init.glsl"),),
                  step=(Pass("probe.op", reads=("probe_in",), writes=("probe_out", "probe_bits"),
                             shader="tests/float_probe.glsl"),))
    pipe = Pipeline(ctx, [stage], size, backend)
    try:
        w, h = size
        u = {"probe": {"u_grid": size, "u_texel": (1 / w, 1 / h), "u_op": op}}
        pipe.run(pipe.stages[0].init, u)
        pipe.fields["probe_in"].write(operands.view(np.int32))
        pipe.run(pipe.stages[0].step, u)
        return pipe.fields["probe_out"].read()[..., 0], pipe.fields["probe_bits"].read()[..., 0]
    finally:
        pipe.release()


def operands(x: np.ndarray, seed: int = 0) -> np.ndarray:
    y = np.random.default_rng(seed).uniform(-3, 3, x.shape).astype(np.float32)
    return np.stack([x, y, np.abs(x), np.float32(1) + x], -1).reshape(32, 64, 4).astype(np.float32)


def test_operations_agree_on_normal_operands(ctx):
    """Every operation class the passes use (transcendentals, division, contraction candidates,
    rounding, geometry) gives the same bits on both backends for normal operands from 2^-90 to 1e4 of
    either sign and zero. (On llvmpipe they differ only where an operand or a result is subnormal:
    its fragment path flushes those to zero, its compute path keeps them — hence the policy below.)"""
    rng = np.random.default_rng(1)
    mags = np.concatenate([np.logspace(-27, 4, 1024), rng.uniform(0, 10, 1020), [0.0, 1.0, 0.5, 2.0]])
    x = (mags * rng.choice([-1, 1], mags.size)).astype(np.float32)
    x[np.abs(x) < 2.0 ** -90] = 0.0
    ops = operands(x)
    exact = backends.exact(ctx)
    for op in range(OPS):
        (fr, _), (co, _) = (probe_run(ctx, b, ops, op) for b in ("fragment", "compute"))
        differ = fr.view(np.uint32) != co.view(np.uint32)
        if not exact:
            differ &= ~np.isclose(fr, co, rtol=backends.FLOAT_BOUND, atol=0, equal_nan=True)
        k = np.argwhere(differ)[:1]
        assert not differ.any(), (f"operation {op} of shaders/tests/float_probe.glsl: {differ.sum()} results "
                                  f"differ, e.g. operands {ops[tuple(k[0])]}: {fr[tuple(k[0])]!r} vs {co[tuple(k[0])]!r}")


def test_state_holds_no_value_below_2_to_the_minus_100(ctx, make_sim):
    """ftz() flushes magnitudes below 2^-100 (subnormals included) to a zero of the same sign and keeps
    everything else, alike on both backends whether or not the driver flushes subnormals itself;
    every float a pass writes goes through it (pack()), and so does every float the CPU writes."""
    tiny = np.float32(2.0 ** -100)
    special = np.array([0.0, -0.0, 1e-45, -1e-45, 1e-39, -1.1e-38, 1.2e-38, 1e-35, -1e-31,
                        np.nextafter(tiny, np.float32(0)), tiny, -tiny, 1e-30, 1.0, -3.5, np.inf, -np.inf, np.nan],
                       np.float32)
    x = np.resize(special, 2048).astype(np.float32)
    small = (np.abs(x) < tiny)
    want = np.where(small, np.copysign(np.float32(0), x), x).astype(np.float32)
    nan = np.isnan(want)

    def same(got):  # bit for bit, except that a GPU may return NaN with another payload
        got = got.ravel()
        return np.array_equal(np.isnan(got), nan) and np.array_equal(got[~nan].view(np.uint32), want[~nan].view(np.uint32))

    for backend in ("fragment", "compute"):
        r, bits = probe_run(ctx, backend, operands(x), 0)   # op 0: r = x, stored through pack()
        assert same(bits.view(np.float32)), f"{backend}: ftz(x)"
        assert same(r), f"{backend}: pack() flushes what a pass writes"
    # The CPU side: Simulation.write / PingPong.write flush the same way.
    sim = make_sim()
    z = np.resize(x, (32, 64)).astype(np.float32)
    terrain = sim.read("terrain")
    terrain[..., 0] = z
    sim.write("terrain", terrain)
    back = sim.channel("terrain", "bedrock")
    assert np.array_equal(back.view(np.uint32), np.resize(want, (32, 64)).view(np.uint32))
    assert fields_mod.FTZ_BELOW == tiny


def test_the_comparison_can_fail(make_sim):
    """backends.compare reports a one-bit difference; within the bound it lets only a last-bit
    difference pass, and beyond INT_CELLS of the cells nothing."""
    sim = make_sim()
    spec, x = sim.field_spec("terrain"), sim.read("terrain")
    y = x.copy()
    y[3, 4, 0] = np.nextafter(y[3, 4, 0], np.float32(np.inf))
    msg = backends.compare("terrain", spec, x, y, bitwise=True)
    assert msg and "row 3 col 4" in msg and "1 of 2048" in msg
    assert backends.compare("terrain", spec, x, x.copy(), bitwise=True) is None
    assert backends.compare("terrain", spec, x, y, bitwise=False) is None
    y[:2, :2, 0] += np.float32(1e-3) * np.abs(x[..., 0]).max()
    assert "4 of 2048" in backends.compare("terrain", spec, x, y, bitwise=False)


def test_the_bounded_path_compares_pass_by_pass(make_sim, monkeypatch):
    """Where a renderer is not known to be exact, assert_agree runs every pass on both backends from
    the same state (checked here on llvmpipe by pretending it is not exact), and the compute
    simulation ends in the fragment one's state."""
    monkeypatch.setattr(backends, "EXACT", ())
    a, b = make_sim(SCENE, backend="fragment"), make_sim(SCENE, backend="compute")
    backends.assert_agree(a, b, 5)
    assert a.tick == b.tick == 5 and np.array_equal(a.read("terrain"), b.read("terrain"))

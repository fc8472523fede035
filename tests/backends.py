"""Backend agreement (README "Backends agree"): the fragment and compute entry points of every pass give
the same fields.

On Mesa llvmpipe, CI's rasterizer, the two are bit-identical by construction (the floating-point
policy of shaders/common/math.glsl), so whole runs are compared bit for bit. Where a driver is not
known to be exact (EXACT), a free run cannot be compared: a last-bit difference in one pass of a
chaotic system grows over the ticks. There every pass runs on both backends from the same state
(Lockstep) and must agree within the stated bound (FLOAT_BOUND, INT_CELLS).
"""
from __future__ import annotations

import numpy as np

from planet import gl

EXACT = ("llvmpipe",)   # renderers whose fragment and compute paths are checked to give the same bits
# Elsewhere, per pass from the same state: a float channel within FLOAT_BOUND x its largest magnitude
# (~60 ulp: rounding and contraction differences), and every channel beyond that at no more than
# INT_CELLS of the cells (at least one): near-ties that a last-bit difference decides the other way.
FLOAT_BOUND = 2.0 ** -18
INT_CELLS = 0.001


def exact(ctx) -> bool:
    """Whether this renderer is one whose backends are known to agree bit for bit."""
    renderer = gl.describe(ctx)["renderer"].lower()
    return any(r in renderer for r in EXACT)


def _bits(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a).view(np.uint32)


def compare(name: str, spec, x: np.ndarray, y: np.ndarray, bitwise: bool) -> str | None:
    """None when field `name` (Field `spec`) agrees between x (fragment) and y (compute), else what differs."""
    for k, ch in enumerate(spec.channels):
        a, b = x[..., k], y[..., k]
        if bitwise:
            bad = _bits(a) != _bits(b)
        elif spec.kind == "int":
            bad = a != b
        else:
            scale = float(np.nanmax(np.abs(a))) if np.isfinite(a).any() else 0.0
            same = ((_bits(a) == _bits(b)) | (np.abs(a.astype(np.float64) - b) <= FLOAT_BOUND * scale)
                    | (np.isnan(a) & np.isnan(b)))
            bad = ~same
        n = int(bad.sum())
        if n and (bitwise or n > max(1, INT_CELLS * a.size)):
            j, i = np.argwhere(bad)[0]
            d = np.abs(a.astype(np.float64) - b)[bad]
            return (f"{name}.{ch.name}: {n} of {a.size} cells differ (max |d| {np.nanmax(d):.3g}); "
                    f"first at row {j} col {i}: fragment {a[j, i]!r}, compute {b[j, i]!r}")
    return None


class Lockstep:
    """A Pipeline observer: before each pass (or reduction) of simulation `a`, put the fields it reads
    into `b` and run the same pass there; after it, compare what both wrote. `differences` lists
    (tick, pass, what differs) in order; `a` runs the real schedule (Simulation.step)."""

    def __init__(self, a, b, bitwise: bool):
        self.a, self.b, self.bitwise = a, b, bitwise
        self.differences: list[tuple[int, str, str]] = []
        self.passes = 0
        self.names: dict[str, int] = {}   # runs compared, per pass name ("reduce" for the reductions)

    def _sync(self, names, scalars: bool) -> None:
        for name in names:
            self.b.pipeline.fields[name].write(self.a.pipeline.fields[name].read())
        if scalars:
            self.b.pipeline.reducer.write(self.a.pipeline.reducer.values())

    def before(self, what, values) -> None:
        gl.make_current(self.b.ctx)
        pipe = self.b.pipeline
        if what == "reduce":
            self._sync(pipe.fields, False)
            pipe.reduce(values)
        else:
            self._sync(what.reads, bool(what.scalars))
            pipe.run([what], {pipe.owner[what.name].name: values})
        gl.make_current(self.a.ctx)

    def after(self, what) -> None:
        self.passes += 1
        name = what if what == "reduce" else what.name
        self.names[name] = self.names.get(name, 0) + 1
        if what == "reduce":   # the chains `a` reduced (b reduced every one: the others may be stale in a)
            rows = self.a.pipeline.reducer.last
            x, y = self.a.pipeline.reducer.values()[rows], self.b.pipeline.reducer.values()[rows]
            same = np.array_equal(_bits(x), _bits(y)) if self.bitwise else np.allclose(x, y, rtol=FLOAT_BOUND, atol=0)
            if not same:
                self.differences.append((self.a.tick, "reduce", f"scalars: fragment {x[:, 0]}, compute {y[:, 0]}"))
            return
        for w in what.writes:
            spec = self.a.pipeline.specs[w]
            msg = compare(w, spec, self.a.pipeline.fields[w].read(), self.b.pipeline.fields[w].read(), self.bitwise)
            if msg:
                self.differences.append((self.a.tick, what.name, msg))

    def report(self) -> str:
        if not self.differences:
            return "none"
        tick, name, msg = self.differences[0]
        passes = sorted({d[1] for d in self.differences})
        return (f"first at tick {tick}, pass {name}: {msg}; {len(self.differences)} pass runs differ "
                f"(passes {', '.join(passes)})")


def lockstep(a, b, ticks: int, bitwise: bool) -> Lockstep:
    """Step `a` by `ticks` with every pass also run on `b` from the same state; `b` ends in `a`'s state."""
    obs = Lockstep(a, b, bitwise)
    a.pipeline.observer = obs
    try:
        a.step(ticks)
    finally:
        a.pipeline.observer = None
    gl.make_current(b.ctx)
    obs._sync(a.pipeline.fields, True)
    b.set_clock(**a.clock)
    b.params = {k: dict(v) for k, v in a.params.items()}
    return obs


def assert_agree(a, b, ticks: int, names=None) -> None:
    """Step the fragment simulation `a` and the compute simulation `b` (same scene) by `ticks` and assert
    that they agree: bit for bit on a free run where the renderer is EXACT, else pass by pass within
    the bound (then `b` follows `a`'s state). `names`: the fields to compare (default: all)."""
    assert (a.backend, b.backend) == ("fragment", "compute")
    if not exact(a.ctx):
        obs = lockstep(a, b, ticks, bitwise=False)
        assert not obs.differences, f"{gl.describe(a.ctx)['renderer']}: backends differ beyond the bound, {obs.report()}"
        return
    a.step(ticks)
    b.step(ticks)
    bad = [msg for n in (names or a.fields)
           if (msg := compare(n, a.field_spec(n), a.read(n), b.read(n), bitwise=True))]
    assert not bad, "fragment and compute differ after a free run: " + "; ".join(bad)

"""Making and dropping simulations leaves nothing behind (issue 17): Simulation.headless create/release
cycles do not grow the process (moderngl 5.x leaks ~38 KB of Python objects per GL context it creates,
so headless contexts are kept for reuse: planet/gl.py release_headless), and a reused context behaves
like a new one."""
import gc
import os
import tracemalloc

import moderngl
import numpy as np

import planet
from planet import gl

from conftest import TINY

WINDOW = 20              # cycles per measurement
RSS_BOUND = 8 * 1024     # bytes of resident memory per cycle (a leaked context was ~40 KB, with its programs more)
TRACED_BOUND = 4 * 1024  # bytes of Python objects per cycle (moderngl still leaks ~160 B per program it links)


def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def cycle():
    planet.Simulation.headless(TINY).release()


def test_create_release_cycles_do_not_grow_memory(ctx):
    """Python objects grow by less than TRACED_BOUND per cycle, and resident memory, once the
    allocator and the driver have warmed up (the first tens of cycles; up to six windows of 20 are
    tried), by less than RSS_BOUND: a leak such as the old ~40 KB per cycle shows in every window."""
    for _ in range(5):   # warm up: the first context and the caches
        cycle()
    tracemalloc.start()
    try:
        gc.collect()
        start = tracemalloc.get_traced_memory()[0]
        for _ in range(WINDOW):
            cycle()
        gc.collect()
        traced = (tracemalloc.get_traced_memory()[0] - start) / WINDOW
    finally:
        tracemalloc.stop()
    assert traced < TRACED_BOUND, f"Python objects grow {traced / 1024:.1f} KB per create/release cycle"
    rates = []
    while len(rates) < 6 and (not rates or rates[-1] >= RSS_BOUND):
        gc.collect()
        before = rss()
        for _ in range(WINDOW):
            cycle()
        gc.collect()
        rates.append((rss() - before) / WINDOW)
    assert rates[-1] < RSS_BOUND, f"resident memory grows {[round(r / 1024, 1) for r in rates]} KB per cycle"


def test_a_reused_context_is_like_a_new_one(ctx):
    """A released headless simulation's context serves the next one (same thread), with no GL error
    and a new context's render state; the fields and pictures are those of a new context; two
    simulations alive at once have their own contexts."""
    first = planet.Simulation.headless(TINY)
    first.step(3)
    first.snapshot("globe", "satellite", (64, 48))   # the views enable depth test and blending, then restore
    first.ctx.enable(moderngl.BLEND)                  # left behind on purpose: reuse must reset it (the
    first.ctx.blend_func = moderngl.SRC_ALPHA, moderngl.ONE_MINUS_SRC_ALPHA  # passes would blend their outputs)
    used = first.ctx
    first.release()
    again = planet.Simulation.headless(TINY)
    other = planet.Simulation.headless(TINY)
    try:
        assert again.ctx is used and other.ctx is not used and again.ctx.error == "GL_NO_ERROR"
        for sim in (again, other):
            sim.step(3)
        assert np.array_equal(again.read("terrain"), other.read("terrain"))
        assert np.array_equal(again.snapshot("globe", "satellite", (64, 48)), other.snapshot("globe", "satellite", (64, 48)))
    finally:
        again.release()
        other.release()
    gl.make_current(ctx)

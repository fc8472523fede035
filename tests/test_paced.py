"""The window's pacing below the front-end (issue 16): a tick run in parts (Simulation.step_part) and a
layer's picture drawn in strips (Viewer.strips) give bit for bit what a whole tick and one draw give,
and nothing but a frame ever sees the fields between two ticks."""
import numpy as np
import pytest

from conftest import TINY_ALL
from planet.errors import PlanetError


def same_state(a, b) -> bool:
    return (a.tick, a.years) == (b.tick, b.years) and all(np.array_equal(a.read(f), b.read(f), equal_nan=True)
                                                          for f in a.fields)


@pytest.mark.parametrize("cut", [1, 3, 7])
def test_a_tick_in_parts_is_bit_identical_to_a_whole_tick(make_sim, cut):
    whole, parts = make_sim(TINY_ALL), make_sim(TINY_ALL)
    whole.step(3)
    unfinished = 0
    for tick in range(3):
        while not parts.step_part(cut):
            unfinished += 1
            assert parts.tick_under_way and parts.tick == tick, "the clock moves only when a tick is finished"
        assert not parts.tick_under_way and parts.tick == tick + 1
    assert unfinished >= 3 * (10 // cut), "a tick of every stage is many passes"
    assert same_state(whole, parts)
    assert np.array_equal(whole.scalar_state(), parts.scalar_state())


def test_every_method_but_drawing_sees_whole_ticks(make_sim):
    ref, sim = make_sim(TINY_ALL), make_sim(TINY_ALL)
    ref.step(1)
    assert not sim.step_part(2) and sim.tick_under_way
    height = sim.read("terrain")   # finishes the tick under way first
    assert not sim.tick_under_way and sim.tick == 1 and np.array_equal(height, ref.read("terrain"))
    # An edit during a tick applies from the next one, as between step() calls.
    ref.set_params(climate={"pressure_every": 1})
    ref.step(1)
    sim.step_part(2)
    sim.set_params(climate={"pressure_every": 1})
    assert not sim.tick_under_way and sim.tick == 2
    sim.step(1)   # a whole tick more
    ref.step(1)
    assert same_state(ref, sim)
    # A reset forgets a tick under way; settle() finishes one.
    sim.step_part(1)
    sim.reset()
    assert not sim.tick_under_way and sim.tick == 0
    sim.step_part(1)
    sim.settle()
    assert not sim.tick_under_way and sim.tick == 1
    with pytest.raises(PlanetError, match="positive integer"):
        sim.step_part(0)


def test_a_bake_in_strips_is_the_picture_of_one_draw(make_sim):
    sim = make_sim(TINY_ALL)
    sim.step(2)
    size = (256, 128)
    fbo, viewer = sim.target(size), sim.viewer

    def frame():
        fbo.use()
        sim.draw("map", "satellite", size)
        return np.frombuffer(fbo.read(components=3, alignment=1), np.uint8).reshape(size[1], size[0], 3).copy()

    before = frame()
    sim.step(1)
    viewer.pace(hold=True)
    assert np.array_equal(frame(), before), "held: the last picture stands though the fields moved"
    draws, bakes = 0, viewer.bakes
    while True:
        viewer.pace(hold=False, strips=10)
        picture = frame()
        draws += 1
        if not viewer.baking:
            break
        assert np.array_equal(picture, before), "until its last strip, frames show the last whole picture"
    assert draws == -(-viewer._bakes["satellite"][1].size[1] // 10) and viewer.bakes == bakes + 1
    viewer.pace(hold=False)
    viewer.invalidate()   # the same fields drawn in one go
    assert not np.array_equal(picture, before) and np.array_equal(picture, frame())
    # A bake that is due while a tick is under way finishes the tick first: it never draws half a tick.
    sim.step_part(1)
    assert sim.tick_under_way
    bakes = viewer.bakes
    frame()
    assert not sim.tick_under_way and sim.tick == 4 and viewer.bakes == bakes + 1
    frame()
    assert viewer.bakes == bakes + 1, "that bake was drawn for the tick it finished: the next frame reuses it"

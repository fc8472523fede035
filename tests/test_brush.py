"""The terraforming brush (planet.brush): each tool's profile against a NumPy reference, strokes as
timeline events that replay exactly (reset, saved scene, checkpoint), the rest of the simulation
responding (rivers reroute), and clear errors for bad strokes and edits."""
import numpy as np
import pytest

import planet
from conftest import BACKENDS, TINY, TINY_ALL
from planet import grid
from planet.errors import PlanetError, SceneError
from planet.scene import load_scene
from planet.scenefile import write_scene

R = 6371.0


def reference(tool, lon, lat, radius, strength, W, H):
    """dz [m] of one dab (the formulas of shaders/terrain/brush.glsl); uplift: its bounds (0.5 w A, w A)."""
    p = grid.cell_pos(W, H)
    c = grid.lonlat_pos(np.radians(lon), np.radians(lat))
    s = grid.distance_km(p, c, R) / radius
    w = np.where(s < 1, (1 - s * s) ** 2, 0.0)
    if tool == "raise":
        return strength * w
    if tool == "lower":
        return -strength * w
    if tool == "uplift":
        return 0.5 * strength * w, strength * w
    rim = 0.2 * strength
    cut = 1 - np.clip((s - 2) / 1.0, 0, 1) ** 2 * (3 - 2 * np.clip((s - 2) / 1.0, 0, 1))
    return np.where(s < 1, strength * (s * s - 1) + rim, rim / np.maximum(s, 1) ** 3 * cut)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("tool", ["raise", "lower", "uplift", "crater"])
def test_each_tool_matches_its_profile(make_sim, backend, tool):
    sim = make_sim(TINY, grid="128x64", backend=backend)
    before = sim.channel("terrain", "bedrock").copy()
    sea = sim.channel("terrain", "sea_level").copy()
    sim.record(brush={"tool": tool, "lon": 30.0, "lat": -20.0, "radius": 1500.0, "strength": 2000.0})
    dz = sim.channel("terrain", "bedrock") - before
    ref = reference(tool, 30.0, -20.0, 1500.0, 2000.0, 128, 64)
    if tool == "uplift":
        lo, hi = ref
        assert np.all(dz >= lo - 1.0) and np.all(dz <= hi + 1.0)
        assert dz.max() > 1000.0 and np.std(dz[hi > 500]) > 50.0  # rugged, not a smooth dome
    else:
        np.testing.assert_allclose(dz, ref, atol=2.0)  # float32 bedrock of a few km: ~1e-3 relative
    np.testing.assert_array_equal(sim.channel("terrain", "sea_level"), sea)
    assert sim.edits[-1].brush["tool"] == tool and sim.edits[-1].at == sim.years


def test_strokes_replay_from_the_timeline_reset_scene_file_and_checkpoint(make_sim, tmp_path):
    sim = make_sim(TINY_ALL, grid="64x32", backend="fragment")
    sim.step(2)
    sim.record(brush={"tool": "uplift", "lon": 40.0, "lat": 10.0, "radius": 1200.0, "strength": 3000.0})
    sim.step(1)
    sim.record(terrain={"quench": 4.0}, brush={"tool": "crater", "lon": -100.0, "lat": 30.0, "radius": 900.0,
                                               "strength": 1500.0})
    sim.step(2)
    fields = {f: sim.read(f) for f in sim.fields}
    assert len(sim.edits) == 2 and sim.params["terrain"]["quench"] == 4.0
    # A reset that keeps the edits replays them at their times: the same fields at the same tick.
    sim.reset()
    sim.step(5)
    assert all(np.array_equal(sim.read(f), fields[f]) for f in fields)
    # The saved scene replays them too (a fresh simulation, the same fields).
    path = write_scene(sim, tmp_path / "saved.toml")
    again = make_sim(path, backend="fragment")
    assert again.scene.grid == (64, 32) and again.params["terrain"]["quench"] == 10.0
    again.step(5)
    assert all(np.array_equal(again.read(f), fields[f]) for f in fields)
    assert again.params["terrain"]["quench"] == 4.0
    # A checkpoint keeps the strokes in its scene: resumed and run on, it matches the original run on.
    sim.save(tmp_path / "run.npz")
    with planet.Simulation.load(tmp_path / "run.npz", backend="fragment") as resumed:
        assert [e.brush for e in resumed.scene.timeline if e.brush] == [e.brush for e in sim.edits if e.brush]
        resumed.step(2)
        sim.step(2)
        assert all(np.array_equal(resumed.read(f), sim.read(f)) for f in sim.fields)
    # Forgetting the edits gives the untouched planet.
    sim.reset(keep_edits=False)
    sim.step(5)
    assert not sim.edits and not np.array_equal(sim.read("terrain"), fields["terrain"])


def test_a_dome_reroutes_the_river_through_it(make_sim):
    sim = make_sim(TINY_ALL, grid="64x32", backend="fragment")
    sim.step(3)
    area = sim.channel("drainage", "area").copy()
    receiver = sim.channel("route", "receiver").copy()
    land = sim.quantity("land") > 0
    j, i = np.unravel_index(np.argmax(np.where(land, area, 0.0)), area.shape)  # the biggest river's lowest land cell
    own = grid.cell_area_km2(64, 32, R)[j]
    assert area[j, i] > 5 * own
    lon, lat = np.degrees(grid.cell_lon(i, 64)), np.degrees(grid.cell_lat(j, 32))
    sim.record(brush={"tool": "raise", "lon": float(lon), "lat": float(lat), "radius": 1500.0, "strength": 4000.0})
    sim.step(1)
    after = sim.channel("drainage", "area")
    # The river no longer runs through the raised cell: only its own rain drains there now, and
    # the flow around the dome goes other ways.
    assert after[j, i] < 1.5 * own < area[j, i]
    assert np.count_nonzero(sim.channel("route", "receiver") != receiver) >= 3


def test_bad_strokes_and_edits_are_clear_errors_and_change_nothing(make_sim):
    sim = make_sim(TINY)
    before = sim.read("terrain").copy()
    cases = [({"brush": {"tool": "smudge", "lon": 0.0, "lat": 0.0, "radius": 100.0, "strength": 1.0}}, "valid: raise"),
             ({"brush": {"tool": "raise", "lon": 0.0, "lat": 95.0, "radius": 100.0, "strength": 1.0}}, "brush.lat"),
             ({"brush": {"tool": "raise", "lon": 0.0, "lat": 0.0, "radius": 100.0}}, "strength"),
             ({"terrain": {"quench": -1.0}}, "terrain.quench = -1.0 is out of range"),
             ({"terrain": {"quench": 2.0, "nope": 1}}, "terrain.nope: unknown key"),
             ({"climate": {"x": 1}}, "set_params")]
    for kwargs, text in cases:
        with pytest.raises(PlanetError, match=text.replace(".", r"\.").replace("(", r"\(")):
            sim.record(**kwargs)
    assert not sim.edits and sim.params["terrain"]["quench"] == 10.0
    np.testing.assert_array_equal(sim.read("terrain"), before)


def test_scene_files_check_brush_events(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(TINY.read_text() + '\n[[timeline]]\nat = 0\nbrush = {tool = "raise", lon = 0.0, lat = 0.0}\n')
    with pytest.raises(SceneError, match=r"timeline\[0\]\.brush: missing key\(s\) radius, strength"):
        load_scene(path)
    path.write_text(TINY.read_text() + '\n[[timeline]]\nat = 0\nbrush = {tool = "raise", lon = 0.0, lat = 0.0, '
                    'radius = 800.0, strength = 500.0}\n')
    scene = load_scene(path)
    assert scene.timeline[0].brush == {"tool": "raise", "lon": 0.0, "lat": 0.0, "radius": 800.0, "strength": 500.0}


def test_a_stroke_at_tick_zero_lands_after_the_init_passes(make_sim, tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(TINY.read_text() + '\n[[timeline]]\nat = 0\nbrush = {tool = "raise", lon = 0.0, lat = 0.0, '
                    'radius = 2000.0, strength = 3000.0}\n')
    plain, brushed = make_sim(TINY), make_sim(path)
    dz = brushed.channel("terrain", "bedrock") - plain.channel("terrain", "bedrock")
    np.testing.assert_allclose(dz, reference("raise", 0.0, 0.0, 2000.0, 3000.0, 64, 32), atol=2.0)

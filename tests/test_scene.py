"""Scene validation (DESIGN.md §5, §7.1): defaults, unknown keys, types, ranges, grids, files,
timelines, stage lists and per-stage seeds. Pure Python: no GL.

Every error is a SceneError whose one-line message names the file, the key path and the valid choices.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import planet
from planet import SceneError, load_scene
from planet.fields import Ch, Field
from planet.params import Param
from planet.passes import Pass
from planet.scene import MAX_SEED, stage_seed
from planet.stages import Stage, registry
from planet.stages.terrain import PARAMS as TERRAIN_PARAMS

ROOT = Path(__file__).resolve().parent.parent
TERRAIN_NAMES = sorted(p.name for p in TERRAIN_PARAMS)
PINNED_42_TERRAIN = 1813734212  # stage_seed(42, "terrain") when this test was written


def toml_file(tmp_path, text: str, name: str = "scene.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def error(scene, **kw) -> str:
    with pytest.raises(SceneError) as exc:
        load_scene(scene, **kw)
    msg = str(exc.value)
    assert "\n" not in msg, f"scene errors are one line: {msg!r}"
    return msg


# -- defaults and the shipped scenes --------------------------------------------------------------

def test_empty_mapping_fills_every_default():
    scene = load_scene({})
    assert scene.source == "<mapping>"
    assert scene.seed == 1
    assert scene.grid == (512, 256)
    assert scene.dt == 1.0e5
    assert scene.radius == 6371.0
    assert scene.stages == tuple(registry())
    assert scene.params == {name: st.defaults() for name, st in registry().items()}
    assert scene.timeline == ()


def test_partial_tables_keep_other_defaults_and_convert_types():
    scene = load_scene({"planet": {"seed": 9, "grid": [64, 32]}, "terrain": {"quench": 5, "fbm_octaves": 3.0}})
    assert scene.seed == 9 and scene.grid == (64, 32)
    t = scene.params["terrain"]
    assert t["quench"] == 5.0 and type(t["quench"]) is float       # an int literal for a float param
    assert t["fbm_octaves"] == 3 and type(t["fbm_octaves"]) is int  # an integral float for an int param
    defaults = registry()["terrain"].defaults()
    assert {k: v for k, v in t.items() if k not in ("quench", "fbm_octaves")} == \
        {k: v for k, v in defaults.items() if k not in ("quench", "fbm_octaves")}


def test_mapping_is_not_mutated():
    data = {"planet": {"grid": "64x32"}, "terrain": {"quench": 2.0}, "timeline": [{"at": 1.0}]}
    before = repr(data)
    load_scene(data)
    assert repr(data) == before


def test_toml_file_loads(tmp_path):
    path = toml_file(tmp_path, """
[planet]
seed = 3
grid = "128x64"
dt = 10.0
radius = 3000.0

[terrain]
height_scale = 1000.0
""")
    scene = load_scene(path)
    assert scene.source == str(path)
    assert (scene.seed, scene.grid, scene.dt, scene.radius) == (3, (128, 64), 10.0, 3000.0)
    assert scene.params["terrain"]["height_scale"] == 1000.0
    assert load_scene(str(path)).params == scene.params


@pytest.mark.parametrize("rel,stages", [("scenes/earth.toml", None), ("scenes/tests/tiny_all.toml", None),
                                        ("scenes/tests/tiny.toml", ("terrain",))])
def test_shipped_scenes_load(rel, stages):
    scene = load_scene(ROOT / rel)
    assert scene.stages == (stages or tuple(registry()))
    w, h = scene.grid
    assert w == 2 * h and h % 2 == 0
    for name in scene.stages:
        assert set(scene.params[name]) == set(registry()[name].param_map)


def test_tiny_scene_is_tiny():
    assert load_scene(ROOT / "scenes/tests/tiny.toml").grid == (64, 32)


def test_overrides_seed_and_grid():
    scene = load_scene({}, seed=77, grid="32x16")
    assert scene.seed == 77 and scene.grid == (32, 16)
    again = load_scene(scene, seed=78)
    assert again.seed == 78 and again.grid == (32, 16) and scene.seed == 77
    assert "seed" in error({}, seed=-1)
    assert "grid" in error({}, grid="30x16")


# -- unknown keys -----------------------------------------------------------------------------------

def test_unknown_top_level_key(tmp_path):
    path = toml_file(tmp_path, '[terain]\nquench = 2.0\n')
    msg = error(path)
    assert str(path) in msg
    assert "terain" in msg
    assert "did you mean 'terrain'" in msg
    for valid in ("planet", "timeline", "terrain"):
        assert valid in msg


def test_unknown_planet_key(tmp_path):
    path = toml_file(tmp_path, '[planet]\nsed = 3\n')
    msg = error(path)
    assert str(path) in msg
    assert "sed" in msg and "did you mean 'seed'" in msg
    for valid in ("seed", "grid", "dt", "radius", "stages"):
        assert valid in msg


def test_unknown_stage_param_names_file_key_path_valid_names_and_near_miss(tmp_path):
    path = toml_file(tmp_path, '[terrain]\nheigth_scale = 2000.0\n')
    msg = error(path)
    assert str(path) in msg
    assert "did you mean 'height_scale'" in msg
    for valid in TERRAIN_NAMES:
        assert valid in msg
    # The key path, dotted like every other scene error (e.g. "terrain.quench = 0.5 is out of range").
    assert "terrain.heigth_scale" in msg, f"the message does not give the key path 'terrain.heigth_scale': {msg!r}"


def test_unknown_stage_param_in_mapping_has_no_did_you_mean_when_nothing_is_close():
    msg = error({"terrain": {"zzzz": 1.0}})
    assert msg.startswith("<mapping>")
    assert "zzzz" in msg and "did you mean" not in msg
    for valid in TERRAIN_NAMES:
        assert valid in msg


# -- types ------------------------------------------------------------------------------------------

def test_string_for_a_float_param(tmp_path):
    path = toml_file(tmp_path, '[terrain]\nheight_scale = "big"\n')
    msg = error(path)
    assert str(path) in msg and "terrain.height_scale" in msg and "'big'" in msg
    assert "number" in msg


def test_float_for_an_int_param(tmp_path):
    path = toml_file(tmp_path, '[terrain]\nfbm_octaves = 2.5\n')
    msg = error(path)
    assert str(path) in msg and "terrain.fbm_octaves" in msg and "2.5" in msg
    assert "integer" in msg


@pytest.mark.parametrize("table, key", [
    ({"terrain": {"quench": True}}, "terrain.quench"),
    ({"terrain": {"fbm_octaves": False}}, "terrain.fbm_octaves"),
    ({"planet": {"seed": True}}, "planet.seed"),
    ({"planet": {"dt": "1e6"}}, "planet.dt"),
    ({"planet": {"radius": [1.0]}}, "planet.radius"),
])
def test_bool_or_other_non_number_for_a_number(table, key):
    msg = error(table)
    assert key in msg and "number" in msg


def test_number_for_a_bool_param():
    flag = Stage("flags", "a stage with a bool param", fields=(Field("f", "", (Ch("f", "1", "flag"),)),),
                 params=(Param("enabled", True, "", "a switch"),),
                 init=(Pass("flags.init", (), ("f",), shader="flags/init.glsl"),))
    reg = {"flags": flag}
    assert load_scene({"flags": {"enabled": False}}, registry=reg).params["flags"]["enabled"] is False
    for value in (1, 0, 1.0, "true"):
        msg = error({"flags": {"enabled": value}}, registry=reg)
        assert "flags.enabled" in msg and "true or false" in msg


def test_non_finite_numbers_are_rejected(tmp_path):
    path = toml_file(tmp_path, "[terrain]\nquench = nan\nheight_scale = inf\n")
    msg = error(path)
    assert "terrain.quench" in msg and "finite" in msg


def test_table_where_a_table_is_expected():
    assert "planet" in error({"planet": 3})
    assert "terrain" in error({"terrain": 3})
    assert "timeline" in error({"timeline": {"at": 0}})


# -- ranges -----------------------------------------------------------------------------------------

def test_out_of_range_names_key_value_and_range(tmp_path):
    path = toml_file(tmp_path, "[terrain]\nquench = 0.5\n")
    msg = error(path)
    assert str(path) in msg and "terrain.quench" in msg and "0.5" in msg
    assert "[1, 10000]" in msg


def test_out_of_range_int_param():
    msg = error({"terrain": {"fbm_octaves": 11}})
    assert "terrain.fbm_octaves" in msg and "11" in msg and "[1, 10]" in msg


@pytest.mark.parametrize("key, value", [("dt", 0.0), ("radius", 1.0), ("seed", -1), ("seed", MAX_SEED + 1)])
def test_out_of_range_planet_values(key, value):
    msg = error({"planet": {key: value}})
    assert f"planet.{key}" in msg and "out of range" in msg


def test_seed_range_is_stated_exactly():
    # The bounds in the message must be the real bounds: a rounded "4.29497e+09" is not the maximum seed.
    msg = error({"planet": {"seed": MAX_SEED + 1}})
    assert str(MAX_SEED) in msg, f"the range in {msg!r} does not state the maximum seed {MAX_SEED}"


def test_range_edges_are_inclusive():
    scene = load_scene({"planet": {"seed": MAX_SEED}, "terrain": {"quench": 1.0, "fbm_octaves": 10}})
    assert scene.seed == MAX_SEED
    assert scene.params["terrain"]["quench"] == 1.0 and scene.params["terrain"]["fbm_octaves"] == 10


# -- grids ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("grid", ["64x32", "64X32", [64, 32], "16x8"])
def test_good_grids(grid):
    assert load_scene({"planet": {"grid": grid}}).grid in ((64, 32), (16, 8))


@pytest.mark.parametrize("grid, shown, why", [
    ("100x30", "100x30", "W = 2H"),     # not W = 2H
    ([100, 30], "100x30", "W = 2H"),
    ("66x33", "66x33", "even"),         # W = 2H but H odd
    ("8x4", "8x4", "at least 8"),       # too small
    ("garbage", "'garbage'", "WxH"),
    ("axb", "'axb'", "WxH"),
    ("64x", "'64x'", "WxH"),
    ([64], "[64]", "WxH"),
    ([64.0, 32.0], "[64.0, 32.0]", "WxH"),
    ([True, 8], "[True, 8]", "WxH"),
    (64, "64", "WxH"),
])
def test_bad_grids(grid, shown, why):
    msg = error({"planet": {"grid": grid}})
    assert "planet.grid" in msg and shown in msg and why in msg


def test_bad_grid_in_file_names_the_file(tmp_path):
    path = toml_file(tmp_path, '[planet]\ngrid = "100x30"\n')
    msg = error(path)
    assert str(path) in msg and "planet.grid" in msg and "100x30" in msg and "512x256" in msg


# -- files ------------------------------------------------------------------------------------------

def test_missing_file(tmp_path):
    path = tmp_path / "nope.toml"
    msg = error(path)
    assert str(path) in msg and "not found" in msg


def test_directory_is_not_a_scene(tmp_path):
    assert "not found" in error(tmp_path)


@pytest.mark.parametrize("text", ["this is = not = toml\n", "[planet\nseed = 1\n", "seed = \n"])
def test_file_that_is_not_toml(tmp_path, text):
    path = toml_file(tmp_path, text)
    msg = error(path)
    assert str(path) in msg and "TOML" in msg


def test_binary_file_is_not_toml(tmp_path):
    path = tmp_path / "scene.toml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    msg = error(path)
    assert str(path) in msg and "TOML" in msg


def test_scene_of_the_wrong_type():
    assert "mapping" in error(42)


# -- timeline ---------------------------------------------------------------------------------------

def test_timeline_events_parse_and_sort(tmp_path):
    path = toml_file(tmp_path, """
[[timeline]]
at = 5.0e8
layer = "elevation"

[[timeline]]
at = 0.0
view = "globe"

[[timeline]]
at = 1.0e8
dt = 1.0e5
terrain = { quench = 20.0 }
""")
    scene = load_scene(path)
    assert [e.at for e in scene.timeline] == [0.0, 1.0e8, 5.0e8]
    first, mid, last = scene.timeline
    assert first.view == "globe" and first.layer is None and first.dt is None and first.params == {}
    assert mid.dt == 1.0e5 and mid.params == {"terrain": {"quench": 20.0}}
    assert last.layer == "elevation"


def test_timeline_sort_is_stable_for_equal_times():
    scene = load_scene({"timeline": [{"at": 2, "view": "globe"}, {"at": 1}, {"at": 2, "view": "map"}]})
    assert [(e.at, e.view) for e in scene.timeline] == [(1.0, None), (2.0, "globe"), (2.0, "map")]


def test_timeline_missing_at(tmp_path):
    path = toml_file(tmp_path, '[[timeline]]\nview = "map"\n')
    msg = error(path)
    assert str(path) in msg and "timeline[0]" in msg and "'at'" in msg


def test_timeline_negative_at():
    msg = error({"timeline": [{"at": 0.0}, {"at": -1.0}]})
    assert "timeline[1].at" in msg and "out of range" in msg


def test_timeline_unknown_view(tmp_path):
    path = toml_file(tmp_path, '[[timeline]]\nat = 0.0\nview = "mapp"\n')
    msg = error(path)
    assert str(path) in msg and "timeline[0].view" in msg and "'mapp'" in msg
    assert "map" in msg and "globe" in msg


def test_timeline_unknown_layer(tmp_path):
    path = toml_file(tmp_path, '[[timeline]]\nat = 0.0\nlayer = "elevaton"\n')
    msg = error(path)
    assert str(path) in msg and "timeline[0].layer" in msg and "'elevaton'" in msg
    for layer in registry()["terrain"].layers:
        assert layer.name in msg


def test_timeline_layers_argument_overrides_the_known_layers():
    assert load_scene({"timeline": [{"at": 0, "layer": "custom"}]}, layers=["custom"]).timeline[0].layer == "custom"
    msg = error({"timeline": [{"at": 0, "layer": "satellite"}]}, layers=["custom"])
    assert "'satellite'" in msg and "custom" in msg


def test_timeline_unknown_key(tmp_path):
    path = toml_file(tmp_path, '[[timeline]]\nat = 0.0\nlayr = "satellite"\n')
    msg = error(path)
    assert str(path) in msg and "timeline[0]" in msg and "layr" in msg
    assert "did you mean 'layer'" in msg
    for valid in ("at", "dt", "view", "layer", "terrain"):
        assert valid in msg


def test_timeline_stage_params_are_checked():
    msg = error({"timeline": [{"at": 0, "terrain": {"quench": 0.1}}]})
    assert "timeline[0].terrain.quench" in msg and "[1, 10000]" in msg
    msg = error({"timeline": [{"at": 0, "terrain": {"quensh": 2.0}}]})
    assert "timeline[0]" in msg and "quensh" in msg and "did you mean 'quench'" in msg


def test_timeline_bad_dt():
    assert "timeline[0].dt" in error({"timeline": [{"at": 0, "dt": 0.0}]})


def test_timeline_entry_not_a_table():
    assert "timeline[0]" in error({"timeline": [3]})


# -- planet.stages ------------------------------------------------------------------------------------

def test_unknown_stage_in_planet_stages(tmp_path):
    path = toml_file(tmp_path, '[planet]\nstages = ["terrain", "terain2"]\n')
    msg = error(path)
    assert str(path) in msg and "planet.stages" in msg and "terain2" in msg
    for name in registry():
        assert name in msg


def test_planet_stages_must_be_a_list_of_names():
    msg = error({"planet": {"stages": "terrain"}})
    assert "planet.stages" in msg and "terrain" in msg


def test_stage_table_for_a_disabled_stage():
    msg = error({"planet": {"stages": []}, "terrain": {"quench": 2.0}})
    assert "terrain" in msg and "planet.stages" in msg


def test_stage_subset():
    scene = load_scene({"planet": {"stages": ["terrain"]}})
    assert scene.stages == ("terrain",) and list(scene.params) == ["terrain"]


# -- per-stage seeds --------------------------------------------------------------------------------

def test_stage_seed_is_stable():
    assert stage_seed(42, "terrain") == stage_seed(42, "terrain")
    assert 0 <= stage_seed(42, "terrain") <= MAX_SEED
    # Pinned: a fixed hash of (seed, name), so worlds do not change between runs, machines or versions.
    assert stage_seed(42, "terrain") == PINNED_42_TERRAIN


def test_stage_seed_differs_by_name_and_by_seed():
    names = ["terrain", "tectonics", "erosion", "climate", "life", "humans"]
    seeds = {stage_seed(42, n) for n in names}
    assert len(seeds) == len(names)
    assert len({stage_seed(s, "terrain") for s in range(100)}) == 100
    assert all(0 <= stage_seed(s, n) <= MAX_SEED for s in (0, 1, MAX_SEED) for n in names)


def test_stage_seed_does_not_depend_on_which_stages_exist():
    # Adding or removing stages must not change another stage's randomness (DESIGN.md §5).
    with_terrain = load_scene({"planet": {"seed": 5}})
    without = load_scene({"planet": {"seed": 5, "stages": ["terrain", "climate"]}})
    assert with_terrain.stage_seed("terrain") == without.stage_seed("terrain") == stage_seed(5, "terrain")
    assert with_terrain.stage_seed("terrain", seed=6) == stage_seed(6, "terrain")


def test_stage_seed_is_reproducible_across_processes():
    import subprocess
    import sys

    code = "from planet.scene import stage_seed; print(stage_seed(42, 'terrain'), stage_seed(7, 'erosion'))"
    env = {**os.environ, "PYTHONHASHSEED": "123"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env=env, timeout=60, check=True).stdout.split()
    assert [int(v) for v in out] == [stage_seed(42, "terrain"), stage_seed(7, "erosion")]


def test_public_api_exports():
    assert planet.load_scene is load_scene and planet.SceneError is SceneError
    assert re.match(r"\d+\.\d+\.\d+", planet.__version__)


@pytest.mark.parametrize("scene, words", [
    ({"planet": {"grid": "64x32x1"}}, "expected WxH"),
    ({"planet": {"stages": []}}, "planet.stages is empty"),
    ({"terrain": {"quench": 10**400}}, "(401 chars) is out of range [1, 10000]"),
    ({"timeline": [{"at": 10**400}]}, "(401 chars) is out of range [0, 1000000000000] years"),
    ({"timeline": [{"at": 0.0, "caption": "two\nlines"}]}, "one line of printable text"),
    ({"timeline": [{"at": 0.0, "camera": {"pitch": 95.0}}]}, "camera.pitch = 95.0 is out of range"),
    ({"timeline": [{"at": 0.0, "camera": {"zoom": 2.0}}]}, "unknown key 'zoom'"),
    ({"timeline": [{"at": 0.0, "end": False}]}, "expected true"),
])
def test_story_and_hardened_scene_errors(scene, words):
    with pytest.raises(SceneError, match=re.escape(words)):
        load_scene(scene)


def test_story_timeline_keys_and_ticks_until():
    scene = load_scene({"planet": {"dt": 1.0e6, "present": 4.5e9, "stages": ["terrain"]}, "timeline": [
        {"at": 0.0, "caption": "a molten protoplanet", "camera": {"yaw": 10.0, "spin_rate": 6.0}},
        {"at": 3.0e6, "dt": 5.0e5},
        {"at": 5.0e6, "end": True}]})
    assert scene.present == 4.5e9 and scene.end == 5.0e6
    assert scene.timeline[0].caption == "a molten protoplanet" and scene.timeline[0].camera == {"yaw": 10.0, "spin_rate": 6.0}
    assert scene.ticks_until(5.0e6) == 3 + 4  # 3 ticks of 1 Myr, then 4 of 0.5 Myr

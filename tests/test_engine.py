"""The engine's typed fields and planet-wide scalars: int fields, generated accessors, GPU reductions
(against NumPy), scalars read by passes, and the errors for bad declarations (both backends)."""
import shutil

import numpy as np
import pytest

import planet
from planet import grid
from planet.errors import PipelineError, ShaderError
from planet.fields import Ch, Field
from planet.passes import Pass
from planet.pipeline import Pipeline
from planet.reduce import Scalar, chains_of, levels, spans
from planet.shaderlib import SHADER_ROOT
from planet.stages import Stage

from conftest import BACKENDS, ROOT, TINY

IDS = Field("ids", "int probe", (Ch("id", "1", "an id"), Ch("link", "1", "a neighbour's id")), kind="int")
REALS = Field("reals", "float probe", (Ch("x", "1", "a value"),))
INIT = Pass("probe.init", writes=("reals", "ids"), shader="tests/reals_init.glsl")
INT_PROBE = Pass("probe.ints", reads=("ids",), writes=("ids", "reals"), shader="tests/int_probe.glsl")
SCALARS = (Scalar("a_mean", "1", "mean of reals.x", source="reals.x", op="mean"),
           Scalar("a_max", "1", "max of reals.x", source="reals.x", op="max"),
           Scalar("a_min", "1", "min of reals.x", source="reals.x", op="min"),
           Scalar("a_sum", "km²", "area integral of reals.x", source="reals.x", op="sum", scale=2.0))


def probe_pipeline(ctx, backend, step=(INT_PROBE,), scalars=SCALARS, size=(32, 16)):
    stage = Stage("probe", "engine probe", (IDS, REALS), (), init=(INIT,), step=step, scalars=scalars)
    return Pipeline(ctx, [stage], size, backend)


def builtins(size, radius=6371.0):
    return {"u_grid": size, "u_texel": (1.0 / size[0], 1.0 / size[1]), "u_radius": radius, "u_tick": 0}


@pytest.mark.parametrize("backend", BACKENDS)
def test_int_fields_are_exact_and_mix_with_float_outputs(ctx, backend):
    pipe = probe_pipeline(ctx, backend)
    try:
        W, H = pipe.grid
        u = {"probe": builtins(pipe.grid)}
        pipe.run(pipe.stages[0].init, u)
        ids = pipe.fields["ids"].read()
        assert ids.dtype == np.int32 and ids.shape == (H, W, 2)
        assert np.array_equal(ids[..., 0], np.arange(W * H).reshape(H, W)) and (ids[..., 1] == -1).all()
        big = np.stack([np.full((H, W), 2**31 - 2, np.int64), np.full((H, W), -(2**31), np.int64)], -1)
        big[3, 5, 0] = 123456789
        pipe.fields["ids"].write(big)
        pipe.run(pipe.stages[0].step, u)
        out = pipe.fields["ids"].read()
        assert out[3, 5, 0] == 123456790 and out[0, 0, 0] == 2**31 - 1   # exact far beyond 2^24
        assert out[3, 4, 1] == 123456789                                 # the east neighbour's id
        assert out[0, W - 1, 1] == 2**31 - 2                             # wrapped across the seam
        np.testing.assert_array_equal(pipe.fields["reals"].read()[..., 0], big[..., 0].astype(np.float32) * np.float32(0.5))
    finally:
        pipe.release()


@pytest.mark.parametrize("backend", BACKENDS)
def test_reductions_match_numpy(ctx, backend):
    pipe = probe_pipeline(ctx, backend, size=(64, 32))
    try:
        W, H = pipe.grid
        x = np.random.default_rng(3).uniform(-50, 80, (H, W, 1)).astype(np.float32)
        pipe.fields["reals"].write(x)
        pipe.reduce(builtins(pipe.grid))
        got = dict(zip([s.name for s in SCALARS], pipe.reducer.values()[:, 0], strict=True))
        area = np.broadcast_to(grid.cell_area_km2(W, H, 6371.0)[:, None], (H, W))
        v = x[..., 0].astype(np.float64)
        assert got["a_mean"] == pytest.approx((v * area).sum() / area.sum(), rel=1e-5)
        assert got["a_sum"] == pytest.approx(2.0 * (v * area).sum(), rel=1e-5)
        assert got["a_max"] == v.max() and got["a_min"] == v.min()
        assert len(levels((W, H))) == 3  # 16x8, 4x2, 1x1: O(log4) passes
    finally:
        pipe.release()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_pass_reads_the_scalars_of_the_previous_tick(ctx, backend):
    step = (Pass("probe.scalars", reads=("ids",), writes=("reals",), scalars=("a_mean", "a_max"),
                 shader="tests/scalar_probe.glsl"),)
    pipe = probe_pipeline(ctx, backend, step=step)
    try:
        u = {"probe": builtins(pipe.grid)}
        pipe.run(pipe.stages[0].init, u)
        x0 = pipe.fields["reals"].read()[..., 0]
        pipe.reduce(u["probe"])
        mean, mx = pipe.reducer.values()[:2, 0]
        pipe.run(pipe.stages[0].step, u)
        np.testing.assert_allclose(pipe.fields["reals"].read()[..., 0], mean + 1000.0 * mx, rtol=1e-6)
        assert mx == x0.max()
    finally:
        pipe.release()


def test_simulation_scalars_follow_the_fields(make_sim):
    sim = make_sim(TINY)
    assert sim.scalars == {"land_fraction": "1", "land_elevation": "m"}
    sim.step(2)
    t = sim.read("terrain")
    W, H = sim.scene.grid
    area = np.broadcast_to(grid.cell_area_km2(W, H, sim.scene.radius)[:, None], (H, W))
    land = t[..., 0] > t[..., 1]
    assert sim.scalar("land_fraction") == pytest.approx((land * area).sum() / area.sum(), rel=1e-5)
    height = (t[..., 0] - t[..., 1]).astype(np.float64)
    assert sim.scalar("land_elevation") == pytest.approx((height * area * land).sum() / (area * land).sum(), rel=1e-4)
    # A write changes them at once; an unknown name is one clear line.
    t[..., 0] = t[..., 1] - 10.0
    sim.write("terrain", t)
    assert sim.scalar("land_fraction") == 0.0
    with pytest.raises(planet.PlanetError, match="unknown key 'land_frac'.*did you mean 'land_fraction'"):
        sim.scalar("land_frac")


def test_named_channels_read_and_write(make_sim):
    sim = make_sim(TINY)
    assert [c.name for c in sim.channels("terrain")] == ["bedrock", "sea_level", "glow", "ice_sheet"]
    assert sim.field_spec("terrain").struct == "Terrain"
    assert np.array_equal(sim.channel("terrain", "bedrock"), sim.read("terrain")[..., 0])
    with pytest.raises(planet.PlanetError, match="valid: bedrock, glow, ice_sheet, sea_level"):
        sim.channel("terrain", "height")
    with pytest.raises(PipelineError, match="expected shape"):
        sim.write("terrain", np.zeros((4, 4, 3), np.float32))


def test_a_misspelt_channel_is_a_compile_error_naming_file_and_line(ctx, tmp_path, monkeypatch):
    root = tmp_path / "shaders"
    shutil.copytree(SHADER_ROOT / "common", root / "common")
    (root / "tests").mkdir()
    (root / "tests" / "typo.glsl").write_text(
        "// typo probe\nvoid pass_main(ivec2 cell) {\n    Reals r = reals_at(cell);\n"
        "    o_reals = Reals(r.y);\n}\n")
    monkeypatch.setattr(planet.shaderlib, "SHADER_ROOT", root)
    init = Pass("probe.init", writes=("reals",), shader="tests/typo.glsl")
    typo = Pass("probe.typo", reads=("reals",), writes=("reals",), shader="tests/typo.glsl")
    with pytest.raises(ShaderError, match=r"shaders/tests/typo\.glsl:4"):
        Pipeline(ctx, [Stage("probe", "", (REALS,), (), init=(init,), step=(typo,))], (16, 8), "fragment")


@pytest.mark.parametrize("make, words", [
    (lambda: Field("x", "", (Ch("a", "1", ""), Ch("a", "1", ""))), "declared twice"),
    (lambda: Field("x", "", (Ch("sample", "1", ""),)), "not a usable GLSL identifier"),
    (lambda: Field("x", "", tuple(Ch(f"c{i}", "1", "") for i in range(5))), "1 to 4 channels"),
    (lambda: Field("x", "", ("r",)), "is not a Ch"),
    (lambda: Field("x", "", (Ch("a", "1", ""),), kind="double"), "valid: float, int"),
    (lambda: Field("scalars", "", (Ch("a", "1", ""),)), "other than 'scalars'"),
    (lambda: Scalar("s", "1", "", source="reals.x", op="median"), "valid: sum, mean, min, max"),
    (lambda: Scalar("s", "1", ""), "either source"),
    (lambda: Stage("s", "", (REALS,), (), derived=(planet.stages.Derived("k", "", ""),),
                   derive=lambda v, y: {"q": 1.0}), "derive() gives ['q']"),
])
def test_bad_declarations_are_one_line_errors(make, words):
    with pytest.raises(PipelineError, match=words.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        make()


def test_unknown_scalar_and_channel_are_rejected_before_gl():
    from planet.pipeline import validate_graph

    bad_read = Pass("probe.s", reads=("reals",), writes=("reals",), scalars=("nope",), shader="tests/scalar_probe.glsl")
    with pytest.raises(PipelineError, match="reads scalar 'nope'"):
        validate_graph([Stage("probe", "", (REALS,), (), init=(INIT,) and (Pass("probe.i", writes=("reals",),
                        shader="tests/fill_a.glsl"),), step=(bad_read,), scalars=SCALARS[:1])])
    with pytest.raises(PipelineError, match="has no channel 'q'; channels: x"):
        validate_graph([Stage("probe", "", (REALS,), (), init=(Pass("probe.i", writes=("reals",),
                        shader="tests/fill_a.glsl"),), scalars=(Scalar("s", "1", "", source="reals.q"),))])


def test_optional_scalars_follow_the_scene():
    p = Pass("probe.s", reads=("reals",), writes=("reals",), optional=("co2_ppm", "reals2"), shader="tests/x.glsl")
    have = p.resolve({"reals"}, (), {"co2_ppm"})
    assert have.scalars == ("co2_ppm",) and dict(have.defines) == {"HAVE_CO2_PPM": 1, "HAVE_REALS2": 0}
    without = p.resolve({"reals"}, (), set())
    assert without.scalars == () and dict(without.defines)["HAVE_CO2_PPM"] == 0


def test_a_body_reading_raw_texels_is_rejected(ctx, tmp_path, monkeypatch):
    root = tmp_path / "shaders"
    shutil.copytree(SHADER_ROOT / "common", root / "common")
    (root / "tests").mkdir()
    (root / "tests" / "raw.glsl").write_text("// raw probe\nuniform sampler2D t_reals;\n"
                                             "void pass_main(ivec2 cell) { o_reals = Reals(texelFetch(t_reals, cell, 0).r); }\n")
    monkeypatch.setattr(planet.shaderlib, "SHADER_ROOT", root)
    init = Pass("probe.init", writes=("reals",), shader="tests/raw.glsl")
    with pytest.raises(PipelineError, match=r"probe.init \(shaders/tests/raw.glsl\): declares its own sampler t_reals"):
        Pipeline(ctx, [Stage("probe", "", (REALS,), (), init=(init,))], (16, 8), "fragment")


def test_no_pass_file_reads_channels_by_letter():
    """Every stage and test pass reads fields through the generated accessors (no raw samplers, no
    .r/.g/.b/.a on a fetched texel)."""
    import re

    for path in SHADER_ROOT.rglob("*.glsl"):
        rel = path.relative_to(SHADER_ROOT).as_posix()
        if rel.startswith(("common/", "view/overlay.glsl", "view/yuv420.glsl", "view/fade.glsl", "view/baked.glsl")):
            continue
        text = re.sub(r"//[^\n]*", "", path.read_text())
        assert not re.search(r"uniform\s+i?sampler2D\s+t_(?!scalars)", text), f"{rel} declares a field sampler"
        assert not re.search(r"texelFetch\s*\(\s*t_\w+[^;]*\)\s*\.[rgbaxyzw]{1,4}\b", text), f"{rel} reads by letter"


def test_scalar_state_round_trip_and_shape_error(make_sim):
    sim = make_sim(TINY)
    state = sim.scalar_state()
    assert state.shape == (2, 4)
    sim.set_scalar_state(state)
    with pytest.raises(planet.PlanetError, match=r"expected \(2, 4\) numbers for the scalars land_fraction"):
        sim.set_scalar_state(np.zeros((3, 4)))


def test_the_shader_hash_covers_scalars_and_field_layouts():
    import dataclasses

    from planet.checkpoint import shader_hash
    from planet.stages import registry

    terrain = registry()["terrain"]
    base = shader_hash([terrain])
    other_scalar = dataclasses.replace(terrain, scalars=terrain.scalars[:1])
    other_field = dataclasses.replace(terrain, fields=(Field("terrain", "", terrain.fields[0].channels[::-1]),))
    assert len({base, shader_hash([other_scalar]), shader_hash([other_field])}) == 3


def test_scalars_of_the_same_fields_share_a_chain():
    a = Scalar("a", "1", "", source="reals.x")
    b = Scalar("b", "1", "", source="ids.id")
    c = Scalar("c", "1", "", shader="tests/x.glsl", reads=("reals",))
    d = Scalar("d", "1", "", shader="tests/x.glsl", reads=("reals", "ids"))
    assert chains_of((a, b, c, d)) == [(a, c), (b,), (d,)]
    many = tuple(Scalar(f"s{k}", "1", "", source="reals.x") for k in range(11))
    assert chains_of(many) == [many[:8], many[8:]]   # MRT: at most 8 a chain
    assert spans(4) == [(0, 1), (2, 3)] and spans(3) == [(0, 1), (2, 2)] and spans(1) == [(0, 0)]


def test_a_chain_is_reduced_when_its_fields_changed_and_someone_reads_it(make_sim):
    """After a tick only the chains of scalars that passes read, and only when one of their fields
    changed; the others when asked for. Whenever it is reduced, a scalar has the same bits as a
    reduction of every chain of the same fields."""
    sim = make_sim(ROOT / "scenes" / "tests" / "people.toml")
    sim.set_params(people={"start": 1.0e10})   # nobody lives: carbon and grow skip, their fields stand still
    red = sim.pipeline.reducer
    chain_of = {s.name: c for c, ch in enumerate(red.chains) for s in ch}
    assert red.eager >= {"co2_ppm", "emitted", "uptake", "population"}
    runs = []
    real = red.run
    red.run = lambda fields, builtins, chains=None: (runs.append(sorted(range(len(red.chains)) if chains is None else chains)),
                                                       real(fields, builtins, chains))
    sim.step(3)
    assert runs == [], "no field of a chain that passes read changed: nothing reduced"
    t = sim.scalar("global_temperature")
    assert runs == [[chain_of["global_temperature"]]] and sim.scalar("global_temperature") == t and len(runs) == 1
    lazy = sim.scalar_state()
    sim.pipeline.reduce(sim.builtins())   # every chain, now
    np.testing.assert_array_equal(red.values().view(np.uint32), lazy.view(np.uint32))
    # Written people: the people's chain at once (a write), then carbon's and people's after each tick.
    p = sim.read("people")
    p[..., 0] = np.where(sim.quantity("land") > 0, 20.0, 0.0)
    runs.clear()
    sim.write("people", p)
    assert runs == [[chain_of["population"]]] and sim.scalar("population") > 0
    runs.clear()
    sim.step(1)
    assert runs == [sorted({chain_of["co2_ppm"], chain_of["population"]})]
    lazy = sim.scalar_state()
    sim.pipeline.reduce(sim.builtins())
    np.testing.assert_array_equal(red.values().view(np.uint32), lazy.view(np.uint32))

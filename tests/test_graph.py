"""Pass-graph and shader-interface validation (DESIGN.md §3, §7.1-2).

`validate_graph` and `check_interface` are pure Python: the graph tests use hand-made stages and
the interface tests use Source objects built from text. The last tests read a real (temporary)
shader file, and build a real Simulation on the GL context whose pass declares a misspelt uniform.
"""
from __future__ import annotations

import dataclasses
import re
import shutil

import pytest

import planet.shaderlib
from planet.errors import PipelineError
from planet.fields import Ch, Field
from planet.params import Param
from planet.passes import BUILTINS, Pass, entry_source
from planet.pipeline import resolve_stages, check_interface, stage_uniform_types, validate_graph
from planet.shaderlib import SHADER_ROOT, Source, read_body
from planet.stages import Derived, Stage, registry
from planet.stages import terrain as terrain_stage

CH = tuple(Ch(c, "1", f"test channel {c}") for c in "rgba")


def field(name: str) -> Field:
    return Field(name, f"test field {name}", CH)


def stage(name, fields=(), init=(), step=(), params=(), derived=(), derive=None) -> Stage:
    return Stage(name, f"test stage {name}", tuple(field(f) for f in fields), tuple(params),
                 init=tuple(init), step=tuple(step), derived=tuple(derived), derive=derive)


def P(name, reads=(), writes=()) -> Pass:
    return Pass(name, tuple(reads), tuple(writes), shader=f"test/{name}.glsl")


def rejects(stages, *words, max_outputs=8) -> str:
    with pytest.raises(PipelineError) as exc:
        validate_graph(stages, max_outputs)
    msg = str(exc.value)
    for w in words:
        assert w in msg, f"{w!r} not in {msg!r}"
    return msg


# -- validate_graph -------------------------------------------------------------------------------

def test_valid_graph_passes():
    a = stage("a", ["x", "y"], init=[P("a.init", writes=["x", "y"])], step=[P("a.step", ["x", "y"], ["x"])])
    b = stage("b", ["z"], init=[P("b.init", ["x"], ["z"])], step=[P("b.step", ["z", "x", "y"], ["z"])])
    validate_graph([a, b])
    validate_graph([a, b], max_outputs=2)


def test_init_passes_may_read_what_earlier_init_passes_wrote():
    a = stage("a", ["x", "y"], init=[P("a.x", writes=["x"]), P("a.y", ["x"], ["y"])])
    validate_graph([a])


def test_step_passes_may_read_any_initialised_field_in_any_order():
    # After init every field holds a value, so a step pass may read a field a later stage owns.
    a = stage("a", ["x"], init=[P("a.init", writes=["x"])], step=[P("a.step", ["x", "z"], ["x"])])
    b = stage("b", ["z"], init=[P("b.init", writes=["z"])])
    validate_graph([a, b])


def test_the_registered_stages_form_a_valid_graph():
    validate_graph(list(registry().values()))


def test_unknown_field_in_reads_names_pass_and_field():
    a = stage("a", ["terrain"], init=[P("a.init", writes=["terrain"])],
              step=[P("a.step", ["terain"], ["terrain"])])
    msg = rejects([a], "a.step", "'terain'")
    assert "did you mean 'terrain'" in msg and "terrain" in msg.split("fields:")[-1]


def test_unknown_field_in_writes_names_pass_and_field():
    a = stage("a", ["x"], init=[P("a.init", writes=["x", "nowhere"])])
    rejects([a], "a.init", "'nowhere'")


def test_field_read_by_init_pass_before_anything_initialises_it():
    a = stage("a", ["x", "y"], init=[P("a.y", ["x"], ["y"]), P("a.x", writes=["x"])])
    msg = rejects([a], "a.y", "'x'", "before anything initialises it")
    assert "initialised so far: (none)" in msg


def test_init_pass_reading_a_field_a_later_stage_initialises():
    a = stage("a", ["x"], init=[P("a.init", ["z"], ["x"])])
    b = stage("b", ["z"], init=[P("b.init", writes=["z"])])
    rejects([a, b], "a.init", "'z'", "before anything initialises it")


def test_init_pass_reading_its_own_output_is_rejected():
    a = stage("a", ["x"], init=[P("a.init", ["x"], ["x"])])
    rejects([a], "a.init", "'x'", "before anything initialises it")


def test_field_never_written():
    a = stage("a", ["x", "orphan"], init=[P("a.init", writes=["x"])], step=[P("a.step", ["x"], ["x"])])
    rejects([a], "'orphan'", "stage 'a'", "never written")


def test_field_not_written_by_any_init_pass():
    a = stage("a", ["x", "y"], init=[P("a.init", writes=["x"])], step=[P("a.step", ["x"], ["y"])])
    rejects([a], "'y'", "stage 'a'", "init pass")


def test_duplicate_field_across_stages():
    a = stage("a", ["x"], init=[P("a.init", writes=["x"])])
    b = stage("b", ["x"], init=[P("b.init", writes=["x"])])
    rejects([a, b], "'x'", "'a'", "'b'")


def test_duplicate_pass_name():
    a = stage("a", ["x"], init=[P("same", writes=["x"])], step=[P("same", ["x"], ["x"])])
    rejects([a], "'a.same'", "twice")


def test_pass_that_writes_nothing():
    a = stage("a", ["x"], init=[P("a.init", writes=["x"])], step=[P("a.noop", ["x"], [])])
    rejects([a], "a.noop", "writes no field")


def test_field_listed_twice_in_writes():
    a = stage("a", ["x"], init=[P("a.init", writes=["x", "x"])])
    rejects([a], "a.init", "twice")


def test_too_many_outputs():
    names = ["f0", "f1", "f2"]
    a = stage("a", names, init=[P("a.init", writes=names)])
    validate_graph([a], max_outputs=3)
    msg = rejects([a], "a.init", "3 outputs", max_outputs=2)
    assert "2" in msg


def test_default_output_limit_is_eight():
    names = [f"f{i}" for i in range(9)]
    rejects([stage("a", names, init=[P("a.init", writes=names)])], "a.init", "9 outputs")


# -- check_interface ------------------------------------------------------------------------------

ALLOWED = {"u_height_scale": "float", "u_fbm_octaves": "int", "u_sea_level_now": ""}  # "" = derived, any type


def src_of(text: str) -> Source:
    src = Source()
    src.text = text
    return src


GOOD = """
uniform sampler2D t_terrain;
uniform float u_height_scale;
uniform int u_fbm_octaves;
uniform float u_sea_level_now;
void pass_main(ivec2 cell) { o_terrain = texelFetch(t_terrain, cell, 0) * u_height_scale; }
"""


def check(text, reads=("terrain",), allowed=ALLOWED, generated=()):
    check_interface("pass test.p (shaders/test/p.glsl)", src_of(text), reads, allowed, generated)


def check_rejects(text, *words, **kw) -> str:
    with pytest.raises(PipelineError) as exc:
        check(text, **kw)
    msg = str(exc.value)
    assert msg.startswith("pass test.p (shaders/test/p.glsl): "), msg
    for w in words:
        assert w in msg, f"{w!r} not in {msg!r}"
    return msg


def test_matching_interface_passes():
    check(GOOD)


def test_params_need_not_all_be_declared():
    check("uniform sampler2D t_terrain;\n")


def test_sampler_for_a_field_the_pass_does_not_read():
    check_rejects(GOOD + "uniform sampler2D t_x;\n", "'t_x'", "reads=('terrain',)")


def test_sampler_for_an_unread_known_field():
    check_rejects(GOOD, "'t_terrain'", reads=())


def test_read_field_without_its_sampler():
    check_rejects(GOOD, "'climate'", "uniform sampler2D t_climate;", reads=("terrain", "climate"))


def test_misspelt_uniform_with_did_you_mean():
    msg = check_rejects(GOOD + "uniform float u_heigth_scale;\n", "'u_heigth_scale'",
                        "did you mean 'u_height_scale'")
    for valid in (*ALLOWED, *BUILTINS):
        assert valid in msg


def test_misspelt_builtin_with_did_you_mean():
    check_rejects(GOOD + "uniform uint u_tik;\n", "'u_tik'", "did you mean 'u_tick'")


def test_uniform_not_named_t_or_u():
    check_rejects(GOOD + "uniform float height_scale;\n", "'height_scale'", "t_<field>", "u_<param>")


def test_uniform_type_mismatch():
    check_rejects(GOOD.replace("uniform float u_height_scale", "uniform int u_height_scale"),
                  "'u_height_scale'", "int", "float")
    check_rejects(GOOD.replace("uniform int u_fbm_octaves", "uniform float u_fbm_octaves"),
                  "'u_fbm_octaves'", "float", "int")


def test_derived_uniform_of_any_type():
    check(GOOD.replace("uniform float u_sea_level_now", "uniform vec2 u_sea_level_now"))


def test_precision_qualifiers_and_arrays_are_parsed():
    check_rejects(GOOD + "uniform highp float u_heigth_scale;\n", "'u_heigth_scale'")
    check_rejects(GOOD + "uniform float u_weights[4];\n", "'u_weights'")


def test_builtins_accepted():
    decls = "".join(f"uniform {t} {n};\n" for n, (t, _) in BUILTINS.items())
    check(GOOD + decls)
    check(decls, reads=(), allowed={})


def test_generated_names_accepted():
    check(GOOD + "uniform image2D i_terrain;\n", generated=["i_terrain"])
    check_rejects(GOOD + "uniform image2D i_terrain;\n", "'i_terrain'")


def test_commented_out_uniforms_are_ignored():
    check(GOOD + "// uniform float u_heigth_scale;\n")


@pytest.mark.parametrize("decl", [
    "uniform float u_height_scale, u_heigth_scale;",          # a declarator list
    "uniform float u_heigth_scale = 1.0;",                    # an initializer (GLSL >= 1.20)
    "uniform float u_k2; uniform float u_heigth_scale;",      # two declarations on one line
])
def test_misspelt_uniform_in_other_valid_declaration_forms(decl):
    # All three are valid GLSL 3.30; a misspelt name that escapes the check silently reads 0 at run time.
    text = GOOD.replace("uniform float u_height_scale;\n", "") + decl + "\n"
    with pytest.raises(PipelineError, match="u_heigth_scale"):
        check(text, allowed={**ALLOWED, "u_k2": "float"})


@pytest.mark.parametrize("backend", ["fragment", "compute"])
def test_real_passes_match_their_declarations(backend):
    # Every registered pass, resolved and assembled as the pipeline does it (generated prelude
    # included), is accepted.
    stages = resolve_stages(list(registry().values()))
    specs = {f.name: f for st in stages for f in st.fields}
    index = {sc.name: k for k, sc in enumerate(sc for st in stages for sc in st.scalars)}
    for st in stages:
        allowed = stage_uniform_types(st)
        for p in (*st.init, *st.step):
            if p.mask and backend == "compute":
                continue   # a mask pass has only a fragment program (Pass.mask)
            entries = ("pass_main", "pass_quiet") if p.quiet and backend == "fragment" else ("pass_main",)
            for entry in entries:
                check_interface(f"pass {p.name} ({entry})", entry_source(p, backend, specs, index, entry=entry),
                                p.reads, allowed, generated=[*(f"i_{w}" for w in p.writes), "t_scalars"],
                                absent=p.absent)


def test_stage_uniform_types():
    st = stage("s", ["x"], init=[P("s.init", writes=["x"])],
               params=[Param("k", 1.0, "", ""), Param("n", 3, "", ""), Param("on", True, "", ""),
                       Param("cpu_only", 1.0, "", "", uniform=False)],
               derived=[Derived("now", "", "")], derive=lambda values, years: {"now": years})
    assert stage_uniform_types(st) == {"u_k": "float", "u_n": "int", "u_on": "bool", "u_now": ""}


# -- a real shader file with a misspelt uniform ------------------------------------------------------

def misspelt_cool(tmp_path):
    """A copy of the shaders/ tree in which terrain/cool_typo.glsl misspells u_quench as u_qeunch."""
    root = tmp_path / "shaders"
    shutil.copytree(SHADER_ROOT, root)
    text = (root / "terrain/cool.glsl").read_text()
    assert "uniform float u_quench;" in text
    (root / "terrain/cool_typo.glsl").write_text(text.replace("u_quench", "u_qeunch"))
    return root


def test_misspelt_uniform_in_a_shader_file(tmp_path):
    root = misspelt_cool(tmp_path)
    what = "pass terrain.cool (shaders/terrain/cool_typo.glsl)"
    allowed = stage_uniform_types(terrain_stage.STAGE)
    # The bare bodies: their field samplers are generated, so they read no sampler of their own.
    check_interface(what, read_body("terrain/cool.glsl", root=root), (), allowed)
    with pytest.raises(PipelineError, match=re.escape(f"{what}: uniform 'u_qeunch'")) as exc:
        check_interface(what, read_body("terrain/cool_typo.glsl", root=root), (), allowed)
    assert "did you mean 'u_quench'" in str(exc.value)


def test_simulation_with_a_misspelt_uniform_fails_at_build(make_sim, tmp_path, monkeypatch):
    """A real Simulation on the GL context: the pipeline rejects the pass before the first tick.

    The pass files resolve against a copy of shaders/ (planet.shaderlib.SHADER_ROOT, read at call time,
    is repointed for this test only), and the registry's terrain stage is swapped for one whose step
    pass uses the misspelt copy.
    """
    root = misspelt_cool(tmp_path)
    monkeypatch.setattr(planet.shaderlib, "SHADER_ROOT", root)
    typo = Pass("terrain.cool", reads=("terrain",), writes=("terrain",), shader="terrain/cool_typo.glsl")
    broken = dataclasses.replace(terrain_stage.STAGE, step=(typo,))
    monkeypatch.setattr("planet.simulation.registry", lambda: {"terrain": broken})

    for backend in ("fragment", "compute"):
        with pytest.raises(PipelineError) as exc:
            make_sim(backend=backend)
        msg = str(exc.value)
        assert "pass terrain.cool" in msg and "shaders/terrain/cool_typo.glsl" in msg, msg
        assert "'u_qeunch'" in msg and "did you mean 'u_quench'" in msg, msg

    # The same patched setup with the correct file builds and runs: the failure was the typo alone.
    good = dataclasses.replace(terrain_stage.STAGE,
                               step=(Pass("terrain.cool", ("terrain",), ("terrain",), shader="terrain/cool.glsl"),))
    monkeypatch.setattr("planet.simulation.registry", lambda: {"terrain": good})
    sim = make_sim(backend="fragment")
    sim.step(1)
    assert sim.read("terrain").shape == (32, 64, 4)

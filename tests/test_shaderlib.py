"""planet.shaderlib: #include resolution (recursive, include-once, cycles, missing files) and the
mapping of driver error messages back to shaders/<file>:<line> (DESIGN.md §2, §7.1).

Include tests use a temporary shader root passed as `root=`; the #line tests compile deliberately
broken programs on the real session GL context and check that the reported file AND line are the
ones in the file the mistake is in.
"""
from __future__ import annotations

import re

import pytest

from planet.errors import ShaderError
from planet.passes import LOCAL_SIZE, builtins_block, vertex_source
from planet.shaderlib import LINE_STRIDE, Source, compile_program, read_body


def write(root, files: dict[str, str]):
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def code_lines(src: Source) -> list[str]:
    """The assembled text without the #line directives."""
    return [ln for ln in src.text.splitlines() if not ln.startswith("#line")]


# -- include resolution --------------------------------------------------------------------------

def test_recursive_includes_are_resolved_in_order(tmp_path):
    write(tmp_path, {
        "top.glsl": '// top 1\n#include "lib/a.glsl"\n// top 3\n',
        "lib/a.glsl": '// a 1\n#include "lib/b.glsl"\n// a 3\n',
        "lib/b.glsl": "// b 1\n// b 2\n",
    })
    src = read_body("top.glsl", root=tmp_path)
    assert code_lines(src) == ["// top 1", "// a 1", "// b 1", "// b 2", "// a 3", "// top 3"]
    assert src.files == ["shaders/top.glsl", "shaders/lib/a.glsl", "shaders/lib/b.glsl"]
    assert src.included == {"top.glsl", "lib/a.glsl", "lib/b.glsl"}
    assert "#include" not in src.text


def test_line_directives_resume_after_an_include(tmp_path):
    write(tmp_path, {
        "top.glsl": '// top 1\n#include "inc.glsl"\n// top 3\n',
        "inc.glsl": "// inc 1\n",
    })
    src = Source()
    src.include("top.glsl", root=tmp_path)
    top, inc = src.files.index("shaders/top.glsl"), src.files.index("shaders/inc.glsl")
    # Each directive carries the file id in the source-string slot and in the line number
    # (id * LINE_STRIDE + line), because Mesa reports source-string 0 for semantic errors.
    d = lambda fid, n: f"#line {fid * LINE_STRIDE + n} {fid}"
    assert src.text.splitlines() == [
        d(top, 1), "// top 1",
        d(inc, 1), "// inc 1",
        d(top, 3), "// top 3",
    ]


def test_include_directive_spacing_variants(tmp_path):
    write(tmp_path, {
        "top.glsl": '  #  include   "x.glsl"  \n// after\n',
        "x.glsl": "// x\n",
    })
    assert code_lines(read_body("top.glsl", root=tmp_path)) == ["// x", "// after"]


def test_a_file_included_twice_appears_once(tmp_path):
    write(tmp_path, {
        "top.glsl": '#include "common/hash.glsl"\n#include "noise.glsl"\n#include "common/hash.glsl"\nvoid f() {}\n',
        "noise.glsl": '#include "common/hash.glsl"\nfloat noise() { return hash(); }\n',
        "common/hash.glsl": "float hash() { return 0.5; }\n",
    })
    src = read_body("top.glsl", root=tmp_path)
    assert src.text.count("float hash()") == 1
    assert code_lines(src) == ["float hash() { return 0.5; }", "float noise() { return hash(); }", "void f() {}"]


def test_include_once_holds_across_calls_on_one_source(tmp_path):
    # entry_source / view programs call include() several times on one Source.
    write(tmp_path, {"a.glsl": '#include "c.glsl"\n// a\n', "b.glsl": '#include "c.glsl"\n// b\n',
                     "c.glsl": "// c\n"})
    src = Source()
    src.include("a.glsl", root=tmp_path)
    src.include("b.glsl", root=tmp_path)
    assert code_lines(src) == ["// c", "// a", "// b"]


def test_include_cycle_raises_naming_the_chain(tmp_path):
    write(tmp_path, {
        "a.glsl": '#include "b.glsl"\n',
        "b.glsl": '#include "a.glsl"\n',
    })
    with pytest.raises(ShaderError) as exc:
        read_body("a.glsl", root=tmp_path)
    assert "cycle" in str(exc.value)
    assert "shaders/a.glsl -> shaders/b.glsl -> shaders/a.glsl" in str(exc.value)


def test_longer_include_cycle_names_every_file(tmp_path):
    write(tmp_path, {
        "top.glsl": '#include "a.glsl"\n',
        "a.glsl": '#include "b.glsl"\n',
        "b.glsl": '#include "c.glsl"\n',
        "c.glsl": '#include "a.glsl"\n',
    })
    with pytest.raises(ShaderError, match=re.escape(
            "shaders/top.glsl -> shaders/a.glsl -> shaders/b.glsl -> shaders/c.glsl -> shaders/a.glsl")):
        read_body("top.glsl", root=tmp_path)


def test_self_include_is_a_cycle(tmp_path):
    write(tmp_path, {"a.glsl": '#include "a.glsl"\n'})
    with pytest.raises(ShaderError, match=re.escape("shaders/a.glsl -> shaders/a.glsl")):
        read_body("a.glsl", root=tmp_path)


def test_missing_include_names_the_file_and_the_chain(tmp_path):
    write(tmp_path, {
        "top.glsl": '#include "lib/mid.glsl"\n',
        "lib/mid.glsl": '// mid\n#include "lib/nothere.glsl"\n',
    })
    with pytest.raises(ShaderError) as exc:
        read_body("top.glsl", root=tmp_path)
    msg = str(exc.value)
    assert "shaders/lib/nothere.glsl" in msg
    assert "not found" in msg
    assert "shaders/top.glsl -> shaders/lib/mid.glsl" in msg


def test_missing_top_file_names_it(tmp_path):
    with pytest.raises(ShaderError, match=re.escape("shaders/absent.glsl")):
        read_body("absent.glsl", root=tmp_path)


def test_real_pass_bodies_resolve():
    # The default root (the repo's shaders/) resolves the real passes and their common/ includes.
    src = read_body("terrain/protoplanet.glsl")
    assert "shaders/common/grid.glsl" in src.files
    assert "#include" not in src.text


# -- Source.map_errors: the three driver message formats ------------------------------------------

def mapped_source() -> Source:
    src = Source()
    src.file_id("<generated:test>")
    src.file_id("shaders/top.glsl")
    src.file_id("shaders/common/grid.glsl")
    return src


@pytest.mark.parametrize("log, expected", [
    # Mesa: "<file>:<line>(<column>): error: ..."
    ("0:12(3): error: `foo' undeclared", "<generated:test>:12: error: `foo' undeclared"),
    ("1:7(14): error: syntax error, unexpected ')'", "shaders/top.glsl:7: error: syntax error, unexpected ')'"),
    # NVIDIA: "<file>(<line>) : error C0000: ..."
    ("2(12) : error C0000: syntax error, unexpected '}' at token \"}\"",
     "shaders/common/grid.glsl:12: error C0000: syntax error, unexpected '}' at token \"}\""),
    ("1(40) : error C1008: undefined variable \"foo\"", "shaders/top.glsl:40: error C1008: undefined variable \"foo\""),
    # AMD / others: "ERROR: <file>:<line>: ..."
    ("ERROR: 1:12: 'foo' : undeclared identifier", "shaders/top.glsl:12: 'foo' : undeclared identifier"),
    ("ERROR: 2:3: '' : syntax error", "shaders/common/grid.glsl:3: '' : syntax error"),
])
def test_map_errors_driver_formats(log, expected):
    assert mapped_source().map_errors(log) == expected


def test_map_errors_keeps_other_lines_and_unknown_file_ids():
    log = "GLSL Compiler failed\n\nfragment_shader\n0:5(1): error: a\n9:5(1): error: b\n"
    assert mapped_source().map_errors(log).splitlines() == [
        "GLSL Compiler failed", "fragment_shader", "<generated:test>:5: error: a", "9:5(1): error: b"]


def test_map_errors_multiline_log():
    log = "0:1(2): error: first\n1(3) : error C0001: second\nERROR: 2:4: third\n"
    assert mapped_source().map_errors(log).splitlines() == [
        "<generated:test>:1: error: first", "shaders/top.glsl:3: error C0001: second",
        "shaders/common/grid.glsl:4: third"]


# -- #line mapping with the real compiler ----------------------------------------------------------
#
# The programs are assembled the way planet.passes.entry_source assembles a pass: #version (and, for
# compute, the layout line) first, a generated prelude (builtins, outputs) as file 0, then the pass
# body with its includes, then a generated main().

TOP = """\
// top.glsl — a test pass body (line 1)
#include "lib/inc.glsl"
// line 3: a comment after the include
uniform float u_k;

void pass_main(ivec2 cell) {
    float v = helper(float(cell.x)) * u_k;
    o_x = vec4(v);
}
"""
TOP_ERROR_LINE = 8          # the `o_x = ...` line

INC = """\
// lib/inc.glsl — helpers (line 1)
#include "lib/deep.glsl"
// line 3
float helper(float x) {
    return deep(x) * 2.0;
}
"""
INC_ERROR_LINE = 5          # the `return ...` line, after a nested include

DEEP = """\
// lib/deep.glsl
float deep(float x) { return x + 1.0; }
"""

# (where, kind) -> (file, original text, broken text, words the driver message must mention)
BREAKS = {
    ("top", "syntax"): ("top.glsl", "o_x = vec4(v);", "o_x = vec4(v));", "syntax error"),
    ("top", "undeclared"): ("top.glsl", "o_x = vec4(v);", "o_x = vec4(v) + bogus_name;", "bogus_name"),
    ("included", "syntax"): ("lib/inc.glsl", "return deep(x) * 2.0;", "return (deep(x) * 2.0));", "syntax error"),
    ("included", "undeclared"): ("lib/inc.glsl", "return deep(x) * 2.0;", "return deep(x) * bogus_name;",
                                 "bogus_name"),
}


def assemble(root, backend: str) -> Source:
    gen = f"<generated:test:{backend}>"
    src = Source()
    if backend == "fragment":
        src.text = "#version 330 core\n"
        outs = "layout(location = 0) out vec4 o_x;\n"
        main = "void main() {\n    pass_main(ivec2(gl_FragCoord.xy));\n}\n"
    else:
        src.text = f"#version 430\nlayout(local_size_x = {LOCAL_SIZE[0]}, local_size_y = {LOCAL_SIZE[1]}) in;\n"
        outs = "vec4 o_x;\nlayout(rgba32f) uniform writeonly image2D i_x;\n"
        main = ("void main() {\n    ivec2 cell = ivec2(gl_GlobalInvocationID.xy);\n    pass_main(cell);\n"
                "    imageStore(i_x, cell, o_x);\n}\n")
    src.add(gen, builtins_block() + outs)
    src.include("top.glsl", root=root)
    src.add(gen, main, first_line=1000)
    return src


def compile_it(ctx, src: Source, backend: str):
    if backend == "compute":
        return compile_program(ctx, "test pass (compute)", compute=src)
    return compile_program(ctx, "test pass (fragment)", vertex=vertex_source(), fragment=src)


@pytest.mark.parametrize("backend", ["fragment", "compute"])
def test_unbroken_test_program_compiles(ctx, tmp_path, backend):
    write(tmp_path, {"top.glsl": TOP, "lib/inc.glsl": INC, "lib/deep.glsl": DEEP})
    prog = compile_it(ctx, assemble(tmp_path, backend), backend)
    prog.release()


@pytest.mark.parametrize("backend", ["fragment", "compute"])
@pytest.mark.parametrize("kind", ["syntax", "undeclared"])
@pytest.mark.parametrize("where", ["top", "included"])
def test_compile_error_names_file_and_line(ctx, tmp_path, backend, kind, where):
    rel, good, bad, words = BREAKS[(where, kind)]
    files = {"top.glsl": TOP, "lib/inc.glsl": INC, "lib/deep.glsl": DEEP}
    assert good in files[rel]
    files[rel] = files[rel].replace(good, bad)
    line = TOP_ERROR_LINE if where == "top" else INC_ERROR_LINE
    assert files[rel].splitlines()[line - 1].strip() == bad  # the test's own bookkeeping
    write(tmp_path, files)

    with pytest.raises(ShaderError) as exc:
        compile_it(ctx, assemble(tmp_path, backend), backend)
    msg = str(exc.value)
    assert msg.startswith(f"test pass ({backend}): "), msg
    want = f"shaders/{rel}:{line}:"
    # The driver's message about the mistake must be attributed to the file and line it is in.
    about = [ln.strip() for ln in msg.splitlines() if words in ln]
    assert about, f"no message mentions {words!r}:\n{msg}"
    assert any(want in ln for ln in about), (
        f"the {kind} error on line {line} of shaders/{rel} was reported as\n  " + "\n  ".join(about)
        + f"\nexpected it to name {want!r} (full message:\n{msg})")
    # ...and never to the generated code.
    assert not any("<generated:" in ln for ln in about), msg

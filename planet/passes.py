"""The pass contract (DESIGN.md §3): one GLSL body, generated fragment and compute entry points.

A pass file defines `void pass_main(ivec2 cell)` and assigns the globals `o_<field>` for each field
it writes. It declares `uniform sampler2D t_<field>` for each field it reads and `uniform <type>
u_<param>` for each param; the builtins below are declared by the runner.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .errors import PipelineError
from .shaderlib import Source, defines_block, read_body

LOCAL_SIZE = (8, 8)

# Builtin uniforms every pass may use (declared by the generated prelude).
BUILTINS = {
    "u_tick": ("uint", "ticks since reset"),
    "u_dt": ("float", "simulated years per tick"),
    "u_time": ("float", "simulated years since reset, at the start of this tick"),
    "u_seed": ("uint", "this stage's seed (derived from the scene seed and the stage name)"),
    "u_grid": ("ivec2", "grid size (W, H) in cells"),
    "u_texel": ("vec2", "1 / grid size"),
    "u_radius": ("float", "planet radius [km]"),
}

# `uniform [qualifiers] type name [= init] [, name2 ...];` anywhere (several may share a line).
_UNIFORM = re.compile(r"\buniform\s+((?:(?:highp|mediump|lowp|readonly|writeonly|coherent|volatile|restrict)\s+)*)"
                      r"(\w+)\s+([^;{]+);")
_DECL_NAME = re.compile(r"^\s*(\w+)")


@dataclass(frozen=True)
class Pass:
    """`shader` is relative to shaders/; reads/writes are field names; defines become #defines."""

    name: str
    shader: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    defines: tuple[tuple[str, object], ...] = field(default=())
    # Fields read only when some stage of the scene declares them (e.g. erosion reads climate's
    # precipitation once a climate stage exists). See resolve().
    optional: tuple[str, ...] = field(default=())
    # A template: for_each="carried" applies the body to every carried field of the scene (Field.carried,
    # whichever stage owns it), e.g. tectonics moving all crust state with the plates. resolve() puts
    # those fields in `each` and adds them to reads and writes; the body addresses field i (i <
    # EACH_COUNT) as t_each<i> / o_each<i>, which the generated prelude declares and #defines to
    # t_<field> / o_<field>. The pass keeps its name: one program writes them all (MRT, at most 8).
    for_each: str = field(default="")
    each: tuple[str, ...] = field(default=())
    # Runs per use in a schedule: an int, or a function (W, H) -> int of the grid, evaluated when the
    # pipeline is built (e.g. ceil(log4(W*H)) runs of pointer jumping). Each run reads what the last
    # one wrote (ping-pong), so a repeated pass iterates within one tick.
    repeat: object = field(default=1)

    @property
    def absent(self) -> tuple[str, ...]:
        """Optional fields this resolved pass goes without (HAVE_<FIELD> = 0): their samplers sit
        behind `#if HAVE_<FIELD>` and are not bound."""
        return tuple(k[5:].lower() for k, v in self.defines if k.startswith("HAVE_") and v == 0)

    def runs(self, grid: tuple[int, int]) -> int:
        """How many times this pass runs per use on a grid of (W, H) cells (>= 1)."""
        n = self.repeat(*grid) if callable(self.repeat) else self.repeat
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise PipelineError(f"pass {self.name}: repeat must give a positive integer, got {n!r}")
        return n

    def resolve(self, present, carried=()) -> "Pass":
        """This pass for a scene whose fields are `present` (`carried`: those with Field.carried, in
        scene order): each optional field that exists joins `reads`, and HAVE_<FIELD> is #defined 1
        or 0 so the body picks its branch at compile time; a for_each pass gets its fields (above)."""
        p = self
        if p.optional:
            defines = dict(p.defines)
            defines.update({f"HAVE_{f.upper()}": int(f in present) for f in p.optional})
            reads = p.reads + tuple(f for f in p.optional if f in present and f not in p.reads)
            p = replace(p, reads=reads, optional=(), defines=tuple(sorted(defines.items())))
        if p.for_each:
            if p.for_each != "carried":
                raise PipelineError(f"pass {p.name}: for_each={p.for_each!r} is not a field set; valid: carried")
            own = [f for f in carried if f in p.reads or f in p.writes]
            if own:
                raise PipelineError(f"pass {p.name}: lists the carried field(s) {', '.join(own)} itself; a "
                                    f"for_each='carried' pass gets every carried field as t_each<i>/o_each<i>")
            if not carried:
                raise PipelineError(f"pass {p.name}: for_each='carried' but no field of this scene is carried")
            each = tuple(carried)
            defines = {**dict(p.defines), "EACH_COUNT": len(each)}
            p = replace(p, reads=p.reads + each, writes=p.writes + each, for_each="", each=each,
                        defines=tuple(sorted(defines.items())))
        return p


def builtins_block() -> str:
    return "".join(f"uniform {t} {n};  // {doc}\n" for n, (t, doc) in BUILTINS.items())


def declared_uniforms(src: Source) -> dict[str, str]:
    """{name: type} of every `uniform` declared in the resolved body text."""
    out = {}
    text = re.sub(r"//[^\n]*|/\*.*?\*/", "", src.text, flags=re.S)
    for m in _UNIFORM.finditer(text):
        depth, part, parts = 0, "", []
        for ch in m.group(3):  # split on commas outside brackets/parentheses (initialisers, arrays)
            if ch in "([":
                depth += 1
            elif ch in ")]":
                depth -= 1
            if ch == "," and depth == 0:
                parts.append(part)
                part = ""
            else:
                part += ch
        parts.append(part)
        for decl in parts:
            name = _DECL_NAME.match(decl)
            if name:
                out[name.group(1)] = m.group(2)
    return out


def body(p: Pass) -> Source:
    return read_body(p.shader)


VERTEX_FULLSCREEN = """#version 330 core
// One triangle covering the viewport, from gl_VertexID alone (no vertex buffers).
void main() {
    vec2 p = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
    gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}
"""


def vertex_source() -> Source:
    src = Source()
    src.text = VERTEX_FULLSCREEN
    return src


def entry_source(p: Pass, backend: str, extra_defines: dict | None = None) -> Source:
    """The complete program text for `p` on `backend` ("fragment" or "compute")."""
    gen = f"<generated:{p.name}:{backend}>"
    defines = dict(p.defines)
    defines.update(extra_defines or {})
    src = Source()
    if backend == "fragment":
        src.text = "#version 330 core\n"
        outs = "".join(f"layout(location = {i}) out vec4 o_{w};\n" for i, w in enumerate(p.writes))
    else:
        src.text = f"#version 430\nlayout(local_size_x = {LOCAL_SIZE[0]}, local_size_y = {LOCAL_SIZE[1]}) in;\n"
        outs = "".join(f"vec4 o_{w};\nlayout(rgba32f) uniform writeonly image2D i_{w};\n" for w in p.writes)
    # A for_each pass's generic names (see Pass.for_each): sampler and output of the i-th field.
    outs += "".join(f"uniform sampler2D t_{f};\n#define t_each{i} t_{f}\n#define o_each{i} o_{f}\n"
                    for i, f in enumerate(p.each))
    src.add(gen, defines_block(defines) + builtins_block() + outs)
    src.include(p.shader)
    if backend == "fragment":
        main = "void main() {\n    pass_main(ivec2(gl_FragCoord.xy));\n}\n"
    else:
        stores = "".join(f"    imageStore(i_{w}, cell, o_{w});\n" for w in p.writes)
        main = ("void main() {\n    ivec2 cell = ivec2(gl_GlobalInvocationID.xy);\n"
                "    if (cell.x >= u_grid.x || cell.y >= u_grid.y) return;\n"
                f"    pass_main(cell);\n{stores}}}\n")
    src.add(gen, main, first_line=1000)
    return src

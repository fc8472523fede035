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
    """A pass of a stage: `name` is short ("weather"); the stage qualifies it ("climate.weather") and
    derives its shader path from it ("climate/weather.glsl") unless `shader` names another file
    (relative to shaders/, e.g. two passes sharing one body with different defines). reads/writes
    are field names; defines become #defines; `scalars` names planet-wide scalars (Stage.scalars of
    any stage) that the body reads as `scalar_<name>()`: their values at the end of the previous tick."""

    name: str
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    shader: str = ""
    defines: tuple[tuple[str, object], ...] = field(default=())
    # Fields (or planet-wide scalars) read only when some stage of the scene declares them (e.g.
    # erosion reads climate's precipitation once a climate stage exists). See resolve().
    optional: tuple[str, ...] = field(default=())
    # A template: for_each="carried" applies the body to every carried field of the scene (Field.carried,
    # whichever stage owns it), e.g. tectonics moving all crust state with the plates. resolve() puts
    # those fields in `each` and adds them to reads and writes; the body addresses field i (i <
    # EACH_COUNT) as each<i>_at(cell) / o_each<i>, which the generated prelude #defines to
    # <field>_at / o_<field>. The pass keeps its name: one program writes them all (MRT, at most 8).
    for_each: str = field(default="")
    each: tuple[str, ...] = field(default=())
    # Runs per use in a schedule: an int, or a function (W, H) -> int of the grid, evaluated when the
    # pipeline is built (e.g. ceil(log4(W*H)) runs of pointer jumping). Each run reads what the last
    # one wrote (ping-pong), so a repeated pass iterates within one tick.
    repeat: object = field(default=1)
    scalars: tuple[str, ...] = field(default=())
    # Convergence stop of a repeated pass: the name of a GLSL function `bool <until>(ivec2 cell)` in its
    # body, true where the cell is done. Contract: a done cell stays done and the body writes its
    # fields back unchanged there, so once every cell is done the fields are a fixed point and stopping
    # gives the same bits as all `repeat` runs; the pipeline counts the done cells before the first
    # run and after each (an occlusion query over a check pass, planet/pipeline.py), stops when all
    # are; each check skips the cells found done before, and on the fragment backend each run skips the
    # cells done so far (it writes into a copy of the current state, or see redraw_done). "" = always the
    # full count.
    # With quiet= as well (below), the mask's quiet cells are done from the start: until holds there
    # on the state the pass starts from (a contract, as pass_quiet's), so while the mask is current
    # the fragment backend marks them done from its depth buffer instead of checking them.
    until: str = field(default="")
    # With until=, on the fragment backend: each run after the first writes over the state before the
    # current one (which holds the cells done before the last check, unchanged since) and draws the cells
    # the last check found done as well (the body writes them back unchanged: the contract above), instead
    # of copying the whole current state first. Cheaper where a done cell's body is cheap and the copy
    # large: erosion.contract (a done cell fetches its own texels only; the copy is 32 bytes a cell,
    # ~1.2 ms CPU at 1024x512 on llvmpipe); about even for erosion.jump, whose done cells fetch two
    # texels (themselves and their root), so it copies (measured, issue 16). Same bits.
    redraw_done: bool = field(default=False)
    # A gate: a function (the stage's u_* uniforms of this tick, a dict) -> bool; the pipeline runs the pass
    # only where it is true and leaves its fields standing otherwise. For work done once in a run (life's
    # seeding): inside a body a branch that no cell takes still costs its full work on llvmpipe, whose
    # SIMD code runs both sides of a branch under a mask. It must be a superset of the ticks in which
    # the body would change anything (the body may keep its own exact test); None = every use.
    when: object = field(default=None)
    # Quiet cells (issue 16): on llvmpipe every branch of a body costs its full work in each SIMD group,
    # taken or not, so a cell whose outputs are simple (a sea cell of a land-only process) costs what the
    # busiest one does. A mask pass (mask=True) writes no field: its body defines `bool pass_mask(ivec2
    # cell)`, true on the quiet cells, and the fragment backend draws it into a depth buffer of its own.
    # A pass with quiet="<short name of a mask pass of its stage>" runs there, while that mask is current
    # (none of the fields it read has changed since it was drawn, nor its uniforms, nor the programs: a
    # reload), `pass_main` on the other cells and `void pass_quiet(ivec2 cell)` of its body on the quiet
    # ones (two draws, split by the early depth test). Contract: on every quiet cell pass_quiet writes
    # exactly what pass_main would, so the fields are bit for bit those of pass_main everywhere, which the
    # compute backend runs (on a GPU a branch no lane takes is free) and the fragment backend too where
    # the mask is not current. "Would" may lean on what the passes before it in its schedule wrote (the
    # sea's roots after erosion.receivers, life's sea mark after life.react_in): run out of that order
    # (Simulation.run_passes after a write) the two can differ.
    # A convergence pass (until=) has no pass_quiet: its quiet cells are done before the first run.
    # Mask passes of one body, defines and reads (the stages' sea masks) drawn from the same state share
    # one depth buffer: the later borrows the earlier's instead of drawing (Pipeline._draw_mask).
    mask: bool = field(default=False)
    quiet: str = field(default="")

    def qualified(self, stage: str) -> "Pass":
        """This pass as stage `stage` declares it: the name prefixed with the stage, the shader path
        shaders/<stage>/<short name>.glsl unless given."""
        if "." in self.name:  # already qualified (e.g. a pass shared between test stages)
            if not self.shader:
                raise PipelineError(f"stage {stage}: pass {self.name!r} has a qualified name, so it needs shader=")
            return self
        if not self.name.isidentifier():
            raise PipelineError(f"stage {stage}: pass name {self.name!r} must be a short identifier like 'weather'")
        quiet = f"{stage}.{self.quiet}" if self.quiet and "." not in self.quiet else self.quiet
        return replace(self, name=f"{stage}.{self.name}", shader=self.shader or f"{stage}/{self.name}.glsl", quiet=quiet)

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

    def resolve(self, present, carried=(), scalars=frozenset()) -> "Pass":
        """This pass for a scene whose fields are `present` (`carried`: those with Field.carried, in
        scene order; `scalars`: the names of its planet-wide scalars): each optional field that exists
        joins `reads`, each optional scalar that exists joins `scalars`, and HAVE_<NAME> is #defined 1
        or 0 so the body picks its branch at compile time; a for_each pass gets its fields (above)."""
        p = self
        if p.optional:
            defines = dict(p.defines)
            defines.update({f"HAVE_{f.upper()}": int(f in present or f in scalars) for f in p.optional})
            reads = p.reads + tuple(f for f in p.optional if f in present and f not in p.reads)
            used = p.scalars + tuple(f for f in p.optional if f in scalars and f not in present and f not in p.scalars)
            p = replace(p, reads=reads, scalars=used, optional=(), defines=tuple(sorted(defines.items())))
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


# A body must not declare field samplers nor read a texel by letter: fields are read through the
# generated accessors (<field>_at/_near/_sample) and written as structs (planet/fields.py).
_RAW = re.compile(r"\buniform\s+i?sampler2D\s+(t_\w+)|\b(o_\w+)\s*=\s*(?:i?vec4|texelFetch)\s*\(")


def check_body(p: Pass) -> None:
    """PipelineError naming the pass and file when its body reads or writes a field's raw texels."""
    m = _RAW.search(re.sub(r"//[^\n]*|/\*.*?\*/", "", body(p).text, flags=re.S))
    if m:
        what = f"declares its own sampler {m.group(1)}" if m.group(1) else f"assigns {m.group(2)} a raw vec4"
        raise PipelineError(f"pass {p.name} (shaders/{p.shader}): {what}; read fields through the generated "
                            "<field>_at/_near/_sample accessors and write o_<field> as its struct")


def fields_block(specs, reads) -> str:
    """GLSL for the fields in `specs` (Field objects): structs, pack/unpack, and the sampler and
    accessors of those in `reads` (planet.fields.Field.glsl_block)."""
    return "".join(f.glsl_block(sampled=f.name in reads) for f in specs)


def scalars_block(names, index: dict) -> str:
    """The planet-wide scalars a pass reads: texel (k, 0) of t_scalars holds scalar k's value in .x."""
    if not names:
        return ""
    out = "uniform sampler2D t_scalars;  // planet-wide scalars (planet/reduce.py): x = value\n"
    for n in names:
        out += f"float scalar_{n}() {{ return texelFetch(t_scalars, ivec2({index[n]}, 0), 0).x; }}\n"
    return out


def entry_source(p: Pass, backend: str, specs: dict, scalar_index: dict | None = None,
                 entry: str = "pass_main") -> Source:
    """The complete program text for `p` on `backend` ("fragment" or "compute"). `specs`: {field name:
    Field} of (at least) the fields the pass touches; `scalar_index`: {scalar name: texel column};
    `entry`: the body's function run at each cell (pass_quiet: the quiet cells' program of a pass with
    Pass.quiet, fragment only). A mask pass (Pass.mask) has one fragment program: it discards every cell
    where pass_mask(cell) is false and writes no colour (drawn into a depth buffer alone, whose depth
    marks the quiet cells)."""
    if (p.mask or entry != "pass_main") and backend != "fragment":
        raise PipelineError(f"pass {p.name}: {'a mask pass' if p.mask else entry} has only a fragment program")
    gen = f"<generated:{p.name}:{backend}{'' if entry == 'pass_main' else ':' + entry}>"
    defines = dict(p.defines)
    check_body(p)
    src = Source()
    if backend == "fragment":
        src.text = "#version 330 core\n"
    else:
        src.text = f"#version 430\nlayout(local_size_x = {LOCAL_SIZE[0]}, local_size_y = {LOCAL_SIZE[1]}) in;\n"
    src.add(gen, defines_block(defines) + builtins_block())
    src.include("common/grid.glsl")
    touched = list(dict.fromkeys((*p.reads, *p.writes)))
    text = fields_block([specs[f] for f in touched], p.reads) + scalars_block(p.scalars, scalar_index or {})
    for i, w in enumerate(p.writes):
        f = specs[w]
        text += f"{f.struct} o_{w};\n"
        if backend == "fragment":
            text += f"layout(location = {i}) out {f.vec4} o_{w}_out;\n"
        else:
            # Image units bound in the shader: moderngl cannot set iimage2D uniforms by value.
            text += f"layout(binding = {i}, {f.image_format}) uniform writeonly {f.image} i_{w};\n"
    text += "".join(f"#define o_each{i} o_{f}\n#define each{i}_at {f}_at\n" for i, f in enumerate(p.each))
    src.add(gen + ":fields", text)
    src.include(p.shader)
    if p.mask:
        main = "void main() {\n    if (!pass_mask(ivec2(gl_FragCoord.xy))) discard;\n}\n"
    elif backend == "fragment":
        stores = "".join(f"    o_{w}_out = pack(o_{w});\n" for w in p.writes)
        main = f"void main() {{\n    {entry}(ivec2(gl_FragCoord.xy));\n{stores}}}\n"
    else:
        stores = "".join(f"    imageStore(i_{w}, cell, pack(o_{w}));\n" for w in p.writes)
        main = ("void main() {\n    ivec2 cell = ivec2(gl_GlobalInvocationID.xy);\n"
                "    if (cell.x >= u_grid.x || cell.y >= u_grid.y) return;\n"
                f"    pass_main(cell);\n{stores}}}\n")
    src.add(gen, main, first_line=1000)
    return src


def check_source(p: Pass, specs: dict, scalar_index: dict | None = None) -> Source:
    """The fragment program of `p`'s convergence check (Pass.until): the pass body with its reads, and a
    main that discards every cell where `<until>(cell)` is false and writes no colour, so an occlusion
    query over one draw counts the done cells, and the depth buffer (alone in its framebuffer) marks
    them (the pipeline draws it at a depth of its choice; no gl_FragDepth, so that the depth test runs
    early and skips cells marked before). The same on both backends (GL 4.3 has fragment shaders too)."""
    if not p.until.isidentifier():
        raise PipelineError(f"pass {p.name}: until={p.until!r} must name a GLSL function bool {p.until}(ivec2 cell)")
    gen = f"<generated:{p.name}:check>"
    check_body(p)
    src = Source()
    src.text = "#version 330 core\n"
    src.add(gen, defines_block(dict(p.defines)) + builtins_block())
    src.include("common/grid.glsl")
    touched = list(dict.fromkeys((*p.reads, *p.writes)))
    text = fields_block([specs[f] for f in touched], p.reads) + scalars_block(p.scalars, scalar_index or {})
    text += "".join(f"{specs[w].struct} o_{w};\n" for w in p.writes)
    text += "".join(f"#define o_each{i} o_{f}\n#define each{i}_at {f}_at\n" for i, f in enumerate(p.each))
    src.add(gen + ":fields", text)
    src.include(p.shader)
    src.add(gen, f"void main() {{\n    if (!{p.until}(ivec2(gl_FragCoord.xy))) discard;\n}}\n",
            first_line=1000)
    return src

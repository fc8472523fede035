"""Planet-wide scalars: GPU tree reductions of fields to area-weighted sums, means, minima and maxima.

A stage declares its scalars (`Stage.scalars`):

    Scalar("global_temperature", "°C", "area-weighted mean surface air temperature",
           source="atmosphere.temperature", op="mean")
    Scalar("population", "people", "people on the planet", op="sum", shader="people/census.glsl",
           reads=("people", "terrain"))   # defines vec2 reduce_input_population(ivec2 cell, float area)

A `source` scalar reduces one channel (times `scale`) weighted by cell area [km²]; a `shader` scalar
returns its own (value, weight) per cell, given the cell's area [km²] (computed once a row). The
scalars that read the same fields share one chain of passes (MRT, up to 8): the first level folds
4 x 4 cells per texel, each further level 4 x 4 texels, down to 1 x 1 (ceil(log4 max(W, H)) levels,
two a pass), and the last pass writes each scalar's value into texel (k, 0) of one small `scalars`
texture (shaders/common/reduce.glsl). Passes read them as `scalar_<name>()` (Pass.scalars): the
values at the end of the previous tick, with no CPU round trip. `Simulation.scalar(name)` reads one
back. A chain is reduced only when its fields changed and someone needs it: after every tick the
chains of the scalars passes read, the others when asked for (Reducer.mark / due; Simulation keeps
the books). Each scalar's sums run in the same order whichever chain holds it and whenever it is
reduced, so the values are the same bits either way.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import PipelineError
from .fields import flush_tiny
from .passes import LOCAL_SIZE, builtins_block, fields_block, vertex_source
from .shaderlib import Source, compile_program

OPS = ("sum", "mean", "min", "max")
MRT = 8  # scalars per chain


@dataclass(frozen=True)
class Scalar:
    name: str
    unit: str
    doc: str
    source: str = ""              # "field.channel"
    op: str = "mean"
    scale: float = 1.0            # source scalars: value = channel x scale
    shader: str = ""              # or: shaders/<file> defining vec2 reduce_input_<name>(ivec2 cell, float area)
    #                               -> (v, w); area = cell_area_km2(cell.y) [km²]
    reads: tuple[str, ...] = ()   # fields the shader reads

    def __post_init__(self):
        where = f"scalar '{self.name}'"
        if not self.name.isidentifier():
            raise PipelineError(f"{where}: the name must be an identifier")
        if self.op not in OPS:
            raise PipelineError(f"{where}: op {self.op!r}; valid: {', '.join(OPS)}")
        if bool(self.source) == bool(self.shader):
            raise PipelineError(f"{where}: give either source='field.channel' or shader='file.glsl'")
        if self.source and (self.source.count(".") != 1 or self.reads):
            raise PipelineError(f"{where}: source must be 'field.channel' (and reads is for shader scalars)")

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.source.split(".")[0],) if self.source else self.reads


def check_scalars(scalars, specs: dict) -> None:
    """Every scalar's fields and channel exist (names checked before any GL object is made)."""
    seen = set()
    for s in scalars:
        if s.name in seen:
            raise PipelineError(f"scalar '{s.name}' is declared twice")
        seen.add(s.name)
        for f in s.fields:
            if f not in specs:
                raise PipelineError(f"scalar '{s.name}': unknown field '{f}'; fields: {', '.join(sorted(specs))}")
        if s.source:
            field, ch = s.source.split(".")
            if ch not in specs[field].channel_names:
                raise PipelineError(f"scalar '{s.name}': field '{field}' has no channel '{ch}'; channels: "
                                    f"{', '.join(specs[field].channel_names)}")


def levels(grid: tuple[int, int]) -> list[tuple[int, int]]:
    """Sizes of the reduction levels for a grid: each 4 x 4 times smaller, down to 1 x 1."""
    w, h = grid
    out = []
    while True:
        w, h = -(-w // 4), -(-h // 4)
        out.append((w, h))
        if (w, h) == (1, 1):
            return out


def spans(n_levels: int) -> list[tuple[int, int]]:
    """The levels each pass of a chain computes, (first, last) inclusive: two a pass (a texel folds
    4 x 4 texels of the level below, each folded from 4 x 4 of its own: 16 x 16 inputs), so a chain
    takes ceil(levels / 2) passes; the last one also finishes."""
    return [(a, min(a + 1, n_levels - 1)) for a in range(0, n_levels, 2)]


def chains_of(scalars) -> list[tuple]:
    """Scalars grouped into chains by the fields they read (declaration order; at most MRT a chain), so
    a chain is reduced only when one of its own fields changed (Reducer.mark)."""
    by_fields: dict[frozenset, list] = {}
    for s in scalars:
        by_fields.setdefault(frozenset(s.fields), []).append(s)
    return [tuple(group[i:i + MRT]) for group in by_fields.values() for i in range(0, len(group), MRT)]


class Reducer:
    """The GL objects of every scalar of a scene: level textures, programs, the scalars texture.

    Which chains are current: `stale` holds the chains whose fields changed since they were last
    reduced (mark); due() picks the stale ones a reader needs: the chains of the scalars passes read
    (`eager`, kept current after every tick: Simulation), or those of the scalars asked for. run()
    reduces the scalars of the chains it is given together, up to MRT a pass (a batch: its programs
    and level textures are made at its first use and kept). A scalar's value is a function of its
    fields alone, so reducing it later, or in another batch, gives the same bits."""

    def __init__(self, ctx, scalars, specs: dict, grid: tuple[int, int], backend: str, cache, eager=()):
        import moderngl

        self._moderngl = moderngl
        self.ctx, self.backend, self.grid, self.cache = ctx, backend, grid, cache
        self.scalars = tuple(scalars)
        check_scalars(self.scalars, specs)
        self.specs = specs
        self.index = {s.name: k for k, s in enumerate(self.scalars)}
        self.sizes = levels(grid)
        self.spans = spans(len(self.sizes))
        self.chains = chains_of(self.scalars)
        self.eager = frozenset(eager)
        self.stale = set(range(len(self.chains)))
        self.last: list[int] = []   # scalar rows (index) the last run() reduced
        self._textures: dict[tuple, dict] = {}   # per batch: {level a pass writes but the last: [texture per scalar]}
        self._fbos, self._vaos = [], {}
        self.texture = ctx.texture((max(len(self.scalars), 1), 1), 4, dtype="f4")
        self.texture.filter = (moderngl.NEAREST, moderngl.NEAREST)
        self.texture.write(np.zeros((1, max(len(self.scalars), 1), 4), np.float32).tobytes())

    # -- which chains ------------------------------------------------------------------------------
    def mark(self, fields=None) -> None:
        """The chains reading any of `fields` (every chain when None) are stale: their fields changed."""
        for c, chain in enumerate(self.chains):
            if fields is None or any(f in fields for s in chain for f in s.fields):
                self.stale.add(c)

    def due(self, names=None, eager: bool = False) -> list[int]:
        """The stale chains holding one of `names`, or, with eager=True, those holding a scalar that
        passes read; names=None: every chain once any is stale (the full reduction, whose programs
        build() made: an arbitrary stale subset would be a new batch to compile mid-run, ~0.2 s on a
        CPU rasterizer; reducing a current chain again gives the same bits)."""
        if names is None and not eager:
            return list(range(len(self.chains))) if self.stale else []
        want = self.eager if eager else set(names)
        return [c for c in sorted(self.stale) if any(s.name in want for s in self.chains[c])]

    # -- programs ---------------------------------------------------------------------------------
    def batches(self, chains=None) -> list[tuple]:
        """The scalars of `chains` (indices; None: all), in chain order, up to MRT a batch."""
        chosen = [s for c in (range(len(self.chains)) if chains is None else chains) for s in self.chains[c]]
        return [tuple(chosen[i:i + MRT]) for i in range(0, len(chosen), MRT)]

    def _program(self, chain: tuple, p: int):
        """Pass `p` of the batch `chain` (Scalars): levels spans[p] (the first reads the fields; the last
        finishes)."""
        first, last = self.spans[p]
        finish = p == len(self.spans) - 1
        key = ("reduce", self.backend, tuple(self.sizes), p, chain)
        n = len(chain)
        accs = ", ".join(f"a{k}" for k in range(n))

        def level_function(level: int) -> str:
            """void reduce_level<level>(ivec2 t, out vec4 a0, ...): the accumulators of texel t of that
            level, from the 4 x 4 block below it (cells, the level textures read, or the level below
            computed here), flushed as a stored level is."""
            iw, ih = self.grid if level == 0 else self.sizes[level - 1]
            outs = ", ".join(f"out vec4 a{k}" for k in range(n))
            text = f"void reduce_level{level}(ivec2 t, {outs}) {{\n"
            text += "".join(f"    a{k} = reduce_empty();\n" for k in range(n))
            if level == 0:   # the same order; the cell area once a row (a source scalar's weight)
                text += ("    for (int dy = 0; dy < 4; ++dy) {\n"
                         "        int y = 4 * t.y + dy;\n"
                         f"        if (y >= {ih}) continue;\n"
                         "        float area = cell_area_km2(y);\n"
                         "        for (int dx = 0; dx < 4; ++dx) {\n"
                         "            ivec2 c = ivec2(4 * t.x + dx, y);\n"
                         f"            if (c.x >= {iw}) continue;\n")
                text += "".join(f"            a{k} = reduce_value(a{k}, reduce_input_{s.name}(c, area));\n"
                                for k, s in enumerate(chain))
                text += "        }\n"
            else:
                text += ("    for (int dy = 0; dy < 4; ++dy) for (int dx = 0; dx < 4; ++dx) {\n"
                         "        ivec2 c = 4 * t + ivec2(dx, dy);\n"
                         f"        if (c.x >= {iw} || c.y >= {ih}) continue;\n")
                if level == first:
                    text += "".join(f"        a{k} = reduce_merge(a{k}, texelFetch(t_level{k}, c, 0));\n"
                                    for k in range(n))
                else:
                    text += "".join(f"        vec4 b{k};\n" for k in range(n))
                    text += f"        reduce_level{level - 1}(c, {', '.join(f'b{k}' for k in range(n))});\n"
                    text += "".join(f"        a{k} = reduce_merge(a{k}, b{k});\n" for k in range(n))
            text += "    }\n"
            # flushed below 2^-100 like all float state (common/math.glsl ftz)
            text += "".join(f"    a{k} = ftz(a{k});\n" for k in range(n))
            return text + "}\n"

        def make():
            gen = f"<generated:reduce:{chain[0].name}+{len(chain) - 1}:{p}>"
            src = Source()
            if self.backend == "fragment":
                src.text = "#version 330 core\n"
            else:
                src.text = f"#version 430\nlayout(local_size_x = {LOCAL_SIZE[0]}, local_size_y = {LOCAL_SIZE[1]}) in;\n"
            src.add(gen, builtins_block())
            src.include("common/grid.glsl")
            src.include("common/reduce.glsl")
            text = ""
            if first == 0:
                names = list(dict.fromkeys(f for s in chain for f in s.fields))
                text += fields_block([self.specs[f] for f in names], names)
                for s in chain:
                    if s.source:
                        field, ch = s.source.split(".")
                        text += (f"vec2 reduce_input_{s.name}(ivec2 c, float area) {{ return vec2(float({field}_at(c).{ch}) "
                                 f"* {float(s.scale)!r}, area); }}  // area = cell_area_km2(c.y)\n")
                src.add(gen + ":inputs", text)
                text = ""
                for s in chain:
                    if s.shader:
                        src.include(s.shader)
            else:
                text += "".join(f"uniform sampler2D t_level{k};\n" for k in range(n))
            if finish:
                text += ("layout(location = 0) out vec4 o_scalar;\n" if self.backend == "fragment"
                         else "layout(rgba32f) uniform writeonly image2D i_scalars;\n")
            elif self.backend == "fragment":
                text += "".join(f"layout(location = {k}) out vec4 o_level{k};\n" for k in range(n))
            else:
                text += "".join(f"layout(rgba32f) uniform writeonly image2D i_level{k};\n" for k in range(n))
            text += "".join(level_function(level) for level in range(first, last + 1))
            ops = {op: i for i, op in enumerate(OPS)}
            body = "".join(f"    vec4 a{k};\n" for k in range(n))
            if finish:
                cols = [self.index[s.name] for s in chain]
                if self.backend == "fragment":   # one fragment per scalar texel; the others of the span are left
                    body += f"    reduce_level{last}(ivec2(0), {accs});\n    int col = int(gl_FragCoord.x);\n"
                    body += "    " + "".join(f"if (col == {col}) o_scalar = ftz(reduce_finish(a{k}, {ops[s.op]}));\n"
                                             "    else " for k, (col, s) in enumerate(zip(cols, chain, strict=True)))
                    body += "discard;\n"
                else:
                    body += "    if (gl_GlobalInvocationID.xy != uvec2(0)) return;\n"
                    body += f"    reduce_level{last}(ivec2(0), {accs});\n"
                    body += "".join(f"    imageStore(i_scalars, ivec2({col}, 0), ftz(reduce_finish(a{k}, {ops[s.op]})));\n"
                                    for k, (col, s) in enumerate(zip(cols, chain, strict=True)))
            else:
                ow, oh = self.sizes[last]
                if self.backend == "fragment":
                    body += "    ivec2 t = ivec2(gl_FragCoord.xy);\n"
                else:
                    body += "    ivec2 t = ivec2(gl_GlobalInvocationID.xy);\n"
                    body += f"    if (t.x >= {ow} || t.y >= {oh}) return;\n"
                body += f"    reduce_level{last}(t, {accs});\n"
                body += "".join(f"    o_level{k} = a{k};\n" if self.backend == "fragment"
                                else f"    imageStore(i_level{k}, t, a{k});\n" for k in range(n))
            src.add(gen, text + f"void main() {{\n{body}}}\n", first_line=1000)
            what = f"reduction {', '.join(s.name for s in chain)} levels {first}-{last}"
            if self.backend == "compute":
                return compile_program(self.ctx, what, compute=src)
            return compile_program(self.ctx, what, vertex=vertex_source(), fragment=src)

        return self.cache.get(key, make)

    def build(self) -> None:
        """Compile the programs of a reduction of every chain (other batches compile at first use)."""
        for chain in self.batches():
            for p in range(len(self.spans)):
                self._program(chain, p)

    def dispatches(self) -> int:
        """Passes (and programs) of a reduction of every chain."""
        return len(self.batches()) * len(self.spans)

    def _levels(self, chain: tuple) -> dict:
        """{level: [texture per scalar]} of a batch: the levels its passes hand on (made at first use)."""
        texs = self._textures.get(chain)
        if texs is None:
            texs = self._textures[chain] = {}
            for _, last in self.spans[:-1]:
                texs[last] = [self.ctx.texture(self.sizes[last], 4, dtype="f4") for _ in chain]
                for t in texs[last]:
                    t.filter = (self._moderngl.NEAREST, self._moderngl.NEAREST)
        return texs

    # -- running ----------------------------------------------------------------------------------
    def run(self, fields: dict, builtins: dict, chains=None) -> None:
        """Reduce the current fields of `chains` (indices; None: every chain) into the scalars texture."""
        chains = list(range(len(self.chains)) if chains is None else chains)
        self.last = []
        for chain in self.batches(chains):
            textures = self._levels(chain)
            for p, (first, last) in enumerate(self.spans):
                prog = self._program(chain, p)
                for name, value in builtins.items():
                    u = prog.get(name, None)
                    if u is not None:
                        u.value = value
                if first == 0:
                    for unit, f in enumerate(dict.fromkeys(f for s in chain for f in s.fields)):
                        fields[f].front.use(location=unit)
                        prog[f"t_{f}"].value = unit
                else:
                    for k, tex in enumerate(textures[first - 1]):
                        tex.use(location=k)
                        prog[f"t_level{k}"].value = k
                finish = p == len(self.spans) - 1
                if self.backend == "compute":
                    if finish:
                        self.texture.bind_to_image(0, read=False, write=True)
                        prog["i_scalars"].value = 0
                        prog.run(1, 1, 1)
                    else:
                        for k, tex in enumerate(textures[last]):
                            tex.bind_to_image(k, read=False, write=True)
                            prog[f"i_level{k}"].value = k
                        ow, oh = self.sizes[last]
                        prog.run(-(-ow // LOCAL_SIZE[0]), -(-oh // LOCAL_SIZE[1]), 1)
                    self.ctx.memory_barrier()
                else:
                    outs = [self.texture] if finish else textures[last]
                    fbo = self._fbo(outs)
                    fbo.use()
                    if finish:
                        cols = [self.index[s.name] for s in chain]
                        self.ctx.viewport = (min(cols), 0, max(cols) - min(cols) + 1, 1)
                    else:
                        self.ctx.viewport = (0, 0, *self.sizes[last])
                    vao = self._vaos.get(prog.glo)
                    if vao is None:
                        vao = self._vaos[prog.glo] = self.ctx.vertex_array(prog, [])
                    vao.render(vertices=3)
            self.last += [self.index[s.name] for s in chain]
        self.stale.difference_update(chains)

    def _fbo(self, outs):
        key = tuple(t.glo for t in outs)
        for k, fbo in self._fbos:
            if k == key:
                return fbo
        fbo = self.ctx.framebuffer(color_attachments=list(outs))
        self._fbos.append((key, fbo))
        return fbo

    def values(self) -> np.ndarray:
        """(n, 4) float32: per scalar (value, sum of w v, sum of w, 0)."""
        n = len(self.scalars)
        return np.frombuffer(self.texture.read(), dtype=np.float32).reshape(-1, 4)[:n].copy()

    def write(self, values: np.ndarray) -> None:
        """Set every scalar (n, 4) (a checkpoint's, or zeros at a reset): none is stale after it."""
        arr = np.zeros((1, max(len(self.scalars), 1), 4), np.float32)
        arr[0, :len(self.scalars)] = np.asarray(values, np.float32).reshape(-1, 4)
        flush_tiny(arr)  # as every float state (planet/fields.py)
        self.texture.write(arr.tobytes())
        self.stale.clear()

    def release(self) -> None:
        from . import gl

        gl.release_framebuffers(self.ctx, [f for _, f in self._fbos])
        self._fbos.clear()
        for vao in self._vaos.values():
            vao.release()
        self._vaos.clear()
        for per_level in self._textures.values():
            for texs in per_level.values():
                for t in texs:
                    t.release()
        self._textures.clear()
        self.texture.release()

"""Planet-wide scalars: GPU tree reductions of fields to area-weighted sums, means, minima and maxima.

A stage declares its scalars (`Stage.scalars`):

    Scalar("global_temperature", "°C", "area-weighted mean surface air temperature",
           source="atmosphere.temperature", op="mean")
    Scalar("population", "people", "people on the planet", op="sum", shader="people/census.glsl",
           reads=("people", "terrain"))   # the file defines vec2 reduce_input_population(ivec2 cell)

A `source` scalar reduces one channel (times `scale`) weighted by cell area [km²]; a `shader` scalar
returns its own (value, weight) per cell. Up to 8 scalars share one chain of passes (MRT): the first
level folds 4 x 4 cells per texel, each further level 4 x 4 texels, down to 1 x 1 (ceil(log4 max(W, H))
passes), and a finishing pass writes each scalar's value into texel (k, 0) of one small `scalars`
texture (shaders/common/reduce.glsl). Passes read them as `scalar_<name>()` (Pass.scalars): the values
at the end of the previous tick, with no CPU round trip. `Simulation.scalar(name)` reads one back.
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
    shader: str = ""              # or: shaders/<file> defining vec2 reduce_input_<name>(ivec2 cell) -> (v, w)
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


class Reducer:
    """The GL objects of every scalar of a scene: level textures, programs, the scalars texture."""

    def __init__(self, ctx, scalars, specs: dict, grid: tuple[int, int], backend: str, cache):
        import moderngl

        self.ctx, self.backend, self.grid, self.cache = ctx, backend, grid, cache
        self.scalars = tuple(scalars)
        check_scalars(self.scalars, specs)
        self.specs = specs
        self.index = {s.name: k for k, s in enumerate(self.scalars)}
        self.sizes = levels(grid)
        self.chains = [self.scalars[i:i + MRT] for i in range(0, len(self.scalars), MRT)]
        self.textures = []   # per chain: per level: [texture per scalar]
        self._fbos, self._vaos = [], {}
        for chain in self.chains:
            per_level = []
            for size in self.sizes:
                texs = [ctx.texture(size, 4, dtype="f4") for _ in chain]
                for t in texs:
                    t.filter = (moderngl.NEAREST, moderngl.NEAREST)
                per_level.append(texs)
            self.textures.append(per_level)
        self.texture = ctx.texture((max(len(self.scalars), 1), 1), 4, dtype="f4")
        self.texture.filter = (moderngl.NEAREST, moderngl.NEAREST)
        self.texture.write(np.zeros((1, max(len(self.scalars), 1), 4), np.float32).tobytes())

    # -- programs ---------------------------------------------------------------------------------
    def _program(self, c: int, level: int):
        """Level `level` of chain `c` (0 reads the fields; len(sizes) is the finishing pass)."""
        chain = self.chains[c]
        key = ("reduce", self.backend, c, level, tuple(chain))

        def make():
            gen = f"<generated:reduce:{c}:{level}>"
            src = Source()
            if self.backend == "fragment":
                src.text = "#version 330 core\n"
            else:
                src.text = f"#version 430\nlayout(local_size_x = {LOCAL_SIZE[0]}, local_size_y = {LOCAL_SIZE[1]}) in;\n"
            src.add(gen, builtins_block())
            src.include("common/grid.glsl")
            src.include("common/reduce.glsl")
            finish = level == len(self.sizes)
            text = ""
            if level == 0:
                names = list(dict.fromkeys(f for s in chain for f in s.fields))
                text += fields_block([self.specs[f] for f in names], names)
                for s in chain:
                    if s.source:
                        field, ch = s.source.split(".")
                        text += (f"vec2 reduce_input_{s.name}(ivec2 c) {{ return vec2(float({field}_at(c).{ch}) * "
                                 f"{float(s.scale)!r}, cell_area_km2(c.y)); }}\n")
                src.add(gen + ":inputs", text)
                text = ""
                for s in chain:
                    if s.shader:
                        src.include(s.shader)
            else:
                text += "".join(f"uniform sampler2D t_level{k};\n" for k in range(len(chain)))
            if finish:
                text += ("layout(location = 0) out vec4 o_scalar;\n" if self.backend == "fragment"
                         else "layout(rgba32f) uniform writeonly image2D i_scalars;\n")
                text += "uniform int u_base;  // texel of the chain's first scalar\n"
            elif self.backend == "fragment":
                text += "".join(f"layout(location = {k}) out vec4 o_level{k};\n" for k in range(len(chain)))
            else:
                text += "".join(f"layout(rgba32f) uniform writeonly image2D i_level{k};\n" for k in range(len(chain)))
            ops = {op: i for i, op in enumerate(("sum", "mean", "min", "max"))}
            if finish:
                if self.backend == "fragment":
                    body = "    int k = int(gl_FragCoord.x) - u_base;\n"
                    body += "".join(f"    if (k == {k}) o_scalar = ftz(reduce_finish(texelFetch(t_level{k}, ivec2(0), 0), "
                                    f"{ops[s.op]}));\n" for k, s in enumerate(chain))
                else:
                    body = "".join(f"    imageStore(i_scalars, ivec2(u_base + {k}, 0), ftz(reduce_finish(texelFetch("
                                   f"t_level{k}, ivec2(0), 0), {ops[s.op]})));\n" for k, s in enumerate(chain))
                main = f"void main() {{\n{body}}}\n"
            else:
                texel = "ivec2(gl_FragCoord.xy)" if self.backend == "fragment" else "ivec2(gl_GlobalInvocationID.xy)"
                out_size = self.sizes[level]
                body = f"    ivec2 t = {texel};\n"
                if self.backend == "compute":
                    body += f"    if (t.x >= {out_size[0]} || t.y >= {out_size[1]}) return;\n"
                body += "".join(f"    vec4 a{k} = reduce_empty();\n" for k in range(len(chain)))
                body += ("    for (int dy = 0; dy < 4; ++dy) for (int dx = 0; dx < 4; ++dx) {\n"
                         "        ivec2 c = 4 * t + ivec2(dx, dy);\n"
                         "        if (c.x >= u_in_size.x || c.y >= u_in_size.y) continue;\n")
                for k, s in enumerate(chain):
                    if level == 0:
                        body += f"        a{k} = reduce_value(a{k}, reduce_input_{s.name}(c));\n"
                    else:
                        body += f"        a{k} = reduce_merge(a{k}, texelFetch(t_level{k}, c, 0));\n"
                body += "    }\n"
                for k in range(len(chain)):  # flushed below 2^-100 like all float state (common/math.glsl ftz)
                    body += (f"    o_level{k} = ftz(a{k});\n" if self.backend == "fragment"
                             else f"    imageStore(i_level{k}, t, ftz(a{k}));\n")
                main = f"void main() {{\n{body}}}\n"
            src.add(gen, text + main, first_line=1000)
            what = f"reduction {', '.join(s.name for s in chain)} level {level}"
            if self.backend == "compute":
                return compile_program(self.ctx, what, compute=src)
            return compile_program(self.ctx, what, vertex=vertex_source(), fragment=src)

        return self.cache.get(key, make)

    def build(self) -> None:
        for c in range(len(self.chains)):
            for level in range(len(self.sizes) + 1):
                self._program(c, level)

    def dispatches(self) -> int:
        return len(self.chains) * (len(self.sizes) + 1)

    # -- running ----------------------------------------------------------------------------------
    def run(self, fields: dict, builtins: dict) -> None:
        """Reduce the current fields into the scalars texture."""
        w, h = self.grid
        for c, chain in enumerate(self.chains):
            for level in range(len(self.sizes) + 1):
                prog = self._program(c, level)
                for name, value in builtins.items():
                    u = prog.get(name, None)
                    if u is not None:
                        u.value = value
                in_size = self.grid if level == 0 else self.sizes[level - 1]
                if "u_in_size" in prog:
                    prog["u_in_size"].value = in_size
                unit = 0
                if level == 0:
                    for f in dict.fromkeys(f for s in chain for f in s.fields):
                        fields[f].front.use(location=unit)
                        prog[f"t_{f}"].value = unit
                        unit += 1
                else:
                    for k, tex in enumerate(self.textures[c][level - 1]):
                        tex.use(location=k)
                        prog[f"t_level{k}"].value = k
                finish = level == len(self.sizes)
                base = c * MRT
                if finish and "u_base" in prog:
                    prog["u_base"].value = base
                if self.backend == "compute":
                    if finish:
                        self.texture.bind_to_image(0, read=False, write=True)
                        prog["i_scalars"].value = 0
                        prog.run(1, 1, 1)
                    else:
                        for k, tex in enumerate(self.textures[c][level]):
                            tex.bind_to_image(k, read=False, write=True)
                            prog[f"i_level{k}"].value = k
                        ow, oh = self.sizes[level]
                        prog.run(-(-ow // LOCAL_SIZE[0]), -(-oh // LOCAL_SIZE[1]), 1)
                    self.ctx.memory_barrier()
                else:
                    outs = [self.texture] if finish else self.textures[c][level]
                    fbo = self._fbo(outs)
                    fbo.use()
                    self.ctx.viewport = (base, 0, len(chain), 1) if finish else (0, 0, *self.sizes[level])
                    vao = self._vaos.get(prog.glo)
                    if vao is None:
                        vao = self._vaos[prog.glo] = self.ctx.vertex_array(prog, [])
                    vao.render(vertices=3)

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
        arr = np.zeros((1, max(len(self.scalars), 1), 4), np.float32)
        arr[0, :len(self.scalars)] = np.asarray(values, np.float32).reshape(-1, 4)
        flush_tiny(arr)  # as every float state (planet/fields.py)
        self.texture.write(arr.tobytes())

    def release(self) -> None:
        from . import gl

        gl.release_framebuffers(self.ctx, [f for _, f in self._fbos])
        self._fbos.clear()
        for vao in self._vaos.values():
            vao.release()
        self._vaos.clear()
        for per_level in self.textures:
            for texs in per_level:
                for t in texs:
                    t.release()
        self.textures = []
        self.texture.release()

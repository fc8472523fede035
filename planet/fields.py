"""Fields: named, typed state on the one simulation grid (DESIGN.md §1).

A field is a ping-pong pair of textures whose channels are declared by name and unit:

    TERRAIN = Field("terrain", "bedrock, sea level and lava", (
        Ch("bedrock", "m", "bedrock elevation above the datum"),
        Ch("sea_level", "m", "sea level above the datum"),
        Ch("glow", "1", "lava glow (1 molten, 0 solid crust)"),
    ))

One to four channels, all of one kind: "float" (R/RG/RGBA32F) or "int" (R/RG/RGBA32I, for cell
indices, ids, codes and enums: exact for every integer a grid can have). A 3-channel field is stored
in 4 components (image load/store has no 3-component formats); the padding is always 0.

Passes never read channels by letter. For every field a pass reads or writes, the pipeline
generates GLSL (`glsl_block`):

    struct Terrain { float bedrock; float sea_level; float glow; };
    Terrain terrain_unpack(vec4 v);         vec4 pack(Terrain s);          // one overload per field
    Terrain terrain_at(ivec2 cell);         // texelFetch at a cell on the grid     (read fields)
    Terrain terrain_near(ivec2 cell);       // the same, wrapping cells less than a grid away
    Terrain terrain_sample(vec2 lonlat);    // bilinear at a lon/lat [rad] (float fields only)

and a pass writes `o_terrain = Terrain(...)` (or modifies a copy of `terrain_at(cell)`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import PipelineError

KINDS = ("float", "int")
# Field.resample rules (planet.world): "linear", bilinear between cell centres (smooth quantities);
# "coastal", a height against the field's own sea_level channel: the coast where the bilinear share of
# land crosses 1/2 (area kept), the height bilinear among the cells of the cell's side only (a lowland's
# height is not blended with the abyss beyond its cliff, which would drown a coarse cell's worth of coast);
# "nearest", the value of the source cell under the (warped) centre (ids and categories: no blends);
# "rebuilt", not carried over: the owning stage's Stage.rebuild passes, or its next update before any
# pass reads it, write it on the new grid (cell indices, scratch, what derives from the rest).
RESAMPLE = ("linear", "coastal", "nearest", "rebuilt")
# Words a channel name may not be: GLSL keywords, reserved words and the builtin types (GLSL 4.30 §3.6).
GLSL_RESERVED = frozenset("""
attribute const uniform varying buffer shared coherent volatile restrict readonly writeonly atomic_uint layout
centroid flat smooth noperspective patch sample break continue do for while switch case default if else
subroutine in out inout float double int void bool true false invariant precise discard return
mat2 mat3 mat4 dmat2 dmat3 dmat4 vec2 vec3 vec4 ivec2 ivec3 ivec4 bvec2 bvec3 bvec4 dvec2 dvec3 dvec4
uint uvec2 uvec3 uvec4 lowp mediump highp precision sampler1D sampler2D sampler3D samplerCube struct
common partition active asm class union enum typedef template this resource goto inline noinline public
static extern external interface long short half fixed unsigned superp input output hvec2 hvec3 hvec4
fvec2 fvec3 fvec4 filter sizeof cast namespace using image2D iimage2D isampler2D texture
""".split())


@dataclass(frozen=True)
class Ch:
    """One channel of a field: a GLSL identifier, its unit ("1" for dimensionless) and its meaning."""

    name: str
    unit: str
    doc: str


def _identifier(name: str) -> bool:
    return name.isidentifier() and name.isascii() and not name.startswith("gl_") and "__" not in name


@dataclass(frozen=True)
class Field:
    """A named state texture pair.

    `carried`: the field is state of the crust under the cell, so the plates carry it when they move
    (tectonics moves every carried field of the scene, whichever stage owns it). Set False for what
    is not attached to the ground (the atmosphere) or is rebuilt every tick.

    `resample`: how the field goes onto another grid (planet.world, a coarse history refined onto a
    finer grid): one rule for all channels or a tuple of one per channel (RESAMPLE). None: "linear"
    for a float field; an int field (ids, cell indices, codes) must say."""

    name: str
    doc: str
    channels: tuple[Ch, ...]
    carried: bool = True
    kind: str = "float"
    resample: str | tuple[str, ...] | None = None

    def __post_init__(self):
        where = f"field '{self.name}'"
        if not _identifier(self.name) or self.name != self.name.lower() or self.name == "scalars":
            raise PipelineError(f"{where}: a field name must be a lower-case identifier other than 'scalars' "
                                "(the planet-wide scalars' texture)")
        if self.kind not in KINDS:
            raise PipelineError(f"{where}: kind {self.kind!r}; valid: {', '.join(KINDS)}")
        if not isinstance(self.channels, tuple) or not 1 <= len(self.channels) <= 4:
            raise PipelineError(f"{where}: needs 1 to 4 channels declared as Ch(name, unit, doc)")
        seen = set()
        for ch in self.channels:
            if not isinstance(ch, Ch):
                raise PipelineError(f"{where}: channel {ch!r} is not a Ch(name, unit, doc)")
            if not _identifier(ch.name) or ch.name in GLSL_RESERVED:
                raise PipelineError(f"{where}: channel name {ch.name!r} is not a usable GLSL identifier")
            if ch.name in seen:
                raise PipelineError(f"{where}: channel '{ch.name}' is declared twice")
            seen.add(ch.name)
        rules = self.resample if isinstance(self.resample, tuple) else (self.resample,) * len(self.channels)
        if len(rules) != len(self.channels) or any(r is not None and r not in RESAMPLE for r in rules):
            raise PipelineError(f"{where}: resample {self.resample!r}; give one of {', '.join(RESAMPLE)} or a "
                                f"tuple of one per channel ({len(self.channels)})")
        if "coastal" in rules and "sea_level" not in {ch.name for ch in self.channels}:
            raise PipelineError(f"{where}: resample 'coastal' needs a sea_level channel in the field")
        blend = next((r for r in rules if r in ("linear", "coastal")), None)
        if self.kind == "int" and blend:
            raise PipelineError(f"{where}: an int field cannot be resampled {blend!r} (a blend of ids or cell "
                                f"indices is neither); valid: nearest, rebuilt")

    def resample_rules(self) -> tuple[str | None, ...]:
        """One Field.resample rule per channel (None: an int field that declared none)."""
        if isinstance(self.resample, tuple):
            return self.resample
        rule = self.resample or ("linear" if self.kind == "float" else None)
        return (rule,) * len(self.channels)

    # -- storage ------------------------------------------------------------------------------------
    @property
    def components(self) -> int:
        """Texture components: 1, 2 or 4 (3 channels are padded to 4)."""
        return 4 if len(self.channels) == 3 else len(self.channels)

    @property
    def dtype(self) -> str:
        return "f4" if self.kind == "float" else "i4"

    @property
    def numpy_dtype(self):
        return np.float32 if self.kind == "float" else np.int32

    @property
    def bytes_per_cell(self) -> int:
        return 4 * self.components

    def channel_index(self, name: str) -> int:
        for k, ch in enumerate(self.channels):
            if ch.name == name:
                return k
        raise KeyError(name)

    @property
    def channel_names(self) -> tuple[str, ...]:
        return tuple(ch.name for ch in self.channels)

    # -- GLSL ---------------------------------------------------------------------------------------
    @property
    def struct(self) -> str:
        """GLSL struct name: CamelCase of the field name (plate_motion -> PlateMotion)."""
        return "".join(part[:1].upper() + part[1:] for part in self.name.split("_"))

    @property
    def scalar(self) -> str:
        return "float" if self.kind == "float" else "int"

    @property
    def vec4(self) -> str:
        return "vec4" if self.kind == "float" else "ivec4"

    @property
    def sampler(self) -> str:
        return "sampler2D" if self.kind == "float" else "isampler2D"

    @property
    def image(self) -> str:
        return "image2D" if self.kind == "float" else "iimage2D"

    @property
    def image_format(self) -> str:
        size = {1: "r", 2: "rg", 4: "rgba"}[self.components]
        return f"{size}32{'f' if self.kind == 'float' else 'i'}"

    def glsl_block(self, sampled: bool) -> str:
        """The struct, pack/unpack and (when `sampled`) the sampler and its accessors."""
        s, n, v4 = self.struct, self.name, self.vec4
        members = "".join(f"    {self.scalar} {ch.name};   // [{ch.unit}] {ch.doc}\n" for ch in self.channels)
        comps = "xyzw"
        unpack = ", ".join(f"v.{comps[k]}" for k in range(len(self.channels)))
        packed = [f"s.{ch.name}" for ch in self.channels] + ["0" if self.kind == "int" else "0.0"] * (4 - len(self.channels))
        vec = f"{v4}({', '.join(packed)})"
        # Float state is stored flushed to zero below 2^-100 (shaders/common/math.glsl ftz): no subnormal
        # reaches a texture, so a backend that flushes them and one that keeps them read the same bits.
        wrap = f"ftz({vec})" if self.kind == "float" else vec
        out = (f"// field {n}: {self.doc}\nstruct {s} {{\n{members}}};\n"
               f"{s} {n}_unpack({v4} v) {{ return {s}({unpack}); }}\n"
               f"{v4} pack({s} s) {{ return {wrap}; }}\n")
        if sampled:
            out += (f"uniform {self.sampler} t_{n};\n"
                    f"{s} {n}_at(ivec2 c) {{ return {n}_unpack(texelFetch(t_{n}, c, 0)); }}\n"
                    f"{s} {n}_near(ivec2 c) {{ return {n}_at(grid_wrap_near(c)); }}\n")
            if self.kind == "float":
                out += f"{s} {n}_sample(vec2 ll) {{ return {n}_unpack(grid_sample(t_{n}, ll)); }}\n"
        return out

    def table(self) -> str:
        """The channel table (Markdown) for the README: one source of truth with the declaration."""
        rows = "".join(f"| `{ch.name}` | {ch.unit} | {ch.doc} |\n" for ch in self.channels)
        carried = "carried by the plates" if self.carried else "not carried"
        return (f"`{self.name}` ({self.kind}, {self.components} × 32 bit, {carried}): {self.doc}\n\n"
                f"| channel | unit | meaning |\n|---|---|---|\n{rows}")


# Float state never holds a magnitude below 2^-100 (shaders/common/math.glsl FTZ_BELOW, the rule that
# keeps the fragment and compute backends bit-identical): such values are stored as a zero of their sign.
FTZ_BELOW = np.float32(2.0 ** -100)


def flush_tiny(arr: np.ndarray) -> np.ndarray:
    """Flush float32 values of magnitude below FTZ_BELOW to a zero of the same sign, in place (the CPU
    twin of ftz() in shaders/common/math.glsl); NaN and infinities are kept."""
    tiny = np.abs(arr) < FTZ_BELOW
    arr[tiny] = np.copysign(np.float32(0), arr[tiny])
    return arr


class PingPong:
    """Two textures of the field's format: passes read `front` and write `back`, then `swap()`."""

    def __init__(self, ctx, spec: Field, size: tuple[int, int]):
        import moderngl

        self.spec = spec
        self.size = size
        self.textures = [ctx.texture(size, spec.components, dtype=spec.dtype) for _ in range(2)]
        for tex in self.textures:
            tex.filter = (moderngl.NEAREST, moderngl.NEAREST)  # integer textures need it to be complete
            tex.repeat_x = tex.repeat_y = False
        self._front = 0
        # Counts every change of the current state (swap, write): Pipeline's quiet-cell masks are
        # current while the versions of the fields they read are those they were drawn from.
        self.version = 0

    @property
    def front(self):
        return self.textures[self._front]

    @property
    def back(self):
        return self.textures[1 - self._front]

    def swap(self) -> None:
        self._front = 1 - self._front
        self.version += 1

    def read(self) -> np.ndarray:
        """The current state as (H, W, channels) float32 or int32, row 0 = south, column 0 = lon -180."""
        w, h = self.size
        spec = self.spec
        arr = np.frombuffer(self.front.read(), dtype=spec.numpy_dtype).reshape(h, w, spec.components)
        return arr[..., :len(spec.channels)].copy()

    def write(self, data: np.ndarray) -> None:
        """Replace the current state: (H, W, channels) (or the padded (H, W, components)) of the field's kind."""
        w, h = self.size
        spec = self.spec
        arr = np.asarray(data)
        shapes = {(h, w, len(spec.channels)), (h, w, spec.components)}
        if arr.shape not in shapes:
            raise PipelineError(f"field {spec.name}: expected shape {(h, w, len(spec.channels))}, got {arr.shape}")
        if spec.kind == "int":
            if not np.issubdtype(arr.dtype, np.integer):
                raise PipelineError(f"field {spec.name}: an int field takes integer data, got {arr.dtype}")
            if arr.size and (arr.min() < -2**31 or arr.max() >= 2**31):
                raise PipelineError(f"field {spec.name}: values outside the int32 range")
        elif not (np.issubdtype(arr.dtype, np.floating) or np.issubdtype(arr.dtype, np.integer)):
            raise PipelineError(f"field {spec.name}: a float field takes numbers, got {arr.dtype}")
        out = np.zeros((h, w, spec.components), spec.numpy_dtype)
        out[..., :len(spec.channels)] = arr[..., :len(spec.channels)]  # the padding stays 0
        if spec.kind == "float":  # flushed like everything a pass writes (pack(): shaders/common/math.glsl)
            flush_tiny(out)
        self.front.write(out.tobytes())
        self.version += 1

    def release(self) -> None:
        for tex in self.textures:
            tex.release()
        self.textures = []

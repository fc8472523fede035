"""Stages: one physical process each, declared as data (fields, params, passes, quantities, layers).

A stage module builds one `Stage` and registers it in `STAGES` (in story order). Everything the
pipeline, the scene validator, the views and the scripting API know about a stage comes from here.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..fields import Field
from ..params import Param
from ..passes import Pass


@dataclass(frozen=True)
class Quantity:
    """A named physical quantity for scripts/tests/export: float32 (H, W) in `unit`."""

    name: str
    unit: str
    doc: str
    compute: Callable[[Callable[[str], np.ndarray]], np.ndarray]  # read(field) -> (H, W)


@dataclass(frozen=True)
class Legend:
    """What a legend shows for a layer: a colormap in shaders/common/colormap.glsl over [vmin, vmax]."""

    colormap: str
    vmin: float
    vmax: float
    unit: str
    label: str


@dataclass(frozen=True)
class Layer:
    """A view layer: shaders/<shader> defines `vec3 layer_color(vec2 lonlat, vec3 light)`."""

    name: str
    shader: str
    reads: tuple[str, ...]
    doc: str
    legend: Legend | None = None
    # Fields drawn only when some stage of the scene declares them (e.g. clouds or rivers on the
    # satellite layer): present ones join the reads and HAVE_<FIELD> is #defined 1, else 0.
    optional: tuple[str, ...] = ()

    def resolve(self, present) -> "Layer":
        return dataclasses.replace(self, reads=self.reads + tuple(f for f in self.optional if f in present))

    def defines(self, present) -> str:
        return "".join(f"#define HAVE_{f.upper()} {int(f in present)}\n" for f in self.optional)


@dataclass(frozen=True)
class Derived:
    """A uniform computed each tick from params and simulated time (not set directly by users)."""

    name: str
    unit: str
    doc: str


@dataclass(frozen=True)
class Stage:
    name: str
    doc: str
    fields: tuple[Field, ...]
    params: tuple[Param, ...]
    init: tuple[Pass, ...] = ()
    step: tuple[Pass, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    layers: tuple[Layer, ...] = ()
    derived: tuple[Derived, ...] = ()
    # derive(params, years) -> {derived name: value}; pure function of its inputs (determinism).
    derive: Callable[[dict, float], dict] | None = None
    # imports(params, read, where) -> {field name: float32 (H, W, 4)}: state read from files (e.g. a
    # heightmap) that replaces what this stage's init passes wrote; {} when there is nothing to import.
    # `read(field)` gives a field as initialised so far; `where` names the scene and stage for errors.
    imports: Callable[[dict, Callable[[str], np.ndarray], str], dict] | None = None
    param_map: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "param_map", {p.name: p for p in self.params})

    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}

    def uniforms(self, values: dict, years: float) -> dict:
        """Every u_* value this stage's passes may declare, for the given params and time."""
        out = {f"u_{p.name}": values[p.name] for p in self.params if p.uniform}
        if self.derive is not None:
            out.update({f"u_{k}": v for k, v in self.derive(values, years).items()})
        return out


def registry() -> dict[str, Stage]:
    """All known stages by name, in story order."""
    from . import climate, erosion, tectonics, terrain

    return {s.name: s for s in (terrain.STAGE, tectonics.STAGE, climate.STAGE, erosion.STAGE)}

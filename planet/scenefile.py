"""Scenes back to TOML: `write_scene(sim, path)` saves what a simulation runs as a scene file that
replays it (planet.scene reads it back): the seed, grid, stages and params as loaded, and the whole
timeline including the param edits and brush strokes recorded live (Simulation.record), so
`load_scene(path)` stepped to the same tick gives the same fields. Written atomically (planet.atomic)."""
from __future__ import annotations

import json
import os
from pathlib import Path

from .atomic import atomic_path
from .errors import PlanetError


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            raise PlanetError(f"cannot write the non-finite number {v!r} into a scene")
        text = repr(v)  # shortest text that reads back as the same float
        return text if any(c in text for c in ".en") else text + ".0"
    if isinstance(v, str):
        return json.dumps(v)  # a TOML basic string: JSON's escapes are TOML's
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k} = {_value(x)}" for k, x in v.items()) + "}"
    raise PlanetError(f"cannot write {type(v).__name__} {v!r} into a scene")


def _absolute(table: dict) -> dict:
    """File-path params as absolute paths: a relative one would be read beside the new scene file."""
    return {k: (os.path.abspath(v) if isinstance(v, str) and v else v) for k, v in table.items()}


def scene_toml(scene, header: str = "") -> str:
    """The TOML text of a validated Scene (planet.scene.Scene)."""
    from .checkpoint import scene_mapping

    data = scene_mapping(scene)
    lines = [f"# {line}" for line in header.splitlines()]
    lines += ["[planet]", *(f"{k} = {_value(v)}" for k, v in data.pop("planet").items())]
    timeline = data.pop("timeline")
    for stage, table in data.items():
        lines += ["", f"[{stage}]", *(f"{k} = {_value(v)}" for k, v in _absolute(table).items())]
    for ev in timeline:
        lines += ["", "[[timeline]]"]
        for key, value in ev.items():
            value = _absolute(value) if key in scene.stages else value
            lines.append(f"{key} = {_value(value)}")
    return "\n".join(lines) + "\n"


def write_scene(sim, path) -> Path:
    """Save `sim`'s scene (with its recorded edits) as a TOML scene file at `path`, atomically."""
    path = Path(path)
    if path.suffix.lower() != ".toml":
        raise PlanetError(f"{path}: a scene is a .toml file; give a name ending in .toml")
    header = (f"Saved from a planet run at tick {sim.tick} ({sim.years:g} years), seed {sim.seed}.\n"
              f"Run it for {sim.tick} ticks to get the same fields; {len(sim.edits)} live edit(s) are in the timeline.")
    text = scene_toml(sim.scene, header)
    with atomic_path(path) as tmp:
        tmp.write_text(text)
    return path

"""The terraforming brush: strokes that reshape the bedrock at a tick (shaders/terrain/brush.glsl).

A stroke is one dab of a tool at a point, with a radius [km] and a strength [m]:
    raise   bedrock + strength x w(s)          w(s) = (1 - s^2)^2 for s = d / radius < 1, else 0
    lower   bedrock - strength x w(s)
    uplift  a mountain belt: bedrock + strength x w(s) x ruggedness (ridged value noise, 0.5..1)
    crater  a bowl `strength` deep with a raised rim and ejecta falling off as s^-3
A drag of the mouse paints a row of dabs. Strokes are timeline events (`brush = {...}` in a
[[timeline]] entry of a scene, planet.scene), so a run with strokes replays deterministically and
saves into scenes and checkpoints; the rest of the simulation (rivers, lakes, climate, life) sees
the new bedrock from the next tick on.
"""
from __future__ import annotations

from .errors import SceneError
from .params import Param, check_table
from .passes import Pass

TOOLS = ("raise", "lower", "uplift", "crater")
KEYS = {
    "lon": Param("lon", 0.0, "degrees", "longitude of the dab's centre", -180.0, 180.0),
    "lat": Param("lat", 0.0, "degrees", "latitude of the dab's centre", -90.0, 90.0),
    "radius": Param("radius", 500.0, "km", "radius of the dab (a crater's rim radius)", 1.0, 20000.0),
    "strength": Param("strength", 1000.0, "m", "height added or removed at the centre (a crater's depth)", 0.0, 20000.0),
}
PASS = Pass("terrain.brush", reads=("terrain",), writes=("terrain",), shader="terrain/brush.glsl")
UNIFORMS = {"u_brush_tool": "int", "u_brush_lonlat": "vec2", "u_brush_radius": "float", "u_brush_strength": "float"}


def check_stroke(value, where: str) -> dict:
    """A validated stroke {tool, lon, lat, radius, strength} from a scene/timeline table."""
    if not isinstance(value, dict):
        raise SceneError(f"{where}: expected a table like {{tool = \"raise\", lon = 10.0, lat = 45.0, radius = 500.0, "
                         f"strength = 1000.0}}, got {value!r:.80}")
    table = dict(value)
    tool = table.pop("tool", None)
    if tool not in TOOLS:
        raise SceneError(f"{where}.tool: unknown brush tool {tool!r}; valid: {', '.join(TOOLS)}")
    missing = [k for k in KEYS if k not in table]
    if missing:
        raise SceneError(f"{where}: missing key(s) {', '.join(missing)}; a stroke has tool, {', '.join(KEYS)}")
    return {"tool": tool, **check_table(KEYS, table, where)}


def apply(pipeline, stroke: dict, builtins: dict) -> None:
    """Run the brush pass once for `stroke` on the pipeline's terrain field (needs the terrain stage)."""
    import math

    prog = pipeline.program(PASS, UNIFORMS)
    values = {**builtins, "u_seed": 0, "u_brush_tool": TOOLS.index(stroke["tool"]),
              "u_brush_lonlat": (math.radians(stroke["lon"]), math.radians(stroke["lat"])),
              "u_brush_radius": float(stroke["radius"]), "u_brush_strength": float(stroke["strength"])}
    pipeline.run_pass(PASS, values, prog=prog)

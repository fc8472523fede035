"""Terrain: the cratered molten protoplanet that cools while its oceans fill (MODEL.md §1).

Init: craters at five levels of detail plus fBm detail, evaluated on 3-D sphere positions, cubed
and scaled to metres. Step: the lava glow cools (faster on high ground and under water) and the
sea level rises from nothing to its final height over `ocean_fill` years after `ocean_start`.
"""
from __future__ import annotations

import numpy as np

from ..fields import Field
from ..params import Param
from ..passes import Pass
from . import Derived, Layer, Legend, Quantity, Stage

TERRAIN = Field("terrain", "bedrock, sea level and lava of the protoplanet", (
    "bedrock elevation z [m above the bedrock datum]",
    "sea level [m above the bedrock datum]",
    "lava glow [0..1] (1 molten, 0 solid crust)",
    "unused (0)",
))

PARAMS = (
    Param("height_scale", 2500.0, "m", "metres per unit of the crater height index h^3 "
          "(the reference's 0..15 elevation scale is kilometres)", 1.0, 1.0e5),
    Param("sea_level", 2600.0, "m", "final sea level above the bedrock datum", 0.0, 1.0e5),
    Param("ocean_start", 1.0e8, "years", "simulated time when the oceans start to fill", 0.0, 1.0e11),
    Param("ocean_fill", 3.0e8, "years", "how long the oceans take to reach the final sea level", 1.0, 1.0e11),
    Param("cooling_time", 1.5e8, "years", "e-folding time of the lava glow on low ground", 1.0, 1.0e11),
    Param("quench", 10.0, "", "how many times faster lava cools under water", 1.0, 1.0e4),
    Param("fbm_octaves", 5, "", "octaves of fBm detail in the initial terrain", 1, 10),
)


def sea_level_now(values: dict, years: float) -> float:
    """Sea level [m above datum]: 0 until ocean_start, then a smoothstep up to `sea_level`."""
    x = min(max((years - values["ocean_start"]) / values["ocean_fill"], 0.0), 1.0)
    return values["sea_level"] * x * x * (3.0 - 2.0 * x)


def _elevation(read):
    t = read("terrain")
    return t[..., 0] - t[..., 1]


def _land(read):
    t = read("terrain")
    return (t[..., 0] > t[..., 1]).astype(np.float32)


STAGE = Stage(
    name="terrain",
    doc=__doc__,
    fields=(TERRAIN,),
    params=PARAMS,
    init=(Pass("terrain.protoplanet", "terrain/protoplanet.glsl", reads=(), writes=("terrain",)),),
    step=(Pass("terrain.cool", "terrain/cool.glsl", reads=("terrain",), writes=("terrain",)),),
    derived=(Derived("sea_level_now", "m", "sea level at the current simulated time"),),
    derive=lambda values, years: {"sea_level_now": sea_level_now(values, years)},
    quantities=(
        Quantity("elevation", "m", "surface height relative to the current sea level", _elevation),
        Quantity("land", "1", "1 on land, 0 at sea", _land),
    ),
    layers=(
        Layer("satellite", "view/layers/satellite.glsl", ("terrain",),
              "hillshaded relief, ocean by depth, glowing lava"),
        Layer("elevation", "view/layers/elevation.glsl", ("terrain",),
              "height above (or depth below) sea level",
              Legend("elevation", -8000.0, 8000.0, "m", "elevation")),
    ),
)

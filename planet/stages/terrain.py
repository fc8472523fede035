"""Terrain: the cratered molten protoplanet that cools while its oceans fill (MODEL.md §1).

Init: craters at five levels of detail plus fBm detail, evaluated on 3-D sphere positions, cubed
and scaled to metres. Step: the lava glow cools (faster on high ground and under water) and the
sea level rises from nothing to its final height over `ocean_fill` years after `ocean_start`.

Import (beyond the reference): `heightmap` and/or `land_mask` start the run from the user's own
world instead of the protoplanet. Such a world starts as a present-day planet: the crust is cold
(glow 0) and the ocean is full (sea level = `sea_level` from tick 0 on, whatever the time), so
elevation relative to sea level is exactly what the files say.
- heightmap: equirectangular (W = 2H, row 0 = north, column 0 = lon -180), values in metres
  relative to sea level (see planet.maps.read_heightmap), resampled bilinearly (longitude wraps)
  onto the grid; bedrock = value + sea_level.
- land_mask: land where the image is at least half white, resampled bilinearly then thresholded at
  1/2. With a heightmap it only settles the coastline: land cells are raised to at least +1 m and
  sea cells lowered to at most -1 m. Alone it shapes the procedural terrain: the protoplanet's
  relief is shifted so the same (area-weighted) fraction of the globe is land as in the mask, then
  clamped the same way. With `earth_relief` (for today's Earth's mask) the land's height is instead a
  sketch of today's Earth's: its major mountain belts and plateaus, interiors rising gently from the
  coast, the protoplanet's hills on top, and the sea floor a shelf, slope and abyss by the distance from
  the land (planet/earth_relief.py).
- ice sheets (beyond the reference; for a land mask, e.g. today's Earth's, which has no
  elevation): the mask's land south of `ice_sheet_south` or north of `ice_sheet_north` carries an ice
  sheet whose surface follows the perfectly plastic profile of Nye ("The flow of glaciers and ice-sheets
  as a problem in plasticity", Proc. R. Soc. A 207, 1951; Cuffey & Paterson, "The Physics of Glaciers",
  4th ed., 2010, §8.5):  h = sqrt(2 tau0 d / (rho_ice g)),  d the great-circle distance to the coast
  (the nearest sea cell's centre, less half a cell), tau0 = `ice_yield_stress` (50-150 kPa fit real ice
  sheets), rho_ice = 917 kg/m^3. The land's height is max(relief, h): the ice buries the relief. With
  tau0 = 50 kPa, 1,200 km from the coast (East Antarctica's interior) h = 3.7 km; Dome A is 4.1 km.
Both are read at every reset: set via set_params mid-run, the ocean is full at once and the
files are read at the next reset.
"""
from __future__ import annotations

import numpy as np

from .. import grid as sphere
from .. import earth_relief, maps
from ..errors import SceneError
from ..fields import Ch, Field
from ..params import Param
from ..passes import Pass
from ..reduce import Scalar
from . import Derived, Layer, Legend, Quantity, Stage

TERRAIN = Field("terrain", "bedrock, sea level and lava of the protoplanet", (
    Ch("bedrock", "m", "bedrock elevation z above the bedrock datum"),
    Ch("sea_level", "m", "sea level above the bedrock datum"),
    Ch("glow", "1", "lava glow, 0..1 (1 molten, 0 solid crust)"),
    Ch("ice_sheet", "1", "1 where an imported land mask's land carries an ice sheet (its surface height is in "
       "bedrock), else 0"),
), resample=("coastal", "linear", "linear", "nearest"))  # planet.world: the coast keeps its area

PARAMS = (
    Param("height_scale", 2500.0, "m", "metres per unit of the crater height index h^3 "
          "(the reference's 0..15 elevation scale is kilometres)", 1.0, 1.0e5),
    Param("sea_level", 2600.0, "m", "final sea level above the bedrock datum", 0.0, 1.0e5),
    Param("ocean_start", 1.0e8, "years", "simulated time when the oceans start to fill", 0.0, 1.0e11),
    Param("ocean_fill", 3.0e8, "years", "how long the oceans take to reach the final sea level", 1.0, 1.0e11),
    Param("cooling_time", 1.5e8, "years", "e-folding time of the lava glow on low ground", 1.0, 1.0e11),
    Param("quench", 10.0, "", "how many times faster lava cools under water", 1.0, 1.0e4),
    Param("fbm_octaves", 5, "", "octaves of fBm detail in the initial terrain", 1, 10),
    Param("basin_diameter", 3000.0, "km", "diameter of the largest impact basins of the protoplanet (their "
          "number per area grows as D^-2 down to smaller ones; depth and rim height after Pike 1977)",
          0.0, 2.0e4),
    Param("basin_octaves", 3, "", "octaves (halvings of diameter) of impact basins (0 = none)", 0, 10),
    Param("basin_spacing", 2.0, "", "mean spacing of the impact basins of one octave / their diameter (larger: "
          "fewer basins)", 1.0, 100.0),
    Param("heightmap", "", "", "start from this equirectangular elevation map instead of the protoplanet: "
          ".tif/.tiff in metres relative to sea level, or a greyscale .png with a .json sidecar (offset, step "
          "in m); W = 2H, row 0 = north; the ocean starts full and the crust cold ('' = none)",
          uniform=False, exts=maps.HEIGHTMAP_EXTS),
    Param("land_mask", "", "", "equirectangular land mask (land where at least half white; W = 2H, row 0 = "
          "north) that sets the coastline of the heightmap or of the protoplanet ('' = none)",
          uniform=False, exts=maps.HEIGHTMAP_EXTS),
    Param("earth_relief", False, "", "with a land mask and no heightmap: the land's height is a sketch of "
          "today's Earth's (its mountain belts and plateaus, interiors rising from the coast, a shelf, "
          "slope and abyss at sea: planet/earth_relief.py) instead of the protoplanet's relief", uniform=False),
    Param("ice_sheet_south", -90.0, "degrees", "imported land south of this latitude carries an ice sheet "
          "(Nye's plastic profile from the coast; -90 = none)", -90.0, 90.0, uniform=False),
    Param("ice_sheet_north", 90.0, "degrees", "imported land north of this latitude carries an ice sheet "
          "(90 = none)", -90.0, 90.0, uniform=False),
    Param("ice_yield_stress", 50.0, "kPa", "yield stress tau0 of the ice sheets' plastic profile "
          "h = sqrt(2 tau0 d / (rho_ice g)) (50-150 kPa fit real ice sheets)", 1.0, 1000.0, uniform=False),
)
ICE_DENSITY = 917.0     # [kg/m^3] glacier ice
GRAVITY = 9.81          # [m/s^2]
COAST_M = 1.0  # [m] a land-mask cell is at least this far above (land) or below (sea) sea level


def imported(values: dict) -> bool:
    """True when the world comes from files (heightmap or land mask) rather than the protoplanet."""
    return bool(values.get("heightmap") or values.get("land_mask"))


def sea_level_now(values: dict, years: float) -> float:
    """Sea level [m above datum]: 0 until ocean_start, then a smoothstep up to `sea_level`
    (an imported world has its full ocean from the start)."""
    if imported(values):
        return values["sea_level"]
    x = min(max((years - values["ocean_start"]) / values["ocean_fill"], 0.0), 1.0)
    return values["sea_level"] * x * x * (3.0 - 2.0 * x)


def _elevation(read):
    t = read("terrain")
    return t[..., 0] - t[..., 1]


def shift_to_fraction(e: np.ndarray, land_fraction: float) -> np.ndarray:
    """e - q, with q chosen so that the area-weighted fraction of cells above 0 is ~ land_fraction."""
    h, w = e.shape
    area = np.repeat(maps.cell_area_weights(h)[:, None], w, axis=1).ravel() / w
    order = np.argsort(e.ravel(), kind="stable")
    below = np.cumsum(area[order])  # area at or below each sorted value
    k = int(np.searchsorted(below, 1.0 - land_fraction - 1e-12))
    q = e.ravel()[order[min(k, e.size - 1)]] if land_fraction < 1.0 else e.min() - 1.0
    return e - q


def _coast_sea(land: np.ndarray) -> np.ndarray:
    """Sea cells with a land cell east, west (the ring wraps), north or south of them."""
    near = np.roll(land, 1, axis=1) | np.roll(land, -1, axis=1)
    near[1:] |= land[:-1]
    near[:-1] |= land[1:]
    return ~land & near


def coast_distance_km(land: np.ndarray, where: np.ndarray, radius_km: float) -> np.ndarray:
    """[km] great-circle distance from each cell of `where` (H, W bool) to the coastline: the nearest
    coastal sea cell's centre less half a cell; 0 elsewhere (and everywhere if `land` has no coast)."""
    h, w = land.shape
    coast = _coast_sea(land)
    out = np.zeros((h, w))
    if not where.any() or not coast.any():
        return out
    pos = sphere.cell_pos(w, h)
    sea = pos[coast]                              # (n, 3) unit vectors of the coastal sea cells
    cells = np.flatnonzero(where)
    half_cell = 0.5 * np.pi / h                   # [rad] half a row's spacing
    for start in range(0, cells.size, 4096):      # nearest coast by the largest dot product, in chunks
        part = cells[start:start + 4096]
        dot = pos.reshape(-1, 3)[part] @ sea.T
        angle = np.arccos(np.clip(dot.max(axis=1), -1.0, 1.0))
        out.flat[part] = np.maximum(angle - half_cell, 0.0) * radius_km
    return out


def ice_sheet_height(land: np.ndarray, values: dict, radius_km: float) -> np.ndarray:
    """[m] the Nye ice-sheet surface height on land poleward of the ice_sheet_* latitudes (see the module
    doc), 0 elsewhere; (H, W) like `land` (row 0 = south)."""
    h, w = land.shape
    lat = np.degrees(sphere.cell_lonlat(w, h)[1])
    ice = land & ((lat < values["ice_sheet_south"]) | (lat > values["ice_sheet_north"]))
    d = coast_distance_km(land, ice, radius_km) * 1000.0   # [m] to the coastline
    return np.where(ice, np.sqrt(2.0 * values["ice_yield_stress"] * 1000.0 * d / (ICE_DENSITY * GRAVITY)), 0.0)


def import_world(values: dict, read, where: str, radius_km: float = 6371.0) -> dict:
    """The terrain field from the heightmap and/or land mask (see the module doc); {} if neither."""
    if values.get("earth_relief") and (not values.get("land_mask") or values.get("heightmap")):
        raise SceneError(f"{where}.earth_relief = true sketches a land mask's land: it needs land_mask and no "
                         f"heightmap (land_mask = {values.get('land_mask')!r}, heightmap = "
                         f"{values.get('heightmap')!r}); set land_mask, or earth_relief = false")
    if not imported(values):
        return {}
    t = read("terrain")
    h, w = t.shape[:2]
    sea = float(values["sea_level"])
    if values["heightmap"]:
        e = maps.resample(maps.read_heightmap(values["heightmap"], f"{where}.heightmap"), (w, h))
    else:
        e = t[..., 0].astype(np.float64) - sea
    if values["land_mask"]:
        mask = maps.read_mask(values["land_mask"], f"{where}.land_mask")
        land = maps.resample(mask.astype(np.float64), (w, h)) >= 0.5
        if not values["heightmap"]:
            frac = float((land * maps.cell_area_weights(h)[:, None]).sum() / w)
            e = shift_to_fraction(e, frac)
            if values["earth_relief"]:   # today's Earth's highlands and ocean basins, not the protoplanet's
                coast = coast_distance_km(land, land, radius_km) + coast_distance_km(~land, ~land, radius_km)
                e = earth_relief.relief(land, coast, e, radius_km)
        e = np.where(land, np.maximum(e, COAST_M), np.minimum(e, -COAST_M))
        ice = ice_sheet_height(land, values, radius_km)
        e = np.where(ice > 0.0, np.maximum(e, ice), e)   # the ice buries the relief
        out_ice = (ice > 0.0).astype(np.float32)
    else:
        out_ice = 0.0
    out = np.zeros((h, w, 4), np.float32)
    out[..., 0] = e + sea  # bedrock [m above datum]
    out[..., 1] = sea      # the full ocean
    out[..., 3] = out_ice  # ice sheets (glow 0: cold crust)
    return {"terrain": out}


def _land(read):
    t = read("terrain")
    return (t[..., 0] > t[..., 1]).astype(np.float32)


STAGE = Stage(
    name="terrain",
    doc=__doc__,
    fields=(TERRAIN,),
    params=PARAMS,
    init=(Pass("protoplanet", writes=("terrain",)),),
    step=(Pass("cool", reads=("terrain",), writes=("terrain",)),),
    derived=(Derived("sea_level_now", "m", "sea level at the current simulated time"),),
    derive=lambda values, years: {"sea_level_now": sea_level_now(values, years)},
    imports=import_world,
    scalars=(
        Scalar("land_fraction", "1", "fraction of the planet's surface that is land (area-weighted)",
               op="mean", shader="terrain/scalars.glsl", reads=("terrain",)),
        Scalar("land_elevation", "m", "area-weighted mean height of the land above sea level",
               op="mean", shader="terrain/scalars.glsl", reads=("terrain",)),
    ),
    quantities=(
        Quantity("elevation", "m", "surface height relative to the current sea level", _elevation),
        Quantity("land", "1", "1 on land, 0 at sea", _land),
    ),
    layers=(
        Layer("satellite", "view/layers/satellite.glsl", ("terrain",),
              "hillshaded relief, ocean by depth, glowing lava; other stages draw over it (their overlays: "
              "rivers and lakes, clouds)", cold_gate="terrain_at(c).glow"),
        Layer("elevation", "view/layers/elevation.glsl", ("terrain",),
              "height above (or depth below) sea level",
              Legend("elevation", -20000.0, 20000.0, "m", "elevation")),
    ),
)

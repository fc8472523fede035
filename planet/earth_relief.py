"""A sketch of today's Earth's relief on land, for a land mask that has no elevation (issue 18).

global-land-mask, the package scenes/earth_today.toml takes its coastlines from, ships no elevation, and
no maintained PyPI package ships a global elevation grid inside its wheel (the DEM packages download at
run time). The protoplanet's random relief, shifted to the mask's coastline, put 2-3 km massifs where the
Earth has lowlands (Arabia averaged 2.3 km, eastern North America 1.2 km, India 1.3 km) and no Tibet or
Andes: orographic rain made Arabia wet and the lapse rate made it cold. So the terrain stage can instead
build the land's height (terrain.earth_relief = true) from three parts:

  h = max(lowland(d), highland) + detail
  lowland(d) = LOWLAND_COAST + LOWLAND_RISE (1 - exp(-d / LOWLAND_SCALE))   the continents' interiors rise
      gently from the coast (d = great-circle distance to the sea [km]): the Amazon and Congo basins, the
      Sahara, Siberia and Australia sit at 150-500 m
  highland = max over the belts below of H_k p(d_k / w_k)   the major mountain belts and plateaus, each a
      polyline of (lon, lat) points with a half-width w_k [km] and a typical height H_k [m] (the height
      of its high ground averaged over ~100 km, not its peaks), p(x) = 1 for x <= PLATEAU, falling
      smoothly (smoothstep) to 0 at x = 1
  detail = DETAIL x the protoplanet's land relief (its hills, so the lowlands are not flat)

The belts are rounded from the relief maps of any physical atlas (e.g. the ETOPO1 global relief model:
Amante & Eakins, NOAA Technical Memorandum NESDIS NGDC-24, 2009): their heights to ~500 m, their courses
to ~2 degrees, so they are right at the grids the climate runs on (1.4-2.8 degree cells) and no finer.
The resulting land averages ~700 m outside Antarctica (the Earth's: ~700 m, the ice sheets aside).

The sea floor is sketched the same way, by distance d to the land [km] (the protoplanet's relief,
shifted to the mask's coastline, had left a quarter of the sea at the -1 m clamp where it had land):

  D = SHELF_DEPTH + (ABYSS_DEPTH - SHELF_DEPTH) (1 - exp(-d / SLOPE_SCALE))
  height = -D + SEA_DETAIL (D / ABYSS_DEPTH) (min(r, 0) - median of r at sea), at most -1 m
  (r the protoplanet's relief relative to sea level)
  a continental shelf ~130 m deep along the coasts (the depth of the shelf break, e.g. Kennett, "Marine
  Geology", 1982), the slope and rise down to the abyssal plains' ~4 km within a few hundred km, and
  the protoplanet's ridges and basins (softened) as the ocean floor's relief.
"""
from __future__ import annotations

import numpy as np

from . import grid as sphere

LOWLAND_COAST = 100.0    # [m] land height at the coast
LOWLAND_RISE = 350.0     # [m] rise from the coast to a continent's deep interior
LOWLAND_SCALE = 700.0    # [km] e-folding distance of that rise
PLATEAU = 0.4            # share of a belt's half-width that is at its full height
DETAIL = 0.08            # share of the protoplanet's land relief kept as hills
SHELF_DEPTH = 130.0      # [m] sea depth at the coast: the continental shelf
ABYSS_DEPTH = 4000.0     # [m] the abyssal plains' depth far from land
SLOPE_SCALE = 250.0      # [km] e-folding distance from the shelf down to the abyss
SEA_DETAIL = 0.3         # share of the protoplanet's sea-floor relief kept (about its median)

# (name, typical height [m], half-width [km], course as (lon, lat) points [degrees])
HIGHLANDS = (
    # Asia
    ("Tibetan Plateau and Himalaya", 4500.0, 650.0, ((77.0, 34.5), (86.0, 32.5), (96.0, 32.5))),
    ("Pamir and Hindu Kush", 3500.0, 300.0, ((67.0, 35.0), (74.0, 38.0))),
    ("Tian Shan", 2500.0, 250.0, ((70.0, 42.0), (80.0, 42.5), (90.0, 43.0))),
    ("Altai and Mongolian Plateau", 1500.0, 550.0, ((88.0, 48.0), (102.0, 47.0), (114.0, 44.0))),
    ("Yunnan-Guizhou Plateau", 1800.0, 350.0, ((99.0, 27.0), (105.0, 25.5))),
    ("Iranian Plateau and Zagros", 1300.0, 450.0, ((47.0, 34.0), (55.0, 32.0), (62.0, 31.0))),
    ("Anatolia and Caucasus", 1200.0, 300.0, ((30.0, 39.0), (38.0, 39.5), (45.0, 41.5))),
    ("Hejaz and Yemen highlands", 1300.0, 200.0, ((37.0, 27.0), (41.0, 20.0), (44.0, 14.0))),
    ("Deccan Plateau", 600.0, 350.0, ((74.5, 19.0), (77.5, 14.0))),
    ("Central Siberian Plateau", 600.0, 550.0, ((95.0, 64.0), (108.0, 62.0))),
    ("East Siberian mountains", 1000.0, 450.0, ((128.0, 62.0), (145.0, 64.0), (162.0, 64.0))),
    ("Urals", 600.0, 120.0, ((59.0, 51.0), (60.0, 60.0), (64.0, 67.0))),
    ("New Guinea highlands", 2500.0, 200.0, ((136.0, -4.0), (146.0, -6.0))),
    ("Borneo and Sumatra ranges", 1000.0, 200.0, ((96.0, 4.0), (102.0, -2.0), (105.0, -5.0))),
    # Europe
    ("Alps", 1800.0, 130.0, ((6.0, 45.0), (10.0, 46.5), (15.0, 47.0))),
    ("Scandinavian mountains", 900.0, 180.0, ((7.0, 60.0), (14.0, 64.0), (19.0, 68.0))),
    ("Iberian Meseta", 700.0, 300.0, ((-5.0, 40.0),)),
    # Africa
    ("Ethiopian Highlands", 2200.0, 400.0, ((37.0, 7.0), (39.0, 11.5))),
    ("East African Plateau", 1300.0, 550.0, ((35.0, 2.0), (34.0, -5.0), (33.0, -12.0))),
    ("Southern African Plateau", 1200.0, 650.0, ((18.0, -22.0), (25.0, -26.0), (30.0, -24.0))),
    ("Atlas", 1500.0, 180.0, ((-8.0, 31.0), (0.0, 34.0), (8.0, 35.5))),
    ("Ahaggar and Tibesti", 1000.0, 300.0, ((5.0, 23.5), (18.0, 21.0))),
    # The Americas
    ("Western Cordillera", 1900.0, 450.0, ((-150.0, 62.0), (-135.0, 60.0), (-124.0, 52.0), (-114.0, 45.0),
                                           (-109.0, 38.0), (-106.0, 32.0))),
    ("Alaska Range", 1500.0, 250.0, ((-155.0, 63.0), (-143.0, 62.0))),
    ("Mexican Plateau", 1800.0, 350.0, ((-106.0, 28.0), (-101.0, 22.0), (-97.0, 18.0))),
    ("Appalachians", 600.0, 200.0, ((-86.0, 34.0), (-80.0, 37.5), (-74.0, 42.0), (-69.0, 46.0))),
    ("Andes", 3000.0, 220.0, ((-73.0, 10.0), (-77.0, 3.0), (-79.0, -5.0), (-75.0, -13.0), (-69.0, -18.0),
                              (-68.0, -26.0), (-70.0, -34.0), (-71.5, -42.0), (-73.0, -50.0))),
    ("Altiplano", 3800.0, 300.0, ((-69.5, -15.5), (-67.5, -21.0))),
    ("Brazilian Highlands", 900.0, 600.0, ((-48.0, -14.0), (-43.0, -20.0))),
    ("Guiana Highlands", 900.0, 300.0, ((-63.0, 5.0), (-58.0, 4.0))),
    # Oceania and the poles
    ("Great Dividing Range", 700.0, 180.0, ((146.0, -38.0), (150.0, -31.0), (146.0, -20.0))),
    ("Greenland's ice", 2400.0, 500.0, ((-42.0, 65.0), (-40.0, 72.0), (-38.0, 78.0))),
)


def _unit(lon_deg: float, lat_deg: float) -> np.ndarray:
    return sphere.lonlat_pos(np.radians(lon_deg), np.radians(lat_deg))


def polyline_distance(pos: np.ndarray, course) -> np.ndarray:
    """Great-circle angle [rad] from each unit vector of `pos` (..., 3) to a polyline of (lon, lat)
    degrees (one point: to that point): the least over its arcs of the distance to the arc."""
    pts = [_unit(*p) for p in course]
    best = np.full(pos.shape[:-1], np.pi)
    for a in pts:
        best = np.minimum(best, np.arccos(np.clip(pos @ a, -1.0, 1.0)))
    for a, b in zip(pts[:-1], pts[1:], strict=True):
        n = np.cross(a, b)
        n /= np.linalg.norm(n)
        off = pos @ n                                  # sin of the angle off the arc's great circle
        foot = pos - off[..., None] * n                # the projection onto that great circle
        # The foot lies on the arc between a and b when it is on a's far side from b's end and back.
        inside = (np.cross(a, foot) @ n >= 0.0) & (np.cross(foot, b) @ n >= 0.0)
        best = np.where(inside, np.minimum(best, np.arcsin(np.clip(np.abs(off), 0.0, 1.0))), best)
    return best


def plateau_profile(x: np.ndarray) -> np.ndarray:
    """p(x): 1 up to PLATEAU, then smoothstep down to 0 at x = 1 (x = distance / half-width)."""
    t = np.clip((1.0 - x) / (1.0 - PLATEAU), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def highland_height(w: int, h: int, radius_km: float) -> np.ndarray:
    """[m] the highest belt's height at each cell of a (w, h) grid (row 0 = south), 0 away from them."""
    pos = sphere.cell_pos(w, h)
    out = np.zeros((h, w))
    for _name, height, half_width, course in HIGHLANDS:
        d = polyline_distance(pos, course) * radius_km
        out = np.maximum(out, height * plateau_profile(d / half_width))
    return out


def relief(land: np.ndarray, coast_km: np.ndarray, procedural: np.ndarray, radius_km: float) -> np.ndarray:
    """[m relative to sea level] the sketched height of every cell (see the module doc).
    land: (H, W) bool; coast_km: distance to the coastline [km] (on land to the sea, at sea to the land);
    procedural: the protoplanet's relief [m relative to sea level], shifted to the mask's coastline."""
    h, w = land.shape
    lowland = LOWLAND_COAST + LOWLAND_RISE * (1.0 - np.exp(-coast_km / LOWLAND_SCALE))
    hills = DETAIL * np.maximum(procedural, 0.0)
    height = np.maximum(lowland, highland_height(w, h, radius_km)) + hills
    floor = np.median(procedural[~land]) if (~land).any() else 0.0
    depth = SHELF_DEPTH + (ABYSS_DEPTH - SHELF_DEPTH) * (1.0 - np.exp(-coast_km / SLOPE_SCALE))
    # The ridges and basins grow with the depth (none on the shelf); where the protoplanet had land, none.
    sea = np.minimum(-depth + SEA_DETAIL * (np.minimum(procedural, 0.0) - floor) * depth / ABYSS_DEPTH, -1.0)
    return np.where(land, height, sea)

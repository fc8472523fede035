"""Today's Earth's land and sea: the land mask of the PyPI package `global-land-mask`, cached as a PNG.

`global-land-mask` (T. Karin, https://github.com/toddkarin/global-land-mask) ships inside its wheel a
boolean ocean mask of the whole globe at 30 arc-seconds (21600 x 43200 pixels) derived from NOAA's GLOBE
1-km digital elevation model (Hastings & Dunbar 1999). It holds no elevation, only land or sea (most
lakes count as land). Its pixel k of row r covers lon [-180 + k/120, -180 + (k+1)/120] and
lat [90 - (r+1)/120, 90 - r/120] (the package indexes lat = 90 - r/120 and truncates), which is
exactly planet.maps' image convention: row 0 = north, column 0 = lon -180, "pixel is area".

At first use (`provide`, called by planet.maps.read_mask for a missing file of this name) the mask is
reduced by whole 10 x 10 blocks to a 4320 x 2160 (5 arc-minute) greyscale PNG of the land fraction
(0 = all sea, 255 = all land) in the cache folder named by the scene (scenes/earth_today.toml:
~/.cache/planet/). planet.maps.read_mask reads it as land where at least half of a block is land; the
terrain import resamples that onto the grid. The reduction is exact integer counting, so the file is
the same on every machine; it is built once (about 7 s and 1 GB of memory for the package's array),
written atomically, and never committed.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .atomic import write_png_atomic
from .errors import PlanetError

MASK_NAME = "global-land-mask-4320x2160.png"  # the cached file's name (what `provide` knows how to build)
SCENE_PATH = "~/.cache/planet/" + MASK_NAME   # where scenes/earth_today.toml keeps it
BLOCK = 10          # source pixels per cached pixel, each way (30" -> 5')
SOURCE_SHAPE = (21600, 43200)
STRIP = 108         # cached rows reduced at a time (bounds the int32 temporaries)


def _source() -> np.ndarray:
    """The package's ocean mask, bool (21600, 43200), True = ocean, row 0 = north."""
    try:
        from global_land_mask import globe
    except ImportError:
        raise PlanetError("today's Earth needs the package global-land-mask (pip install global-land-mask; "
                          "it is a dependency of planet)") from None
    mask = globe._mask  # the array the package's is_land() indexes; no public accessor for the whole grid
    if mask.shape != SOURCE_SHAPE or mask.dtype != bool:
        raise PlanetError(f"global-land-mask: expected a bool {SOURCE_SHAPE} mask, found {mask.dtype} {mask.shape}; "
                          "an unknown version of the package")
    return mask


def land_fraction(ocean: np.ndarray, block: int = BLOCK) -> np.ndarray:
    """Land fraction 0..1 of each whole block x block tile of a bool ocean mask (row 0 = north), float64."""
    h, w = ocean.shape
    if h % block or w % block:
        raise ValueError(f"mask {w}x{h} is not a whole number of {block}x{block} blocks")
    rows, cols = h // block, w // block
    sea = np.empty((rows, cols), np.int64)
    for r in range(0, rows, STRIP):
        n = min(STRIP, rows - r)
        strip = ocean[r * block:(r + n) * block].reshape(n, block, cols, block)
        sea[r:r + n] = strip.sum(axis=(1, 3), dtype=np.int32)
    return 1.0 - sea / float(block * block)


def build(path) -> Path:
    """Write the cached land-fraction PNG at `path` (folders made as needed); returns the path."""
    path = Path(path).expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PlanetError(f"{path.parent}: cannot make the cache folder for today's Earth's land mask "
                          f"({exc.strerror or exc})") from None
    grey = np.rint(land_fraction(_source()) * 255.0).astype(np.uint8)
    write_png_atomic(path, grey)
    return path


def provide(path) -> Path:
    """`path`, built first if it is a missing cached global-land-mask file (by its name); else as is."""
    path = Path(path)
    if path.name == MASK_NAME and not path.exists():
        build(path)
    return path

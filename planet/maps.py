"""Equirectangular maps in and out of planet: images, resampling, cube faces.

Conventions. Grids and fields have row 0 = SOUTH (DESIGN.md §4); images have row 0 = NORTH. Pixel
(i, j) of a W x H image covers lon [-180 + i*360/W, -180 + (i+1)*360/W] and lat
[90 - (j+1)*180/H, 90 - j*180/H] ("pixel is area"); a map must be twice as wide as tall.

- `sample` is planet.grid's bilinear sample (the NumPy twin of shaders/common/grid.glsl `grid_sample`)
  at lon/lat in degrees: longitude wraps, and past a pole row it continues on the opposite meridian.
  `resample` uses it to take any 2:1 image onto any grid. Cell geometry is planet.grid's.
- Reading: `read_heightmap` (.tif/.tiff in metres, or a greyscale .png with a JSON sidecar giving
  `offset` and `step` in metres) and `read_mask` (land where the image is at least half white).
- Writing: `encode16` (16-bit grey + offset/step) and `cube_directions` (OpenGL cube-map faces).
  All-or-nothing file writes are planet.atomic's; GeoTIFFs are in planet.geotiff.
"""
from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np

from . import geotiff
from . import grid as sphere
from .errors import PlanetError
from .params import show

HEIGHTMAP_EXTS = (".png", ".tif", ".tiff")
# Imported elevations must lie within +-MAX_ELEVATION m of sea level (Earth spans -11 km..+9 km; far
# past this the simulation's heights, slopes and fluxes leave float32's range and turn to NaN).
MAX_ELEVATION = 100_000.0
FACES = ("px", "nx", "py", "ny", "pz", "nz")  # +X -X +Y -Y +Z -Z, the OpenGL cube-map face order


# -- geometry ---------------------------------------------------------------------------------------

def cell_lonlat(grid: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude [deg] of every cell centre of a (W, H) grid, each (H, W), row 0 = south."""
    return tuple(np.degrees(a) for a in sphere.cell_lonlat(*grid))


def cell_area_weights(h: int) -> np.ndarray:
    """Relative area of each row of an equirectangular grid (row 0 = south), summing to 1."""
    return sphere.area_weights(h)


def sample(src: np.ndarray, lon, lat) -> np.ndarray:
    """Bilinear sample of `src` ((h, w), row 0 = south) at lon/lat [deg], in float64.
    Longitude wraps; a row past a pole continues on the opposite meridian (planet.grid.sample)."""
    h, w = np.shape(src)
    gx = (np.asarray(lon, dtype=np.float64) + 180.0) / 360.0 * w
    gy = (np.asarray(lat, dtype=np.float64) + 90.0) / 180.0 * h
    return sphere.sample(src, gx, gy)


def resample(image: np.ndarray, grid: tuple[int, int]) -> np.ndarray:
    """An equirectangular image ((h, w), row 0 = north) onto a (W, H) grid: float64 (H, W), row 0 = south."""
    lon, lat = cell_lonlat(grid)
    return sample(np.asarray(image)[::-1], lon, lat)


def to_image(values: np.ndarray) -> np.ndarray:
    """A grid array (row 0 = south) as an image array (row 0 = north)."""
    return np.ascontiguousarray(np.asarray(values)[::-1])


def cube_directions(n: int) -> dict[str, np.ndarray]:
    """{face: (n, n, 3) planet-frame unit vectors} for the six faces of an n x n cube map.

    OpenGL convention (GL_TEXTURE_CUBE_MAP_POSITIVE_X ...): image row j, column i of a face is
    t = (j + 1/2)/n, s = (i + 1/2)/n; the cube-map direction d is +X: (1, -tc, -sc), -X: (-1, -tc, sc),
    +Y: (sc, 1, tc), -Y: (sc, -1, -tc), +Z: (sc, -tc, 1), -Z: (-sc, -tc, -1) with sc = 2s-1, tc = 2t-1.
    Cube space is Y-up and right-handed: d = (p.x, p.z, -p.y) for a planet position p (z = north,
    x = lon 0 on the equator), so +Y is the north pole, +X (lat 0, lon 0), -Z (lat 0, lon 90 E)."""
    c = (np.arange(n) + 0.5) / n * 2.0 - 1.0
    sc, tc = np.meshgrid(c, c)  # sc varies along columns, tc along rows
    one = np.ones_like(sc)
    cube = {
        "px": (one, -tc, -sc), "nx": (-one, -tc, sc),
        "py": (sc, one, tc), "ny": (sc, -one, -tc),
        "pz": (sc, -tc, one), "nz": (-sc, -tc, -one),
    }
    out = {}
    for face, (dx, dy, dz) in cube.items():
        p = np.stack([dx, -dz, dy], axis=-1)  # cube (x, y, z) -> planet (x, -z, y)
        out[face] = p / np.linalg.norm(p, axis=-1, keepdims=True)
    return out


def sample_directions(values: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Bilinear sample of a grid array (row 0 = south) along planet-frame directions p (..., 3)."""
    h, w = np.shape(values)
    return sphere.sample(values, *sphere.lonlat_to_grid(*sphere.pos_lonlat(p), w, h))


# -- 16-bit encoding --------------------------------------------------------------------------------

def encode16(values: np.ndarray, what: str) -> tuple[np.ndarray, float, float]:
    """(uint16 array, offset, step) with value ~= offset + step * grey, grey 0 at the minimum and 65535
    at the maximum (a constant array: step 1). Rounds to the nearest step (error <= step / 2)."""
    v = np.asarray(values, dtype=np.float64)
    bad = int(np.count_nonzero(~np.isfinite(v)))
    if bad:
        raise PlanetError(f"{what}: {bad} cells are NaN or infinite; cannot encode it as an image")
    lo, hi = float(v.min()), float(v.max())
    step = (hi - lo) / 65535.0 if hi > lo else 1.0
    grey = np.clip(np.rint((v - lo) / step), 0, 65535).astype(np.uint16)
    return grey, lo, step


def map_metadata(shape: tuple[int, int]) -> dict:
    """The equirectangular layout of an image of `shape` (h, w), for JSON sidecars."""
    h, w = shape
    return {"width": w, "height": h, "projection": "equirectangular (plate carree), geographic lat/lon",
            "row0": "north", "column0": "lon -180", "pixel_registration": "area",
            "lon_range": [-180.0, 180.0], "lat_range": [-90.0, 90.0],
            "pixel_size_deg": [360.0 / w, 180.0 / h]}


def json_text(data: dict) -> str:
    return json.dumps(data, indent=2, allow_nan=False) + "\n"


# -- reading ----------------------------------------------------------------------------------------

def _open_image(path: Path, where: str):
    from PIL import Image, UnidentifiedImageError

    if not path.is_file():
        raise PlanetError(f"{where}: {path}: " + ("not a file" if path.exists() else "file not found"))
    try:
        with warnings.catch_warnings():  # Pillow warns about odd metadata; the pixels are what count
            warnings.simplefilter("ignore")
            im = Image.open(path)
            im.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise PlanetError(f"{where}: {path}: cannot read the image ({str(exc).strip() or type(exc).__name__})") from None
    w, h = im.size
    if w != 2 * h:
        raise PlanetError(f"{where}: {path}: the image is {w}x{h}; an equirectangular map must be twice as "
                          f"wide as tall (W = 2H, e.g. {2 * h}x{h})")
    return im


def _pixels(im, path: Path, where: str) -> np.ndarray:
    try:
        return np.array(im)
    except (OSError, ValueError, TypeError) as exc:
        raise PlanetError(f"{where}: {path}: cannot decode the pixels of mode {im.mode!r} ({exc})") from None


def read_heightmap(path, where: str) -> np.ndarray:
    """Elevation [m relative to sea level] as float64 (h, w), row 0 = north.

    .tif/.tiff: a single-band image whose values are metres; GeoTIFF tags, when present, must place
    it on the whole globe. .png: an 8- or 16-bit greyscale image with a sidecar <name>.json holding
    `offset` and `step` (metres = offset + step * grey), as `planet export heightmap` writes."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in HEIGHTMAP_EXTS:
        raise PlanetError(f"{where}: {path}: unsupported heightmap type {suffix!r}; valid: {', '.join(HEIGHTMAP_EXTS)}")
    im = _open_image(path, where)
    if im.mode not in ("L", "I", "I;16", "I;16L", "I;16B", "I;16S", "F"):
        raise PlanetError(f"{where}: {path}: a heightmap must be single-channel greyscale; this image is "
                          f"mode {im.mode!r} (valid: 8/16-bit grey, 32-bit integer or float)")
    if suffix == ".png":
        offset, step = _png_scale(path, im.size, where)
        z = offset + step * _pixels(im, path, where).astype(np.float64)
    else:
        geotiff.check_extent(im, path, where)
        z = _pixels(im, path, where).astype(np.float64)
        nodata = im.tag_v2.get(42113)  # GDAL_NODATA, an ASCII number
        if nodata is not None:
            try:
                nd = float(str(nodata).strip("\x00 "))
            except ValueError:
                nd = None
            if nd is not None and np.any(z == nd):
                raise PlanetError(f"{where}: {path}: {int(np.count_nonzero(z == nd))} pixels are no-data ({nd:g}); "
                                  "fill them first (planet needs an elevation everywhere)")
    bad = int(np.count_nonzero(~np.isfinite(z)))
    if bad:
        raise PlanetError(f"{where}: {path}: {bad} pixels are NaN or infinite; fill them first")
    lo, hi = float(z.min()), float(z.max())
    if lo < -MAX_ELEVATION or hi > MAX_ELEVATION:
        raise PlanetError(f"{where}: {path}: elevations {lo:.4g}..{hi:.4g} m are outside the limit of "
                          f"+-{MAX_ELEVATION:.0f} m of sea level (values in metres relative to sea level?)")
    return z


def sidecar_path(path) -> Path:
    """The JSON sidecar of an image: same folder and name, suffix .json."""
    return Path(path).with_suffix(".json")


def _png_scale(path: Path, size: tuple[int, int], where: str) -> tuple[float, float]:
    side = sidecar_path(path)
    if not side.is_file():
        raise PlanetError(f"{where}: {path}: a PNG heightmap needs the sidecar {side} with the metres per grey "
                          'step, e.g. {"offset": -11000, "step": 0.5, "unit": "m"} (planet export writes it), '
                          "or use a float32 .tif in metres")
    try:
        meta = json.loads(side.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PlanetError(f"{where}: {side}: not valid JSON ({exc})") from None
    if not isinstance(meta, dict):
        raise PlanetError(f"{where}: {side}: expected a JSON object with keys offset, step")
    vals = {}
    for key in ("offset", "step"):
        v = meta.get(key)
        try:   # (an integer too large for a float overflows: not a finite number either)
            finite = not isinstance(v, bool) and isinstance(v, (int, float)) and math.isfinite(float(v))
        except OverflowError:
            finite = False
        if not finite:
            raise PlanetError(f"{where}: {side}: key '{key}' must be a finite number [m], got {show(v)}")
        vals[key] = float(v)
    if not 0 < vals["step"] <= 2 * MAX_ELEVATION:
        raise PlanetError(f"{where}: {side}: step must be in (0, {2 * MAX_ELEVATION:.0f}] m per grey step, "
                          f"got {vals['step']!r}")
    if abs(vals["offset"]) > MAX_ELEVATION:
        raise PlanetError(f"{where}: {side}: offset must be within +-{MAX_ELEVATION:.0f} m of sea level, "
                          f"got {vals['offset']!r}")
    if meta.get("unit", "m") != "m":
        raise PlanetError(f"{where}: {side}: unit must be 'm' (metres relative to sea level), got {show(meta['unit'])}")
    w, h = size
    if (meta.get("width", w), meta.get("height", h)) != (w, h):
        raise PlanetError(f"{where}: {side}: describes a {show(meta.get('width'))}x{show(meta.get('height'))} image but "
                          f"{path.name} is {w}x{h}; the sidecar belongs to another image")
    return vals["offset"], vals["step"]


def read_mask(path, where: str) -> np.ndarray:
    """A land mask as bool (h, w), row 0 = north: land where the image is at least half of full scale
    (grey; colour images use the mean of R, G, B; alpha is ignored; float images: >= 0.5)."""
    from .earth_mask import provide

    path = provide(Path(path))  # today's Earth's mask is built into its cache at first use
    suffix = path.suffix.lower()
    if suffix not in HEIGHTMAP_EXTS:
        raise PlanetError(f"{where}: {path}: unsupported land-mask type {suffix!r}; valid: {', '.join(HEIGHTMAP_EXTS)}")
    im = _open_image(path, where)
    if suffix != ".png":
        geotiff.check_extent(im, path, where)
    if im.mode == "P":
        im = im.convert("RGBA")
    a = _pixels(im, path, where)
    if a.ndim == 3:
        a = a[..., :3].mean(axis=-1) if a.shape[-1] >= 3 else a[..., 0]
        full = 255.0
    elif a.dtype == bool:
        full = 1.0
    elif a.dtype == np.uint8:
        full = 255.0
    elif np.issubdtype(a.dtype, np.integer):
        full = 32767.0 if a.dtype == np.int16 else 65535.0  # Pillow reads 16-bit PNGs as uint16 or int32
    else:
        full = 1.0
    a = a.astype(np.float64)
    if not np.isfinite(a).all():
        raise PlanetError(f"{where}: {path}: the land mask has NaN or infinite pixels")
    return a >= 0.5 * full


# -- writing ----------------------------------------------------------------------------------------

"""Float32 GeoTIFFs for planet's equirectangular maps: tifffile writes them with the GeoTIFF tags GIS
tools need; and the extent check for GeoTIFFs imported as heightmaps or land masks.

Readers such as GDAL, QGIS and Pillow see a little-endian, uncompressed, single-band float32 TIFF with
  ModelPixelScaleTag (33550)   (360/W, 180/H, 0) degrees per pixel
  ModelTiepointTag   (33922)   raster (0, 0) -> (lon -180, lat +90): pixel (0, 0)'s outer corner
  GeoKeyDirectoryTag (34735)   geographic model, pixel-is-area, WGS 84 (EPSG:4326), degrees
and no DateTime, so the same state gives the same bytes.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .errors import PlanetError

GEOKEYS = (
    (1024, 0, 1, 2),     # GTModelTypeGeoKey = ModelTypeGeographic
    (1025, 0, 1, 1),     # GTRasterTypeGeoKey = RasterPixelIsArea
    (2048, 0, 1, 4326),  # GeographicTypeGeoKey = GCS_WGS_84 (EPSG:4326)
    (2054, 0, 1, 9102),  # GeogAngularUnitsGeoKey = Angular_Degree
)


def write_geotiff(fh, values: np.ndarray, description: str = "") -> None:
    """Write a float32 image ((h, w), row 0 = north) to the binary file `fh` as a GeoTIFF:
    ModelPixelScale (360/w, 180/h), ModelTiepoint pixel corner (0, 0) -> (lon -180, lat 90), and a
    GeoKeyDirectory for geographic lat/lon on WGS 84 (EPSG:4326), pixel-is-area, degrees."""
    import tifffile

    data = np.ascontiguousarray(values, dtype="<f4")
    h, w = data.shape
    rows_per_strip = max(1, min(h, 65536 // (4 * w)))  # ~64 KiB strips, as GDAL likes them
    geo = [1, 1, 0, len(GEOKEYS)] + [v for key in GEOKEYS for v in key]
    extratags = [  # (code, TIFF type, count, value, writeonce); 12 = DOUBLE, 3 = SHORT
        (33550, 12, 3, (360.0 / w, 180.0 / h, 0.0), True),
        (33922, 12, 6, (0.0, 0.0, 0.0, -180.0, 90.0, 0.0), True),
        (34735, 3, len(geo), geo, True),
    ]
    tifffile.imwrite(fh, data, byteorder="<", photometric="minisblack", compression=None,
                     rowsperstrip=rows_per_strip,
                     description=description.encode("ascii", "replace"), datetime=None, software="planet",
                     metadata=None, resolution=None, extratags=extratags)


def check_extent(im, path: Path, where: str) -> None:
    """Refuse a GeoTIFF (a Pillow image) that is projected or does not cover the whole globe, row 0 north."""
    tags = im.tag_v2
    scale, tie, keys = tags.get(33550), tags.get(33922), tags.get(34735)
    geokeys = {}
    if keys is not None and len(keys) >= 4:
        for k in range(keys[3]):
            key = tuple(keys[4 + 4 * k: 8 + 4 * k])
            if len(key) == 4 and key[1] == 0:
                geokeys[key[0]] = key[3]
    if geokeys.get(1024) == 1:
        raise PlanetError(f"{where}: {path}: the GeoTIFF is in a projected CRS; planet needs geographic "
                          "lat/lon (equirectangular, EPSG:4326)")
    if scale is None or tie is None or len(scale) < 2 or len(tie) < 6:
        return  # no georeferencing: taken as the whole globe, row 0 = north
    sx, sy = float(scale[0]), float(scale[1])
    left, top = float(tie[3]) - float(tie[0]) * sx, float(tie[4]) + float(tie[1]) * sy
    if geokeys.get(1025) == 2:  # RasterPixelIsPoint: the tie point is a pixel centre
        left, top = left - sx / 2, top + sy / 2
    w, h = im.size
    right, bottom = left + w * sx, top - h * sy
    tol_x, tol_y = 0.01 * abs(sx), 0.01 * abs(sy)
    if not (abs(left + 180) <= tol_x and abs(right - 180) <= tol_x and abs(top - 90) <= tol_y
            and abs(bottom + 90) <= tol_y):
        raise PlanetError(f"{where}: {path}: the GeoTIFF covers lon [{left:g}, {right:g}], lat [{bottom:g}, {top:g}]; "
                          "planet needs the whole globe, lon [-180, 180] and lat [-90, 90] with row 0 at the north")

"""Float32 GeoTIFFs for planet's equirectangular maps: a small baseline TIFF writer with the GeoTIFF
tags GIS tools need, and the extent check for GeoTIFFs imported as heightmaps or land masks.

The writer is self-contained (struct + NumPy) so the bytes are exactly specified and the same state
gives the same file; readers such as GDAL, QGIS and Pillow see:
  ModelPixelScaleTag (33550)   (360/W, 180/H, 0) degrees per pixel
  ModelTiepointTag   (33922)   raster (0, 0) -> (lon -180, lat +90): pixel (0, 0)'s outer corner
  GeoKeyDirectoryTag (34735)   geographic model, pixel-is-area, WGS 84 (EPSG:4326), degrees
"""
from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

from .errors import PlanetError

_TIFF_TYPES = {2: ("s", 1), 3: ("H", 2), 4: ("I", 4), 12: ("d", 8)}  # ASCII, SHORT, LONG, DOUBLE


def write_geotiff(fh, values: np.ndarray, description: str = "") -> None:
    """Write a float32 image ((h, w), row 0 = north) as a little-endian baseline TIFF with GeoTIFF tags:
    ModelPixelScale (360/w, 180/h), ModelTiepoint pixel corner (0, 0) -> (lon -180, lat 90), and a
    GeoKeyDirectory for geographic lat/lon on WGS 84 (EPSG:4326), pixel-is-area, degrees."""
    data = np.ascontiguousarray(values, dtype="<f4")
    h, w = data.shape
    rows_per_strip = max(1, min(h, 65536 // (4 * w)))
    nstrips = (h + rows_per_strip - 1) // rows_per_strip
    strip_bytes = [4 * w * min(rows_per_strip, h - s * rows_per_strip) for s in range(nstrips)]
    if data.nbytes > 2**32 - 2**20:
        raise PlanetError(f"a {w}x{h} float32 TIFF is over 4 GiB; export a smaller grid")
    geokeys = [
        (1024, 0, 1, 2),     # GTModelTypeGeoKey = ModelTypeGeographic
        (1025, 0, 1, 1),     # GTRasterTypeGeoKey = RasterPixelIsArea
        (2048, 0, 1, 4326),  # GeographicTypeGeoKey = GCS_WGS_84 (EPSG:4326)
        (2054, 0, 1, 9102),  # GeogAngularUnitsGeoKey = Angular_Degree
    ]
    geo = [1, 1, 0, len(geokeys)] + [v for key in geokeys for v in key]
    desc = description.encode("ascii", "replace") + b"\0"
    software = b"planet\0"
    entries = [  # (tag, type, values) in ascending tag order
        (256, 4, [w]), (257, 4, [h]), (258, 3, [32]), (259, 3, [1]), (262, 3, [1]),
        (270, 2, desc), (273, 4, [0] * nstrips), (277, 3, [1]), (278, 4, [rows_per_strip]),
        (279, 4, strip_bytes), (284, 3, [1]), (305, 2, software), (339, 3, [3]),
        (33550, 12, [360.0 / w, 180.0 / h, 0.0]),
        (33922, 12, [0.0, 0.0, 0.0, -180.0, 90.0, 0.0]),
        (34735, 3, geo),
    ]
    ifd_at = 8
    extra_at = ifd_at + 2 + 12 * len(entries) + 4
    # Lay out the values too long for an entry's 4 bytes after the IFD, then the pixel strips.
    blobs, offsets, pos = [], {}, extra_at
    for tag, typ, vals in entries:
        fmt, size = _TIFF_TYPES[typ]
        n = len(vals)
        if n * size > 4:
            offsets[tag] = pos
            pos += n * size + (n * size) % 2
    data_at = pos + (-pos) % 8
    strip_offsets, p = [], data_at
    for nb in strip_bytes:
        strip_offsets.append(p)
        p += nb
    entries = [(tag, typ, strip_offsets if tag == 273 else vals) for tag, typ, vals in entries]

    out = bytearray(b"II*\0" + struct.pack("<I", ifd_at))
    out += struct.pack("<H", len(entries))
    for tag, typ, vals in entries:
        fmt, size = _TIFF_TYPES[typ]
        n = len(vals)
        raw = bytes(vals) if typ == 2 else struct.pack(f"<{n}{fmt}", *vals)
        if n * size > 4:
            out += struct.pack("<HHII", tag, typ, n, offsets[tag])
            blobs.append(raw + b"\0" * (len(raw) % 2))
        else:
            out += struct.pack("<HHI", tag, typ, n) + raw.ljust(4, b"\0")
    out += struct.pack("<I", 0)  # no next IFD
    for blob in blobs:
        out += blob
    out += b"\0" * (data_at - len(out))
    fh.write(out)
    fh.write(data.tobytes())



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



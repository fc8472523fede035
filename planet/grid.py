"""The sphere grid in NumPy (float64): the twin of shaders/common/grid.glsl (DESIGN.md §4).

Equirectangular, W = 2H cells. Cell (i, j) is centred at
  lon = -pi + (i + 1/2) 2pi / W,   lat = -pi/2 + (j + 1/2) pi / H   [radians],   row 0 = south.
Longitude wraps; across a pole the neighbour of (i, H-1) going north is (i + W/2 mod W, H-1), and
likewise at row 0 going south. Per-cell arrays are shaped (H, W), per-row arrays (H,); positions and
vectors carry a last axis of 3 (z = north pole, x = lon 0 on the equator). Maps (planet.maps) and the
tests' references use these functions; nothing else in Python re-implements them.
"""
from __future__ import annotations

import numpy as np

# The 8 neighbour steps (east, north), counter-clockwise from east: E, NE, N, NW, W, SW, S, SE (GRID_D8).
D8 = ((1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1), (0, -1), (1, -1))


# -- cells and coordinates ---------------------------------------------------------------------------

def cell_lon(i, W: int):
    """Longitude [radians] of the centre of column i (any integer array)."""
    return -np.pi + (np.asarray(i) + 0.5) * 2 * np.pi / W


def cell_lat(j, H: int):
    """Latitude [radians] of the centre of row j (any integer array; row 0 = south)."""
    return -np.pi / 2 + (np.asarray(j) + 0.5) * np.pi / H


def cell_ij(W: int, H: int) -> tuple[np.ndarray, np.ndarray]:
    """Column and row index of every cell, each (H, W)."""
    j, i = np.mgrid[0:H, 0:W]
    return i, j


def cell_lonlat(W: int, H: int) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude [radians] of every cell centre, each (H, W) (cell_lonlat in GLSL)."""
    i, j = cell_ij(W, H)
    return cell_lon(i, W), cell_lat(j, H)


def lonlat_pos(lon, lat) -> np.ndarray:
    """Unit-sphere position (..., 3) of a longitude/latitude [radians]."""
    lon, lat = np.broadcast_arrays(lon, lat)
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)


def cell_pos(W: int, H: int) -> np.ndarray:
    """Unit-sphere position of every cell centre, (H, W, 3)."""
    return lonlat_pos(*cell_lonlat(W, H))


def pos_lonlat(p) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude [radians] of (not necessarily unit) 3-D directions p (..., 3)."""
    p = np.asarray(p)
    return np.arctan2(p[..., 1], p[..., 0]), np.arcsin(np.clip(p[..., 2] / np.linalg.norm(p, axis=-1), -1, 1))


def lonlat_to_grid(lon, lat, W: int, H: int) -> tuple[np.ndarray, np.ndarray]:
    """Continuous grid coordinate (texel units, cell centres at +0.5) of a longitude/latitude [radians]."""
    return (np.asarray(lon) + np.pi) / (2 * np.pi) * W, (np.asarray(lat) + np.pi / 2) / np.pi * H


def tangent_east(lon, lat) -> np.ndarray:
    """Unit east vector (..., 3) at a longitude/latitude [radians] (finite at the poles too)."""
    lon, _ = np.broadcast_arrays(lon, lat)
    return np.stack([-np.sin(lon), np.cos(lon), np.zeros_like(lon, dtype=np.float64)], axis=-1)


def tangent_north(lon, lat) -> np.ndarray:
    """Unit north vector (..., 3) at a longitude/latitude [radians]."""
    lon, lat = np.broadcast_arrays(lon, lat)
    return np.stack([-np.sin(lat) * np.cos(lon), -np.sin(lat) * np.sin(lon), np.cos(lat)], axis=-1)


# -- metric --------------------------------------------------------------------------------------------

def cell_dx_km(W: int, H: int, radius: float) -> np.ndarray:
    """East-west spacing of each row [km], (H,): R cos(lat) 2pi / W."""
    return radius * np.cos(cell_lat(np.arange(H), H)) * 2 * np.pi / W


def cell_dy_km(H: int, radius: float) -> float:
    """North-south spacing [km]: R pi / H."""
    return radius * np.pi / H


def row_edge_dx_km(W: int, H: int, radius: float) -> np.ndarray:
    """East-west length [km] of the boundary below each row j = 0..H (H + 1,): R cos(lat_(j-1/2)) 2pi / W,
    exactly 0 at the poles (j = 0 and j = H), so finite-volume fluxes never cross a pole."""
    edge = radius * np.cos(-np.pi / 2 + np.arange(H + 1) * np.pi / H) * 2 * np.pi / W
    edge[0] = edge[-1] = 0.0
    return edge


def cell_area_km2(W: int, H: int, radius: float) -> np.ndarray:
    """Exact area of a cell in each row [km^2], (H,): R^2 (sin lat_top - sin lat_bottom) 2pi / W, written as
    2 cos(lat) sin(dlat / 2) (no cancellation next to the poles), as in grid.glsl."""
    return radius * radius * (2 * np.cos(cell_lat(np.arange(H), H)) * np.sin(0.5 * np.pi / H)) * 2 * np.pi / W


def area_weights(H: int) -> np.ndarray:
    """Share of the sphere's area in each row, (H,), summing to 1 (a cell's share is this / W)."""
    return np.cos(cell_lat(np.arange(H), H)) * np.sin(0.5 * np.pi / H)


def distance_km(p, q, radius: float) -> np.ndarray:
    """Great-circle distance [km] between unit vectors p and q (..., 3), in the chord form of
    cell_distance_km (accurate for neighbours)."""
    chord = np.linalg.norm(np.asarray(p) - np.asarray(q), axis=-1)
    return 2 * radius * np.arcsin(np.minimum(0.5 * chord, 1.0))


# -- neighbours -------------------------------------------------------------------------------------------

def wrap(i, j, W: int, H: int) -> tuple[np.ndarray, np.ndarray]:
    """grid_wrap on integer (arrays of) cells less than one grid away: a row past a pole continues on the
    opposite meridian, longitude wraps."""
    i, j = np.asarray(i, np.int64), np.asarray(j, np.int64)
    south, north = j < 0, j >= H
    j = np.where(south, -1 - j, np.where(north, 2 * H - 1 - j, j))
    i = np.where(south | north, i + W // 2, i)
    return np.mod(i, W), j


def neighbour(W: int, H: int, d) -> tuple[np.ndarray, np.ndarray]:
    """(column, row) of every cell's neighbour d = (east, north) cells away, each (H, W)."""
    i, j = cell_ij(W, H)
    return wrap(i + d[0], j + d[1], W, H)


# -- sampling and moving --------------------------------------------------------------------------------

def sample(src, gx, gy) -> np.ndarray:
    """Bilinear sample of src ((H, W), row 0 = south) at continuous grid coordinates (cell centres at
    +0.5, as lonlat_to_grid gives), in float64: longitude wraps, a row past a pole continues on the
    opposite meridian (grid_sample in GLSL); rows further out clamp."""
    src = np.asarray(src, dtype=np.float64)
    h, w = src.shape
    gx, gy = np.asarray(gx, dtype=np.float64) - 0.5, np.asarray(gy, dtype=np.float64) - 0.5
    x0, y0 = np.floor(gx), np.floor(gy)
    fx, fy = gx - x0, gy - y0
    x0, y0 = x0.astype(np.int64), y0.astype(np.int64)

    def fetch(x, y):
        x, y = wrap(x, y, w, h)
        return src[np.clip(y, 0, h - 1), x]

    a = fetch(x0, y0) * (1 - fx) + fetch(x0 + 1, y0) * fx
    b = fetch(x0, y0 + 1) * (1 - fx) + fetch(x0 + 1, y0 + 1) * fx
    return a * (1 - fy) + b * fy


def grid_offset(p, d, W: int, H: int) -> np.ndarray:
    """Offset [columns, rows] (..., 2) from cell centres p (unit vectors) to the points p + d on the sphere,
    in grid_offset's form that keeps small d at full precision (see grid.glsl)."""
    rho_p = np.hypot(p[..., 0], p[..., 1])
    rho_s = np.hypot(p[..., 0] + d[..., 0], p[..., 1] + d[..., 1])
    pd = p[..., 0] * d[..., 0] + p[..., 1] * d[..., 1]
    drho = (2 * pd + d[..., 0] ** 2 + d[..., 1] ** 2) / np.maximum(rho_p + rho_s, 1e-30)
    dlon = np.arctan2(p[..., 0] * d[..., 1] - p[..., 1] * d[..., 0], rho_p ** 2 + pd)
    dlat = np.arctan2(d[..., 2] * rho_p - p[..., 2] * drho, p[..., 2] * (p[..., 2] + d[..., 2]) + rho_p * rho_s)
    return np.stack([dlon * W / (2 * np.pi), dlat * H / np.pi], axis=-1)

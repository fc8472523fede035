"""Export: the planet as files for game engines, GIS and renderers (`sim.export(...)`, `planet export`).

Every export is written all-or-nothing (temporary files beside the targets, renamed together at the
end; an error or Ctrl-C leaves no output and no temporary file). Images are equirectangular with
row 0 = NORTH and column 0 = lon -180 (fields have row 0 = south: they are flipped on the way out).

    what="heightmap"  elevation relative to sea level [m]:
                      .png   16-bit grey + <name>.json sidecar: metres = offset + step * grey, the
                             sea level, the planet radius, the grid and the lon/lat extent
                      .tif   float32 GeoTIFF (ModelPixelScale 360/W x 180/H deg, ModelTiepoint pixel
                             corner (0, 0) at lon -180, lat +90, geographic WGS 84 / EPSG:4326)
    what="field"      name = a quantity ("elevation", "land", ...) or a field channel ("terrain.glow"):
                      .png 16-bit grey + .json sidecar (offset, step, min, max, unit or channel doc)
    what="view"       view ("map" | "globe") and layer (any of sim.layers) rendered at `size` (w, h):
                      .png 8-bit RGB, exactly what sim.snapshot returns
    what="cubemap"    elevation on the six faces of a cube (OpenGL face order and orientation, see
                      planet.maps.cube_directions), `size` pixels square, sampled bilinearly from
                      the sphere: <stem>_px|nx|py|ny|pz|nz.png (16-bit, shared offset/step) or .npy
                      (float32 metres), plus <stem>.json describing the faces
The JSON sidecars of 16-bit images are what `[terrain] heightmap = "x.png"` reads back.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from . import geotiff, maps
from .atomic import atomic_files, check_outputs
from .errors import PlanetError

KINDS = ("heightmap", "field", "view", "cubemap")
def export(sim, path, what: str = "heightmap", *, name: str | None = None, view: str = "map",
           layer: str = "satellite", size=None) -> list[Path]:
    """Write `what` to `path` (see the module doc); returns the files written."""
    if what not in KINDS:
        raise PlanetError(f"unknown export kind {what!r}; valid: {', '.join(KINDS)}")
    path = Path(path)
    if what == "heightmap":
        return heightmap(sim, path)
    if what == "field":
        if name is None:
            raise PlanetError(f"export 'field' needs a name; valid: {', '.join(field_names(sim))}")
        return field(sim, name, path)
    if what == "view":
        return view_png(sim, path, view, layer, size)
    return cubemap(sim, path, size)


def _suffix(path: Path, valid: tuple[str, ...], what: str) -> str:
    suffix = path.suffix.lower()
    if suffix not in valid:
        raise PlanetError(f"{path}: unsupported file type {suffix or '(none)'!r} for {what}; valid: {', '.join(valid)}")
    return suffix


def _about(sim) -> dict:
    return {"tick": sim.tick, "years": sim.years, "seed": sim.seed, "scene": sim.scene.source,
            "grid": list(sim.scene.grid), "planet_radius_km": sim.scene.radius}


def _write_png16(path: Path, values: np.ndarray, meta: dict, what: str) -> list[Path]:
    """values: a grid array (row 0 = south) -> 16-bit PNG (row 0 = north) + JSON sidecar, together."""
    side = maps.sidecar_path(path)
    check_outputs([path, side])
    grey, offset, step = maps.encode16(maps.to_image(values), what)
    info = {"format": "planet-map", "version": 1, **meta,
            "encoding": "value = offset + step * grey (16-bit unsigned, grey 0 = min, 65535 = max)",
            "offset": offset, "step": step, "min": offset, "max": offset + step * int(grey.max()),
            **maps.map_metadata(grey.shape)}
    with atomic_files([path, side]) as (tmp_png, tmp_json):
        _imwrite(tmp_png, grey)
        tmp_json.write_text(maps.json_text(info))
    return [path, side]


def _imwrite(path: Path, image: np.ndarray) -> None:
    import imageio.v3 as iio

    iio.imwrite(path, image, extension=".png")


def elevation(sim) -> np.ndarray:
    """Elevation relative to sea level [m], float64 (H, W), row 0 = south."""
    if "elevation" not in sim.quantities:
        raise PlanetError(f"no 'elevation' quantity in this scene's stages ({', '.join(sim.scene.stages)})")
    return sim.quantity("elevation").astype(np.float64)


def heightmap(sim, path) -> list[Path]:
    """Elevation relative to sea level: 16-bit .png + .json sidecar, or float32 GeoTIFF (.tif/.tiff)."""
    path = Path(path)
    suffix = _suffix(path, maps.HEIGHTMAP_EXTS, "a heightmap")
    check_outputs([path])
    z = elevation(sim)
    sea = float(sim.read("terrain")[0, 0, 1]) if "terrain" in sim.fields else None  # uniform: the current level
    meta = {"quantity": "elevation", "unit": "m", "doc": "surface height relative to sea level (sea level = 0 m)",
            "sea_level": 0.0, "sea_level_above_datum_m": sea, **_about(sim)}
    if suffix == ".png":
        return _write_png16(path, z, meta, f"{path}: elevation")
    grid = maps.to_image(z).astype(np.float32)
    if not np.isfinite(grid).all():
        raise PlanetError(f"{path}: elevation has NaN or infinite cells; cannot export it")
    with atomic_files([path]) as (tmp,):
        with open(tmp, "wb") as fh:
            geotiff.write_geotiff(fh, grid, json.dumps(meta, allow_nan=False))
    return [path]


def field_names(sim) -> list[str]:
    """What `field` accepts: every quantity, and every field channel as <field>.<channel name>."""
    return [*sim.quantities, *(f"{f}.{c.name}" for f in sim.fields for c in sim.channels(f))]


def field(sim, name: str, path) -> list[Path]:
    """A quantity or one channel of a field as a 16-bit .png with a .json sidecar."""
    path = Path(path)
    _suffix(path, (".png",), f"field {name!r}")
    check_outputs([path, maps.sidecar_path(path)])
    if name in sim.quantities:
        values = sim.quantity(name)
        doc = sim.quantity_doc(name)
        meta = {"quantity": name, "unit": sim.quantities[name], "doc": doc}
    else:
        fname, _, chan = name.partition(".")
        if fname not in sim.fields or chan not in [c.name for c in sim.channels(fname)]:
            raise PlanetError(f"unknown field or quantity {name!r}; valid: {', '.join(field_names(sim))}")
        ch = next(c for c in sim.channels(fname) if c.name == chan)
        values = sim.channel(fname, chan)
        meta = {"field": fname, "channel": chan, "unit": ch.unit, "doc": ch.doc}
    return _write_png16(path, values.astype(np.float64), {**meta, **_about(sim)}, f"{path}: {name}")


def view_png(sim, path, view: str = "map", layer: str = "satellite", size=None) -> list[Path]:
    """A view of a layer at any size (w, h) as an 8-bit RGB .png (default size: sim.snapshot's)."""
    path = Path(path)
    _suffix(path, (".png",), "a view")
    check_outputs([path])
    image = sim.snapshot(view, layer, size)
    with atomic_files([path]) as (tmp,):
        _imwrite(tmp, image)
    return [path]


def cubemap(sim, path, size=None) -> list[Path]:
    """Elevation on six cube faces: <stem>_<face>.png (16-bit) or .npy (float32 m) + <stem>.json."""
    path = Path(path)
    suffix = _suffix(path, (".png", ".npy"), "a cube map")
    n = sim.scene.grid[1] // 2 if size is None else size
    if isinstance(n, (tuple, list)) and len(n) == 2 and n[0] == n[1]:
        n = n[0]
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= 16384:
        raise PlanetError(f"cube map face size must be an integer from 1 to 16384 (square faces), got {size!r}")
    n = int(n)
    files = [path.with_name(f"{path.stem}_{face}{suffix}") for face in maps.FACES]
    side = path.with_suffix(".json")
    check_outputs([*files, side])
    z = elevation(sim)
    faces = {face: maps.sample_directions(z, d) for face, d in maps.cube_directions(n).items()}
    meta = {"format": "planet-cubemap", "version": 1, "quantity": "elevation", "unit": "m",
            "doc": "surface height relative to sea level, sampled bilinearly from the equirectangular grid",
            "faces": {face: f.name for face, f in zip(maps.FACES, files, strict=True)}, "size": n,
            "convention": "OpenGL cube map: faces +X -X +Y -Y +Z -Z; row j, column i of a face is t = (j + 0.5)/size, "
                          "s = (i + 0.5)/size (row 0 first); cube direction d = (p.x, p.z, -p.y) for a planet "
                          "position p (z = north pole, x = lat 0 lon 0): +Y = north pole, +X = (lat 0, lon 0), "
                          "-Z = (lat 0, lon 90E), +Z = (lat 0, lon 90W)",
            **_about(sim)}
    if suffix == ".png":
        stack = np.stack([faces[f] for f in maps.FACES])
        grey, offset, step = maps.encode16(stack, f"{path}: elevation")
        meta.update({"encoding": "value = offset + step * grey (16-bit unsigned)", "offset": offset, "step": step,
                     "min": offset, "max": offset + step * int(grey.max())})
        images = dict(zip(maps.FACES, grey, strict=True))
    with atomic_files([*files, side]) as tmps:
        for face, tmp in zip(maps.FACES, tmps[:-1], strict=True):  # the last one is the sidecar
            if suffix == ".png":
                _imwrite(tmp, images[face])
            else:
                with open(tmp, "wb") as fh:
                    np.lib.format.write_array(fh, faces[face].astype(np.float32), allow_pickle=False)
        tmps[-1].write_text(maps.json_text(meta))
    return [*files, side]

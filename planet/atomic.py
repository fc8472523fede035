"""Atomic file output: write beside the target under a temporary name, rename on success.
An error or Ctrl-C at any point leaves the target untouched and no temporary file behind."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import PlanetError


@contextlib.contextmanager
def atomic_path(path, suffix: str | None = None):
    """Yield a temporary Path in the target's directory; on success chmod it per the umask and rename."""
    path = Path(path)
    if not path.parent.is_dir():
        raise PlanetError(f"{path}: output directory {path.parent} does not exist")
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix or path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; the result is as readable as any new file
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_png_atomic(path, image) -> None:
    """Write an image array (uint8 or uint16, (h, w[, c]), row 0 = top) as PNG, atomically."""
    import imageio.v3 as iio

    with atomic_path(path, ".png") as tmp:
        iio.imwrite(tmp, image, extension=".png")

"""Atomic file output: write beside the target under a temporary name, rename on success.
An error or Ctrl-C at any point leaves the targets untouched and no temporary file behind; a group
of files is renamed all together, with Ctrl-C held off during the renames."""
from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from pathlib import Path

from .errors import PlanetError


@contextlib.contextmanager
def _sigint_held():
    """Hold Ctrl-C (SIGINT) for the duration, then deliver it: a group of renames is never cut short.
    Only the main thread can handle signals; elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught = []
    try:
        previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    except ValueError:  # not the main interpreter
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            if callable(previous):
                previous(signal.SIGINT, None)
            elif previous == signal.SIG_DFL:
                raise KeyboardInterrupt


def check_outputs(paths) -> list[Path]:
    """Every target's folder must exist and no target may be a folder; raise one line naming it."""
    out = []
    for path in paths:
        path = Path(path)
        if not path.parent.is_dir():
            raise PlanetError(f"{path}: output directory {path.parent} does not exist")
        if path.is_dir():
            raise PlanetError(f"{path}: is a directory; give a file name")
        out.append(path)
    if len(set(out)) != len(out):
        raise PlanetError(f"output files collide: {', '.join(map(str, out))}")
    return out


@contextlib.contextmanager
def atomic_files(paths):
    """Write several files all-or-nothing: yields one temporary Path per target (same folder, hidden
    name, same suffix); when the block succeeds they are renamed onto the targets together, with
    Ctrl-C held off; on any error or Ctrl-C inside the block every temporary file is removed and no
    target is touched."""
    paths = check_outputs(paths)
    tmps = []
    try:
        for path in paths:
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".tmp{path.suffix}", dir=path.parent)
            os.close(fd)
            tmps.append(Path(name))
        yield list(tmps)
        umask = os.umask(0)
        os.umask(umask)
        with _sigint_held():
            for tmp in tmps:
                os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are as readable as any new file
            for tmp, path in zip(tmps, paths, strict=True):
                os.replace(tmp, path)
    finally:
        for tmp in tmps:
            tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_path(path):
    """One file: yield its temporary Path (same folder, same suffix); renamed onto `path` on success."""
    with atomic_files([path]) as (tmp,):
        yield tmp


def write_png_atomic(path, image) -> None:
    """Write an image array (uint8 or uint16, (h, w[, c]), row 0 = top) as PNG, atomically."""
    import imageio.v3 as iio

    with atomic_path(path) as tmp:
        iio.imwrite(tmp, image, extension=".png")

"""Atomic file output and signals: the one place every writer (render.py's videos, frames and stills,
`planet export`, sim.export, sim.save, the window's s/c/e keys) goes through.

- Files are written beside the target under a temporary name and renamed on success; a group of files
  is renamed all together. An error or an interrupt at any point leaves the targets untouched and no
  temporary file behind.
- An operating-system error on output (read-only or full disk, no permission, a folder in the way) is
  one OutputError line naming the path and the reason, never a traceback.
- SIGTERM and SIGHUP are treated like Ctrl-C (SIGINT) while a writer runs (`catch_signals`): they raise
  Interrupted, a KeyboardInterrupt, so every cleanup runs. The temporary files' creation, the renames
  and the cleanup itself hold all three signals off and deliver them when done.
"""
from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from pathlib import Path

from .errors import OutputError, PlanetError

# The signals a writer turns into an exception; SIGHUP does not exist everywhere.
SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: raised like Ctrl-C's KeyboardInterrupt. `signum` names the signal."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def signal_of(exc: BaseException) -> int:
    """The signal behind an interrupt: Interrupted's, else SIGINT (a plain KeyboardInterrupt)."""
    return getattr(exc, "signum", signal.SIGINT)


def interrupt_message(exc: BaseException) -> tuple[str, int]:
    """('interrupted (SIGTERM)', exit code 128 + signal number) for a front-end to print and return."""
    signum = signal_of(exc)
    return f"interrupted ({signal.Signals(signum).name})", 128 + int(signum)


def _raise_interrupted(signum, frame):
    raise Interrupted(signum)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def catch_signals():
    """For the duration, SIGTERM and SIGHUP raise Interrupted in the main thread, as Ctrl-C raises
    KeyboardInterrupt. Only signals left at their default action are taken over: a handler the
    program set itself, or an ignored signal (nohup), stays as it is. Nests; off the main thread
    (where Python cannot handle signals) it does nothing."""
    if not _main_thread():
        yield
        return
    previous = {}
    try:
        for sig in SIGNALS:
            if sig != signal.SIGINT and signal.getsignal(sig) == signal.SIG_DFL:
                previous[sig] = signal.signal(sig, _raise_interrupted)
    except ValueError:  # not the main interpreter
        previous.clear()
    try:
        yield
    finally:
        for sig, prev in previous.items():
            signal.signal(sig, prev)


@contextlib.contextmanager
def _held():
    """Hold SIGINT, SIGTERM and SIGHUP for the duration, then deliver the first that came: a group of
    renames (or the cleanup of temporary files) is never cut short. Main thread only."""
    if not _main_thread():
        yield
        return
    caught, previous = [], {}
    try:
        for sig in SIGNALS:
            if signal.getsignal(sig) != signal.SIG_IGN:
                previous[sig] = signal.signal(sig, lambda signum, frame: caught.append(signum))
    except ValueError:  # not the main interpreter
        for sig, prev in previous.items():
            signal.signal(sig, prev)
        previous.clear()
    try:
        yield
    finally:
        for sig, prev in previous.items():
            signal.signal(sig, prev)
        if caught:
            _deliver(caught[0], previous[caught[0]])


held_signals = _held  # for writers outside this module (the video encoder's shutdown)


def _deliver(signum: int, handler) -> None:
    if callable(handler):
        handler(signum, None)
    elif handler == signal.SIG_DFL:
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        os.kill(os.getpid(), signum)  # the default action (the process ends), now that nothing is half done


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def output_error(path, exc: OSError, doing: str = "cannot write") -> OutputError:
    """The one-line OutputError for an OS error on the output `path`."""
    if isinstance(exc, OutputError):
        return exc
    return OutputError(f"{path}: {doing}: {_reason(exc)}")


def _temporary(path: Path) -> Path:
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".tmp{path.suffix}", dir=path.parent)
    except OSError as exc:
        raise output_error(path, exc) from None
    os.close(fd)
    return Path(name)


def check_outputs(paths) -> list[Path]:
    """Every target's folder must exist and be writable, and no target may be a folder; raise one
    line naming it (before any work is done for it)."""
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
    for path in {p.parent: p for p in out}.values():  # can a file be made there? (read-only disk, permissions)
        with _held():
            _temporary(path).unlink()
    return out


@contextlib.contextmanager
def atomic_files(paths):
    """Write several files all-or-nothing: yields one temporary Path per target (same folder, hidden
    name, same suffix); when the block succeeds they are renamed onto the targets together, with
    signals held off; on any error or interrupt inside the block every temporary file is removed and
    no target is touched. OS errors become one OutputError line naming the target."""
    paths = check_outputs(paths)
    tmps: list[Path] = []
    with catch_signals():
        try:
            with _held():
                for path in paths:
                    tmps.append(_temporary(path))
            try:
                yield list(tmps)
            except OSError as exc:
                raise output_error(paths[0] if len(paths) == 1 else ", ".join(map(str, paths)), exc) from None
            umask = os.umask(0)
            os.umask(umask)
            with _held():
                for tmp, path in zip(tmps, paths, strict=True):
                    try:
                        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are as readable as any new file
                        os.replace(tmp, path)
                    except OSError as exc:
                        raise output_error(path, exc) from None
        finally:
            with _held():
                for tmp in tmps:
                    with contextlib.suppress(OSError):
                        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_path(path):
    """One file: yield its temporary Path (same folder, same suffix); renamed onto `path` on success."""
    with atomic_files([path]) as (tmp,):
        yield tmp


def write_png_atomic(path, image) -> None:
    """Write an image array (uint8 or uint16, (h, w[, c]), row 0 = top) as PNG, atomically. The encode
    itself holds signals off (one frame: milliseconds): an interrupt inside imageio's Pillow plugin
    leaves it half-built, and its finaliser then prints an AttributeError after our own last line."""
    import imageio.v3 as iio

    with atomic_path(path) as tmp:
        with _held():
            iio.imwrite(tmp, image, extension=".png")

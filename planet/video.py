"""Headless video: the simulation's frames, encoded by the ffmpeg that imageio-ffmpeg bundles.

Frame k shows the state after k * ticks_per_frame ticks, so the same scene + seed gives the same
frames on any machine. The view and layer follow the scene's timeline (or are fixed by the caller);
a change of view animates the unwrap/rewrap over TRANSITION_SECONDS of video. Encoding runs in a
second thread so the GPU renders the next frame while ffmpeg compresses the last. The video is
written to a temporary file beside the output and renamed only on success: an error or Ctrl-C
leaves no partial file.
"""
from __future__ import annotations

import contextlib
import queue
import subprocess
import tempfile
import threading
from fractions import Fraction
from pathlib import Path

from .atomic import atomic_path, held_signals, output_error, write_png_atomic
from .errors import LimitError, OutputError, PlanetError
from .frames import FADE_SECONDS, Director, FrameRenderer, Morph, story_lines

VIDEO_SUFFIXES = (".mp4", ".mkv", ".mov")
MAX_SIZE = 8192
# Stated limits of one render (each a LimitError naming it): a video frame rate, a length, the frames
# in all (the whole default story is about 7,000 frames), and ticks per frame.
MAX_FPS = 240
MAX_SECONDS = 36000.0
MAX_FRAMES = 500_000
MAX_TICKS = 10**9


def check_video_size(size: tuple[int, int]) -> None:
    w, h = size
    if w < 16 or h < 16 or w > MAX_SIZE or h > MAX_SIZE:
        raise PlanetError(f"video size {w}x{h} cannot be encoded: each side must be 16..{MAX_SIZE} pixels")
    if w % 2 or h % 2:
        raise PlanetError(f"video size {w}x{h} cannot be encoded: H.264 (yuv420p) needs even width and height, "
                          f"e.g. {w + w % 2}x{h + h % 2}")


class Story:
    """Which view/layer each frame shows (the timeline's, via sim.view/sim.layer, or fixed ones), where
    the camera is (the timeline's camera events, Director), and the fade after the end event."""

    def __init__(self, sim, fps: float, view: str | None, layer: str | None):
        self.sim, self.fps, self.view, self.layer = sim, fps, view, layer
        self.morph = Morph(view or sim.view)
        self.director = Director(sim)
        self.director.advance(0.0)
        self.faded = 0  # frames drawn since the end event

    def frame(self):
        """(layer, morph, fade) for the frame about to be drawn; call once per frame, after stepping."""
        self.morph.go(self.view or self.sim.view)
        fade = self.faded / (FADE_SECONDS * self.fps) if self.sim.ended else 0.0
        return self.layer or self.sim.layer, self.morph.value, min(fade, 1.0)

    def advance(self) -> None:
        self.morph.advance(1.0 / self.fps)
        self.director.advance(1.0 / self.fps)
        self.sim.camera.turn(1.0 / self.fps)  # the globe turns with video time (Camera.spin_rate)
        self.faded += int(self.sim.ended)


def story_frames(sim, fps: float, ticks_per_frame: int) -> int:
    """Frames of the whole story from the current tick: until the timeline's end event, plus the
    fade-out (PlanetError when the scene has no end event)."""
    end = sim.scene.end
    if end is None:
        raise PlanetError(f"{sim.scene.source}: the timeline has no end event (end = true), so give --seconds")
    left = max(sim.scene.ticks_until(end) - sim.tick, 0)
    return (-(-left // max(ticks_per_frame, 1))) + 1 + round(FADE_SECONDS * fps)


def ffmpeg_command(path: Path, size, fps: float) -> list[str]:
    """The ffmpeg that imageio-ffmpeg bundles, reading raw yuv420p frames (made on the GPU by
    FrameRenderer.render_yuv420, tagged BT.709 limited range) from stdin, writing H.264 to `path`."""
    import imageio_ffmpeg

    w, h = size
    rate = str(Fraction(fps).limit_denominator())  # a rational, so 24000/1001 is not rounded
    return [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-f", "rawvideo", "-vcodec", "rawvideo", "-s", f"{w}x{h}",
            "-pix_fmt", "yuv420p", "-r", rate, "-colorspace", "bt709", "-color_range", "tv", "-i", "-", "-an",
            "-vcodec", "libx264", "-pix_fmt", "yuv420p", "-crf", "10", "-v", "error", "-preset", "veryfast",
            "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv",
            "-movflags", "+faststart", str(path)]


def check_rate(fps, seconds, ticks_per_frame) -> None:
    """fps, seconds and ticks per frame must be finite and within the stated limits (PlanetError)."""
    if isinstance(fps, bool) or not isinstance(fps, (int, float)) or not 0 < fps <= MAX_FPS:
        raise LimitError(f"fps must be a number in (0, {MAX_FPS}] frames per second, got {fps!r}")
    if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, (int, float))
                                or not 0 < seconds <= MAX_SECONDS):
        raise LimitError(f"seconds must be a number in (0, {MAX_SECONDS}] (video length), got {seconds!r}")
    if isinstance(ticks_per_frame, bool) or not isinstance(ticks_per_frame, int) or not 0 <= ticks_per_frame <= MAX_TICKS:
        raise LimitError(f"ticks per frame must be an integer in [0, {MAX_TICKS}], got {ticks_per_frame!r}")


def frame_count(sim, fps, seconds, ticks_per_frame) -> int:
    """Frames of a render of `seconds` (None: the whole story of `sim`), within MAX_FRAMES."""
    n = story_frames(sim, fps, ticks_per_frame) if seconds is None else max(1, round(fps * seconds))
    if n > MAX_FRAMES:
        raise LimitError(f"{n} frames ({'the whole story' if seconds is None else f'{fps:g} fps x {seconds:g} s'}) "
                         f"is over the limit of {MAX_FRAMES} frames per render; lower fps or seconds"
                         + (" or raise --ticks-per-frame" if seconds is None else ""))
    return n


def _frames_dir(frames_dir) -> tuple[Path, bool]:
    """Make (or reuse an empty) frames folder; returns it and whether it was made here."""
    frames_dir = Path(frames_dir)
    if not frames_dir.parent.is_dir():
        raise PlanetError(f"{frames_dir}: parent directory {frames_dir.parent} does not exist")
    if frames_dir.exists() and not frames_dir.is_dir():
        raise PlanetError(f"--frames {frames_dir}: exists and is not a directory; give a new or empty folder")
    if frames_dir.is_dir():
        old = sum(1 for _ in frames_dir.glob("frame_*.png"))
        if old:
            raise PlanetError(f"--frames {frames_dir}: already holds {old} frame_*.png files (another render's); "
                              "give a new or empty folder so the frames are all of this render")
        return frames_dir, False
    try:
        frames_dir.mkdir()
    except OSError as exc:
        raise output_error(frames_dir, exc, "cannot make the frames folder") from None
    return frames_dir, True


def render(sim, output: Path | None = None, frames_dir: Path | None = None, *, size=(1280, 720), fps: float = 30,
           seconds: float | None = 10.0, ticks_per_frame: int = 1, view: str | None = None, layer: str | None = None,
           overlay: bool = True, progress: bool = True) -> int:
    """Render `fps * seconds` frames (seconds=None: the whole story, story_frames) to `output` (a video)
    or to PNG stills in `frames_dir`; returns the number of frames."""
    from tqdm import tqdm

    if (output is None) == (frames_dir is None):
        raise PlanetError("give exactly one of a video output file or a frames directory")
    if view is not None or layer is not None:
        sim.check_view(view or "map", layer or "satellite")
    check_rate(fps, seconds, ticks_per_frame)
    if seconds is None and ticks_per_frame == 0:
        raise PlanetError("the whole story (no --seconds) needs --ticks-per-frame >= 1: with 0 it never ends")
    n = frame_count(sim, fps, seconds, ticks_per_frame)
    made = False
    if output is not None:
        output = Path(output)
        if output.suffix.lower() not in VIDEO_SUFFIXES:
            raise PlanetError(f"{output}: unsupported video type '{output.suffix}'; valid: {', '.join(VIDEO_SUFFIXES)}")
        if not output.parent.is_dir():
            raise PlanetError(f"{output}: output directory {output.parent} does not exist")
        check_video_size(size)
    else:
        frames_dir, made = _frames_dir(frames_dir)

    story = Story(sim, fps, view, layer)
    frames = FrameRenderer(sim, wipe=True)
    bar = tqdm(total=n, unit="frame", desc=str(output or frames_dir), disable=not progress, dynamic_ncols=True)

    def each_frame():
        """(k, the FrameRenderer arguments) for every frame, stepping the simulation in between (not
        past the story's end: the fade-out holds the last state)."""
        for k in range(n):
            if k and not sim.ended:
                sim.step(ticks_per_frame)
            lay, morph, fade = story.frame()
            lines = story_lines(sim, lay) if overlay else []
            yield k, dict(size=size, layer=lay, morph=morph, lines=lines, legend=overlay,
                          caption=sim.caption if overlay else "", fade=fade)
            story.advance()
            frames.advance(1.0 / fps)   # the layer wipe (planet.frames.Wipe)
            bar.update(1)

    try:
        if output is None:
            for k, args in each_frame():
                write_png_atomic(frames_dir / f"frame_{k:05d}.png", frames.render(**args))
        else:
            with atomic_path(output) as tmp, Encoder(tmp, size, fps, output) as encoder:
                for _k, args in each_frame():
                    encoder.put(frames.render_yuv420(**args))
    except BaseException as exc:
        if output is None:
            _frames_left(exc, frames_dir, made)
        raise
    finally:
        bar.close()
        frames.release()
    return n


def _frames_left(exc: BaseException, frames_dir: Path, made: bool) -> None:
    """On a failed or interrupted --frames render, say honestly what stays on disk: `exc.frames_kept`
    = (folder, count) for the front-end, counted on disk (the folder held no frames before, and an
    interrupt may land just after a frame's rename); a folder made here and left empty is removed."""
    kept = sum(1 for _ in frames_dir.glob("frame_*.png"))
    if kept == 0 and made:
        with contextlib.suppress(OSError):
            frames_dir.rmdir()
    exc.frames_kept = (frames_dir, kept)


class Encoder:
    """ffmpeg fed from a second thread through a small queue, so the GPU draws the next frame while
    the last one is compressed. Leaving the block normally finishes the file; leaving it by an error
    or an interrupt kills ffmpeg and waits for it to end (so nothing writes the file after atomic_path
    removes it). ffmpeg runs in its own session: a terminal's Ctrl-C or hang-up reaches this process,
    which then stops it. `name` is the output as the user named it, for messages."""

    def __init__(self, path: Path, size, fps: float, name=None):
        self.path, self.size, self.fps, self.name = path, size, fps, name or path
        self.queue: queue.Queue = queue.Queue(maxsize=4)
        self.failure: list[BaseException] = []

    def __enter__(self) -> "Encoder":
        self.log = tempfile.TemporaryFile()  # ffmpeg's error output (no pipe to fill up and block it)
        with held_signals():
            try:
                self.proc = subprocess.Popen(ffmpeg_command(self.path, self.size, self.fps), stdin=subprocess.PIPE,
                                             stdout=subprocess.DEVNULL, stderr=self.log, start_new_session=True)
            except OSError as exc:
                self.log.close()
                raise PlanetError(f"{self.name}: cannot start ffmpeg: {exc.strerror or exc}") from None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        return self

    def _run(self) -> None:
        try:
            while (item := self.queue.get()) is not None:
                self.proc.stdin.write(item)
            self.proc.stdin.close()
            self.proc.wait()
        except BaseException as exc:  # surfaced to the main thread by put() / __exit__
            self.failure.append(exc)

    def _error(self) -> PlanetError:
        self.log.seek(0)
        said = [ln.strip() for ln in self.log.read().decode(errors="replace").splitlines() if ln.strip()]
        why = said[-1] if said else (str(self.failure[0]) if self.failure else f"exit status {self.proc.returncode}")
        cls = OutputError if any(w in why for w in ("No space", "Read-only", "Permission denied")) else PlanetError
        return cls(f"{self.name}: the encoder (ffmpeg) failed: {why}")

    def _send(self, item) -> bool:
        """Queue `item` unless the thread has ended (then a full queue would block for ever)."""
        while self.thread.is_alive():
            try:
                self.queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def put(self, frame: bytes) -> None:
        if self.failure or self.proc.poll() is not None or not self._send(frame):
            raise self._error()

    def __exit__(self, exc_type, *rest) -> None:
        try:
            if exc_type is None:
                self._send(None)
                self.thread.join()
                if self.failure or self.proc.returncode != 0:
                    raise self._error()
                return
            with held_signals():  # an error or an interrupt: stop ffmpeg before the file is removed
                self.proc.kill()
                self.proc.wait()
                while True:  # drop what is queued so the thread sees the end marker at once
                    try:
                        self.queue.get_nowait()
                    except queue.Empty:
                        break
                self.queue.put(None)
                self.thread.join(timeout=30)
        finally:
            self.log.close()

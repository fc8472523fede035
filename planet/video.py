"""Headless video: the simulation's frames, encoded by the ffmpeg that imageio-ffmpeg bundles.

Frame k shows the state after k * ticks_per_frame ticks, so the same scene + seed gives the same
frames on any machine. The view and layer follow the scene's timeline (or are fixed by the caller);
a change of view animates the unwrap/rewrap over TRANSITION_SECONDS of video. Encoding runs in a
second thread so the GPU renders the next frame while ffmpeg compresses the last. The video is
written to a temporary file beside the output and renamed only on success: an error or Ctrl-C
leaves no partial file.
"""
from __future__ import annotations

import queue
import threading
from pathlib import Path

from .atomic import atomic_path, write_png_atomic
from .errors import PlanetError
from .frames import FADE_SECONDS, Director, FrameRenderer, Morph, story_lines

VIDEO_SUFFIXES = (".mp4", ".mkv", ".mov")
MAX_SIZE = 8192


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


def _encoder(path: Path, size, fps: float):
    import imageio_ffmpeg

    # Frames arrive as yuv420p made on the GPU (FrameRenderer.render_yuv420), tagged BT.709 limited.
    writer = imageio_ffmpeg.write_frames(
        str(path), size, fps=fps, codec="libx264", pix_fmt_in="yuv420p", pix_fmt_out="yuv420p", macro_block_size=1,
        quality=8, ffmpeg_log_level="error",
        input_params=["-colorspace", "bt709", "-color_range", "tv"],
        output_params=["-preset", "veryfast", "-colorspace", "bt709", "-color_primaries", "bt709",
                       "-color_trc", "bt709", "-color_range", "tv", "-movflags", "+faststart"])
    writer.send(None)
    return writer


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
    if ticks_per_frame < 0 or fps <= 0 or (seconds is not None and seconds <= 0):
        raise PlanetError("need fps > 0, seconds > 0 and ticks-per-frame >= 0")
    if seconds is None and ticks_per_frame == 0:
        raise PlanetError("the whole story (no --seconds) needs --ticks-per-frame >= 1: with 0 it never ends")
    n = story_frames(sim, fps, ticks_per_frame) if seconds is None else max(1, round(fps * seconds))
    if output is not None:
        output = Path(output)
        if output.suffix.lower() not in VIDEO_SUFFIXES:
            raise PlanetError(f"{output}: unsupported video type '{output.suffix}'; valid: {', '.join(VIDEO_SUFFIXES)}")
        if not output.parent.is_dir():
            raise PlanetError(f"{output}: output directory {output.parent} does not exist")
        check_video_size(size)
    else:
        frames_dir = Path(frames_dir)
        if not frames_dir.parent.is_dir():
            raise PlanetError(f"{frames_dir}: parent directory {frames_dir.parent} does not exist")
        frames_dir.mkdir(exist_ok=True)

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
            with atomic_path(output) as tmp, Encoder(tmp, size, fps) as encoder:
                for _k, args in each_frame():
                    encoder.put(frames.render_yuv420(**args))
    finally:
        bar.close()
        frames.release()
    return n


class Encoder:
    """ffmpeg fed from a second thread through a small queue, so the GPU draws the next frame while
    the last one is compressed. Leaving the block normally finishes the file; leaving it by an
    error or Ctrl-C stops the encoder (the partial file is then dropped by atomic_path)."""

    def __init__(self, path: Path, size, fps: float):
        self.path, self.size, self.fps = path, size, fps
        self.queue: queue.Queue = queue.Queue(maxsize=4)
        self.failure: list[BaseException] = []

    def __enter__(self) -> "Encoder":
        writer = _encoder(self.path, self.size, self.fps)
        self.thread = threading.Thread(target=self._run, args=(writer,), daemon=True)
        self.thread.start()
        return self

    def _run(self, writer) -> None:
        try:
            while (item := self.queue.get()) is not None:
                writer.send(item)
            writer.close()
        except BaseException as exc:  # surfaced to the main thread by put() / __exit__
            self.failure.append(exc)

    def put(self, frame: bytes) -> None:
        if self.failure:
            raise PlanetError(f"{self.path}: the encoder failed: {self.failure[0]}")
        self.queue.put(frame)

    def __exit__(self, exc_type, *rest) -> None:
        if exc_type is not None:  # drop what is queued so the thread sees the end marker at once
            while True:
                try:
                    self.queue.get_nowait()
                except queue.Empty:
                    break
        self.queue.put(None)
        self.thread.join(timeout=None if exc_type is None else 30)
        if exc_type is None and self.failure:
            raise PlanetError(f"{self.path}: the encoder failed: {self.failure[0]}")

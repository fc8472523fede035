"""Headless video: frame count and size, same seed => same frames, legends in the frame, and bad
input that leaves nothing behind."""
import os
import subprocess
import sys

import imageio.v3 as iio
import numpy as np
import pytest

from planet.frames import Morph, format_years

from conftest import ROOT, TINY


def render(*args, timeout=240):
    return subprocess.run([sys.executable, "render.py", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))})


def frames_of(path):
    return np.stack(list(iio.imiter(path, plugin="FFMPEG")))


def test_video_frames_size_and_determinism(tmp_path):
    a, b = tmp_path / "a.mp4", tmp_path / "b.mp4"
    for out in (a, b):
        run = render(TINY, "-o", out, "--seconds", 2, "--fps", 15, "--size", "320x160", "--ticks-per-frame", 20)
        assert run.returncode == 0, run.stderr[-2000:]
        assert "frame/s" in run.stderr  # the progress bar reports frames per second
    fa, fb = frames_of(a), frames_of(b)
    assert fa.shape == (30, 160, 320, 3)
    assert np.array_equal(fa, fb), "two renders with one seed must give identical frames"
    # The planet changes over the video (lava cools, oceans fill).
    assert np.abs(fa[0].astype(int) - fa[-1].astype(int)).mean() > 10
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.mp4", "b.mp4"]  # no temporary files left


def test_frames_dir_and_legend(tmp_path):
    run = render(TINY, "--frames", tmp_path / "f", "--seconds", 0.2, "--fps", 10, "--size", "320x180",
                 "--layer", "elevation", "--view", "globe", "--ticks", 300)
    assert run.returncode == 0, run.stderr[-2000:]
    files = sorted((tmp_path / "f").iterdir())
    assert [f.name for f in files] == ["frame_00000.png", "frame_00001.png"]
    img = iio.imread(files[0])
    assert img.shape == (180, 320, 3)
    # The legend's colour bar sits bottom-left: a row there runs through the elevation colormap,
    # from deep navy (blue >> red) at its left end to snow (bright) at its right end.
    rows = img[-40:-10, 10:200].astype(int)
    blueish = (rows[..., 2] - rows[..., 0] > 80).any()
    bright = (rows.min(axis=-1) > 200).any()
    assert blueish and bright, "no legend colour bar in the frame"
    bare = render(TINY, "--frames", tmp_path / "g", "--seconds", 0.1, "--fps", 10, "--size", "320x180",
                  "--layer", "elevation", "--view", "globe", "--ticks", 300, "--no-overlay")
    assert bare.returncode == 0
    assert not np.array_equal(iio.imread(tmp_path / "g" / "frame_00000.png"), img)


@pytest.mark.parametrize("args,needle", [
    (["--layer", "lava_lamp"], "unknown layer 'lava_lamp'"),
    (["--size", "321x160"], "even width and height"),
    (["--size", "8x8"], "cannot be encoded"),
    (["--grid", "64x64"], "W = 2H"),
    (["--backend", "vulkan"], "unknown backend"),
])
def test_bad_video_input(tmp_path, args, needle):
    run = render(TINY, "-o", tmp_path / "v.mp4", "--seconds", 1, *args)
    assert run.returncode == 2, run.stderr
    lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("render.py: error:") and needle in lines[0], run.stderr
    assert "Traceback" not in run.stderr
    assert list(tmp_path.iterdir()) == []


def test_bad_video_destination(tmp_path):
    for args in (["-o", tmp_path / "missing" / "v.mp4"], ["-o", tmp_path / "v.avi"],
                 ["--frames", tmp_path / "missing" / "frames"], ["-o", tmp_path / "v.mp4", "--view", "both"]):
        run = render(TINY, *args, "--seconds", 1)
        assert run.returncode == 2 and run.stderr.startswith("render.py: error:"), run.stderr
        assert list(tmp_path.iterdir()) == []
    run = render(tmp_path / "nope.toml", "-o", tmp_path / "v.mp4")
    assert run.returncode == 2 and "scene file not found" in run.stderr


def test_interrupted_render_leaves_nothing(tmp_path):
    """Ctrl-C mid-render: exit 130, no video and no temporary file."""
    import signal
    import time

    proc = subprocess.Popen([sys.executable, "render.py", str(TINY), "-o", str(tmp_path / "v.mp4"), "--seconds", "60",
                             "--size", "320x160"], cwd=ROOT, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))})
    deadline = time.time() + 60
    while time.time() < deadline and not any(p.name.startswith(".v.") for p in tmp_path.iterdir()):
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    err = proc.communicate(timeout=60)[1]
    assert proc.returncode == 130, err[-2000:]
    assert "interrupted" in err
    assert list(tmp_path.iterdir()) == []


def test_story_helpers():
    m = Morph("map")
    m.go("globe")
    m.advance(0.75)
    assert 0.4 < m.value < 0.6 and m.view is None
    m.advance(10)
    assert m.value == 1.0 and m.view == "globe"
    assert format_years(4.2e9) == "4.20 billion years" and format_years(3.5e6) == "3.5 million years"


def test_video_colours_match_the_png_frames(tmp_path):
    """The GPU yuv420p conversion (BT.709, limited range, tagged) decodes back to the PNG frame's colours."""
    common = [TINY, "--ticks", 600, "--seconds", 0.1, "--fps", 10, "--size", "320x160", "--layer", "elevation"]
    assert render(*common, "-o", tmp_path / "v.mp4").returncode == 0
    assert render(*common, "--frames", tmp_path / "f").returncode == 0
    video = next(iter(iio.imiter(tmp_path / "v.mp4", plugin="FFMPEG"))).astype(int)
    png = iio.imread(tmp_path / "f" / "frame_00000.png").astype(int)
    assert np.abs(video - png).mean() < 6, "colours drift: wrong matrix, range or chroma siting"
    assert np.abs(video.mean(axis=(0, 1)) - png.mean(axis=(0, 1))).max() < 3

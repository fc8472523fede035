"""render.py as a user runs it (DESIGN.md §6): bad input is one line on stderr and exit code 2, no
traceback, no output file left behind; a good run writes PNGs of the documented sizes.
"""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TINY = "scenes/tests/tiny.toml"


def render(*args, cwd=ROOT):
    return subprocess.run([sys.executable, str(ROOT / "render.py"), *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def not_toml(tmp_path) -> Path:
    path = tmp_path / "inputs" / "bad.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text("this is = not = toml\n")
    return path


# (id, argv given the test's tmp_path, a word the error line must contain): errors planet.cli reports itself
USER_ERRORS = [
    ("missing-scene", lambda t: [t / "inputs/none.toml", "-o", t / "out/x.png"], "not found"),
    ("scene-not-toml", lambda t: [not_toml(t), "-o", t / "out/x.png"], "TOML"),
    ("grid-not-2-to-1", lambda t: [TINY, "--grid", "100x30", "-o", t / "out/x.png"], "100x30"),
    ("grid-too-large", lambda t: [TINY, "--grid", "65536x32768", "-o", t / "out/x.png"], "too large"),
    ("unknown-backend", lambda t: [TINY, "--backend", "vulkan", "-o", t / "out/x.png"], "vulkan"),
    ("unknown-layer", lambda t: [TINY, "--layer", "nope", "-o", t / "out/x.png"], "nope"),
    ("output-dir-missing", lambda t: [TINY, "-o", t / "out/missing/x.png"], "does not exist"),
    ("output-not-png", lambda t: [TINY, "-o", t / "out/x.jpg"], ".jpg"),
    ("negative-ticks", lambda t: [TINY, "--ticks", "-1", "-o", t / "out/x.png"], "ticks"),
]


@pytest.mark.parametrize("args, words", [case[1:] for case in USER_ERRORS], ids=[c[0] for c in USER_ERRORS])
def test_user_error_is_one_line_exit_2_and_writes_nothing(tmp_path, args, words):
    (tmp_path / "out").mkdir()
    argv = args(tmp_path)
    before = listing(tmp_path)
    res = render(*argv)
    assert res.returncode == 2, f"exit {res.returncode}\nstdout: {res.stdout}\nstderr: {res.stderr}"
    assert "Traceback" not in res.stderr + res.stdout, res.stderr
    lines = res.stderr.splitlines()
    assert len(lines) == 1, f"expected exactly one line on stderr, got {len(lines)}:\n{res.stderr}"
    assert lines[0].startswith("render.py: error: "), lines[0]
    assert words in lines[0], lines[0]
    assert listing(tmp_path) == before, f"files left behind: {sorted(listing(tmp_path) - before)}"


# argparse usage errors: one `render.py: error:` line (no usage block, issue 17), exit 2 (same columns as USER_ERRORS)
USAGE_ERRORS = [
    ("unknown-view", lambda t: [TINY, "--view", "side", "-o", t / "x.png"], "side"),
    ("no-output", lambda t: [TINY], "-o"),
    ("bad-size", lambda t: [TINY, "--size", "big", "-o", t / "x.png"], "big"),
    ("ticks-not-int", lambda t: [TINY, "--ticks", "2.5", "-o", t / "x.png"], "2.5"),
]


@pytest.mark.parametrize("args, words", [case[1:] for case in USAGE_ERRORS], ids=[c[0] for c in USAGE_ERRORS])
def test_usage_error_exit_2(tmp_path, args, words):
    res = render(*args(tmp_path))
    assert res.returncode == 2, f"exit {res.returncode}\nstderr: {res.stderr}"
    assert "Traceback" not in res.stderr + res.stdout, res.stderr
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("render.py: error: ") and words in lines[0], res.stderr
    assert listing(tmp_path) == set()


def test_render_both_views(tmp_path):
    import imageio.v3 as iio

    res = render(TINY, "--view", "both", "--ticks", "2", "-o", tmp_path / "x.png")
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    assert listing(tmp_path) == {"x_map.png", "x_globe.png"}, "only the two images, no temporary files"
    # Default sizes: the map is the grid (64x32 for tiny.toml), the globe H x H.
    m = iio.imread(tmp_path / "x_map.png")
    g = iio.imread(tmp_path / "x_globe.png")
    assert m.shape == (32, 64, 3) and m.dtype.name == "uint8"
    assert g.shape == (32, 32, 3) and g.dtype.name == "uint8"
    assert m.std() > 0 and g.std() > 0, "blank image"
    assert "wrote" in res.stderr and "tick 2" in res.stderr


def test_render_single_view_with_size(tmp_path):
    import imageio.v3 as iio

    res = render(TINY, "--view", "globe", "--layer", "elevation", "--size", "48x40", "-o", tmp_path / "g.png")
    assert res.returncode == 0, res.stderr
    assert listing(tmp_path) == {"g.png"}
    assert iio.imread(tmp_path / "g.png").shape == (40, 48, 3)


def test_output_file_permissions_follow_the_umask(tmp_path):
    # The atomic write goes through a temporary file; the result must still be an ordinary file
    # (0666 & ~umask), not the temporary file's private 0600.
    res = subprocess.run([sys.executable, "-c", "import os, sys, runpy; os.umask(0o022); "
                          "sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')",
                          str(ROOT / "render.py"), TINY, "-o", str(tmp_path / "p.png")],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    mode = stat.S_IMODE(os.stat(tmp_path / "p.png").st_mode)
    assert mode == 0o644, f"p.png has mode {mode:o}, expected 644 under umask 022"


def test_render_from_an_imported_heightmap(tmp_path):
    """render.py --heightmap starts from a map exported by `planet export`; a bad one is one line, exit 2."""
    import planet

    with planet.Simulation.headless(TINY, seed=3) as sim:
        sim.step(500)
        sim.export(tmp_path / "h.tif")
        land = sim.quantity("land").mean()
    run = render(TINY, "-o", tmp_path / "x.png", "--heightmap", tmp_path / "h.tif")
    assert run.returncode == 0, run.stderr
    missing = render(TINY, "-o", tmp_path / "y.png", "--heightmap", tmp_path / "nope.tif")
    assert missing.returncode == 2 and "terrain.heightmap" in missing.stderr and "Traceback" not in missing.stderr
    assert not (tmp_path / "y.png").exists()
    with planet.Simulation.headless(TINY, heightmap=tmp_path / "h.tif") as sim:
        assert abs(sim.quantity("land").mean() - land) < 0.02

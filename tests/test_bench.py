"""`make bench` stays runnable: a quick run over both backends prints every pass with a time."""
import subprocess
import sys

from conftest import ROOT


def test_bench_quick_runs():
    out = subprocess.run([sys.executable, "bench/bench.py", "--quick", "--grids", "32x16"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    for name in ("bench.copy", "bench.stencil9", "terrain.protoplanet", "terrain.cool"):
        rows = [ln for ln in out.stdout.splitlines() if f"| {name} |" in ln]
        assert len(rows) == 2, f"{name}: expected one row per backend, got {rows}"
        for row in rows:
            ms = float(row.split("|")[6])
            assert ms > 0, row
    frames = out.stdout.split("View frame 1280×720")[1].split("\n\n")[1].splitlines()[2:]
    assert len(frames) == 2 and all(float(c) > 0 for row in frames for c in row.split("|")[3:-1]), frames

"""Ensembles (planet.ensemble, `planet sweep`): plans, metrics, local Ray against serial runs, failures
and retries, resume after Ctrl-C and after a killed worker, and clean errors before anything runs."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

import planet
from planet import ensemble, metrics
from planet.errors import PlanetError

ROOT = Path(__file__).resolve().parent.parent
SCENE = ROOT / "scenes" / "tests" / "sweep.toml"
SETS = {"erosion.erodibility": [1e-5, 1e-4]}


def _fields(path: Path) -> dict:
    with np.load(path) as z:
        return {n: z[n] for n in z.files if n.startswith("field.")}


def _cli(*args, **kw):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "planet", "sweep", *map(str, args), "--no-progress"], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def _wait_for(predicate, timeout=120.0, what="a condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = predicate()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


# -- plans (no runs) -----------------------------------------------------------------------------------

def test_plan_is_the_cross_product_with_stable_keys():
    _, members, _ = ensemble.plan(SCENE, seeds="0-1", params=SETS, ticks=5)
    assert [(m.seed, m.params) for m in members] == [
        (0, (("erosion.erodibility", 1e-5),)), (0, (("erosion.erodibility", 1e-4),)),
        (1, (("erosion.erodibility", 1e-5),)), (1, (("erosion.erodibility", 1e-4),))]
    again = ensemble.plan(SCENE, seeds=[0, 1], params=["erosion.erodibility=1e-5,1e-4"], ticks=5)[1]
    assert [m.key for m in again] == [m.key for m in members]          # CLI strings == API values
    other = ensemble.plan(SCENE, seeds="0-1", params=SETS, ticks=6)[1]
    assert not {m.key for m in other} & {m.key for m in members}        # more ticks: other members


def test_sample_draws_are_deterministic_and_in_range():
    sets = {"erosion.erodibility": "1e-6:1e-3:log", "climate.lapse_rate": "5.5:6.5", "tectonics.plate_count": [6, 9]}
    _, a, _ = ensemble.plan(SCENE, seeds="0-9", params=sets, sample=12, sample_seed=4, ticks=3)
    _, b, _ = ensemble.plan(SCENE, seeds="0-9", params=sets, sample=12, sample_seed=4, ticks=3)
    assert [m.params for m in a] == [m.params for m in b] and len(a) >= 10
    values = [dict(m.params) for m in a]
    assert all(1e-6 <= v["erosion.erodibility"] <= 1e-3 and 5.5 <= v["climate.lapse_rate"] <= 6.5 for v in values)
    assert {v["tectonics.plate_count"] for v in values} <= {6, 9}
    # log-uniform: the draws spread over the decades, not all in the top one
    assert min(v["erosion.erodibility"] for v in values) < 1e-4
    c = ensemble.plan(SCENE, seeds="0-9", params=sets, sample=12, sample_seed=5, ticks=3)[1]
    assert [m.params for m in c] != [m.params for m in a]


@pytest.mark.parametrize("args, message", [
    (["--set", "erosion.erodibilty=1e-5"], "did you mean 'erodibility'"),
    (["--set", "oceans.depth=3"], "unknown key 'oceans'; valid: climate, erosion"),
    (["--set", "erosion.erodibility=-1"], "out of range"),
    (["--set", "erosion.erodibility=1e-5:1e-4"], "needs --sample"),
    (["--set", "planet.grid=64x32"], "valid: dt, radius"),
    (["--seeds", "3-x"], "--seeds"),
    (["--frobnicate", "3"], "unrecognized arguments"),
])
def test_bad_requests_are_one_line_and_run_nothing(tmp_path, args, message):
    out = tmp_path / "sweep"
    proc = _cli(SCENE, "-o", out, "--ticks", "2", *args)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 2, stderr
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("planet sweep: error:") and message in lines[0], stderr
    assert not out.exists()  # nothing started: no folder, no Ray


# -- metrics ----------------------------------------------------------------------------------------------

def test_path_lengths_follow_the_receivers():
    # 0 <- 1 <- 2 <- 3 (a river of three steps) and 4 -> 0; 5 is a root of its own
    receiver = np.array([-1, 0, 1, 2, 0, -1])
    step = np.array([9.0, 1.0, 2.0, 4.0, 8.0, 9.0])
    assert metrics.path_lengths(receiver, step).tolist() == [0.0, 1.0, 3.0, 7.0, 8.0, 0.0]


def test_relief_weights_by_area():
    elevation = np.array([[1000.0, -2000.0], [4000.0, -1000.0]])
    area = np.array([[1.0, 1.0], [3.0, 3.0]])
    r = metrics.relief(elevation, area)
    assert r["land_fraction"] == pytest.approx(0.5)
    assert r["land_mean_elevation_m"] == pytest.approx((1000 + 3 * 4000) / 4)
    assert r["land_above_3km"] == pytest.approx(0.75)
    assert r["ocean_mean_depth_m"] == pytest.approx((2000 + 3 * 1000) / 4)


# -- runs ------------------------------------------------------------------------------------------------

def test_ray_sweep_equals_serial_runs(tmp_path):
    """4 members on a local Ray (2 workers): 4 rows, the same metrics and bit-identical fields as the
    same members run one after another in this process."""
    ray_out, serial_out = tmp_path / "ray", tmp_path / "serial"
    table = planet.sweep(SCENE, seeds="0-1", params=SETS, ticks=30, out=ray_out, workers=2, progress=False)
    serial = planet.sweep(SCENE, seeds="0-1", params=SETS, ticks=30, out=serial_out, workers=0, progress=False)
    assert table.num_rows == 4 and table.column("status").to_pylist() == ["ok"] * 4
    on_disk = pq.read_table(ray_out / "summary.parquet")
    assert on_disk.column("key").to_pylist() == table.column("key").to_pylist()
    skip = {"cpu_s"}
    a, b = table.to_pylist(), serial.to_pylist()
    for ra, rb in zip(a, b, strict=True):
        assert {k: v for k, v in ra.items() if k not in skip} == {k: v for k, v in rb.items() if k not in skip}
        assert np.isfinite(ra["land_fraction"]) and ra["river_count"] >= 0 and ra["population"] > 0
        fa, fb = _fields(ray_out / "members" / ra["key"] / "state.npz"), _fields(serial_out / "members" / rb["key"] / "state.npz")
        assert fa.keys() == fb.keys() and all(np.array_equal(fa[n], fb[n]) for n in fa)
    # different erodibility, same seed: different planets (the param reached the shaders)
    assert a[0]["land_mean_elevation_m"] != a[1]["land_mean_elevation_m"]
    assert (ray_out / "contact.png").is_file()
    # the checkpoint resumes as a simulation
    with planet.Simulation.load(ray_out / "members" / a[0]["key"] / "state.npz") as sim:
        assert sim.tick == 30 and sim.seed == 0 and sim.params["erosion"]["erodibility"] == 1e-5


def test_failed_member_is_retried_once_then_recorded(tmp_path):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not a png at all")
    table = planet.sweep(SCENE, seeds="0", params={"terrain.heightmap": [str(bad)]}, ticks=2, out=tmp_path / "s",
                         workers=0, progress=False)
    row = table.to_pylist()[0]
    assert row["status"] == "failed" and row["attempts"] == 2 and "bad.png" in row["error"], row
    assert "Traceback" not in row["error"] and "\n" not in row["error"]


def test_resume_after_ctrl_c_and_after_a_killed_worker(tmp_path):
    """Ctrl-C keeps finished members (and lists them); a re-run skips them; a worker killed mid-run
    is retried once and the sweep still finishes every member."""
    out = tmp_path / "sweep"
    args = (SCENE, "-o", out, "--seeds", "0-2", "--ticks", "250", "--workers", "1")
    first = _cli(*args)
    done = _wait_for(lambda: list(out.glob("members/*/metrics.json")), what="a finished member")
    first.send_signal(signal.SIGINT)
    _, stderr = first.communicate(timeout=120)
    assert first.returncode == 130 and "interrupted" in stderr and "resume" in stderr, stderr
    rows = pq.read_table(out / "summary.parquet").to_pylist()
    assert len(rows) == 3 and "ok" in [r["status"] for r in rows]
    kept = {p: p.stat().st_mtime_ns for p in out.glob("members/*/metrics.json")}
    assert set(done) <= set(kept)
    assert not list(out.glob("members/*/.*.tmp*"))

    second = _cli(*args)
    running = _wait_for(lambda: [p for p in out.glob("members/*/running.json")
                                 if not (p.parent / "metrics.json").exists()], what="a running member")
    pid = json.loads(running[0].read_text())["pid"]
    os.kill(pid, signal.SIGKILL)
    _, stderr = second.communicate(timeout=300)
    assert second.returncode == 0, stderr
    rows = pq.read_table(out / "summary.parquet").to_pylist()
    assert [r["status"] for r in rows] == ["ok"] * 3, rows
    assert any(r["attempts"] == 2 for r in rows), [r["attempts"] for r in rows]
    assert all(p.stat().st_mtime_ns == t for p, t in kept.items())  # finished members were not run again


def test_api_errors_are_planet_errors(tmp_path):
    with pytest.raises(PlanetError, match="--workers"):
        planet.sweep(SCENE, ticks=1, out=tmp_path / "x", workers=-1)
    with pytest.raises(PlanetError, match="--ticks"):
        planet.sweep(SCENE, ticks=-3, out=tmp_path / "x")
    with pytest.raises(PlanetError, match="--export"):
        planet.sweep(SCENE, ticks=1, out=tmp_path / "x", exports=["movie"])

"""A finished world, coarse to fine: the scene's history on a coarse grid, refined level by level.

    sim = planet.world.make("scenes/earth.toml", grid="1024x512")   # the world at the scene's present
    sim.save("out/world.npz")                                        # resume it: Simulation.load

`python -m planet world scenes/earth.toml --grid 1024x512 -o out/world.npz` does the same from a shell.

Why: a story at 1024x512 runs ~4,500 ticks of ~1 s CPU each on a 2-core machine without a GPU (hours)
before it has plates, rivers, a climate and life. What a finished world needs of each scale is known:
continents, belts and basins are made by the plates over billions of years at the scale of hundreds of
km; the fine scale needs rivers that connect, valleys, coasts and a climate that has seen the fine
relief. So the history runs on a coarse grid (W / 2^k, at most `coarse` columns), and each level up
doubles the grid and runs a few ticks there:

1. Coarse history. The scene from tick 0 on the coarse grid with dt x 2^k: every geological process
   keeps the Courant number it has at the target grid (plates move the same cells per update, erosion's
   implicit step and the talus see the same cells). The timeline fires on years, as always.
2. Spin-up: the last `spinup_ticks` ticks of the coarse grid (default 180, a climate year) run at the
   scene's dt. The climate and life step by ticks, not years, so what they see of the plates per tick
   is km, not cells: at dt x 8 a plate moves 8x as far between two of life's steps, collisions and
   drowned coasts take 3-12 % of the plants an update, and the populations die out within ~150 ticks
   (bench/RESULTS.md). So life, if it started earlier, is seeded at the spin-up's first tick (life.start
   is the scene's again after it; with no coarse level, k = 0, the story's life is kept), and the
   climate's last year is one of the scene's own ticks.
3. Refine (x2 per level; `refine`). Every field goes onto the finer grid by its Field.resample rule:
   smooth quantities bilinearly, the bedrock by sides of the coast (the coast where the bilinear
   share of land crosses 1/2, so it keeps its area), ids and categories (plates) from the source cell under a randomly
   warped centre (so plate boundaries meander instead of stepping in 2x2 blocks), and what derives
   from the rest is rebuilt by its stage (Stage.rebuild, Stage.settle: erosion clears its sediment and
   lakes and fills and spills the lakes until every lake's outlet is found, so the rivers connect).
4. Detail. Bilinear refinement has no relief below the source cells, so the bedrock gets the missing
   octave of a fractal surface, midpoint displacement's: a displacement of standard deviation
   sigma = R sqrt(1 - 2^(2H-2)) / 2^H (R: the local rms height difference between neighbouring
   source cells of the same side of the coast, H = `hurst`; Fournier, Fussell & Carpenter 1982), times
   `detail`. Mountains get rough, plains and the abyssal floor stay smooth; coasts gain bays and capes.
   A scene without tectonics keeps its own relief instead (nothing moved it): the start (the
   protoplanet, an imported heightmap or land mask) on the finer grid plus the bilinear change the
   ticks made since (initial_terrain).
5. Ticks at the level: `level_ticks` ticks at the scene's dt, the erosion and tectonics carving and
   moving the new detail and the climate and life seeing it; the last level (the target grid) runs
   until `until`.

Deterministic: the same scene, seed, grid and arguments give the same fields (the detail and the warp
come from NumPy's PCG64 seeded with the scene seed and the level). The world is a history of its own,
not the full-resolution story's state at the same time: the same statistics (land fraction, relief,
climate belts), other coastlines. Timeline events that change dt (the story's "today") must come at or
after `until`: the coarse levels scale the geological dt.
"""
from __future__ import annotations

import math

import numpy as np

from . import grid as sphere
from .errors import PlanetError
from .fields import RESAMPLE as RULES   # the rules, as Field.resample declares them
from .scene import load_scene

HURST = 0.8           # Hurst exponent of terrestrial relief at 10-1000 km (Mandelbrot; Gagnon et al. 2006: 0.7-0.9)
MAX_SETTLE = 32       # Stage.settle runs at most (erosion's fill and spill: log2(lakes) + 1, ~12 for 2,000 lakes)
COARSE = 128          # default: the coarse history's grid is at most this many columns
SPINUP_TICKS = 180    # default: a climate year (steps_per_year) at the scene's dt closes the coarse history
LEVEL_TICKS = 4       # default: ticks at each finer level (two updates of erosion and tectonics every 2nd)


def _levels(w: int, h: int, coarse: int) -> int:
    """Doublings k from the coarse grid (w / 2^k: at most `coarse` columns where the halvings leave a
    valid grid, H even and at least 8) to w x h."""
    k = 0
    while (w >> k) > coarse and (w >> (k + 1)) << (k + 1) == w and (h >> (k + 1)) << (k + 1) == h \
            and (h >> (k + 1)) >= 8 and (h >> (k + 1)) % 2 == 0:      # a grid: H even and at least 8
        k += 1
    return k


def _positions(src: tuple[int, int], dst: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Continuous source-grid coordinates (cell centres at +0.5) of every destination cell centre."""
    (sw, sh), (dw, dh) = src, dst
    i, j = sphere.cell_ij(dw, dh)
    return (i + 0.5) * sw / dw, (j + 0.5) * sh / dh


def warp_field(src: tuple[int, int], dst: tuple[int, int], rng: np.random.Generator, amplitude: float = 0.5):
    """A smooth random displacement (dx, dy) [source cells] for every destination cell: uniform draws of
    +-amplitude at the source cells, bilinear in between (so it varies over one source cell)."""
    sw, sh = src
    draws = (rng.random((sh, sw, 2)) * 2.0 - 1.0) * amplitude
    out = Bilinear(src, dst)(draws)
    return out[..., 0], out[..., 1]


class Bilinear:
    """Bilinear weights from a source grid to the cell centres of `dst`, computed once for all channels:
    longitude wraps, and a row past a pole continues on the opposite meridian (planet.grid.sample's
    rule), rows further out clamp."""

    def __init__(self, src: tuple[int, int], dst: tuple[int, int]):
        w, h = src
        gx, gy = _positions(src, dst)
        gx, gy = gx - 0.5, gy - 0.5
        x0, y0 = np.floor(gx), np.floor(gy)
        fx, fy = gx - x0, gy - y0
        x0, y0 = x0.astype(np.int64), y0.astype(np.int64)
        self.index, self.weight = [], []
        for dx, dy, wgt in ((0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)), (0, 1, (1 - fx) * fy), (1, 1, fx * fy)):
            i, j = sphere.wrap(x0 + dx, y0 + dy, w, h)
            self.index.append(np.clip(j, 0, h - 1) * w + i)
            self.weight.append(wgt[..., None])
        self.shape = (dst[1], dst[0])

    def __call__(self, arr: np.ndarray) -> np.ndarray:
        """(H, W, C) or (H, W) on the source grid -> the same on dst, float64."""
        flat = arr.reshape(arr.shape[0] * arr.shape[1], -1).astype(np.float64, copy=False)
        out = sum(wgt * flat[idx] for idx, wgt in zip(self.index, self.weight, strict=True))
        return out.reshape(self.shape + arr.shape[2:])


def resample(arr: np.ndarray, rules, dst: tuple[int, int], warp=None, bilinear: Bilinear | None = None,
             sea: int | None = None) -> np.ndarray:
    """A field (H, W, C) of a grid onto the grid `dst` = (W', H'), channel c by rules[c] ("linear":
    bilinear between cell centres (Bilinear); "coastal": a height against channel `sea` (sea level),
    land where the bilinear share of land cells is at least 1/2, and bilinear among the cells of that
    side only; "nearest": the source cell under the centre displaced by `warp` = (dx, dy) [source
    cells], rows clamped inside the grid; "rebuilt": zero, its stage writes it). Same dtype as `arr`."""
    h, w, c = arr.shape
    dw, dh = dst
    out = np.zeros((dh, dw, c), arr.dtype)
    unknown = [r for r in rules if r not in RULES]
    if unknown:
        raise PlanetError(f"resample: rule {unknown[0]!r}; valid: {', '.join(RULES)}")
    bilinear = bilinear or Bilinear((w, h), dst)
    linear = [k for k, r in enumerate(rules) if r == "linear"]
    if linear:
        out[..., linear] = bilinear(arr[..., linear])
    coastal = [k for k, r in enumerate(rules) if r == "coastal"]
    if coastal:
        if sea is None:
            raise PlanetError("resample: a 'coastal' channel needs the sea level channel (sea=)")
        land = (arr[..., coastal] > arr[..., sea:sea + 1]).astype(np.float64)
        share = bilinear(land)
        on_land = share >= 0.5
        up = bilinear(arr[..., coastal] * land) / np.maximum(share, 1e-12)            # among land cells
        down = bilinear(arr[..., coastal] * (1.0 - land)) / np.maximum(1.0 - share, 1e-12)   # among sea cells
        out[..., coastal] = np.where(on_land, up, down)
    nearest = [k for k, r in enumerate(rules) if r == "nearest"]
    if nearest:
        gx, gy = _positions((w, h), dst)
        wx, wy = warp if warp is not None else (0.0, 0.0)
        ni = np.mod(np.floor(gx + wx).astype(np.int64), w)
        nj = np.clip(np.floor(gy + wy).astype(np.int64), 0, h - 1)
        out[..., nearest] = arr[nj, ni][..., nearest]
    return out


def _separable(a: np.ndarray, taps: tuple[float, float, float]) -> np.ndarray:
    """a (H, W) filtered by the 3 taps along longitude (wrapping) and then along latitude (rows clamped)."""
    a = taps[0] * np.roll(a, 1, axis=1) + taps[1] * a + taps[2] * np.roll(a, -1, axis=1)
    padded = np.concatenate([a[:1], a, a[-1:]], axis=0)
    return taps[0] * padded[:-2] + taps[1] * padded[1:-1] + taps[2] * padded[2:]


def relief_detail(bedrock: np.ndarray, sea_level: np.ndarray, dst: tuple[int, int], rng: np.random.Generator,
                  hurst: float = HURST, detail: float = 1.0) -> np.ndarray:
    """The missing octave [m] (dst's (H', W')) of the relief `bedrock` (H, W) on a grid twice as fine: a
    displacement of std R sqrt(1 - 2^(2H-2)) / 2^H (midpoint displacement of a fractal surface of Hurst
    exponent H; R: rms difference between neighbouring cells on the same side of the coast, averaged
    over 3x3 cells), from noise smoothed by 1-2-1 (nothing at the grid's own Nyquist), times `detail`."""
    h, w = bedrock.shape
    z = bedrock.astype(np.float64)
    land = z > sea_level
    sq, n = np.zeros_like(z), np.zeros_like(z)
    for di, dj in ((1, 0), (0, 1)):
        ni, nj = sphere.neighbour(w, h, (di, dj))
        same = (land == land[nj, ni]) & (nj != np.arange(h)[:, None])  # no pair across a pole row's wrap
        d2 = np.where(same, (z[nj, ni] - z) ** 2, 0.0)
        for arr, add in ((sq, d2), (n, same.astype(np.float64))):  # each pair counts at both its cells
            arr += add
            np.add.at(arr, (nj, ni), add)
    box = (1.0 / 3.0,) * 3
    rms = np.sqrt(_separable(sq, box) / np.maximum(_separable(n, box), 1e-9))
    sigma = rms * math.sqrt(1.0 - 2.0 ** (2.0 * hurst - 2.0)) / 2.0 ** hurst * detail
    sigma_fine = Bilinear((w, h), dst)(sigma)
    dw, dh = dst
    noise = _separable(rng.random((dh, dw)) * 2.0 - 1.0, (0.25, 0.5, 0.25))
    noise /= max(float(noise.std()), 1e-12)
    return (sigma_fine * noise).astype(np.float32)


def initial_terrain(sim) -> np.ndarray | None:
    """The terrain field the scene starts from on `sim`'s grid, as a reset makes it (the protoplanet,
    or the imported heightmap or land mask), or None where a tectonics stage moves the crust (then
    the plates, not the start, made the relief under each cell). Without plates the bedrock only
    changes by erosion and brush strokes (terrain.cool leaves it), so the start on a finer grid plus
    that change is the world there. sim's fields are left as they were."""
    st = next((s for s in sim.stages if s.name == "terrain"), None)
    if st is None or "tectonics" in sim.scene.stages:
        return None
    keep = sim.read("terrain")
    sim.pipeline.run(st.init, sim.stage_uniforms(), gated=False)   # the protoplanet (and a land mask's relief)
    try:
        out = st.imports(sim.params["terrain"], sim.read, f"{sim.scene.source}: terrain",
                         sim.scene.radius).get("terrain") if st.imports is not None else None
        return sim.read("terrain") if out is None else out
    finally:
        sim.pipeline.fields["terrain"].write(keep)


def refine(sim, grid: tuple[int, int], *, level: int = 0, detail: float = 1.0, hurst: float = HURST,
           report: dict | None = None):
    """A new Simulation on `sim`'s context at `grid` (a multiple of sim's), holding sim's world: clock,
    params, every field by its Field.resample rule, the terrain's bedrock with relief_detail added when
    the grid is finer (a scene without plates: its start on the new grid, the protoplanet or the
    imported files, plus what the ticks since changed, bilinearly, and the start's ice sheets: the
    scene's own relief, not a coarse copy of it with random detail), then every stage's Stage.rebuild
    and, until its carried fields stand still, Stage.settle. `sim` is left as it was (release it when done). `report` (a dict) gets, per stage
    with settle passes, the runs they took ("settle_runs": {stage: runs})."""
    from .simulation import Simulation

    sim.settle()
    src = sim.scene.grid
    rng = np.random.default_rng([int(sim.seed) & 0xFFFFFFFF, 0x574F524C, level, *grid])
    new = Simulation(sim.ctx, load_scene(sim.scene, grid=grid), backend=sim.backend, init=False)
    try:
        new.scene.timeline = sim.scene.timeline
        new.set_clock(**sim.clock)
        new.set_params(**sim.params)
        warp = warp_field(src, grid, rng)
        bilinear = Bilinear(src, grid)
        base = initial_terrain(sim) if grid[0] > src[0] else None
        fine_base = initial_terrain(new) if base is not None else None
        for name in sim.fields:
            spec = sim.field_spec(name)
            rules = spec.resample_rules()
            if None in rules:
                raise PlanetError(f"field '{name}' ({spec.kind}) declares no Field.resample rule, so it cannot go "
                                  f"onto another grid; valid: nearest, rebuilt")
            coarse = sim.read(name)
            sea = spec.channel_index("sea_level") if "coastal" in rules else None
            arr = resample(coarse, rules, grid, warp, bilinear, sea)
            if name == "terrain" and base is not None:   # the scene's own relief, and the change since
                k, ice = spec.channel_index("bedrock"), spec.channel_index("ice_sheet")
                arr[..., k] = fine_base[..., k] + bilinear(coarse[..., k] - base[..., k])
                arr[..., ice] = fine_base[..., ice]
            elif name == "terrain" and grid[0] > src[0]:
                k, s = spec.channel_index("bedrock"), spec.channel_index("sea_level")
                arr[..., k] += relief_detail(coarse[..., k], coarse[..., s], grid, rng, hurst, detail)
            new.pipeline.fields[name].write(arr)
        uniforms = new.stage_uniforms()
        for st in new.stages:
            by_name = {p.name: p for p in (*st.init, *st.step)}   # as resolved for this scene
            new.pipeline.run([by_name[p.name] for p in st.rebuild], uniforms, gated=False)
            settle = [by_name[p.name] for p in st.settle]
            still = {**uniforms, st.name: {**uniforms[st.name], "u_dt": 0.0}}   # a step of no time
            carried = sorted({f for p in settle for f in p.writes if new.field_spec(f).carried})
            before = [new.read(f) for f in carried]
            for run in range(1, MAX_SETTLE + 1 if settle else 0):
                new.pipeline.run(settle, still, gated=False)
                if report is not None:
                    report.setdefault("settle_runs", {})[st.name] = run
                after = [new.read(f) for f in carried]
                if all(np.array_equal(a, b) for a, b in zip(before, after, strict=True)):
                    break
                before = after
        new.written = set(sim.written)
        new.edited = True          # the next tick runs the cadenced passes too (the terrain is new)
        new._changed()
        new._reduce_if_eager()
        return new
    except BaseException:
        new.release()
        raise


def _run(sim, ticks: int, progress) -> None:
    done = 0
    while done < ticks:
        n = min(64, ticks - done)
        sim.step(n)
        done += n
        if progress is not None:
            progress(sim.scene.grid, done, ticks)


def make(scene, grid=None, *, seed: int | None = None, until: float | None = None, coarse: int = COARSE,
         level_ticks: int = LEVEL_TICKS, spinup_ticks: int = SPINUP_TICKS, detail: float = 1.0, hurst: float = HURST,
         backend: str = "auto", ctx=None, progress=None):
    """The scene's world at `until` years (default: the scene's present) on `grid` (default: the
    scene's), made coarse to fine (this module's doc). `progress(grid, tick, ticks)` is called after
    every chunk of ticks of each phase. Returns the Simulation (on `ctx`, or its own headless context)."""
    from . import gl
    from .simulation import Simulation

    target = load_scene(scene, seed=seed, grid=grid)
    w, h = target.grid
    until = target.present if until is None else float(until)
    where = f"{target.source}: world"
    if not (math.isfinite(until) and until > 0):
        raise PlanetError(f"{where}: until = {until!r} years; give a time after 0 (the scene's present is "
                          f"{target.present:g})")
    for name, value, lo in (("level_ticks", level_ticks, 1), ("spinup_ticks", spinup_ticks, 0)):
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= 100_000:
            raise PlanetError(f"{where}: {name} = {value!r}; give an integer {lo}..100000")
    if isinstance(coarse, bool) or not isinstance(coarse, int) or coarse < 8:
        raise PlanetError(f"{where}: coarse = {coarse!r}; give an integer >= 8 (columns of the coarse grid)")
    if not (math.isfinite(detail) and 0.0 <= detail <= 10.0):
        raise PlanetError(f"{where}: detail = {detail!r}; give 0..10 (1: a fractal surface's missing octave)")
    if not (math.isfinite(hurst) and 0.0 < hurst < 1.0):
        raise PlanetError(f"{where}: hurst = {hurst!r}; give a Hurst exponent in (0, 1)")
    early = [ev for ev in target.timeline if ev.dt is not None and ev.at < until]
    if early:
        raise PlanetError(f"{where}: the timeline sets dt = {early[0].dt:g} at {early[0].at:g} years, before until = "
                          f"{until:g}; a world is refined over the geological eras: give until <= {early[0].at:g}")
    k = _levels(w, h, coarse)
    dt = target.dt
    fine_years = (spinup_ticks + k * level_ticks) * dt     # the spin-up and the levels run at the scene's dt
    own = ctx is None
    if own:
        if backend not in gl.BACKENDS:
            raise PlanetError(f"unknown backend {backend!r}; valid: {', '.join(gl.BACKENDS)}")
        ctx = gl.create_headless()
    sim = None
    try:
        sim = Simulation(ctx, load_scene(target, grid=(w >> k, h >> k)), backend=backend)
        # 1. The coarse history, dt x 2^k, up to the spin-up.
        sim.set_clock(**{**sim.clock, "dt": dt * 2 ** k})
        _run(sim, max(0, math.floor((until - fine_years) / (dt * 2 ** k) + 1e-9)), progress)
        # 2. The spin-up at the scene's dt on the coarse grid; life, if it started before, is seeded now.
        sim.set_clock(**{**sim.clock, "dt": dt})
        start = sim.params.get("life", {}).get("start")
        # (No coarse levels, k = 0: the history ran at the scene's dt, life is the story's, kept.)
        seed_now = k > 0 and start is not None and start < sim.years and spinup_ticks > 0
        if seed_now:
            sim.set_params(life={"start": sim.years})
            sim.step(1)
            sim.set_params(life={"start": start})
        spin = max(0, round((until - k * level_ticks * dt - sim.years) / dt))
        _run(sim, spin, progress)
        # 3. The levels: x2 each, level_ticks at the scene's dt (the last one up to `until`).
        for level in range(1, k + 1):
            finer = refine(sim, (w >> (k - level), h >> (k - level)), level=level, detail=detail, hurst=hurst)
            sim, coarser = finer, sim     # held before the coarser is let go: an error there frees both
            coarser.release()
            left = max(0, round((until - sim.years) / dt))   # an `until` shorter than the levels: stop there
            ticks = min(level_ticks, left) if level < k else left
            _run(sim, ticks, progress)
        sim._owns_context = own    # the last level keeps the context the coarse one was made on
        return sim
    except BaseException:
        if sim is not None:
            sim._owns_context = own
            sim.release()
        elif own:
            ctx.release()
        raise


EPILOG = """\
The world is written as a checkpoint (atomically: on an error or Ctrl-C nothing is left behind):
export its maps with `planet export`, open it in the window (`planet out/world.npz`), or resume it
with planet.Simulation.load and go on with the story from there (at the present, the people follow).

examples:
  planet world scenes/earth.toml --grid 1024x512 -o out/world.npz
  planet export heightmap out/world.npz -o out/world.tif
  planet export view out/world.npz --layer biomes -o out/biomes.png
  planet out/world.npz                       # the window, from the finished world on
"""


def world_parser():
    from .cli import OneLineParser, count, number

    ap = OneLineParser(prog="planet world", description="Make a finished world (plates, rivers, climate, life) "
                       "coarse to fine: the history on a coarse grid, refined level by level (planet.world).",
                       epilog=EPILOG, formatter_class=__import__("argparse").RawDescriptionHelpFormatter)
    ap.add_argument("scene", help="a scene .toml")
    ap.add_argument("-o", "--output", required=True, help="the checkpoint to write (.npz; its folder must exist)")
    ap.add_argument("--grid", help="the world's grid, WxH with W = 2H (default: the scene's)")
    ap.add_argument("--seed", type=int, help="override the scene seed")
    ap.add_argument("--until", type=number(0.0, 1.0e12, "years"), help="simulated years of the world (default: the "
                    "scene's present)")
    ap.add_argument("--coarse", type=count(1 << 16), default=COARSE, help=f"columns of the coarse history's grid, at "
                    f"most (default {COARSE})")
    ap.add_argument("--level-ticks", type=count(100_000), default=LEVEL_TICKS, help=f"ticks at each finer level "
                    f"(default {LEVEL_TICKS})")
    ap.add_argument("--spinup-ticks", type=count(100_000), default=SPINUP_TICKS, help=f"ticks at the scene's dt that "
                    f"close the coarse history (default {SPINUP_TICKS}: a climate year)")
    ap.add_argument("--detail", type=float, default=1.0, help="relief detail added per level, in units of a "
                    "fractal surface's missing octave (default 1; 0: none)")
    ap.add_argument("--backend", default="auto", help="auto, fragment or compute (default auto)")
    return ap


def world_main(argv=None) -> int:
    """`planet world`: returns the exit code (2 with one line on a user error, 130 on Ctrl-C)."""
    import sys
    import time
    from pathlib import Path

    from .atomic import catch_signals, check_outputs
    from .cli import interrupted, one_line

    args = world_parser().parse_args(argv)
    try:
        out = Path(args.output)
        if out.suffix.lower() != ".npz":
            raise PlanetError(f"{out}: a world is written as a checkpoint; give a name ending in .npz")
        check_outputs([out])
        t0 = time.process_time()
        last = [None]

        def progress(grid, done, ticks):
            if done == ticks or last[0] != grid:
                print(f"planet world: {grid[0]}x{grid[1]}: {done}/{ticks} ticks ({time.process_time() - t0:.1f} s CPU)",
                      file=sys.stderr)
            last[0] = grid

        with catch_signals():
            sim = make(args.scene, grid=args.grid, seed=args.seed, until=args.until, coarse=args.coarse,
                       level_ticks=args.level_ticks, spinup_ticks=args.spinup_ticks, detail=args.detail,
                       backend=args.backend, progress=progress)
            with sim:
                sim.save(out)
                w, h = sim.scene.grid
                print(f"wrote {out} ({w}x{h}, {sim.years:.4g} years, tick {sim.tick}; {time.process_time() - t0:.1f} s "
                      f"CPU)", file=sys.stderr)
        return 0
    except PlanetError as exc:
        print(f"planet world: error: {one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        return interrupted("planet world", exc, "nothing written")

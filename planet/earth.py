"""Today's Earth checked against the observed climate: `planet earth-check`, `earth_check()`.

    from planet.earth import earth_check
    result = earth_check(grid="256x128")      # a year's spin-up, then a year measured
    print(result.table())                     # one row per feature: observed, model, holds
    result.rows, result.climatology           # the rows; the model's annual/January/July means

The scene is scenes/earth_today.toml (the real coastlines from global-land-mask, planet/earth_mask.py).
After `spinup_years` the climate is sampled at every climate step for one year: the annual means of
surface air temperature and precipitation, and the January and July means (the climate's year fraction
0..1/12 and 6/12..7/12; planet.stages.climate: the state after tick k is at year fraction
(k mod steps_per_year) / steps_per_year) of sea-level pressure, wind and precipitation.

Observed values (the constants below) are the published climatologies' numbers, rounded and entered by
hand: they were not re-derived from the data sets here (no data or network at build time), so expect
reading errors of ~1-2 °C and ~20 % in rain; each row says how close counts as agreement:
- temperature: annual zonal-mean 2 m air temperature by 15-degree band, ERA5 1991-2020 climatology
  (Hersbach et al. 2020, "The ERA5 global reanalysis", Q. J. R. Meteorol. Soc. 146, 1999-2049), read
  from its zonal-mean profile to ~1 °C; NCEP/NCAR (Kalnay et al. 1996) agrees within ~1-2 °C except over
  Antarctica. Note 75-90 S is the 3-km-high Antarctic plateau: observed air there is ~20 °C colder than
  it would be at sea level, and the model's Antarctica has no such height (global-land-mask has no
  elevation).
- rain: GPCP v2.3 monthly precipitation climatology 1981-2010 (Adler et al. 2018, Atmosphere 9, 138):
  the latitude of the zonal-mean maximum (January ~5-8 S, July ~8-10 N) and regional annual totals.
- wind and pressure: ERA5 / NCEP-NCAR 10 m wind and mean sea-level pressure climatologies (the
  textbook picture, e.g. Hartmann 2016, Global Physical Climatology, 2nd ed., ch. 6): trades, westerlies,
  the Somali jet and SW monsoon over the Arabian Sea and India in July, the NE monsoon in January, the
  Siberian high (~1035 hPa over Mongolia in January), the Aleutian and Icelandic lows (~1000 hPa).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import grid as sphere

SCENE = Path(__file__).resolve().parent.parent / "scenes" / "earth_today.toml"
DEFAULT_GRID = "256x128"
BAND = 15.0                 # [degrees] latitude bands of the zonal-mean temperature
T_TOLERANCE = 5.0           # [°C] a band's annual zonal mean agrees within this
DT_TOLERANCE = 10.0         # [°C] the equator-to-pole difference agrees within this
# Annual zonal-mean 2 m air temperature [°C] by 15-degree band, south to north (ERA5 1991-2020; see the
# module doc): 90-75 S, 75-60 S, ..., 75-90 N.
T_OBSERVED = (-38.0, -11.0, 3.0, 13.5, 22.0, 26.0, 26.5, 24.0, 15.5, 4.0, -7.0, -17.0)

# Boxes: (name, lat south, lat north, lon west, lon east) in degrees; lon east < west wraps past 180.
SAHARA = ("Sahara", 18.0, 30.0, -10.0, 30.0)
ARABIA = ("Arabia", 16.0, 30.0, 40.0, 55.0)
AUSTRALIA = ("Australian interior", -30.0, -20.0, 120.0, 145.0)
AMAZON = ("Amazon", -10.0, 3.0, -75.0, -50.0)
CONGO = ("Congo", -5.0, 5.0, 12.0, 30.0)
INDONESIA = ("Indonesia", -10.0, 6.0, 95.0, 141.0)
EUROPE = ("Europe", 45.0, 55.0, 0.0, 30.0)
EAST_NORTH_AMERICA = ("eastern North America", 30.0, 45.0, -90.0, -75.0)
ARABIAN_SEA = ("Arabian Sea", 8.0, 20.0, 55.0, 72.0)
INDIA = ("India", 12.0, 25.0, 72.0, 88.0)
SIBERIA = ("Siberia-Mongolia", 40.0, 60.0, 80.0, 120.0)
ALEUTIAN = ("North Pacific", 40.0, 65.0, 160.0, -140.0)
ICELANDIC = ("North Atlantic", 50.0, 70.0, -50.0, -10.0)

DESERT_BELOW = 300.0        # [mm/yr] a desert's annual rain is below this (observed: 50-250)
RAIN_FOREST_ABOVE = 1500.0  # [mm/yr] a rain forest's annual rain is above this (observed: 1700-2800) ...
RAIN_FOREST_FACTOR = 2.0    # ... and below this many times the observed (GPCP's own error is ~10-20 %)
# (box, observed annual rain over its land [mm/yr], GPCP v2.3 1981-2010, rounded)
DESERTS = ((SAHARA, 50.0), (ARABIA, 80.0), (AUSTRALIA, 250.0))
RAIN_FORESTS = ((AMAZON, 2200.0), (CONGO, 1700.0), (INDONESIA, 2800.0))
TEMPERATE = ((EUROPE, 700.0), (EAST_NORTH_AMERICA, 1200.0))  # mid-latitude land: within a factor 2
TEMPERATE_FACTOR = 2.0
GLOBAL_T = 14.4             # [°C] global mean 2 m temperature, ERA5 1991-2020 (Copernicus C3S)
GLOBAL_T_TOLERANCE = 3.0    # [°C]
GLOBAL_P = 985.0            # [mm/yr] global mean precipitation, GPCP v2.3 (2.7 mm/day; Adler et al. 2018)
GLOBAL_P_FACTOR = 1.5       # agrees within this factor either way
ITCZ_OBSERVED = {"January": ("~6 S (0-12 S)", -12.0, 0.0), "July": ("~9 N (5-15 N)", 5.0, 15.0)}
HIGH_ABOVE = 1025.0         # [hPa] the Siberian high's January maximum is above this (observed ~1035)
LOW_BELOW = 1006.0          # [hPa] the Aleutian / Icelandic lows' January minimum is below this (observed ~1000)
PICTURE_SIZE = (1024, 512)   # [px] the satellite map of --picture
WIND_MIN = 1.0              # [m/s] trades / westerlies: zonal-mean zonal wind beyond this


@dataclass
class Climatology:
    """The model's climate over one measured year on a (W, H) grid; arrays (H, W), row 0 = south."""

    grid: tuple[int, int]
    land: np.ndarray                 # 1 on land, 0 at sea
    temperature: np.ndarray          # annual mean surface air temperature [°C]
    precipitation: np.ndarray        # annual mean precipitation [mm/yr]
    wind_east: np.ndarray            # annual mean wind towards the east [m/s]
    months: dict                     # {"January"|"July": {"pressure", "wind_east", "wind_north", "precipitation"}}
    steps: int                       # climate steps measured

    @property
    def lonlat(self) -> tuple[np.ndarray, np.ndarray]:
        """Cell-centre longitude and latitude [degrees], each (H, W)."""
        return tuple(np.degrees(a) for a in sphere.cell_lonlat(*self.grid))


@dataclass
class Row:
    """One line of the table: what is compared, the observed value, the model's, and whether it holds."""

    name: str
    observed: str
    model: str
    holds: bool
    value: float = math.nan          # the model's number behind `model` (NaN where there is none)


@dataclass
class Check:
    climatology: Climatology
    rows: list[Row] = field(default_factory=list)

    def row(self, name: str) -> Row:
        for r in self.rows:
            if r.name == name:
                return r
        raise KeyError(f"no row {name!r}; rows: {', '.join(r.name for r in self.rows)}")

    def table(self) -> str:
        w = max(len(r.name) for r in self.rows)
        wo = max(len("observed"), *(len(r.observed) for r in self.rows))
        wm = max(len("model"), *(len(r.model) for r in self.rows))
        lines = [f"{'':{w}}  {'observed':{wo}}  {'model':{wm}}  holds"]
        lines += [f"{r.name:{w}}  {r.observed:{wo}}  {r.model:{wm}}  {'yes' if r.holds else 'no'}" for r in self.rows]
        held = sum(r.holds for r in self.rows)
        lines.append(f"{held} of {len(self.rows)} rows hold")
        return "\n".join(lines)


# -- measuring ------------------------------------------------------------------------------------------

MONTHS = {"January": 0, "July": 6}
MONTH_KEYS = ("pressure", "wind_east", "wind_north", "precipitation")


def measure(sim, spinup_years: float = 1.0) -> Climatology:
    """Step `sim` (today's Earth, or any scene with climate) through `spinup_years`, then one year,
    sampling every climate step; returns the model's climatology of that year."""
    from .errors import PlanetError

    if "climate" not in sim.params:
        raise PlanetError(f"{sim.scene.source}: measuring a climate needs the climate stage, which planet.stages "
                          f"{list(sim.scene.stages)} leaves out")
    n = int(sim.params["climate"]["steps_per_year"])
    sim.step(int(round(spinup_years * n)))
    h, w = sim.scene.grid[1], sim.scene.grid[0]
    t_sum, p_sum, u_sum = np.zeros((h, w)), np.zeros((h, w)), np.zeros((h, w))
    months = {m: {k: np.zeros((h, w)) for k in MONTH_KEYS} for m in MONTHS}
    counts = dict.fromkeys(MONTHS, 0)
    atm_spec, pr_spec = sim.field_spec("atmosphere"), sim.field_spec("precipitation")
    ch = {k: atm_spec.channel_index(k) for k in ("pressure", "temperature", "wind_east", "wind_north")}
    rate = pr_spec.channel_index("rate")
    for _ in range(n):
        sim.step(1)
        atm, pr = sim.read("atmosphere"), sim.read("precipitation")
        t_sum += atm[..., ch["temperature"]]
        p_sum += pr[..., rate]
        u_sum += atm[..., ch["wind_east"]]
        month = int(12 * sim.year_fraction)
        for name, m in MONTHS.items():
            if month == m:
                acc = months[name]
                for k in ("pressure", "wind_east", "wind_north"):
                    acc[k] += atm[..., ch[k]]
                acc["precipitation"] += pr[..., rate]
                counts[name] += 1
    for name, acc in months.items():
        for k in acc:
            acc[k] /= max(counts[name], 1)
    return Climatology((w, h), sim.quantity("land").astype(np.float64), t_sum / n, p_sum / n, u_sum / n, months, n)


# -- comparing ------------------------------------------------------------------------------------------

def _box_mask(clim: Climatology, box, land_only: bool = False) -> np.ndarray:
    _, south, north, west, east = box
    lon, lat = clim.lonlat
    inside_lon = (lon >= west) & (lon <= east) if west <= east else (lon >= west) | (lon <= east)
    mask = inside_lon & (lat >= south) & (lat <= north)
    return mask & (clim.land > 0.5) if land_only else mask


def box_mean(clim: Climatology, values: np.ndarray, box, land_only: bool = False) -> float:
    """Area-weighted mean of `values` over a box (NaN if no cell of the grid falls in it)."""
    mask = _box_mask(clim, box, land_only)
    weight = np.cos(np.radians(clim.lonlat[1])) * mask
    return float((values * weight).sum() / weight.sum()) if weight.sum() > 0 else math.nan


def zonal_band_means(clim: Climatology, values: np.ndarray, band: float = BAND) -> np.ndarray:
    """Area-weighted means of `values` over latitude bands of `band` degrees, south to north."""
    lat = clim.lonlat[1][:, 0]
    edges = np.arange(-90.0, 90.0 + 1e-9, band)
    weight = np.cos(np.radians(lat))
    row = values.mean(axis=1)
    out = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        sel = (lat >= lo) & (lat < hi)
        out.append(float((row[sel] * weight[sel]).sum() / weight[sel].sum()) if sel.any() else math.nan)
    return np.array(out)


def rain_band_latitude(clim: Climatology, month: str) -> float:
    """Latitude [degrees] of the maximum of the month's zonal-mean precipitation within 30 S - 30 N
    (the ITCZ rain band), its row smoothed by a 3-row running mean."""
    lat = clim.lonlat[1][:, 0]
    row = clim.months[month]["precipitation"].mean(axis=1)
    smooth = np.convolve(np.pad(row, 1, mode="edge"), np.ones(3) / 3.0, mode="valid")
    sel = np.flatnonzero(np.abs(lat) <= 30.0)
    return float(lat[sel[np.argmax(smooth[sel])]])


def _lat_label(lat: float) -> str:
    return f"{abs(lat):.0f} {'N' if lat >= 0 else 'S'}" if abs(lat) >= 0.5 else "0"


def _band_label(lo: float) -> str:
    hi = lo + BAND
    def one(x):
        return f"{abs(x):.0f}{'N' if x > 0 else 'S' if x < 0 else ''}"
    return f"{one(lo)}-{one(hi)}"


def _wind(clim: Climatology, month: str, box) -> tuple[float, float]:
    acc = clim.months[month]
    return box_mean(clim, acc["wind_east"], box), box_mean(clim, acc["wind_north"], box)


def _direction(u: float, v: float) -> str:
    """'from 225° (SW) at 6.1 m/s': the meteorological direction the wind blows from."""
    frm = (math.degrees(math.atan2(-u, -v)) + 360.0) % 360.0
    names = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
    return f"from {frm:3.0f}° ({names[int((frm + 22.5) // 45) % 8]}) {math.hypot(u, v):.1f} m/s"


def temperature_rows(clim: Climatology) -> list[Row]:
    model = zonal_band_means(clim, clim.temperature)
    rows = []
    for k, (obs, t) in enumerate(zip(T_OBSERVED, model, strict=True)):
        lo = -90.0 + BAND * k
        rows.append(Row(f"T {_band_label(lo)} annual zonal mean", f"{obs:+.1f} °C", f"{t:+.1f} °C",
                        abs(t - obs) <= T_TOLERANCE, t))
    for name, eq, pole in (("north", (6, 7), 11), ("south", (5, 4), 0)):
        obs = T_OBSERVED[eq[0]] - T_OBSERVED[pole]
        got = model[eq[0]] - model[pole]
        rows.append(Row(f"T 0-15 minus pole band, {name}", f"{obs:.1f} °C", f"{got:.1f} °C",
                        abs(got - obs) <= DT_TOLERANCE, got))
    return rows


MONSOON = {  # observed winds over the monsoon boxes, and the quadrant they blow towards (sign of u, v)
    "July": ((1, 1), {ARABIAN_SEA: "SW ~10 m/s (Somali jet)", INDIA: "SW ~5 m/s (onshore)"}),
    "January": ((-1, -1), {ARABIAN_SEA: "NE ~3 m/s", INDIA: "NE ~3 m/s"}),
}
TRADES_WESTERLIES = (("NE trades 5-25N", 5, 25, "easterly ~-4 m/s", -1), ("SE trades 5-25S", -25, -5, "easterly ~-5 m/s", -1),
                     ("westerlies 35-60N", 35, 60, "westerly ~+4 m/s", 1), ("westerlies 40-60S", -60, -40,
                                                                            "westerly ~+7 m/s", 1))


def monsoon_turn(clim: Climatology) -> float:
    """Angle [degrees] between the January and the July mean wind over the Arabian Sea and India together
    (180: exactly reversed; the observed monsoon turns from NE to SW, ~180)."""
    jan = np.add(_wind(clim, "January", ARABIAN_SEA), _wind(clim, "January", INDIA))
    jul = np.add(_wind(clim, "July", ARABIAN_SEA), _wind(clim, "July", INDIA))
    cos = float(np.dot(jan, jul) / (np.linalg.norm(jan) * np.linalg.norm(jul)))
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def circulation_rows(clim: Climatology) -> list[Row]:
    rows = []
    for month, (obs, lo, hi) in ITCZ_OBSERVED.items():
        lat = rain_band_latitude(clim, month)
        rows.append(Row(f"ITCZ rain band, {month}", obs, _lat_label(lat), lo <= lat <= hi, lat))
    lat = clim.lonlat[1][:, 0]
    u_year, weight = clim.wind_east.mean(axis=1), np.cos(np.radians(lat))
    for name, lo, hi, obs, sign in TRADES_WESTERLIES:
        sel = (lat >= lo) & (lat <= hi)
        u = float((u_year[sel] * weight[sel]).sum() / weight[sel].sum())
        rows.append(Row(f"{name} (annual zonal-mean u)", obs, f"{u:+.1f} m/s", sign * u > WIND_MIN, u))
    for month, (quadrant, boxes) in MONSOON.items():
        for box, obs in boxes.items():
            u, v = _wind(clim, month, box)
            rows.append(Row(f"monsoon {month}: wind over {box[0]}", obs, _direction(u, v),
                            bool(np.sign(u) == quadrant[0] and np.sign(v) == quadrant[1]),
                            math.degrees(math.atan2(-u, -v)) % 360.0))
    turn = monsoon_turn(clim)
    rows.append(Row("monsoon: Jan-Jul turn of the wind", "~180° (NE -> SW)", f"{turn:.0f}°", turn > 90.0, turn))
    return rows


def rain_rows(clim: Climatology) -> list[Row]:
    rows = []
    for box, obs in DESERTS:
        p = box_mean(clim, clim.precipitation, box, land_only=True)
        rows.append(Row(f"desert: {box[0]} annual rain", f"~{obs:.0f} mm/yr (< {DESERT_BELOW:.0f})",
                        f"{p:.0f} mm/yr", p < DESERT_BELOW, p))
    for box, obs in RAIN_FORESTS:
        p = box_mean(clim, clim.precipitation, box, land_only=True)
        hi = RAIN_FOREST_FACTOR * obs
        rows.append(Row(f"rain forest: {box[0]} annual rain", f"~{obs:.0f} mm/yr ({RAIN_FOREST_ABOVE:.0f}-{hi:.0f})",
                        f"{p:.0f} mm/yr", RAIN_FOREST_ABOVE < p < hi, p))
    for box, obs in TEMPERATE:
        p = box_mean(clim, clim.precipitation, box, land_only=True)
        lo, hi = obs / TEMPERATE_FACTOR, obs * TEMPERATE_FACTOR
        rows.append(Row(f"temperate: {box[0]} annual rain", f"~{obs:.0f} mm/yr ({lo:.0f}-{hi:.0f})",
                        f"{p:.0f} mm/yr", lo < p < hi, p))
    return rows


def global_rows(clim: Climatology) -> list[Row]:
    t = float(zonal_band_means(clim, clim.temperature, 180.0)[0])
    p = float(zonal_band_means(clim, clim.precipitation, 180.0)[0])
    return [Row("global mean temperature", f"{GLOBAL_T:.1f} °C", f"{t:.1f} °C",
                abs(t - GLOBAL_T) <= GLOBAL_T_TOLERANCE, t),
            Row("global mean precipitation", f"{GLOBAL_P:.0f} mm/yr", f"{p:.0f} mm/yr",
                GLOBAL_P / GLOBAL_P_FACTOR <= p <= GLOBAL_P * GLOBAL_P_FACTOR, p)]


def pressure_rows(clim: Climatology) -> list[Row]:
    jan = clim.months["January"]["pressure"]
    rows = []
    mask = _box_mask(clim, SIBERIA, land_only=True)
    high = float(jan[mask].max()) if mask.any() else math.nan
    rows.append(Row("Siberian high, January max", f"~1035 hPa (> {HIGH_ABOVE:.0f})", f"{high:.0f} hPa",
                    high > HIGH_ABOVE, high))
    for box, name in ((ALEUTIAN, "Aleutian low"), (ICELANDIC, "Icelandic low")):
        mask = _box_mask(clim, box) & (clim.land < 0.5)
        low = float(jan[mask].min()) if mask.any() else math.nan
        rows.append(Row(f"{name}, January min", f"~1000 hPa (< {LOW_BELOW:.0f})", f"{low:.0f} hPa",
                        low < LOW_BELOW, low))
    return rows


def compare(clim: Climatology) -> Check:
    """Every row of the table for a measured climatology."""
    return Check(clim, global_rows(clim) + temperature_rows(clim) + circulation_rows(clim) + rain_rows(clim) + pressure_rows(clim))


def earth_check(grid=DEFAULT_GRID, *, seed: int | None = None, backend: str = "auto", spinup_years: float = 1.0,
                scene=SCENE, picture=None, picture_size: tuple[int, int] = PICTURE_SIZE, ctx=None) -> Check:
    """Run today's Earth (scenes/earth_today.toml) for `spinup_years`, measure one year, compare.
    `ctx`: a GL context to run on (default: a headless one of its own, released at the end).
    `picture`: also write the satellite map (biomes, rivers, clouds) at the end as this PNG."""
    from .atomic import check_outputs, write_png_atomic
    from .simulation import Simulation

    if picture is not None:
        check_outputs([picture])  # fail before a minute of simulating
    if ctx is None:
        sim = Simulation.headless(scene, seed=seed, grid=grid, backend=backend)
    else:
        sim = Simulation(ctx, scene, seed=seed, grid=grid, backend=backend)
    with sim:
        check = compare(measure(sim, spinup_years))
        if picture is not None:
            write_png_atomic(picture, sim.snapshot("map", "satellite", picture_size))
    return check


def earth_check_main(argv=None) -> int:
    """`planet earth-check [--grid WxH] [--seed N] [--backend B] [--spinup YEARS] [--picture PNG]`."""
    import argparse
    import sys
    import time

    from .cli import parse_size
    from .errors import PlanetError

    ap = argparse.ArgumentParser(prog="planet earth-check", description="Run a year of today's Earth's climate "
                                 "(scenes/earth_today.toml) and print it beside the observed climatology.")
    ap.add_argument("--grid", default=DEFAULT_GRID, help=f"grid WxH, W = 2H (default {DEFAULT_GRID}: about half a "
                    "minute of CPU time with llvmpipe)")
    ap.add_argument("--seed", type=int, help="scene seed (the relief's randomness; default the scene's)")
    ap.add_argument("--backend", default="auto", help="auto, fragment or compute")
    ap.add_argument("--spinup", type=float, default=1.0, help="years run before the measured year (default 1)")
    ap.add_argument("--picture", type=Path, help="also write the satellite map at the end to this PNG")
    ap.add_argument("--picture-size", type=parse_size, default=PICTURE_SIZE, help="WxH of --picture (default "
                    f"{PICTURE_SIZE[0]}x{PICTURE_SIZE[1]})")
    args = ap.parse_args(argv)
    start = time.process_time()  # the front-end reports its CPU time; nothing below it reads a clock
    try:
        if not (0.0 <= args.spinup <= 100.0):
            raise PlanetError(f"--spinup must be 0..100 years, got {args.spinup}")
        result = earth_check(args.grid, seed=args.seed, backend=args.backend, spinup_years=args.spinup,
                             picture=args.picture, picture_size=args.picture_size)
    except PlanetError as exc:
        print(f"planet earth-check: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("planet earth-check: interrupted", file=sys.stderr)
        return 130
    w, h = result.climatology.grid
    print(f"today's Earth, grid {w}x{h}: {args.spinup:g} year(s) of spin-up, then {result.climatology.steps} "
          f"climate steps measured ({time.process_time() - start:.0f} s of CPU in all)")
    print(result.table())
    if args.picture is not None:
        print(f"wrote {args.picture}")
    return 0

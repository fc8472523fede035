"""Tectonics: plates that seed, grow, drift, collide into mountains and rift into ocean floor, and
break up and re-form every supercontinent cycle (MODEL.md §2, after D. A. Roberts, "Simulating
worlds on the GPU", 2021) — on the sphere, in real units.

Each tick, from `start` on:
1. Move (tectonics.move): every plate is a rigid cap turning about its own Euler pole at an angular
   speed set by its speed in km/yr (shaders/tectonics/plate.glsl). Crust moves in whole cells: each
   cell gathers the crust that its plate's rotation carries into it, the pre-image rounded down or
   up with one random draw per plate and tick, so the mean motion is the exact rotation at every
   latitude (a move near a pole is as many km as at the equator) and plates cross the ±180° seam
   and the poles. Two plates carrying crust into one cell collide: the highest crust stays on top
   (continents override ocean floor); a cell that its plate left and nobody entered is a rift.
   Only plates near a cell can move crust into it: tectonics.candidates first gathers the plates of
   each cell's row run, and the move ORs a column of those runs (a separable gather).
2. Carry (tectonics.carry, a for_each="carried" template): every carried field of the scene — any
   stage's, present or future (Field.carried) — moves with the crust.
3. Plates (tectonics.plates): ids follow the crust; a collision sets uplift stress to 1, which
   diffuses within its plate and decays; plates nucleate (a Poisson process per plate, seed points
   uniform on the sphere) and grow by aggregation into unassigned cells at `growth_speed`.
4. Uplift (tectonics.uplift): rifts become fresh ocean floor `rift_depth` below sea level; stress
   raises the bedrock, damped towards `peak_height`.
5. Talus (tectonics.talus): thermal erosion relaxes slopes steeper than `talus_slope`, within one kind
   of crust (continental or oceanic), each cell's kind judged once by tectonics.kinds.
Every `cycle` years all plates dissolve and new ones seed and grow: the supercontinent cycle.
Before `start` steps 2-5 (and the gather and the kinds) only pass their fields through, so the
pipeline skips them (Pass.when); the move still runs and writes "nothing moved".

Fields (none carried: tectonics moves its own state): `plates` (int: the plate id), `plate_state`
(float: uplift stress and the plate's velocity), and this tick's move, rebuilt every tick:
`plate_motion` (int: source cell and event) and `plate_pile` (float: crust piled on by a collision),
and the scratch of the move's gather, `plate_row` (int: bit sets of plate ids), and of talus,
`crust_kind` (int: continental or oceanic).
"""
from __future__ import annotations

import numpy as np

from ..fields import Ch, Field
from ..params import Param
from ..passes import Pass
from . import Derived, Layer, Legend, Quantity, Stage, channel, every_param

PLATES = Field("plates", "which plate each cell's crust belongs to", (
    Ch("plate", "1", "plate id (-1 unassigned)"),
), carried=False, kind="int", resample="nearest")  # moved by tectonics itself (ids follow the crust, collisions and rifts rewrite them)

PLATE_STATE = Field("plate_state", "uplift stress and velocity of the cell's plate", (
    Ch("stress", "1", "uplift stress, 0..1 (1 where plates collide; diffuses within the plate and decays)"),
    Ch("velocity_east", "km/yr", "velocity of the cell's plate towards the east"),
    Ch("velocity_north", "km/yr", "velocity of the cell's plate towards the north"),
), carried=False, resample=("linear", "nearest", "nearest"))  # moved with the ids by tectonics.plates (the velocity is the id's)

MOTION = Field("plate_motion", "this tick's plate move: where each cell's crust came from", (
    Ch("source_i", "cell", "source cell column of this tick's move (the cell itself when nothing moved in)"),
    Ch("source_j", "cell", "source cell row"),
    Ch("event", "1", "event: 0 none, 1 collision (two or more plates moved crust in), 2 rift (the plate left, "
       "none came)"),
), carried=False, kind="int", resample="rebuilt")  # rebuilt every tick (tectonics.move, before any read)

PILE = Field("plate_pile", "this tick's crustal thickening", (
    Ch("pile", "m", "continental crust piled onto the cell by a collision (overridden crust's height above "
       "the shelf level)"),
), carried=False, resample="rebuilt")  # rebuilt every tick

ROW = Field("plate_row", "this tick's plates near each cell along its row (scratch of the move's gather)", (
    Ch("ids_low", "1", "bit k set: plate k (< 32) holds a cell of the row run about the cell that the move's "
       "pre-image box spans (tectonics.candidates)"),
    Ch("ids_high", "1", "bit k set: plate 32 + k holds a cell of the run"),
), carried=False, kind="int", resample="rebuilt")  # rebuilt every tick that moves (tectonics.candidates, before move reads it)

KIND = Field("crust_kind", "this tick's kind of crust for thermal erosion (scratch of tectonics.talus)", (
    Ch("continental", "1", "1 where the crust counts as continental (shallower than shelf_depth below sea level, "
       "or enclosed by continental crust), 0 oceanic (tectonics.kinds)"),
), carried=False, kind="int", resample="rebuilt")  # rebuilt every tick (tectonics.kinds, before talus reads it)

PARAMS = (
    Param("start", 4.0e8, "years", "simulated time when plate tectonics begins (the crust has solidified "
          "and the oceans are full)", 0.0, 1.0e11),
    Param("cycle", 2.5e8, "years", "supercontinent cycle: every plate dissolves and new ones seed and "
          "grow this often", 1.0e5, 1.0e11),
    Param("plate_count", 12, "", "plates seeded per cycle", 1, 64),
    Param("seed_time", 5.0e6, "years", "mean delay before a plate of a cycle nucleates (each plate seeds "
          "with probability dt / seed_time per tick)", 1.0, 1.0e12),
    Param("growth_speed", 1.0e-3, "km/yr", "how fast a growing plate's front advances into unassigned "
          "crust (0: no growth)", 0.0, 1.0),
    Param("speed", 3.0e-5, "km/yr", "mean plate speed at the plate's seed point (Earth: 1e-5 - 1e-4 km/yr, "
          "i.e. 1 - 10 cm/yr)", 0.0, 1.0e-2),
    Param("speed_spread", 0.5, "", "plate speeds are spread uniformly over speed x (1 +- speed_spread)", 0.0, 1.0),
    Param("uplift_rate", 2.0e-4, "m/yr", "rock uplift at full stress, net of erosion (orogens: about 1e-3 "
          "- 1e-2 before erosion)", 0.0, 1.0),
    Param("peak_height", 9000.0, "m", "height above sea level that uplift and crustal thickening approach "
          "ever more slowly", 100.0, 1.0e5),
    Param("belt_width", 300.0, "km", "width of mountain belts: how far uplift stress spreads into its "
          "plate, sqrt(diffusivity x stress_decay)", 1.0, 1.0e5),
    Param("stress_decay", 2.5e7, "years", "e-folding time of uplift stress", 1.0, 1.0e12),
    Param("rift_depth", 3000.0, "m", "depth below sea level of fresh ocean floor, made where plates rift "
          "apart (mid-ocean ridges: about 2500)", 0.0, 1.0e5),
    Param("shelf_depth", 2000.0, "m", "crust shallower than this below sea level is continental: it "
          "overrides oceanic crust and thickens instead of subducting", 0.0, 1.0e5),
    Param("abyss_depth", 6000.0, "m", "depth below sea level that old ocean floor subsides to (Parsons & "
          "Sclater 1977: 6400)", 0.0, 1.0e5),
    Param("subsidence_time", 6.28e7, "years", "e-folding time of ocean-floor subsidence (Parsons & "
          "Sclater 1977: 62.8 Myr)", 1.0, 1.0e12),
    Param("talus_slope", 0.02, "m/m", "critical slope of thermal erosion: steeper slopes relax", 0.0, 10.0),
    Param("talus_time", 1.0e6, "years", "e-folding time of slope in excess of talus_slope", 1.0, 1.0e12),
    Param("crust_diffusivity", 1.0e-2, "km^2/yr", "diffusivity of continental crustal flow: thick crust "
          "spreads under its own weight, at sea level (a belt spreads ~sqrt(kappa t): 1000 km in 100 Myr at 1e-2)",
          0.0, 1.0e3),
    Param("collapse_height", 3000.0, "m", "height above sea level at which crustal flow is twice as fast as "
          "at sea level (gravitational collapse of high orogens)", 1.0, 1.0e5),
    Param("floor_diffusivity", 1.0e-3, "km^2/yr", "diffusivity of the ocean floor's smoothing (sediment drape, "
          "flexure) between oceanic cells", 0.0, 1.0e3),
    Param("land_fraction", 0.3, "", "target fraction of the surface that is land: continental crust rises "
          "(isostatic rebound) when there is less, sinks when more (Earth: 0.29)", 0.01, 0.99),
    Param("freeboard_rate", 5.0e-4, "m/yr", "rate at which continental crust rises or sinks at full land "
          "deficit or excess (0: no freeboard adjustment)", 0.0, 1.0),
    Param("freeboard_height", 1000.0, "m", "height above sea level from which continental crust takes no "
          "freeboard adjustment (shelves and lowlands rise or sink the most)", 1.0, 1.0e5),
    Param("freeboard_step", 1.0e7, "years", "longest step the freeboard feedback integrates at once: longer "
          "updates (a coarse history, 10 Myr ticks) adjust by this many years' worth, as an explicit feedback "
          "on the land fraction overshoots and flips the coasts once a step exceeds its few-Myr response time",
          1.0, 1.0e12),
    every_param("every process is written in years (u_dt): moves, growth, decays; plate_motion is then the "
                "last update's move"),
)


def derive(values: dict, years: float) -> dict:
    """Stress diffusivity [km^2/yr] such that diffusion over one decay time spans a belt width."""
    return {"stress_diffusivity": values["belt_width"] ** 2 / values["stress_decay"]}


def started(u: dict) -> bool:
    """Pass.when of the passes that only pass their fields through before tectonics starts (carry,
    plates, uplift, talus): False only where the tick certainly ends before `start`. The shaders decide
    on float32 (tect_cycle: u_time + u_dt - u_start > 0); the margin (one tick and 1e-6 of the times,
    far above float32's rounding of them) keeps every tick in which they might run. tectonics.move
    always runs: it rebuilds plate_motion, which carry reads, every tick."""
    t, dt, start = float(u["u_time"]), float(u["u_dt"]), float(u["u_start"])
    return t + dt - start > -(dt + 1e-6 * (abs(t) + abs(start)))


def _speed(read):
    return np.hypot(read.channel("plate_state", "velocity_east"), read.channel("plate_state", "velocity_north"))


STAGE = Stage(
    name="tectonics",
    doc=__doc__,
    fields=(PLATES, PLATE_STATE, MOTION, PILE, ROW, KIND),
    params=PARAMS,
    init=(Pass("init", writes=("plates", "plate_state", "plate_motion", "plate_pile", "plate_row",
                                  "crust_kind")),),
    step=(
        Pass("candidates", reads=("plates",), writes=("plate_row",), when=started),
        Pass("move", reads=("plates", "plate_row", "terrain"), writes=("plate_motion", "plate_pile")),
        Pass("carry", reads=("plate_motion",), for_each="carried", when=started),
        Pass("plates", reads=("plates", "plate_state", "plate_motion"), writes=("plates", "plate_state"),
             when=started),
        Pass("uplift", reads=("terrain", "plate_state", "plate_motion", "plate_pile"), writes=("terrain",),
             scalars=("land_fraction",), when=started),
        Pass("kinds", reads=("terrain",), writes=("crust_kind",), when=started),
        Pass("talus", reads=("terrain", "crust_kind"), writes=("terrain",), when=started),
    ),
    derived=(Derived("stress_diffusivity", "km^2/yr", "uplift stress diffusivity = belt_width^2 / stress_decay"),),
    derive=derive,
    quantities=(
        Quantity("plate", "1", "plate id (integer; -1 unassigned)", channel("plates", "plate")),
        Quantity("uplift", "1", "uplift stress, 0..1 (1 where plates collide)", channel("plate_state", "stress")),
        Quantity("plate_speed", "km/yr", "speed of the cell's plate", _speed),
    ),
    layers=(
        Layer("plates", "view/layers/plates.glsl", ("plates", "plate_state", "terrain"),
              "each plate its own colour, boundaries dark, uplift stress highlighted",
              Legend("uplift", 0.0, 1.0, "", "uplift stress")),
    ),
)

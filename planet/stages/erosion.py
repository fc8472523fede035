"""Erosion: rivers and hydraulic erosion whose drainage is exact after every tick (MODEL.md §3).

Each tick, on the terrain as it is (whatever tectonics did to it):

1. Receivers (erosion.receivers). Stochastic steepest descent, Rho8 (Fairfield & Leymarie 1991) with
   metric distances on the sphere: each land cell drains to a strictly lower neighbour, the steepest
   but for a random factor on the diagonals (fixed per cell for `redraw` years), so that on planar
   slopes the flow follows the aspect on average and paths converge instead of running in parallel
   lines (D8's hatching on planar slopes). Sea cells are roots
   (the ocean resets the flow). A pit (no lower neighbour) is the bottom of a lake: it drains over
   its lake's pass if it has a consistent spill record (step 4), else it is a lake with no outlet.
2. Roots (erosion.jump, ceil(log4 N) runs; erosion.roots). Pointer jumping (Wyllie 1979) down the
   paths gives every cell the root of its tree: the river mouth, or a lake's pit. Spill records can
   close a loop: records left behind by changed terrain (a lake spills into a pit that the plates have
   turned into a slope back down to it), and two lakes with no outlet that picked the same pass (step
   4), each spilling into the other; the jumps find each loop's smallest spilling pit, which drops its
   spill this tick (the second case: the two lakes merge there), so the flow graph is always a forest.
3. Accumulation (erosion.tree; erosion.contract, ~log_{phi^2} N runs). Tree contraction (Miller &
   Reif 1985), rake and compress by gathers only, as in "FastFlow" (Jain, Kerbl, Gain, Finley &
   Cordonnier, CGF 2024), over the forest in left-child/right-sibling form: every cell's upstream
   drainage area [km²] and discharge [m³/s] (rain: climate's precipitation where the scene has a
   climate, else the uniform `rain`), exactly, in O(log N) passes — no ripple of one cell per tick.
   The same runs carry the sediment to the roots and each tree's lowest pass to its root.
4. Lakes (erosion.collect): fill and spill. A cell below the highest pass on its way to the root, or
   below its root lake's lowest pass, is under a lake. Every lake with no outlet records its tree's
   lowest pass — a Borůvka step of the minimum spanning tree over the basins, the depression routing of
   Cordonnier, Bovy & Braun (ESurf 2019) — and spills over it from the next tick: merged lakes pick
   again, so every closed basin drains to the sea after at most log2(lakes) ticks of still terrain.
5. Incision (erosion.incise): stream power dz/dt = -K Q^m S^n (m = 0.8, n = 2 as in the reference),
   on land not under a lake, capped so no cell is cut below its receiver (nor below sea level):
   incision makes no new pits. Eroded rock is released as sediment at the next tick and flows to
   the root of its tree: it leaves at sea, and fills a lake with no outlet from its pit up.

Quantities: drainage_area [km²] (upstream area including the cell; at sea, the land draining
directly into that sea cell), discharge [m³/s], basin (index j * W + i of the root cell: the river
mouth at sea, or the pit of a lake with no outlet), lake_depth [m]. Layers: `basins` (a colour per
river mouth, rivers and lakes), and rivers and lakes on `satellite` (view/rivers.glsl).

Passes per tick: at most 6 + ceil(log4 N) + contract_runs(N), N = W x H (bench/bench.py prints it).
Both repeated passes stop once converged (Pass.until: jump_done, contract_done; the pipeline counts
the done cells with an occlusion query after each run, and the fragment backend skips done cells):
the stop is at a fixed point, so every field is bit-identical to the worst-case count. On a loop the
pointers would go round for ever: there a cell stops (points at itself with the loop's smallest
spilling pit, all that erosion.roots needs) once the two segments ahead of it share that pit
(shaders/erosion/jump.glsl), so a tick with loops stops early too.

Fields. Cell pointers, spill directions, offset codes and marks are int fields (exact for every grid
a texture can hold); heights and sums are float fields, so each mixed state is a pair: route (int) and
route_pass (float), tree_links (int) and tree_sums (float); but jump, whose every hop reads it, is one
int texel: its pass height is held as a float's bits (the pass heights are bedrock heights or -1e30,
never subnormal, so the bits are those of a float field's ftz'd store). The contraction's pointers
have one meaning from erosion.tree on: "pending pointer" of F(v) = acc(v) + F(pending1) +
F(pending2), which erosion.tree starts at the first child and next sibling (the left-child/right-
sibling form), so no channel changes meaning mid-tick; the first child itself, which
erosion.collect needs, has its own channel. Sentinels: NONE = -1 for "no cell / no code / no
direction"; BIG_INDEX = 2^31 - 1 for "no pit / no cell" in minima over indices; +-1e30 for heights.
What the views read: drainage (float: area, discharge, lake_depth) and basins (int: basin). Grid
limit: offset codes hold dy in 15 and dx in 16 bits (with W = 2H, grids up to 32768 x 16384, the
largest GL textures today); cell indices are exact on all of them.
"""
from __future__ import annotations

import math

from ..errors import PipelineError
from ..fields import Ch, Field
from ..params import Param
from ..passes import Pass
from . import Derived, Layer, Legend, Overlay, Quantity, Stage, channel, every_param

MAX_W, MAX_H = 65536, 16384               # shaders/erosion/flow.glsl offset_code: dx in 16, dy in 15 bits
PHI2 = ((1.0 + math.sqrt(5.0)) / 2.0) ** 2  # golden ratio squared


def _cells(w: int, h: int) -> int:
    """Cells of the grid, checked against the lakes' offset codes (erosion.jump's run count is evaluated
    when the pipeline is built, so this rejects a grid before the first tick)."""
    if w > MAX_W or h > MAX_H:
        raise PipelineError(f"erosion: grid {w}x{h} is too large for the lakes' offset codes (dx in 16 bits, "
                            f"dy in 15: at most {MAX_W}x{MAX_H})")
    return w * h


def jump_runs(w: int, h: int) -> int:
    """Runs of erosion.jump per tick: each run makes every pointer span 4x as many steps, and no path
    (nor loop) has more than N = w*h steps, so after ceil(log4 N) runs every pointer is at its root (or
    has gone round its loop, or stopped on it: shaders/erosion/jump.glsl)."""
    n, runs = _cells(w, h), 1
    while 4 ** runs < n:
        runs += 1
    return runs


def contract_runs(w: int, h: int) -> int:
    """Runs of erosion.contract per tick: ceil(log_{phi^2} N) + 1. A chain of N cells needs ceil(log3 N)
    runs; Fibonacci trees, the slowest shapes found (exhaustively over all binary trees of up to 13
    nodes, by hill-climbing, and on random and D8 trees up to 5e5 nodes), need about log_{phi^2} N;
    one more run is a margin. Terrain trees finish far sooner (tests/test_erosion.py checks chains)."""
    n = w * h
    return max(1, math.ceil(math.log(n) / math.log(PHI2) - 1e-9)) + 1


ROUTE = Field("route", "the flow forest: receivers and roots (rebuilt every tick)", (
    Ch("receiver", "cell", "receiver: cell index j*W+i (-1 at a root: sea cells and lakes with no outlet)"),
    Ch("spill", "1", "spill: direction k (GRID_D8) from the receiver to the lake's pass cell (-1 for a D8 step "
       "or a root)"),
    Ch("root", "cell", "root of the cell's tree: cell index (the river mouth, or a lake's pit; -1 until "
       "erosion.roots)"),
), carried=False, kind="int", resample="rebuilt")
ROUTE_PASS = Field("route_pass", "the lake pass on each cell's way to the sea (rebuilt every tick)", (
    Ch("pass_height", "m", "highest lake pass on the way to the root, above the bedrock datum (-1e30 none, and "
       "unknown behind a cut loop)"),
), carried=False, resample="rebuilt")
JUMP = Field("jump", "pointer jumping: pointers, loop cuts and lake passes (scratch of erosion.jump, rebuilt every "
             "tick)", (
    Ch("pointer", "cell", "pointer: cell index at the end of the cell's path segment"),
    Ch("min_pit", "cell", "smallest spilling-pit index on the segment up to the pointer (2^31-1 none; at a cell "
       "stopped on a loop, which points at itself: the loop's)"),
    Ch("max_pass_bits", "m", "highest lake pass on the segment up to the pointer, above the bedrock datum (-1e30 "
       "none), held as the bits of a float32 (GLSL floatBitsToInt / intBitsToFloat): one texel per hop"),
), carried=False, kind="int", resample="rebuilt")
TREE_SUMS = Field("tree_sums", "tree contraction: sums and lowest pass (scratch, rebuilt every tick)", (
    Ch("area", "km²", "drainage area summed so far"),
    Ch("discharge", "m³/s", "discharge summed so far"),
    Ch("sediment", "km³", "sediment summed so far"),
    Ch("low_pass", "m", "lowest pass out of the tree found so far, above the bedrock datum (1e30 none)"),
), carried=False, resample="rebuilt")
TREE_LINKS = Field("tree_links", "tree contraction: pointers (scratch, rebuilt every tick)", (
    Ch("pending1", "cell", "first pending pointer of F(v) = acc(v) + F(pending1) + F(pending2) (cell index, -1 "
       "none); erosion.tree starts it at the first child"),
    Ch("pending2", "cell", "second pending pointer (cell index, -1 none); erosion.tree starts it at the next "
       "sibling"),
    Ch("low_cell", "cell", "cell index of the lowest pass's inner cell (2^31-1 none)"),
    Ch("first_child", "cell", "first child in the flow tree (cell index, -1 none)"),
), carried=False, kind="int", resample="rebuilt")
DRAINAGE = Field("drainage", "rivers: drainage, discharge, lakes and the sediment arriving at roots (rebuilt every tick)", (
    Ch("area", "km²", "drainage area: upstream area including the cell (at sea: land draining into the cell)"),
    Ch("discharge", "m³/s", "discharge: rain-weighted drainage"),
    Ch("lake_depth", "m", "lake depth (0 where dry and at sea)"),
    Ch("arrived", "km³", "sediment arriving this tick at this root (0 elsewhere): erosion.incise's input, which it "
       "copies to sediment.arrived"),
), carried=False, resample="rebuilt")
BASINS = Field("basins", "river basins: the root of each cell's flow tree (rebuilt every tick)", (
    Ch("basin", "cell", "basin: index j*W+i of the root cell (river mouth, or pit of a lake with no outlet)"),
), carried=False, kind="int", resample="rebuilt")
SEDIMENT = Field("sediment", "eroded rock on its way to the sea or a lake (volumes per tick)", (
    Ch("release", "km³", "sediment the cell releases at the next tick (eroded this tick, or waiting in a lake)"),
    Ch("eroded", "km³", "eroded from the cell this tick"),
    Ch("deposited", "km³", "deposited in the cell this tick (pits of lakes with no outlet)"),
    Ch("arrived", "km³", "arrived this tick at this root (at sea: carried out to the ocean)"),
), resample="rebuilt")  # carried: sediment waiting in a lake moves with the ground
LAKES = Field("lakes", "fill and spill: where each lake spills, and which pit spills over each pass", (
    Ch("target", "1", "spill target b of this pit: offset code from the pit (-1 none)"),
    Ch("direction", "1", "direction k (GRID_D8) from b to the pass cell a (-1 none)"),
    Ch("mark1", "1", "first mark: offset code to a pit whose lake spills over this cell (-1 none)"),
    Ch("mark2", "1", "second mark: another such pit (a lake spilling into its neighbour, then the merged lake "
       "on; -1 none)"),
), kind="int", resample="rebuilt")  # carried: offsets stay right when the plates move the lake and its pass together
OPEN_SEA = Field("open_sea", "the open sea's cells for erosion.quiet's mask (scratch of erosion.open, rebuilt every "
                 "update)", (
    Ch("open", "1", "1 where the cell is sea and carries no lake's mark, else 0"),
), carried=False, kind="int", resample="rebuilt")

PARAMS = (
    Param("rain", 1000.0, "mm/yr", "uniform rain on land while the scene has no climate stage (with one, "
          "erosion takes climate's precipitation instead)", 0.0, 1.0e5),
    Param("erodibility", 1.0e-4, "m/yr", "K in the stream-power law dz/dt = -K Q^m S^n: the incision "
          "rate at discharge Q = 1 m³/s and slope S = 1 m/m", 0.0, 10.0),
    Param("m", 0.8, "", "discharge exponent m of the stream-power law", 0.0, 3.0),
    Param("n", 2.0, "", "slope exponent n of the stream-power law", 0.5, 4.0),
    Param("uplift", 0.0, "m/yr", "uniform rock uplift of all land (for steady-state landscapes without "
          "tectonics; 0: none)", 0.0, 0.1),
    Param("delta", 1.0, "", "share of the sediment reaching the sea that builds a delta at the river mouth "
          "(up to sea level; the rest goes to the deep ocean)", 0.0, 1.0),
    Param("redraw", 1.0e8, "yr", "years a cell keeps the random factor r of its Rho8 receiver choice (a 1/64 of "
          "the cells redraw at a time): long, so rivers do not flicker from tick to tick", 1.0e3, 1.0e12, uniform=False),
    every_param("incision is capped at each receiver, so a longer step stays stable; the drainage is "
                "then that of the last update"),
)

REDRAW_PHASES = 64                      # shaders/erosion/receivers.glsl: the cells redraw r in 64 groups


def flow_epoch(redraw: float, years: float) -> int:
    """u_flow_epoch of erosion.receivers: floor(64 years / redraw), in float64 here so both backends get
    the same integer (a cell's epoch is (u_flow_epoch + its phase) // 64: one group redraws per step)."""
    return max(0, math.floor(REDRAW_PHASES * years / redraw)) % 2 ** 32    # a uint (wraps as the shader's sum does)


def derive(values: dict, years: float) -> dict:
    return {"flow_epoch": flow_epoch(values["redraw"], years)}


CLEAR = Pass("clear", writes=("sediment", "lakes"))   # the routing below writes every other field
# Masks of the cells whose routing is trivial (Pass.mask; the passes below run their pass_quiet there,
# issue 16): every sea cell (a root: common/sea_mask.glsl) and the open sea (no child either: the 3 x 3
# minimum of erosion.open's sea-and-unmarked cells, 9 one-channel fetches instead of 18). Drawn from the
# terrain and lakes as they are when the stage starts; only erosion.collect and erosion.incise change
# those, at the end.
SEA = Pass("sea", reads=("terrain",), mask=True, shader="common/sea_mask.glsl")
OPEN = Pass("open", reads=("terrain", "lakes"), writes=("open_sea",))
QUIET = Pass("quiet", reads=("terrain", "lakes", "open_sea"), mask=True)
ROUTING = (
    SEA,
    OPEN,
    QUIET,
    Pass("receivers", reads=("terrain", "lakes"), writes=("route", "jump"), quiet="sea"),
    Pass("jump", reads=("jump",), writes=("jump",), repeat=jump_runs, until="jump_done", quiet="sea"),
    Pass("roots", reads=("route", "jump"), writes=("route", "route_pass"), quiet="sea"),
    Pass("tree", reads=("route", "lakes", "terrain", "sediment"), writes=("tree_sums", "tree_links"),
         optional=("precipitation",), quiet="quiet"),
    Pass("contract", reads=("tree_sums", "tree_links"), writes=("tree_sums", "tree_links"), repeat=contract_runs,
         until="contract_done", quiet="quiet", redraw_done=True),
    Pass("collect", reads=("tree_sums", "tree_links", "route", "route_pass", "terrain", "lakes", "sediment"),
         writes=("drainage", "basins", "lakes"), optional=("precipitation",), quiet="quiet"),
)
INCISE = Pass("incise", reads=("terrain", "route", "drainage", "lakes"),
              writes=("terrain", "sediment", "lakes"), quiet="sea")


STAGE = Stage(
    name="erosion",
    doc=__doc__,
    fields=(ROUTE, ROUTE_PASS, JUMP, TREE_SUMS, TREE_LINKS, DRAINAGE, BASINS, SEDIMENT, LAKES, OPEN_SEA),
    params=PARAMS,
    derived=(Derived("flow_epoch", "1", "floor(64 x simulated years / redraw): the step of the staggered "
                     "redraws of the receivers' random factor"),),
    derive=derive,
    init=(CLEAR, *ROUTING),          # the drainage of the initial terrain is there at tick 0
    rebuild=(CLEAR,),                # on a new grid (planet.world): no sediment, no lakes' spill records yet;
    settle=(*ROUTING, INCISE),       # then fill and spill (incise marks each pass) until every lake's spill is found
    step=(*ROUTING, INCISE),
    quantities=(
        Quantity("drainage_area", "km²", "upstream area including the cell (at sea: the land draining "
                 "directly into the cell)", channel("drainage", "area")),
        Quantity("discharge", "m³/s", "rain-weighted drainage: the mean flow of the river", channel("drainage", "discharge")),
        Quantity("basin", "1", "index j*W+i of the root of the cell's flow tree: the river mouth at sea, or "
                 "the pit of a lake with no outlet", channel("basins", "basin")),
        Quantity("lake_depth", "m", "depth of lake water over the bedrock (0 where dry and at sea)",
                 channel("drainage", "lake_depth")),
    ),
    layers=(
        Layer("basins", "view/layers/basins.glsl", ("terrain", "drainage", "basins", "route"),
              "river basins: a colour per major basin (>= 5e5 km²; smaller ones grey), its rivers (width and intensity ~ log discharge), lakes",
              Legend("rivers", 0.0, 5.0, "log10 m³/s", "river discharge (basins: a colour per major basin)"),
              cells=("view/rivers.glsl:river_cells",)),
    ),
    overlays=(
        # Rivers and lakes on the satellite view's land; order 10: over what other stages colour the
        # ground with (order 0, e.g. vegetation), under the lava's light and the clouds.
        Overlay("satellite", "view/rivers.glsl", "overlay_rivers", reads=("drainage", "route", "basins", "terrain"),
                when="ground", order=10, cells=("view/rivers.glsl:river_cells",)),
    ),
)


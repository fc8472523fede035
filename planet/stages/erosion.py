"""Erosion: rivers and hydraulic erosion whose drainage is exact after every tick (MODEL.md §3).

Each tick, on the terrain as it is (whatever tectonics did to it):

1. Receivers (erosion.receivers). D8 steepest descent with metric slopes on the sphere: each land
   cell drains to the neighbour with the largest drop per great-circle distance. Sea cells are roots
   (the ocean resets the flow). A pit (no lower neighbour) is the bottom of a lake: it drains over
   its lake's pass if it has a consistent spill record (step 4), else it is a lake with no outlet.
2. Roots (erosion.jump, ceil(log4 N) runs; erosion.roots). Pointer jumping (Wyllie 1979) down the
   paths gives every cell the root of its tree: the river mouth, or a lake's pit. Spill records left
   behind by changed terrain can close a loop; the jumps find each loop's smallest spilling pit, which
   drops its spill this tick, so the flow graph is always a forest.
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

Passes per tick: 5 + ceil(log4 N) + contract_runs(N), N = W x H (bench/bench.py prints it).
Cell pointers live in float32 channels, exact below 2^24 cells (grids up to 4096 x 2048).
"""
from __future__ import annotations

import math

from ..errors import PipelineError
from ..fields import Ch, Field
from ..params import Param
from ..passes import Pass
from . import Layer, Legend, Overlay, Quantity, Stage

MAX_CELLS = 2 ** 24                       # float32 holds every integer index below this exactly
PHI2 = ((1.0 + math.sqrt(5.0)) / 2.0) ** 2  # golden ratio squared


def _cells(w: int, h: int) -> int:
    if w * h > MAX_CELLS:
        raise PipelineError(f"erosion: grid {w}x{h} has {w * h} cells; cell pointers are stored in float32 "
                            f"channels, exact only up to 2^24 = {MAX_CELLS} cells (e.g. 4096x2048)")
    return w * h


def jump_runs(w: int, h: int) -> int:
    """Runs of erosion.jump per tick: each run makes every pointer span 4x as many steps, and no path
    (nor loop) has more than N = w*h steps, so after ceil(log4 N) runs every pointer is at its root."""
    n, runs = _cells(w, h), 1
    while 4 ** runs < n:
        runs += 1
    return runs


def contract_runs(w: int, h: int) -> int:
    """Runs of erosion.contract per tick: ceil(log_{phi^2} N) + 1. A chain of N cells needs ceil(log3 N)
    runs; Fibonacci trees, the slowest shapes found (exhaustively over all binary trees of up to 13
    nodes, by hill-climbing, and on random and D8 trees up to 5e5 nodes), need about log_{phi^2} N;
    one more run is a margin. Terrain trees finish far sooner (tests/test_erosion.py checks chains)."""
    n = _cells(w, h)
    return max(1, math.ceil(math.log(n) / math.log(PHI2) - 1e-9)) + 1


ROUTE = Field("route", "the flow forest: receivers and roots (rebuilt every tick)", (
    Ch("receiver", "cell", "receiver: cell index j*W+i (-1 at a root: sea cells and lakes with no outlet)"),
    Ch("spill", "1", "spill: direction k (GRID_D8) from the receiver to the lake's pass cell (-1 for a D8 step "
       "or a root)"),
    Ch("root", "cell", "root of the cell's tree: cell index (the river mouth, or a lake's pit)"),
    Ch("pass_height", "m", "highest lake pass on the way to the root, above the bedrock datum (-1e30 none)"),
), carried=False)
JUMP = Field("jump", "pointer jumping state (scratch of erosion.jump, rebuilt every tick)", (
    Ch("pointer", "cell", "pointer: cell index"),
    Ch("min_pit", "cell", "smallest spilling-pit index on the path segment up to the pointer (1e30 none)"),
    Ch("max_pass", "m", "highest lake pass on that segment, above the bedrock datum (-1e30 none)"),
    Ch("sea", "1", "1 at sea, 0 on land"),
), carried=False)
TREE_A = Field("tree_a", "tree contraction state, sums and pointers (scratch, rebuilt every tick)", (
    Ch("area", "km²", "drainage area summed so far"),
    Ch("discharge", "m³/s", "discharge summed so far"),
    Ch("first", "cell", "first pending pointer (cell index, -1 none; first child before contraction)"),
    Ch("second", "cell", "second pending pointer (cell index, -1 none; next sibling before contraction)"),
), carried=False)
TREE_B = Field("tree_b", "tree contraction state, sediment and lowest pass (scratch, rebuilt every tick)", (
    Ch("sediment", "km³", "sediment summed so far"),
    Ch("low_pass", "m", "lowest pass out of the tree found so far, above the bedrock datum (1e30 none)"),
    Ch("low_cell", "cell", "cell index of that pass's inner cell (1e30 none)"),
    Ch("first_child", "cell", "first child (cell index, -1 none)"),
), carried=False)
DRAINAGE = Field("drainage", "rivers: drainage, discharge, basins and lakes (rebuilt every tick)", (
    Ch("area", "km²", "drainage area: upstream area including the cell (at sea: land draining into the cell)"),
    Ch("discharge", "m³/s", "discharge: rain-weighted drainage"),
    Ch("basin", "cell", "basin: index j*W+i of the root cell (river mouth, or pit of a lake with no outlet)"),
    Ch("lake_depth", "m", "lake depth (0 where dry and at sea)"),
), carried=False)
SEDIMENT = Field("sediment", "eroded rock on its way to the sea or a lake (volumes per tick)", (
    Ch("release", "km³", "sediment the cell releases at the next tick (eroded this tick, or waiting in a lake)"),
    Ch("eroded", "km³", "eroded from the cell this tick"),
    Ch("deposited", "km³", "deposited in the cell this tick (pits of lakes with no outlet)"),
    Ch("arrived", "km³", "arrived this tick at this root (at sea: carried out to the ocean)"),
))  # carried: sediment waiting in a lake moves with the ground
LAKES = Field("lakes", "fill and spill: where each lake spills, and which pit spills over each pass", (
    Ch("target", "1", "spill target b of this pit: offset code from the pit (-1 none)"),
    Ch("direction", "1", "direction k (GRID_D8) from b to the pass cell a (-1 none)"),
    Ch("mark1", "1", "first mark: offset code to a pit whose lake spills over this cell (-1 none)"),
    Ch("mark2", "1", "second mark: another such pit (a lake spilling into its neighbour, then the merged lake "
       "on; -1 none)"),
))  # carried: offsets stay right when the plates move the lake and its pass together

PARAMS = (
    Param("rain", 1000.0, "mm/yr", "uniform rain on land while the scene has no climate stage (with one, "
          "erosion takes climate's precipitation instead)", 0.0, 1.0e5),
    Param("erodibility", 1.0e-4, "m/yr", "K in the stream-power law dz/dt = -K Q^m S^n: the incision "
          "rate at discharge Q = 1 m³/s and slope S = 1 m/m", 0.0, 10.0),
    Param("m", 0.8, "", "discharge exponent m of the stream-power law", 0.0, 3.0),
    Param("n", 2.0, "", "slope exponent n of the stream-power law", 0.5, 4.0),
    Param("uplift", 0.0, "m/yr", "uniform rock uplift of all land (for steady-state landscapes without "
          "tectonics; 0: none)", 0.0, 0.1),
)

CLEAR = Pass("clear", writes=("route", "jump", "tree_a", "tree_b", "drainage", "sediment", "lakes"))
ROUTING = (
    Pass("receivers", reads=("terrain", "lakes"), writes=("route", "jump")),
    Pass("jump", reads=("jump",), writes=("jump",), repeat=jump_runs),
    Pass("roots", reads=("route", "jump"), writes=("route",)),
    Pass("tree", reads=("route", "lakes", "terrain", "sediment"), writes=("tree_a", "tree_b"),
         optional=("precipitation",)),
    Pass("contract", reads=("tree_a", "tree_b"), writes=("tree_a", "tree_b"), repeat=contract_runs),
    Pass("collect", reads=("tree_a", "tree_b", "route", "terrain", "lakes", "sediment"),
         writes=("drainage", "lakes", "sediment"), optional=("precipitation",)),
)
INCISE = Pass("incise", reads=("terrain", "route", "drainage", "sediment", "lakes"),
              writes=("terrain", "sediment", "lakes"))


def _channel(field: str, ch: int):
    return lambda read: read(field)[..., ch]


STAGE = Stage(
    name="erosion",
    doc=__doc__,
    fields=(ROUTE, JUMP, TREE_A, TREE_B, DRAINAGE, SEDIMENT, LAKES),
    params=PARAMS,
    init=(CLEAR, *ROUTING),          # the drainage of the initial terrain is there at tick 0
    step=(*ROUTING, INCISE),
    quantities=(
        Quantity("drainage_area", "km²", "upstream area including the cell (at sea: the land draining "
                 "directly into the cell)", _channel("drainage", 0)),
        Quantity("discharge", "m³/s", "rain-weighted drainage: the mean flow of the river", _channel("drainage", 1)),
        Quantity("basin", "1", "index j*W+i of the root of the cell's flow tree: the river mouth at sea, or "
                 "the pit of a lake with no outlet", _channel("drainage", 2)),
        Quantity("lake_depth", "m", "depth of lake water over the bedrock (0 where dry and at sea)",
                 _channel("drainage", 3)),
    ),
    layers=(
        Layer("basins", "view/layers/basins.glsl", ("terrain", "drainage"),
              "river basins: a colour per river mouth, rivers (width and intensity ~ log discharge), lakes",
              Legend("rivers", 0.0, 5.0, "log10 m³/s", "river discharge (basins: a colour per river mouth)")),
    ),
    overlays=(
        # Rivers and lakes on the satellite view's land; order 10: over what other stages colour the
        # ground with (order 0, e.g. vegetation), under the lava's light and the clouds.
        Overlay("satellite", "view/rivers.glsl", "overlay_rivers", reads=("drainage", "terrain"),
                when="ground", order=10),
    ),
)


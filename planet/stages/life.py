"""Life: plants, herbivores and predators that follow the climate (MODEL.md §5).

A food chain of three dimensionless densities on land — plants x, herbivores y, predators z — in a
reaction-diffusion system whose rates come from the climate (shaders/life/habitat.glsl):

    x' = x (G - K x - y)                    + div(D_x grad x)   G: plant growth (soil moisture, warmth)
    y' = y (R x - P z / (1 + q y) - 1)      + div(D_y grad y)   R: herbivore reproduction (warmth)
    z' = z (P y / (1 + q y) - 1)            + div(D_z grad z)   P: predation (weaker in highlands)

in units of the animals' `lifetime` (their mortality is 1 per lifetime). With crowding K = 0 and
satiation q = 0 this is the reference's chain dx = growth - y, dy = reproduction x - predation z - 1,
dz = predation y - 1. Beyond the reference: plants are self-limited (K), and predators' satiation q
(Holling's type II response) turns rich land's equilibrium into a limit cycle (the "paradox of
enrichment"), whose waves break into travelling and spiral waves; poor land settles.

Integrator (beyond the reference's explicit Euler, which spirals out and clamps): each sub-step is
the Strang splitting R(h/2) D(h) R(h/2). R (shaders/life/ecology.glsl) is itself a symmetric
composition of exactly solved sub-flows in log space (plants and predators with herbivores frozen,
then herbivores), so densities stay >= 0, the coexistence equilibrium is a fixed point, and for
K = q = 0 the Lotka-Volterra invariant does not drift. D (shaders/life/diffuse.glsl) is backward
Euler on the sphere with metric distances, solved by Jacobi sweeps: convex combinations, positive
and bounded for any step, with no flux across coasts. Passes: life.react_in (the first R), life.diffuse
(the first sweep), life.diffuse_more (SWEEPS - 2 more, where SWEEPS > 2), life.diffuse_out (the last
sweep and the second R); within a sub-step the life field marks the sea with LIFE_SEA (< 0) for the
sweeps, and every sub-step ends with 0 there.

Time: like the climate, life runs on its own clock, "a typical year of the era": every tick advances
it by 1 / `year_ticks` years (SUBSTEPS sub-steps of h = 1 / (year_ticks SUBSTEPS lifetime) lifetimes),
whatever dt is, so seasons, migrations and waves show at any dt. Keep `year_ticks` equal to
climate.steps_per_year so that life's year is the climate's. The run is deterministic.

Seeding: populations appear on land in the tick that reaches `start` (after the oceans have filled and
the climate has settled; life.seed, gated by Pass.when so that it runs in that tick only); before that
the life field is 0. Life is zero at sea, and is carried by the
plates (carried field). The `habitat` field holds the season's rates and the running annual-mean
temperature (not carried: it is the climate's).

Biomes (`biome` quantity, `biomes` layer, the satellite overlay): a class from the annual-mean
temperature and the annual precipitation (BIOMES, biome_class below, shaders/view/biome.glsl).
"""
from __future__ import annotations

import math

import numpy as np

from ..fields import Ch, Field
from ..params import Param
from ..passes import Pass
from ..reduce import Scalar
from . import Derived, Layer, Legend, Overlay, Quantity, Stage, channel

SUBSTEPS = 1   # reaction-diffusion sub-steps per tick
SWEEPS = 2     # Jacobi sweeps of the implicit diffusion per sub-step

DENSITIES = (
    Ch("plants", "1", "plant density (dimensionless, >= 0; capacity = net growth / crowding)"),
    Ch("herbivores", "1", "herbivore density (dimensionless, >= 0)"),
    Ch("predators", "1", "predator density (dimensionless, >= 0)"),
)
LIFE = Field("life", "plants, herbivores and predators (0 at sea and before life's start)", DENSITIES)
LIFE_REACTED = Field("life_reacted", "life after the first reaction half step of a sub-step: the right-hand "
                     "side of the implicit diffusion (scratch, rebuilt every sub-step)", DENSITIES, carried=False)
HABITAT = Field("habitat", "the climate as life sees it: the season's rates and the annual-mean temperature", (
    Ch("mean_temperature", "°C", "running annual mean of the surface air temperature (the biomes' temperature)"),
    Ch("growth", "1/lifetime", "net plant growth rate G at low density (negative: plants die back; 0 at sea)"),
    Ch("reproduction", "1/lifetime", "herbivore births R per unit plant density (0 at sea)"),
    Ch("predation", "1/lifetime", "predation rate P per unit herbivore density (0 at sea)"),
), carried=False)

PARAMS = (
    Param("start", 1.0e9, "years", "simulated time when life is seeded on land (after the oceans fill)", 0.0, 1.0e11),
    Param("year_ticks", 180, "", "ticks per year of life's own clock (keep equal to climate.steps_per_year, so "
          "that life's seasons are the climate's)", 4, 8784),
    Param("lifetime", 0.05, "years", "life's time unit: a starving animal population falls by e in one "
          "lifetime; every rate below is per lifetime", 1.0e-4, 100.0),
    Param("growth", 3.0, "1/lifetime", "plant growth rate at low density in the best climate (warm, wet soil)",
          0.0, 100.0),
    Param("wilt", 0.3, "1/lifetime", "plant death rate, subtracted from growth (where nothing grows, plants "
          "die back at this rate)", 0.0, 100.0),
    Param("crowding", 0.5, "1/lifetime", "plants' self-limitation K: alone, plants approach net growth / K "
          "(0: the reference's unlimited plants)", 0.0, 100.0),
    Param("reproduction", 2.0, "1/lifetime", "herbivore births per unit plant density at 25 °C and warmer "
          "(half as many at 0 °C and colder)", 0.0, 100.0),
    Param("predation", 2.5, "1/lifetime", "predation per unit herbivore density at sea level (herbivores "
          "eaten per predator, and the predators' births)", 0.0, 100.0),
    Param("satiation", 1.0, "", "predators' satiation q: predation P y / (1 + q y) (0: the reference's "
          "linear predation)", 0.0, 100.0),
    Param("highland_height", 3000.0, "m", "predation weakens with height above sea level as "
          "exp(-height / highland_height)", 1.0, 1.0e5),
    Param("cold_limit", 0.0, "°C", "plants do not grow at or below this air temperature", -50.0, 50.0),
    Param("heat_limit", 50.0, "°C", "plants do not grow at or above this air temperature (growth peaks "
          "midway between the limits)", -40.0, 100.0),
    Param("moisture_half", 25.0, "mm", "soil moisture at which plants grow half as fast as on wet soil", 0.1, 5000.0),
    Param("plant_diffusion", 1.0e3, "km²/yr", "spread of plants (seed dispersal)", 0.0, 1.0e8),
    Param("herbivore_diffusion", 3.0e4, "km²/yr", "spread of herbivores", 0.0, 1.0e8),
    Param("predator_diffusion", 1.0e5, "km²/yr", "spread of predators (the most mobile)", 0.0, 1.0e8),
)


def derive(values: dict, years: float) -> dict:
    """Life's clock: one sub-step [lifetimes and years], the annual-mean weight, time since the start."""
    step_years = 1.0 / (values["year_ticks"] * SUBSTEPS)
    return {
        "life_step": step_years / values["lifetime"],
        "step_years": step_years,
        "mean_weight": 1.0 - math.exp(-1.0 / values["year_ticks"]),
        "since_start": years - values["start"],
    }


# -- biomes: one classification for the quantity, the biomes layer and the satellite palette --------------
BIOMES = ("ice", "tundra", "boreal forest", "temperate forest", "grassland", "desert", "savanna", "rain forest")
ICE_BELOW = -12.0        # [°C] annual-mean temperature below which land is ice
TUNDRA_BELOW = -4.0      # [°C]
BOREAL_BELOW = 4.0       # [°C]
TROPICAL_FROM = 18.0     # [°C]
DESERT_BASE, DESERT_SLOPE = 200.0, 10.0    # desert below 200 + 10 max(T, 0) mm/yr
FOREST_BASE, FOREST_SLOPE = 500.0, 25.0    # temperate forest from 500 + 25 T mm/yr (grassland below)
RAIN_FOREST_FROM = 1800.0                  # [mm/yr] tropical rain forest (savanna below)


def biome_class(mean_temperature, precipitation) -> np.ndarray:
    """The biome (index into BIOMES) of land with an annual-mean temperature [°C] and annual precipitation
    [mm/yr]; the NumPy twin of biome_class in shaders/view/biome.glsl (same thresholds, same order):
    ice below ICE_BELOW, tundra below TUNDRA_BELOW, else desert where drier than DESERT_BASE + DESERT_SLOPE
    max(T, 0); else boreal forest below BOREAL_BELOW, temperate forest or grassland below TROPICAL_FROM
    (forest from FOREST_BASE + FOREST_SLOPE T), rain forest or savanna above (forest from RAIN_FOREST_FROM)."""
    t = np.asarray(mean_temperature, np.float32)
    p = np.asarray(precipitation, np.float32)
    out = np.where(p >= np.float32(RAIN_FOREST_FROM), 7, 6)
    temperate = np.where(p >= np.float32(FOREST_BASE) + np.float32(FOREST_SLOPE) * t, 3, 4)
    out = np.where(t < np.float32(TROPICAL_FROM), temperate, out)
    out = np.where(t < np.float32(BOREAL_BELOW), 2, out)
    out = np.where(p < np.float32(DESERT_BASE) + np.float32(DESERT_SLOPE) * np.maximum(t, np.float32(0)), 5, out)
    out = np.where(t < np.float32(TUNDRA_BELOW), 1, out)
    return np.where(t < np.float32(ICE_BELOW), 0, out).astype(np.int32)


def _biome(read):
    t = read("terrain")
    land = t[..., 0] > t[..., 1]
    b = biome_class(read.channel("habitat", "mean_temperature"), read.channel("precipitation", "annual"))
    return np.where(land, b, -1).astype(np.float32)


CLEAR = Pass("clear", writes=("life", "life_reacted"))
HABITAT_INIT = Pass("habitat_init", reads=("atmosphere", "precipitation", "terrain"), writes=("habitat",),
                    shader="life/habitat.glsl", defines=(("INIT", 1),))
HABITAT_STEP = Pass("habitat", reads=("atmosphere", "precipitation", "terrain", "habitat"), writes=("habitat",),
                    defines=(("INIT", 0),), quiet="sea")


def seeding(u: dict) -> bool:
    """Whether this tick seeds life (Pass.when of life.seed): its span [t, t + dt) holds `start`, decided on
    the float32 values the shader receives (u_since_start in (-dt, 0]), so exactly in the shader's ticks."""
    since, dt = np.float32(u["u_since_start"]), np.float32(u["u_dt"])
    return bool(since <= 0 and since > -dt)


def seeded(u: dict) -> bool:
    """Pass.when of the reaction and diffusion: from the seeding tick on, or once a script wrote the
    populations (Simulation.written). Before that every density is 0 (life.clear), which both keep 0
    (no term of the food chain or the diffusion makes life from none), so they would write back the
    same bits. The margin (one tick and 1e-6 of the times, far above float32's rounding) keeps the
    seeding tick open whatever seeding() decides on float32."""
    since, dt = float(u["u_since_start"]), float(u["u_dt"])
    return since > -(2.0 * dt + 1e-6 * abs(since)) or bool({"life", "life_reacted"} & u.get("written", {"life"}))


SEED = Pass("seed", reads=("life",), writes=("life",), when=seeding)
# The sea (Pass.mask, issue 16): the habitat and the passes below write their sea values alone there
# (pass_quiet). Drawn every tick: the habitat's running mean runs before life is seeded too.
SEA = Pass("sea", reads=("terrain",), mask=True, shader="common/sea_mask.glsl")
# A sub-step: react_in (R(h/2); life holds LIFE_SEA at sea from here), the sweeps (diffuse the first,
# diffuse_more the middle ones) and diffuse_out, the last sweep with the second R(h/2) (0 at sea again).
# Cost (issue 16): the sweeps find the coasts from the sea's mark, not the terrain; the first takes u0
# from the life it reads anyway; no pass of its own runs the second half step.
REACT_IN = Pass("react_in", reads=("life", "habitat", "terrain"), writes=("life", "life_reacted"),
                shader="life/react.glsl", when=seeded, quiet="sea")
DIFFUSE = Pass("diffuse", reads=("life",), writes=("life",), defines=(("FIRST", 1), ("LAST", 0)), when=seeded,
               quiet="sea")
DIFFUSE_MORE = Pass("diffuse_more", reads=("life_reacted", "life"), writes=("life",), shader="life/diffuse.glsl",
                    defines=(("FIRST", 0), ("LAST", 0)), repeat=max(SWEEPS - 2, 1), when=seeded, quiet="sea")
DIFFUSE_OUT = Pass("diffuse_out", reads=("life_reacted", "life", "habitat"), writes=("life",),
                   shader="life/diffuse.glsl", defines=(("FIRST", 0), ("LAST", 1)), when=seeded, quiet="sea")
SUBSTEP = (SEED, REACT_IN, *((DIFFUSE,) if SWEEPS > 1 else ()), *((DIFFUSE_MORE,) if SWEEPS > 2 else ()),
           DIFFUSE_OUT)

STAGE = Stage(
    name="life",
    doc=__doc__,
    fields=(LIFE, LIFE_REACTED, HABITAT),
    params=PARAMS,
    init=(CLEAR, HABITAT_INIT),
    step=(SEA, HABITAT_STEP, *(SUBSTEP * SUBSTEPS)),
    derived=(
        Derived("life_step", "lifetimes", "one reaction-diffusion sub-step: 1 / (year_ticks SUBSTEPS lifetime)"),
        Derived("step_years", "years", "one sub-step: 1 / (year_ticks SUBSTEPS)"),
        Derived("mean_weight", "1", "weight of one tick in the annual running mean, 1 - exp(-1 / year_ticks)"),
        Derived("since_start", "years", "simulated time at the start of the tick minus `start` (seeding)"),
    ),
    derive=derive,
    scalars=(
        Scalar("plant_mass", "km²", "plants summed over the planet: density x cell area", source="life.plants",
               op="sum"),
        Scalar("herbivore_mass", "km²", "herbivores summed over the planet: density x cell area",
               source="life.herbivores", op="sum"),
        Scalar("predator_mass", "km²", "predators summed over the planet: density x cell area",
               source="life.predators", op="sum"),
    ),
    quantities=(
        Quantity("plants", "1", "plant density (0 at sea)", channel("life", "plants")),
        Quantity("herbivores", "1", "herbivore density (0 at sea)", channel("life", "herbivores")),
        Quantity("predators", "1", "predator density (0 at sea)", channel("life", "predators")),
        Quantity("plant_growth", "1/lifetime", "net plant growth rate of the season", channel("habitat", "growth")),
        Quantity("biome", "1", "biome class: " + ", ".join(f"{k} {n}" for k, n in enumerate(BIOMES)) +
                 "; -1 at sea (from the annual-mean temperature and precipitation)", _biome),
    ),
    layers=(
        Layer("life", "view/layers/life.glsl", ("life", "terrain"),
              "the three populations as colour channels: plants green, herbivores blue, predators red",
              Legend("life", 0.0, 3.0, "", "life (colours add up)", classes=("plants", "herbivores", "predators"))),
        Layer("biomes", "view/layers/biomes.glsl", ("habitat", "precipitation", "terrain"),
              "biome classes from the annual-mean temperature and precipitation, hillshaded, with coastlines",
              Legend("biomes", 0.0, float(len(BIOMES)), "", "biome", classes=BIOMES)),
    ),
    overlays=(
        # Land coloured by biome and vegetation on the satellite view, under the rivers (order -1).
        Overlay(layer="satellite", shader="view/vegetation.glsl", function="overlay_vegetation",
                reads=("terrain", "life", "habitat", "atmosphere", "precipitation"), when="ground", order=-1),
    ),
)

"""People: settlement, growth and flight from the heat; their carbon and its air (MODEL.md §6).

Each tick, after the climate (and life, where the scene has it), in this order:

1. Habitat (people.habitat; field people_habitat). Running means of what the climate offers a
   cell: the annual-mean and the warm-season temperature (exponential memories of `memory` climate
   steps; the climate advances one step per tick, so these are "the year of this era" at any dt;
   before `start` the pass runs every `habitat_every` ticks, each run weighing as many steps), the
   plants (life's, or a proxy from warmth and rain where the scene has no life stage), and from them
   the habitability 0..1: warm enough (0 at and below 0 °C: frozen ground, ice), not too hot (falls
   from `warm_limit` to the `heat_limit` of the annual mean, and is 0 where the warm season passes
   the `heat_limit`: the limit of human heat tolerance, Sherwood & Huber, PNAS 107, 2010), moist,
   green, and better by the sea and by rivers, where people cluster: within `shore_reach` km of them
   (shore.access, a distance in km, so alike on every grid). Always 0 at sea.
2. Carbon (people.carbon). The people of the previous tick emit `per_capita` tonnes of carbon a
   year each while the fossil `reserve` lasts: the planet's demand (per_capita x population) is met in
   full until less than ten years of it remain, then ever less (people/reserve.glsl), so the reserve
   runs out without overshooting. The CO2 mixing ratio C [ppm] of the air is traced back along the
   climate's wind (semi-Lagrangian on the sphere, as the climate's water vapour) over min(dt,
   `advection_step`); for the rest of the tick the atmosphere mixes it around the planet: the anomaly
   from the global mean decays by m = e^(-dt/mixing_time) while the tick's emission S [ppm/yr] enters
   it (S mixing_time (1 - m)) and the global mean (the rest, exactly the planet's total: the demand and
   the reserve's share are scalars). Plants take up the excess over `co2_initial` at the rate plants /
   `uptake_time` (exact exponential over dt). The global mean each tick starts from the carbon budget
   of the ledgers (co2_initial + (emitted - taken up) / air), not from the transported field's own
   mean, so the semi-Lagrangian transport's small mass error never accumulates (a global mass fixer):
   the budget closes to within one tick's transport error.
3. Growth (people.grow). The density P [people/km²] spreads to land neighbours (diffusion
   dP/dt = D lap P, integrated as P += (1 - exp(-dt D sum w)) (mean of neighbours - P), so any dt is
   stable), is seeded by rare settlements on habitable land from `start` on (a Poisson draw per cell
   and tick from an integer hash), grows logistically towards the capacity K = `capacity` x
   habitability (the exact solution over dt: P' = K P / (K e^(-r dt) + P (1 - e^(-r dt)))), and where
   more people live than the land supports they leave it with an e-folding time `leave_time` (P' = K
   + (P - K) e^(-dt / leave_time)). Never at sea or on frozen ground (set to 0 there); below 1e-3
   people/km² a settlement is gone. Before `start`, unless a script wrote the people, nobody lives and
   the pass is skipped (living; carbon likewise, burning).

Ledgers (per cell, cumulative [tC/km²]): carbon.emitted and carbon.uptake; the scalars `emitted`,
`uptake` [tC] are their area integrals, so emitted = (co2_ppm - co2_initial) x CARBON_PER_PPM x area
+ uptake (tests/test_people.py). The mean CO2 follows the ledgers: a script that writes carbon.co2
alone sees it mixed back to the ledgers' mean at the next tick. The climate warms by S log2(co2_ppm / C0) (shaders/climate/warming.glsl).

Not carried by the plates (carried=False): people live on the ground of the moment, and ground that
sinks under the sea loses them. Night lights: view/night.glsl, the satellite layer's last overlay.
"""
from __future__ import annotations

from ..fields import Ch, Field
from ..params import Param
from ..passes import Pass
from ..reduce import Scalar
from . import Derived, Layer, Legend, Overlay, Quantity, Stage, channel

PEOPLE = Field("people", "people: their density and what the land supports", (
    Ch("density", "1/km²", "population density, people per km² (>= 0; 0 at sea and on frozen ground)"),
    Ch("capacity", "1/km²", "density the land supports now: capacity x habitability"),   # 0 until grow runs (living)
), carried=False)
HABITAT = Field("people_habitat", "what the climate offers people: remembered temperatures, plants, habitability", (
    Ch("temperature_mean", "°C", "surface air temperature, running mean over `memory` climate steps"),
    Ch("temperature_peak", "°C", "warm-season temperature: follows rises at once, falls back over `memory` "
       "climate steps"),
    Ch("plants", "1", "plant density (life's, or a proxy from warmth and rain), running mean; 0 at sea"),
    Ch("habitability", "1", "fraction of `capacity` the cell supports, 0..1 (0 at sea, on ice, past the heat "
       "limit)"),
), carried=False)
SHORE = Field("shore", "how near the water people live: the sea and the rivers", (
    Ch("access", "1", "nearness to the sea or a river: 1 on the shore, falling linearly to 0 `shore_reach` km "
       "inland (a distance transform that advances a cell a tick)"),
), carried=False)
CARBON = Field("carbon", "the air's CO2, the people's emissions and the carbon ledgers", (
    Ch("co2", "ppm", "CO2 mixing ratio of the air"),
    Ch("emitted", "tC/km²", "carbon emitted from this cell since reset (cumulative ledger)"),
    Ch("uptake", "tC/km²", "carbon taken up by this cell's plants since reset (cumulative ledger)"),
    Ch("emission", "tC/(km² yr)", "carbon the cell's people emitted this tick, per km² per year"),
), carried=False)

PARAMS = (
    Param("start", 0.0, "years", "simulated time when settlements start to appear", 0.0, 1.0e11, uniform=False),
    Param("seed_rate", 0.02, "1/(Mkm² yr)", "new settlements per million km² of fully habitable land per year",
          0.0, 1.0e4),
    Param("seed_density", 1.0, "1/km²", "population density of a new settlement", 1.0e-3, 1.0e4),
    Param("growth_rate", 0.03, "1/yr", "growth rate r of a population far below its capacity", 0.0, 1.0),
    Param("capacity", 100.0, "1/km²", "population density the best land supports", 0.0, 1.0e5),
    Param("spread", 1000.0, "km²/yr", "diffusivity D with which people spread to neighbouring land", 0.0, 1.0e7),
    Param("leave_time", 10.0, "years", "e-folding time in which people leave land that no longer supports "
          "them", 0.01, 1.0e5),
    Param("cold_limit", 5.0, "°C", "annual-mean temperature below which land supports fewer people (none at "
          "0 °C and below: frozen ground and ice)", 0.1, 40.0),
    Param("warm_limit", 30.0, "°C", "annual-mean temperature above which land supports fewer people (none at "
          "the heat limit)", -20.0, 60.0),
    Param("heat_limit", 35.0, "°C", "warm-season temperature above which nobody can live (Sherwood & Huber "
          "2010: 35 °C wet-bulb)", -20.0, 80.0),
    Param("dry_limit", 250.0, "mm/yr", "annual precipitation below which land is desert", 0.0, 1.0e4),
    Param("shore_reach", 250.0, "km", "how far inland the pull of the sea and the rivers reaches (people "
          "cluster within it)", 1.0, 1.0e4),
    Param("memory", 180.0, "steps", "climate steps of the running-mean temperatures and plants (180: a year "
          "at the climate's default steps_per_year)", 1.0, 1.0e5),
    Param("habitat_every", 4, "ticks", "before `start`, the habitat is updated every this many ticks (its running "
          "means advance by as many climate steps at once); from `start` on every tick", 1, 64, uniform=False),
    Param("per_capita", 2.0, "tC/yr", "carbon each person emits per year while fossil fuel lasts", 0.0, 1.0e3),
    Param("reserve", 5000.0, "GtC", "fossil carbon there is to burn (the reference burns about 5000 GtC)",
          0.0, 1.0e6),
    Param("co2_initial", 280.0, "ppm", "CO2 of the air at reset, and the level above which plants take up "
          "the excess", 1.0, 1.0e5),
    Param("uptake_time", 1000.0, "years", "e-folding time of excess CO2 over land of plant density 1",
          1.0, 1.0e9),
    Param("mixing_time", 1.0, "years", "e-folding time in which the atmosphere mixes CO2 around the planet "
          "(beyond the wind of the tick)", 0.01, 1.0e4),
    Param("advection_step", 2.0, "days", "most time one tick traces the air back along the wind (the "
          "climate's own step is about 2 days)", 0.01, 100.0),
)

def habitat_due(u: dict) -> bool:
    """Pass.when of people.habitat: every tick from `start` on; before, every `habitat_every` ticks (the
    ticks divisible by it, u_habitat_steps), each run weighing the climate of its tick as that many
    climate steps (habitat.glsl). Deterministic (a pure function of the tick); in the 4.5 billion years
    before anyone lives the running means only have to be sensible when people start: they sample the
    seasons every `habitat_every` climate steps (45 times a year at 4 of the default 180) and forget
    over the same `memory`, so people start from the same climate to within the sampling. Saves 3/4 of
    the pass (~2.5 ms a tick at 256x128) there. (The shore's distance transform advances a cell a run.)"""
    k = int(u["u_habitat_steps"])
    return k <= 1 or u["u_tick"] % k == 0


def mapping(u: dict) -> bool:
    """Pass.when of people.sea: the ticks in which people.habitat or people.grow runs (habitat_due or living)."""
    return habitat_due(u) or living(u)


# The sea (Pass.mask, issue 16): people.habitat writes the running means alone there, people.grow nobody
# and the capacity (their pass_quiet). Nothing of the stage writes the terrain, so it serves both; where
# life's sea mask was drawn from the same terrain it is that one's, lent (Pipeline._draw_mask: a twin).
SEA = Pass("sea", reads=("terrain",), mask=True, shader="common/sea_mask.glsl", when=mapping)
HABITAT_PASS = Pass("habitat", reads=("people_habitat", "shore", "atmosphere", "terrain", "precipitation"),
                    writes=("people_habitat", "shore"), optional=("life", "drainage"), when=habitat_due, quiet="sea")
HABITAT_INIT = Pass("habitat_init", reads=("atmosphere", "terrain", "precipitation"), writes=("people_habitat", "shore"),
                    shader="people/habitat.glsl", defines=(("INIT", 1),), optional=("life", "drainage"))


def burning(u: dict) -> bool:
    """Pass.when of people.carbon: from `start` on (u_settling, decided in float64 years), or once a script
    wrote the people or their carbon (Simulation.written). Before that nobody lives and nothing was burnt,
    so it would write back its own state: the CO2 at co2_initial everywhere, the ledgers and emission at
    0 (carbon.glsl: the budget's mean is co2_initial; in short ticks, dt of a few years, it could move the
    uniform CO2 by the float32 rounding of its own area mean, which this leaves out). Skipping it saves
    ~40 % of the stage's work in the story's first 4.5 billion years."""
    return u["u_settling"] > 0 or bool({"people", "carbon"} & u.get("written", {"people"}))


def living(u: dict) -> bool:
    """Pass.when of people.grow: from `start` on, or once a script wrote the people (Simulation.written).
    Before that nobody lives (init writes density 0 and without settlements 0 spreads, grows and stays 0,
    exactly: grow.glsl), so the pass would only rewrite the capacity diagnostic; skipped, the capacity
    stays at init's 0 until the first run (nothing reads it: the layers and lights read the density, the
    habitability is people_habitat's). Saves ~1.8 ms a tick at 256x128 in the geological eras, and keeps
    the people field, and so the people's scalars (population), unchanged there (planet.reduce reduces
    a chain only when its fields changed)."""
    return u["u_settling"] > 0 or "people" in u.get("written", {"people"})


GROW = Pass("grow", reads=("people", "people_habitat", "terrain"), writes=("people",), when=living, quiet="sea")
CARBON_PASS = Pass("carbon", reads=("carbon", "flow", "people", "people_habitat"), writes=("carbon",),
                   scalars=("co2_ppm", "emitted", "uptake", "population"), when=burning)
INIT = Pass("init", writes=("people", "carbon"))


def derive(values: dict, years: float) -> dict:
    """Whether settlements may appear yet (1 from `start` on), decided in float64 years: the float32
    u_time of a late story cannot tell years apart; and the habitat's cadence (habitat_due)."""
    settling = years >= values["start"]
    return {"settling": 1.0 if settling else 0.0, "habitat_steps": 1.0 if settling else float(values["habitat_every"])}


STAGE = Stage(
    name="people",
    doc=__doc__,
    fields=(PEOPLE, HABITAT, SHORE, CARBON),
    params=PARAMS,
    init=(HABITAT_INIT, INIT),
    step=(SEA, HABITAT_PASS, CARBON_PASS, GROW),
    derived=(Derived("settling", "1", "1 once simulated time has reached `start`, else 0"),
             Derived("habitat_steps", "steps", "climate steps a habitat update advances the running means by: "
                     "`habitat_every` before `start`, 1 from then on (habitat_due)")),
    derive=derive,
    scalars=(
        Scalar("co2_ppm", "ppm", "area-weighted mean CO2 of the air (the climate's greenhouse warms by it)",
               source="carbon.co2", op="mean"),
        Scalar("population", "people", "people on the planet", source="people.density", op="sum"),
        Scalar("emission", "tC/yr", "carbon emitted per year, planet-wide", source="carbon.emission", op="sum"),
        Scalar("emitted", "tC", "carbon emitted since reset (the ledgers' sum)", source="carbon.emitted", op="sum"),
        Scalar("uptake", "tC", "carbon taken up by plants since reset (the ledgers' sum)",
               source="carbon.uptake", op="sum"),
    ),
    quantities=(
        Quantity("population", "1/km²", "population density, people per km²", channel("people", "density")),
        Quantity("co2", "ppm", "CO2 mixing ratio of the air", channel("carbon", "co2")),
        Quantity("habitability", "1", "fraction of the best land's capacity a cell supports, 0..1",
                 channel("people_habitat", "habitability")),
        Quantity("carbon_emission", "tC/(km² yr)", "carbon emitted per km² per year", channel("carbon", "emission")),
    ),
    layers=(
        Layer("population", "view/layers/population.glsl", ("people", "terrain"),
              "population density on land (grey-brown where empty), with coastlines",
              Legend("population", 0.0, 200.0, "people/km²", "population density")),
        Layer("co2", "view/layers/co2.glsl", ("carbon", "terrain"),
              "CO2 of the air, with coastlines",
              Legend("co2", 250.0, 3000.0, "ppm", "CO2")),
    ),
    overlays=(
        # Day and night, and the night side's city lights and roads: over everything (clouds too). The
        # lights are drawn once per tick into the bake (view/lights.glsl; only over the blocks where someone
        # lives: night_lights is 0 wherever the bilinear density is), the sun per frame.
        Overlay("satellite", "view/night.glsl", "overlay_night", reads=("people", "people_habitat"), when="night",
                order=100, bake="view/lights.glsl:night_lights", bake_gate="people_at(c).density"),
    ),
)

"""Climate: pressure, seasons, temperature, wind, water vapour and rain (MODEL.md §4).

The recipe is the mean sea-level pressure (MSLP) of "The Climate Cookbook", as in the reference:

1. Pressure. Per latitude, fits for land and for ocean give the annual-mean MSLP and its January -
   July difference. The map of both is blurred by a separable Gaussian on the sphere (sigma =
   `blur_sigma` degrees; the east-west half widens with 1/cos(lat) up to the whole ring near the
   poles; the north-south half runs on across the poles), so coasts blend smoothly. The blur's scratch
   has fields of its own: `land_blur` (the land fraction after the first east-west stage) and
   `mslp_north` (the pressure after the first north-south stage). The blur depends on the land mask and
   the params only, not on the season, so it runs every `pressure_every` ticks (4) and in the tick after
   any edit (pressure_due): on still land the fields are bit for bit those of running it every tick, and
   a coast the plates move reaches the pressure within three ticks (issue 16: the blur was 40 % of the
   climate's work).
2. Season. Each step's MSLP is annual + s * (January - July) with the season s = cos(2 pi f) swinging
   from +1 at the start of January to -1 at the start of July (f = the year fraction, below).
3. Temperature [°C] from latitude and season (the thermal equator follows the sun), MSLP, land, and a
   lapse rate with height above sea level.
4. Wind [m/s] from the surface balance of pressure gradient, Coriolis force and friction:
   u = (f k x grad p - r grad p) / (rho (r^2 + f^2)), the reference's "Coriolis-turned flow from high
   to low" in physical units; r > 0 makes it finite at the equator, where f changes sign.
5. Water vapour, semi-Lagrangian on the sphere: each cell's air is traced back along great circles
   over the climate step (in sub-steps, through the poles as anywhere) and its column vapour is
   integrated forward along that path: evaporation from the sea (and from moist soil) towards
   saturation, which grows with temperature (Clausius-Clapeyron); rain where the column exceeds a
   relative humidity; rain-out where air rises (up a slope or out of converging surface air).
6. Soil moisture (Manabe's bucket): rain fills it, evaporation that grows with heat empties it, what
   overflows runs off. Precipitation and runoff are also kept as running annual means.
7. Clouds (beyond the reference; in the vapour pass, along the same trajectory): a cover carried by the
   wind like the vapour, relaxing over
   `cloud_lifetime` towards what the air forms (condensation, humid air, none where it sinks), so the
   subtropical highs are clear; the satellite view draws it with detail that drifts with the air.
8. Sea ice and snow (beyond the reference): sea ice where the air is below sea water's freezing point
   (-1.8 °C), snow from precipitation below 0 °C melting by degree-days (shaders/climate/ice.glsl).
The rain band follows the thermal equator: the ocean's pressure trough shifts with the season
(`trough_shift`), cumulus friction damps the wind in the convecting belt (`convective_friction`,
`convective_width`) and evaporation grows with the wind (issue 15; sources in the shader headers).
Checked against today's Earth (`planet earth-check`, issue 18), five more terms beyond the recipe: the
land's equatorial trough (`land_trough`: heated tropical continents are lows, so the rain forests
converge), the subtropical continents' heat lows (`heat_low`: summer lows, winter highs; the monsoons
reverse), a subtropical warming (`subtropical_warming`: the recipe's pressure term read the sinking,
warm air of the subtropical highs as cold), the Hadley cells' descent (`subsidence`, which dries
the air as it sinks: the deserts) and the storm tracks' ascent (`storm_track`: the
mid-latitude cyclones' frontal rain, which the smooth recipe pressure has no cyclones to make); on an ice sheet the annual-mean temperature is Fortuin & Oerlemans's
Antarctic fit (shaders/climate/weather.glsl).

Time model (time-scale separation). A geological tick (`dt` = 1e6 years in the early story) is far
longer than a year, and the climate has nothing to integrate over such a span: it is in equilibrium
with the terrain of the moment. So each tick also advances "a typical year of this era" by one climate
step of h = 1 / `steps_per_year` years, and every climate rate (evaporation, trajectories, rain-out,
soil drying, the annual means) uses h, never dt. The state after `tick` ticks is at year fraction
f = (tick mod steps_per_year) / steps_per_year (0 = start of January): `sim.year_fraction`,
`sim.season`. When a story sets dt = 1 / steps_per_year years the two clocks run at the same rate, and
one tick is one climate step in both senses. A step's diagnostic fields (pressure, temperature, wind)
are those of the season after the tick, so what is read always matches `sim.season`. The default of
180 steps (about two days each) keeps the transport accurate (air moves ~1000-2000 km per step, which
the trajectory's sub-steps resolve) and makes a year a few seconds of the story's video, so the seasons
and the monsoon can be watched; steps much longer than a few days coarsen the transport (weaker rain
shadows, less rain), shorter ones only cost more ticks per simulated year.

The precipitation field's channel `annual` is the contract with the erosion stage: precipitation in mm
per simulated year (>= 0), a running annual mean, so geological processes see the era's climate rather
than one season's. The fields are atmospheric: they do not move with the plates (carried=False).
The water cycle is bounded and non-negative but not exactly conservative (semi-Lagrangian transport).
"""
from __future__ import annotations

import math

from ..constants import SECONDS_PER_DAY, SECONDS_PER_HOUR, SECONDS_PER_YEAR
from ..errors import PlanetError
from ..fields import Ch, Field
from ..params import Param
from ..passes import Pass
from ..reduce import Scalar
from . import Derived, Layer, Legend, Overlay, Quantity, Stage, channel


# The pressure blur's scratch (climate.land_east -> mslp_east, mslp_north_1 -> mslp_north_2).
LAND_BLUR = Field("land_blur", "the land fraction after the pressure blur's first east-west stage", (
    Ch("land", "1", "land fraction, 0..1, blurred east-west by the first stage only"),
), carried=False)
MSLP_NORTH = Field("mslp_north", "the pressure after the blur's first north-south stage", (
    Ch("annual", "hPa", "annual-mean sea-level pressure, blurred east-west and by the first north-south stage"),
    Ch("swing", "hPa", "January - July pressure difference, blurred east-west and by the first north-south stage"),
), carried=False)
MSLP = Field("mslp", "annual-mean and January-July sea-level pressure, blurred (Climate Cookbook)", (
    Ch("annual_east", "hPa", "annual-mean sea-level pressure blurred east-west only (the blur's first half)"),
    Ch("swing_east", "hPa", "January - July pressure difference blurred east-west only"),
    Ch("annual", "hPa", "annual-mean sea-level pressure (climate.mslp_north_2; 0 between mslp_east and it)"),
    Ch("swing", "hPa", "January - July sea-level pressure difference (climate.mslp_north_2; 0 between mslp_east "
       "and it)"),
), carried=False)
ATMOSPHERE = Field("atmosphere", "the season's pressure, temperature and surface wind", (
    Ch("pressure", "hPa", "sea-level pressure"),
    Ch("temperature", "°C", "surface air temperature"),
    Ch("wind_east", "m/s", "wind towards the east"),
    Ch("wind_north", "m/s", "wind towards the north"),
), carried=False)
LIFT = Field("lift", "rising air, wind divergence, saturation vapour and evaporation efficiency", (
    Ch("rise", "m/s", "rising air speed (negative: sinking)"),
    Ch("divergence", "1/s", "wind divergence"),
    Ch("saturation", "mm", "water-vapour column at saturation"),
    Ch("evaporation", "1", "evaporation efficiency, 0..1 (1 over the sea, the soil bucket on land)"),
), carried=False)
FLOW = Field("flow", "the surface wind as a 3-D vector, for tracing air across the poles", (
    Ch("x", "m/s", "wind, x component (x towards lon 0 on the equator)"),
    Ch("y", "m/s", "wind, y component (y towards lon 90° E on the equator)"),
    Ch("z", "m/s", "wind, z component (z towards the north pole)"),
    Ch("speed", "m/s", "wind speed"),
), carried=False)
VAPOUR = Field("vapour", "column water vapour and the rates of its water cycle", (
    Ch("column", "mm", "water-vapour column (mm of precipitable water = kg/m^2)"),
    Ch("rain", "mm/yr", "precipitation rate this climate step"),
    Ch("evaporation", "mm/yr", "potential evaporation rate"),
    Ch("humidity", "1", "relative humidity of the column, 0..1+"),
), carried=False)
PRECIPITATION = Field("precipitation", "rain on the ground: the erosion stage's rain, soil moisture, runoff", (
    Ch("annual", "mm/yr", "precipitation, running annual mean (the erosion stage reads this as rain)"),
    Ch("soil", "mm", "soil moisture (0 at sea)"),
    Ch("runoff", "mm/yr", "runoff, running annual mean"),
    Ch("rate", "mm/yr", "precipitation rate this climate step"),
), carried=False)
CLOUDS = Field("clouds", "cloud cover, formed by humid and rising air and carried by the wind", (
    Ch("cover", "1", "cloud cover fraction, 0..1 (carried by the wind from step to step)"),
    Ch("formation", "1", "cover the local air forms this step, 0..1 (condensation, humidity, less where it sinks)"),
    Ch("drift_east", "km", "how far the air moves east in one climate step (the wind times the step)"),
    Ch("drift_north", "km", "how far the air moves north in one climate step"),
), carried=False)
ICE = Field("ice", "sea ice and snow from the surface air temperature", (
    Ch("sea_ice", "1", "sea-ice fraction of a sea cell, 0..1 (0 on land)"),
    Ch("snow", "mm", "snow water equivalent on land (0 at sea)"),
    Ch("cover", "1", "white cover, 0..1: the sea-ice fraction at sea, the snow cover on land"),
), carried=False)

PARAMS = (
    Param("steps_per_year", 180, "", "climate steps per simulated year: each tick advances the season by "
          "one step of a year / steps_per_year (the climate's own clock; see the module doc)", 4, 8784),
    Param("blur_sigma", 12.0, "degrees", "standard deviation of the Gaussian that blends land and ocean "
          "pressure (MODEL.md: 10-15 degrees of arc)", 1.0, 45.0),
    Param("pressure_every", 4, "ticks", "the pressure blur (a 12-degree Gaussian of the land mask, 40 % of the "
          "climate's work) is recomputed on the ticks divisible by this; in between it stands, so a moving "
          "coast reaches the pressure within pressure_every - 1 ticks (1: every tick; nothing else changes: "
          "the blur does not depend on the season)", 1, 64),
    Param("temperature_offset", 0.0, "°C", "added to the surface temperature everywhere: a planet nearer to (> 0) "
          "or farther from (< 0) its sun than the Earth", -60.0, 60.0),
    Param("lapse_rate", 6.5, "°C/km", "cooling with height above sea level (6.5: the standard atmosphere; "
          "the reference uses about 4)", 0.0, 20.0),
    Param("rotation_period", 23.934, "hours", "sidereal day, which sets the Coriolis parameter "
          "f = 2 (2 pi / period) sin(lat)", 1.0, 1.0e5),
    Param("friction_time", 12.0, "hours", "e-folding time of the surface wind's friction: shorter blows "
          "more across the isobars and more slowly", 0.1, 1000.0),
    Param("convective_friction", 6.0, "", "cumulus friction: how many times the surface wind's friction rate "
          "grows at the thermal equator, where deep convection damps the low-level wind (0: none; "
          "shaders/climate/weather.glsl)", 0.0, 100.0),
    Param("convective_width", 11.0, "degrees", "half-width (Gaussian standard deviation in latitude) of the "
          "convecting belt about the thermal equator that cumulus friction damps", 1.0, 45.0),
    Param("trough_shift", 8.0, "degrees", "how far the ocean's equatorial pressure trough (and with it the "
          "rain band) swings from the equator towards the summer hemisphere (shaders/climate/physics.glsl)",
          0.0, 20.0),
    Param("land_trough", 14.0, "hPa", "how much lower tropical land's annual pressure is at the equator "
          "(Gaussian, 10 degrees): heated continents convect and rain like the ocean's trough "
          "(shaders/climate/physics.glsl)", 0.0, 50.0),
    Param("heat_low", 14.0, "hPa", "subtropical continents' summer heat lows and winter highs: added to the "
          "land's January-July difference at 25 degrees (Gaussian, 10 degrees); drives the monsoons "
          "(shaders/climate/physics.glsl)", 0.0, 50.0),
    Param("subtropical_warming", 6.0, "°C", "warming 30 degrees from the thermal equator (Gaussian, 10 "
          "degrees), where the recipe reads sinking, warm air as cold (shaders/climate/weather.glsl)", -20.0, 20.0),
    Param("subsidence", 4.0, "mm/s", "the Hadley cells' descent 25 degrees from the thermal equator (Gaussian, "
          "8 degrees): it dries the subtropics (shaders/climate/lift.glsl)", 0.0, 50.0),
    Param("storm_track", 7.0, "mm/s", "the mid-latitude cyclones' ascent 45 degrees from the thermal equator "
          "(Gaussian, 8 degrees), which condenses whatever the mean wind does: the storm tracks' frontal rain "
          "(shaders/climate/vapour.glsl; 0 = none)", 0.0, 50.0),
    Param("vapour_height", 2000.0, "m", "scale height of water vapour (saturated column = surface "
          "saturation vapour density x this)", 200.0, 10000.0),
    Param("boundary_layer", 1000.0, "m", "depth of the surface layer whose convergence lifts air "
          "(0: only terrain lifts it)", 0.0, 5000.0),
    Param("evaporation_time", 3.0, "days", "time for evaporation to fill the column's saturation deficit "
          "in a 6 m/s surface wind (more wind evaporates faster, calm air as much as in 4 m/s)",
          0.05, 1000.0),
    Param("rain_time", 2.0, "hours", "time for rain to bring a humid column back to rain_humidity",
          0.05, 1000.0),
    Param("rain_humidity", 0.7, "", "relative humidity of the column above which it rains", 0.1, 1.0),
    Param("soil_capacity", 150.0, "mm", "water the soil holds before it runs off (Manabe's bucket)",
          1.0, 5000.0),
    Param("trajectory_step", 300.0, "km", "longest sub-step when tracing the air back over a climate "
          "step (never below a grid row's spacing; at most 4 sub-steps, so fast winds take longer ones)",
          10.0, 5000.0),
    Param("cloud_rain", 2000.0, "mm/yr", "precipitation rate at which 63 % of a cell is overcast "
          "(shaders/climate/clouds.glsl)", 1.0, 1.0e5),
    Param("cloud_lifetime", 24.0, "hours", "time for the clouds carried by the wind to dissolve, or to form, "
          "in air that no longer (or now does) condense", 0.1, 1000.0),
    Param("sea_ice_ramp", 10.0, "K", "how far below sea water's freezing point (-1.8 °C) of air a sea cell "
          "is fully frozen over (shaders/climate/ice.glsl)", 0.1, 50.0),
    Param("snow_melt", 4.0, "mm/(K day)", "degree-day factor: snow water melted per day and degree above "
          "0 °C (Hock 2003: ~3-5 for snow)", 0.0, 50.0),
    Param("sensitivity", 3.0, "°C/doubling", "climate sensitivity S: global-mean warming per doubling of CO2, dT = S "
          "log2(C / co2_reference) with polar amplification (shaders/climate/warming.glsl; C: the people "
          "stage's co2_ppm, none without it)", 0.0, 20.0),
    Param("co2_reference", 280.0, "ppm", "CO2 C0 at which the greenhouse adds no warming", 1.0, 1.0e5),
)


def derive(values: dict, years: float) -> dict:
    """SI constants for the shaders: climate step [s], rotation [rad/s], friction [1/s], annual weight,
    evaporation and rain times [s]."""
    step = SECONDS_PER_YEAR / values["steps_per_year"]
    return {
        "step_seconds": step,
        "omega": 2.0 * math.pi / (values["rotation_period"] * SECONDS_PER_HOUR),
        "drag": 1.0 / (values["friction_time"] * SECONDS_PER_HOUR),
        "year_weight": 1.0 - math.exp(-1.0 / values["steps_per_year"]),
        "evaporation_seconds": values["evaporation_time"] * SECONDS_PER_DAY,
        "rain_seconds": values["rain_time"] * SECONDS_PER_HOUR,
    }


def tick_derive(values: dict, tick: int) -> dict:
    """The year steps of the climate states at and after `tick` (tick mod steps_per_year, exact integers):
    the shaders' seasons, without an integer division per cell (issue 16)."""
    n = values["steps_per_year"]
    return {"year_step": tick % n, "year_step_next": (tick + 1) % n}


def year_fraction(values: dict | None, tick: int, stages=()) -> float:
    """Year fraction of the climate state after `tick` ticks: (tick mod steps_per_year) / steps_per_year,
    0 = start of January. `values`: the climate params (None: the scene has no climate stage)."""
    if values is None:
        raise PlanetError(f"seasons need the climate stage, which planet.stages {list(stages)} leaves out")
    n = values["steps_per_year"]
    return (tick % n) / n


def season(values: dict | None, tick: int, stages=()) -> float:
    """Season s = cos(2 pi year_fraction): +1 at the start of January, -1 at the start of July."""
    return math.cos(2.0 * math.pi * year_fraction(values, tick, stages))


def clock(values: dict, tick: int) -> dict:
    """The climate's own clock (Stage.clock): year fraction and season of the state after `tick` ticks."""
    return {"year_fraction": year_fraction(values, tick), "season": season(values, tick)}


def _pass(name: str, reads, writes, **kw) -> Pass:
    return Pass(name, reads=reads, writes=writes, **kw)


# The pressure blur: east-west then north-south, each in two stages (shaders/climate/blur.glsl).
def pressure_due(u: dict) -> bool:
    """Pass.when of the pressure blur: on the ticks divisible by `pressure_every` (so always in the init,
    which runs at tick 0), and in the first tick after the world was changed from outside (a write, a
    brush stroke, new params: Simulation.edited). The blur is a function of the land mask and the params
    only (not of the season), so where neither changed between two of its runs it would write the same
    bits; where the plates moved a coast, the pressure follows within `pressure_every` - 1 ticks."""
    return bool(u.get("u_edited", 1)) or int(u["u_tick"]) % int(u["u_pressure_every"]) == 0


LAND_EAST = _pass("land_east", ("terrain",), ("land_blur",), when=pressure_due)
MSLP_EAST = _pass("mslp_east", ("land_blur",), ("mslp",), when=pressure_due)
MSLP_NORTH_1 = Pass("mslp_north_1", ("mslp",), ("mslp_north",), shader="climate/mslp_north.glsl",
                    defines=(("BLUR_STAGE", 1),), when=pressure_due)
MSLP_NORTH_2 = Pass("mslp_north_2", ("mslp_north", "mslp"), ("mslp",), shader="climate/mslp_north.glsl",
                    defines=(("BLUR_STAGE", 2),), when=pressure_due)
BLUR = (LAND_EAST, MSLP_EAST, MSLP_NORTH_1, MSLP_NORTH_2)
# The same body at two moments: the init pass makes tick 0's season, a step the season after the tick.
# Both warm by the people stage's CO2 where the scene has it (optional scalar co2_ppm).
WEATHER_INIT = Pass("weather_init", ("mslp", "terrain"), ("atmosphere",), shader="climate/weather.glsl",
                    defines=(("TICK_AHEAD", 0),), optional=("co2_ppm",))
WEATHER = _pass("weather", ("mslp", "terrain"), ("atmosphere",), defines=(("TICK_AHEAD", 1),),
                optional=("co2_ppm",))
LIFT_INIT = Pass("lift_init", ("atmosphere", "terrain", "precipitation"), ("lift", "flow"), shader="climate/lift.glsl",
                 defines=(("TICK_AHEAD", 0),))
LIFT_PASS = _pass("lift", ("atmosphere", "terrain", "precipitation"), ("lift", "flow"), defines=(("TICK_AHEAD", 1),))
INIT = _pass("init", ("atmosphere", "terrain"), ("vapour", "precipitation", "clouds", "ice"))
# The clouds ride the same air as the vapour: one pass traces the trajectory for both (vapour.glsl
# includes clouds.glsl). Sea ice, snow and the soil's bucket read this step's rain and the rest at the cell
# only: one pass after it (climate/surface.glsl includes climate/ice.glsl and climate/soil.glsl; as two
# more outputs of the vapour pass they cost more on a CPU rasterizer, issue 16).
VAPOUR_PASS = _pass("vapour", ("vapour", "flow", "lift", "clouds"), ("vapour", "clouds"))
SURFACE = _pass("surface", ("vapour", "ice", "atmosphere", "terrain", "precipitation"), ("ice", "precipitation"))


STAGE = Stage(
    name="climate",
    doc=__doc__,
    fields=(LAND_BLUR, MSLP, MSLP_NORTH, ATMOSPHERE, LIFT, FLOW, VAPOUR, PRECIPITATION, CLOUDS, ICE),
    params=PARAMS,
    init=(*BLUR, WEATHER_INIT, INIT, LIFT_INIT),
    step=(*BLUR, WEATHER, LIFT_PASS, VAPOUR_PASS, SURFACE),
    derived=(
        Derived("step_seconds", "s", "length of one climate step: a year / steps_per_year"),
        Derived("omega", "rad/s", "rotation rate 2 pi / rotation_period"),
        Derived("drag", "1/s", "friction rate 1 / friction_time"),
        Derived("year_weight", "1", "weight of one step in the annual running means, 1 - exp(-1 / steps_per_year)"),
        Derived("evaporation_seconds", "s", "evaporation time tau_e: evaporation_time in seconds"),
        Derived("rain_seconds", "s", "rain time tau_r: rain_time in seconds"),
        Derived("year_step", "steps", "the climate step within the year of the state at this tick: tick mod "
                "steps_per_year"),
        Derived("year_step_next", "steps", "that of the state after this tick: (tick + 1) mod steps_per_year"),
    ),
    derive=derive,
    tick_derive=tick_derive,
    clock=clock,
    scalars=(
        Scalar("global_temperature", "°C", "area-weighted mean surface air temperature",
               source="atmosphere.temperature", op="mean"),
        Scalar("mean_precipitation", "mm/yr", "area-weighted mean precipitation (running annual mean)",
               source="precipitation.annual", op="mean"),
        Scalar("cloud_cover", "1", "area-weighted mean cloud cover", source="clouds.cover", op="mean"),
        Scalar("ice_cover", "1", "area-weighted mean white cover (sea ice and snow)", source="ice.cover", op="mean"),
    ),
    quantities=(
        Quantity("pressure", "hPa", "sea-level pressure", channel("atmosphere", "pressure")),
        Quantity("temperature", "°C", "surface air temperature", channel("atmosphere", "temperature")),
        Quantity("wind_east", "m/s", "surface wind towards the east", channel("atmosphere", "wind_east")),
        Quantity("wind_north", "m/s", "surface wind towards the north", channel("atmosphere", "wind_north")),
        Quantity("vapour", "mm", "water-vapour column (precipitable water)", channel("vapour", "column")),
        Quantity("precipitation", "mm/yr", "precipitation, running annual mean", channel("precipitation", "annual")),
        Quantity("soil_moisture", "mm", "water in the soil (0 at sea)", channel("precipitation", "soil")),
        Quantity("cloud_cover", "1", "cloud cover fraction", channel("clouds", "cover")),
        Quantity("sea_ice", "1", "sea-ice fraction (0 on land)", channel("ice", "sea_ice")),
        Quantity("snow", "mm", "snow water equivalent on land", channel("ice", "snow")),
        Quantity("runoff", "mm/yr", "water running off saturated soil, running annual mean",
                 channel("precipitation", "runoff")),
    ),
    layers=(
        Layer("temperature", "view/layers/temperature.glsl", ("atmosphere", "terrain"),
              "surface air temperature over the hillshaded relief, with coastlines",
              Legend("temperature", -40.0, 40.0, "°C", "temperature")),
        Layer("pressure", "view/layers/pressure.glsl", ("atmosphere", "flow", "terrain"),
              "sea-level pressure with isobars every 4 hPa and wind arrows drifting downwind (longer = faster)",
              Legend("pressure", 980.0, 1040.0, "hPa", "sea-level pressure")),
        Layer("precipitation", "view/layers/precipitation.glsl", ("precipitation", "terrain"),
              "precipitation (running annual mean) with coastlines",
              Legend("precipitation", 0.0, 3000.0, "mm/yr", "precipitation")),
    ),
    overlays=(
        # Sea ice and snow on the ground (over vegetation, order -1, and rivers and lakes, order 10: they
        # freeze over), under the lava's light and the sky.
        Overlay("satellite", "view/ice.glsl", "overlay_ice", reads=("ice",), when="ground", order=20),
        # The carried clouds, drifting with the wind, over everything on the satellite view.
        Overlay("satellite", "view/clouds.glsl", "overlay_clouds", reads=("clouds",), when="sky"),
    ),
)

"""The life stage (issue 12, MODEL.md §5): the reaction step, the diffusion, seeding, and what life must
show on synthetic planets.

Local dynamics are tested by writing the habitat's rates (growth G, reproduction R, predation P) and
the populations straight into the fields of the terrain + climate + life test scene and running only
life's passes (sim.run_passes), so nothing recomputes them; the planet-scale tests let the climate run.
Biomes and the layers: tests/test_life_views.py.
"""
import numpy as np
import pytest

from planet import grid
from planet.errors import SceneError
from planet.stages import registry
from planet.stages.life import BIOMES, SWEEPS

import reference_life as ref
from conftest import BACKENDS, ROOT, ran_each_tick

LIFE_SEA = -1.0   # shaders/life/ecology.glsl: the sea's mark in the life field within a sub-step
LIFE = ROOT / "scenes" / "tests" / "life.toml"
SWEEPING = ["life.diffuse", "life.diffuse_more"][:SWEEPS - 1]       # the first SWEEPS - 1 sweeps
SUBSTEP = ["life.react_in", *SWEEPING, "life.diffuse_out"]           # then the last sweep with R(h/2)
STILL = {"plant_diffusion": 0.0, "herbivore_diffusion": 0.0, "predator_diffusion": 0.0}   # sweeps pass u0 through
PARAMS = registry()["life"].defaults()


def lonlat(W, H):
    return (np.degrees(a) for a in grid.cell_lonlat(W, H))


def local(make_sim, G, R, P, state, backend="fragment", land=None, **params):
    """The life scene at the shape of G with the given rates and populations (H, W, 3), all land
    (or `land`), life's start far ahead (no seeding)."""
    H, W = G.shape
    sim = make_sim(LIFE, grid=f"{W}x{H}", backend=backend)
    sim.set_params(life={"start": 1.0e9, **params})
    t = np.zeros((H, W, 4), np.float32)
    t[..., 0] = 500.0 if land is None else np.where(land, 500.0, -500.0)
    sim.write("terrain", t)
    hab = np.stack([np.full_like(G, 15.0), G, R, P], axis=-1).astype(np.float32)
    sim.write("habitat", hab)
    sim.write("life", state.astype(np.float32))
    return sim


def densities(sim):
    return sim.read("life").astype(np.float64)


def rng_rates(shape, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(1.5, 3.0, shape), rng.uniform(2.0, 3.0, shape), rng.uniform(2.5, 3.5, shape)


# -- declarations ----------------------------------------------------------------------------------

def test_stage_declares_fields_params_layers_in_story_order():
    stages = list(registry())
    assert stages.index("life") > stages.index("climate")
    life = registry()["life"]
    fields = {f.name: f for f in life.fields}
    assert fields["life"].channel_names == ("plants", "herbivores", "predators") and fields["life"].carried
    assert not fields["habitat"].carried and not fields["life_reacted"].carried
    assert {q.name for q in life.quantities} >= {"plants", "herbivores", "predators", "biome"}
    assert {s.name for s in life.scalars} == {"plant_mass", "herbivore_mass", "predator_mass"}
    assert life.param_map["predator_diffusion"].unit == "km²/yr" and life.param_map["start"].unit == "years"
    d = life.param_map
    assert d["plant_diffusion"].default < d["herbivore_diffusion"].default < d["predator_diffusion"].default
    assert life.layers[1].legend.classes == BIOMES and len(life.layers[0].legend.classes) == 3
    with pytest.raises(SceneError, match=r"life.lifetime = -1.0 is out of range"):
        from planet.scene import load_scene
        load_scene({"life": {"lifetime": -1.0}})


# -- the reaction step -------------------------------------------------------------------------------

@pytest.mark.parametrize("backend", BACKENDS)
def test_coexistence_equilibrium_is_a_fixed_point_of_one_step(make_sim, backend):
    G, R, P = rng_rates((8, 16))
    K, q = PARAMS["crowding"], PARAMS["satiation"]
    eq = np.moveaxis(ref.equilibrium(G, R, P, K, q), 0, -1)
    assert (eq > 0).all(), "test premise: every cell has a coexistence equilibrium"
    np.testing.assert_allclose(ref.react(eq, G, R, P, K, q, 0.3), eq, rtol=1e-12)
    sim = local(make_sim, G, R, P, eq, backend, **STILL)
    sim.run_passes(SUBSTEP)                                 # one whole reaction step, no diffusion
    np.testing.assert_allclose(densities(sim), eq, rtol=2e-5)


@pytest.mark.parametrize("backend", BACKENDS)
def test_reaction_and_diffusion_passes_match_reference(make_sim, backend):
    H, W = 8, 16
    G, R, P = rng_rates((H, W), seed=1)
    G[:, :3] = -0.3                                         # barren cells too
    state = np.random.default_rng(2).uniform(0.0, 3.0, (H, W, 3))
    land = np.ones((H, W), bool)
    land[2:4, 5:9] = False
    state[~land] = 0.0
    sim = local(make_sim, G, R, P, state, backend, land=land, plant_diffusion=3e5, herbivore_diffusion=1e6,
                predator_diffusion=3e6)
    p = sim.params["life"]
    step = sim.stage_uniforms()["life"]["u_life_step"]
    sim.run_passes(["life.react_in"])
    half = np.where(land[..., None], ref.react(state, G, R, P, p["crowding"], p["satiation"], 0.5 * step), 0)
    np.testing.assert_allclose(densities(sim)[land], half[land], rtol=1e-4, atol=1e-6)
    assert (densities(sim)[~land] == LIFE_SEA).all(), "within the sub-step life marks the sea"
    np.testing.assert_allclose(sim.read("life_reacted"), half, rtol=1e-4, atol=1e-6)
    D = [p["plant_diffusion"], p["herbivore_diffusion"], p["predator_diffusion"]]
    years = sim.stage_uniforms()["life"]["u_step_years"]
    sim.run_passes(SWEEPING)                                # SWEEPS - 1 sweeps
    want = ref.diffuse(half, half, land, D, years, SWEEPS - 1, sim.scene.radius)
    got = densities(sim)
    np.testing.assert_allclose(got[land], want[land], rtol=1e-4, atol=1e-6)
    assert (got[~land] == LIFE_SEA).all() and (got[land] >= 0).all()
    assert got.max() <= half.max() * (1 + 1e-6), "a convex combination never overshoots"
    sim.run_passes(["life.diffuse_out"])                    # the last sweep, then R(h/2)
    swept = ref.diffuse(half, half, land, D, years, SWEEPS, sim.scene.radius)
    want = np.where(land[..., None], ref.react(swept, G, R, P, p["crowding"], p["satiation"], 0.5 * step), 0)
    got = densities(sim)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)
    assert (got[~land] == 0).all() and (got >= 0).all()


def test_with_no_predators_herbivores_track_plants(make_sim):
    """z = 0: plants are held at x* = 1/R where herbivores live and herbivores settle at G - K/R,
    rising with the plants' productivity G; where G < K/R the plants cannot feed them and they die out."""
    H, W = 8, 16
    G = np.tile(np.linspace(0.1, 2.5, W), (H, 1))
    R = np.full((H, W), 2.0)
    P = np.full((H, W), 2.5)
    state = np.stack([np.ones((H, W)), np.full((H, W), 0.5), np.zeros((H, W))], -1)
    sim = local(make_sim, G, R, P, state, **STILL)
    for _ in range(400):                                    # ~45 lifetimes
        sim.run_passes(SUBSTEP)
    x, y, z = np.moveaxis(densities(sim), -1, 0)
    K = sim.params["life"]["crowding"]
    fed = G > K / R + 0.1
    np.testing.assert_allclose(y[fed], (G - K / R)[fed], rtol=2e-2)
    np.testing.assert_allclose(x[fed], (1 / R)[fed], rtol=2e-2)
    assert (y[G < K / R - 0.1] < 1e-3).all() and (z == 0).all()
    assert np.corrcoef(y[fed], G[fed])[0, 1] > 0.99


def test_with_no_plants_animals_die_out(make_sim):
    H, W = 8, 16
    G, R, P = np.full((H, W), -0.1), np.full((H, W), 2.0), np.full((H, W), 2.5)
    state = np.stack([np.zeros((H, W)), np.full((H, W), 2.0), np.full((H, W), 1.0)], -1)
    sim = local(make_sim, G, R, P, state)
    for _ in range(180):                                    # 20 lifetimes (a year of life's clock)
        sim.run_passes(SUBSTEP)
    got = densities(sim)
    assert (got[..., 0] == 0).all() and got[..., 1].max() < 1e-6 and got[..., 2].max() < 1e-3
    assert (got >= 0).all()


def test_lotka_volterra_invariant_does_not_drift_unlike_explicit_euler(make_sim):
    """The reference chain (crowding 0, satiation 0, G = 1/P: neutral cycles) conserves
    V = R (x - x* ln x) + (y - y* ln y) + (z - z* ln z). Over 300 steps of 0.1 lifetimes the split
    step keeps V within 1e-3 (relative; float64 reference and float32 passes), while the reference's
    explicit Euler c += dt c d moves it by more than 50 % (it spirals out of the cycle)."""
    P, R = 2.0, 2.0
    G = 1 / P
    s0 = np.array([1.2, 0.8, 0.6])
    v0 = ref.invariant(s0, G, R, P)
    split, euler = s0.copy(), s0.copy()
    drift = 0.0
    for _ in range(300):
        split = ref.react(split, G, R, P, 0.0, 0.0, 0.1)
        euler = ref.euler(euler, G, R, P, 0.0, 0.0, 0.1)
        drift = max(drift, abs(ref.invariant(split, G, R, P) / v0 - 1))
    assert drift < 1e-3
    assert (euler > 0).all() and ref.invariant(euler, G, R, P) / v0 - 1 > 0.5
    # The passes: 300 steps of u_life_step = 1 / (year_ticks lifetime) = 0.1 lifetimes, 8 x 16 cells.
    shape = (8, 16)
    start = np.broadcast_to(s0, (*shape, 3)) * np.random.default_rng(3).uniform(0.7, 1.3, (*shape, 3))
    sim = local(make_sim, np.full(shape, G), np.full(shape, R), np.full(shape, P), start, crowding=0.0,
                satiation=0.0, year_ticks=200, **STILL)
    assert sim.stage_uniforms()["life"]["u_life_step"] == pytest.approx(0.1)
    v_start = ref.invariant(start, G, R, P)
    worst = 0.0
    for _ in range(300):
        sim.run_passes(SUBSTEP)
        worst = max(worst, np.abs(ref.invariant(densities(sim), G, R, P) / v_start - 1).max())
    assert worst < 1e-3


# -- on synthetic planets ------------------------------------------------------------------------------

def write_climate(sim, temperature, soil):
    """Write the season's air temperature [°C] and soil moisture [mm] into the climate's fields."""
    for field, name, value in (("atmosphere", "temperature", temperature), ("precipitation", "soil", soil)):
        data = sim.read(field)
        data[..., sim.field_spec(field).channel_index(name)] = value
        sim.write(field, data)


def test_vegetation_is_highest_on_warm_wet_land_and_zero_on_frozen_or_dry_land(make_sim):
    """Temperature falls from 30 °C at the equator to -30 °C at the poles; the western hemisphere is
    wet, the eastern one dry. Life's passes run alone (the climate fields stay as written)."""
    W, H = 32, 16
    lon, lat = lonlat(W, H)
    temperature = 30.0 - 60.0 * np.abs(lat) / 90.0
    soil = np.where(lon < 0, 120.0, 0.0)
    sim = make_sim(LIFE, grid=f"{W}x{H}", backend="fragment")
    t = np.zeros((H, W, 4), np.float32)
    t[..., 0] = 300.0
    sim.write("terrain", t)
    write_climate(sim, temperature, soil)
    sim.step(1)                                   # seeds life everywhere (start = 0); climate runs once
    write_climate(sim, temperature, soil)
    mean = np.zeros((H, W))
    for k in range(300):
        sim.run_passes(["life.habitat", *SUBSTEP])
        if k >= 200:                              # the plants' mean over the last 100 steps (11 lifetimes)
            mean += sim.quantity("plants") / 100
    warm_wet = (temperature > 20) & (lon < 0)
    frozen, dry = temperature < -1, soil == 0
    assert mean[warm_wet].min() > 0.5
    assert mean[frozen].max() < 1e-3 and mean[dry].max() < 1e-3
    rows = mean.mean(axis=1)                      # over the wet and dry halves: highest in the warm rows
    assert rows[np.abs(lat[:, 0]) < 30].min() > rows[np.abs(lat[:, 0]) > 45].max()


def continent_planet(make_sim, backend="fragment", grid_size="64x32", **params):
    """A continent from 72° S to 72° N across 120° of longitude (200 m high) in an ocean 4 km deep."""
    sim = make_sim(LIFE, grid=grid_size, backend=backend)
    if params:
        sim.set_params(life=params)
    W, H = sim.scene.grid
    lon, lat = lonlat(W, H)
    land = (np.abs(lon) < 60) & (np.abs(lat) < 72)
    t = np.zeros((H, W, 4), np.float32)
    t[..., 0] = np.where(land, 200.0, -4000.0)
    sim.write("terrain", t)
    return sim, land, lat


def test_herbivores_migrate_poleward_in_each_hemispheres_summer(make_sim):
    sim, land, lat = continent_planet(make_sim)
    sim.step(360)                                  # two years of climate and life
    area = grid.area_weights(lat.shape[0])[:, None] * land
    north, south = {}, {}
    for _ in range(36):                            # the third year, every 5 ticks
        sim.step(5)
        y = sim.quantity("herbivores") * area
        month = int(sim.year_fraction * 12) % 12
        north.setdefault(month, []).append((y * lat)[lat > 0].sum() / y[lat > 0].sum())
        south.setdefault(month, []).append((y * -lat)[lat < 0].sum() / y[lat < 0].sum())

    def quarter(c, months):
        return np.mean([v for m in months for v in c[m]])

    jfm, jas = (0, 1, 2), (6, 7, 8)
    assert quarter(north, jas) > quarter(north, jfm) + 3.0, north
    assert quarter(south, jfm) > quarter(south, jas) + 3.0, south


@pytest.mark.parametrize("backend", BACKENDS)
def test_populations_never_negative_nor_spiralling_out_over_a_long_run(make_sim, backend):
    """Long steps (lifetime 0.01 year: h = 0.56 lifetimes per tick) and strong diffusion on the climate's
    own seasons: every density stays finite, >= 0, 0 at sea, and within the plants' capacity's scale."""
    sim, land, _ = continent_planet(make_sim, backend, lifetime=0.01, predator_diffusion=1e6,
                                    herbivore_diffusion=3e5)
    for _ in range(6):
        sim.step(50)
        c = sim.read("life")
        assert np.isfinite(c).all() and (c >= 0).all() and (c[~land] == 0).all()
        assert c.max() < 50.0
    assert (c[land].max(axis=0) > 0.1).all(), "all three populations live somewhere"


def test_same_seed_same_populations_and_backends_agree(make_sim):
    runs = []
    for backend in ("fragment", "fragment", "compute"):
        sim, _, _ = continent_planet(make_sim, backend, grid_size="32x16")
        sim.step(40)
        runs.append(sim.read("life"))
    assert np.array_equal(runs[0], runs[1])
    np.testing.assert_allclose(runs[2], runs[0], rtol=1e-3, atol=1e-4)


def test_seeded_on_land_in_the_tick_that_reaches_start(make_sim):
    sim, land, _ = continent_planet(make_sim, grid_size="32x16", start=5.0)   # dt = 1 year per tick
    sim.step(5)
    assert (sim.read("life") == 0).all()
    sim.step(1)
    c = sim.read("life")
    assert (c[land] > 0).all() and (c[~land] == 0).all()
    assert sim.scalar("plant_mass") > 0 and sim.scalar("predator_mass") > 0


def test_seed_pass_runs_only_in_the_seeding_tick(make_sim):
    """life.seed is gated (Pass.when): the pipeline runs it only in the tick that reaches `start`, decided on
    the float32 uniforms as the shader decides, so its fBm costs nothing in every other tick."""
    from planet.stages.life import seeding

    assert seeding({"u_since_start": 0.0, "u_dt": 1.0}) and seeding({"u_since_start": -0.5, "u_dt": 1.0})
    assert not seeding({"u_since_start": -1.0, "u_dt": 1.0}) and not seeding({"u_since_start": 1e-3, "u_dt": 1.0})
    sim, land, _ = continent_planet(make_sim, grid_size="32x16", start=5.0)   # dt = 1 year per tick
    ran = ran_each_tick(sim, "life.seed", 8)
    assert ran == [False] * 5 + [True] + [False] * 2
    assert (sim.read("life")[land] > 0).all()


def test_life_moves_with_a_plate(make_sim):
    """life is a carried field: tectonics' carry template moves it with the crust; habitat stays."""
    sim = make_sim({"planet": {"grid": "32x16", "stages": ["terrain", "tectonics", "climate", "life"]}},
                   backend="fragment")
    rng = np.random.default_rng(5)
    life = rng.uniform(0, 2, (16, 32, 3)).astype(np.float32)
    sim.write("life", life)
    habitat = sim.read("habitat")
    spec = sim.field_spec("plate_motion")
    motion = np.zeros((16, 32, len(spec.channels)), spec.numpy_dtype)
    si, sj = (np.arange(32)[None, :] + 3) % 32 * np.ones((16, 1), int), np.arange(16)[:, None] * np.ones((1, 32), int)
    motion[..., spec.channel_index("source_i")] = si
    motion[..., spec.channel_index("source_j")] = sj
    sim.write("plate_motion", motion)
    sim.run_passes(["tectonics.carry"])
    assert np.array_equal(sim.read("life"), life[sj, si])
    assert np.array_equal(sim.read("habitat"), habitat)


def test_reaction_and_diffusion_skipped_before_the_seeding_tick_unless_life_was_written(make_sim):
    """life's reaction and diffusion (Pass.when) are skipped while nothing lives (before the tick before
    seeding, with no populations written), run from then on, and run at once on written populations."""
    from planet.stages.life import seeded

    sim, land, _ = continent_planet(make_sim, grid_size="32x16", start=5.0)   # dt = 1 year per tick
    ran = ran_each_tick(sim, "life.diffuse_out", 7)
    assert ran == [False] * 3 + [True] * 4, ran   # open one tick ahead of seeding (tick 5), then always
    assert (sim.read("life")[land] > 0).all()
    later, _, _ = continent_planet(make_sim, grid_size="32x16", start=1.0e6)
    blob = np.where(land[..., None], 0.5, 0.0).astype(np.float32) * np.ones(3, np.float32)
    later.write("life", blob)
    later.step(1)
    assert not np.array_equal(later.read("life"), blob), "written populations live before the start"
    assert not seeded({"u_since_start": -3.0, "u_dt": 1.0, "written": frozenset()})
    assert seeded({"u_since_start": -1.5, "u_dt": 1.0, "written": frozenset()})
    assert seeded({"u_since_start": -3.0, "u_dt": 1.0})   # without the written set, always run

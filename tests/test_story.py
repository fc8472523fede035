"""The whole story (issue 14): scenes/earth.toml's timeline, and a shortened telling of it
(scenes/tests/story.toml: the same eras and captions on a tiny grid) rendered frame by frame the way
render.py renders it, each era checked by its frames."""
from pathlib import Path

import numpy as np
import pytest

import planet
from planet.frames import FrameRenderer, story_lines
from planet.video import Story, story_frames

ROOT = Path(__file__).resolve().parent.parent
EARTH = ROOT / "scenes" / "earth.toml"
SHORT = ROOT / "scenes" / "tests" / "story.toml"
SIZE = (192, 108)
TICKS_PER_FRAME = 5


def test_the_default_story_covers_every_era():
    scene = planet.load_scene(EARTH)
    captions = [e.caption for e in scene.timeline if e.caption]
    assert len(captions) >= 15 and captions[0].startswith("4.5 billion years ago")
    layers = [e.layer for e in scene.timeline if e.layer]
    for layer in ("satellite", "plates", "elevation", "basins", "temperature", "pressure", "precipitation",
                  "life", "biomes", "co2", "population"):
        assert layer in layers, f"the story never shows the {layer} layer"
    views = [e.view for e in scene.timeline if e.view]
    assert views[0] == "globe" and "map" in views and views[-1] == "globe"      # unwrap, then re-wrap
    # Millions of years per tick through the geology, years per tick once people arrive; the plates freeze.
    assert scene.dt == 1.0e6 and min(e.dt for e in scene.timeline if e.dt) <= 10.0
    assert any(e.params.get("tectonics", {}).get("speed") == 0.0 for e in scene.timeline)
    assert scene.params["people"]["start"] > scene.present >= scene.params["life"]["start"]
    # The reference's pace: 3 to 5 minutes of video at one tick per frame and 30 fps.
    assert 3 * 60 * 30 <= scene.ticks_until(scene.end) <= 5 * 60 * 30


@pytest.fixture(scope="module")
def told(gl_ctx):
    """Every frame of the shortened story as render.py draws it, with what the simulation held then."""
    from planet import gl

    gl.make_current(gl_ctx)
    sim = planet.Simulation(gl_ctx, SHORT, backend="fragment")
    story, frames = Story(sim, 30.0, None, None), FrameRenderer(sim)
    n = story_frames(sim, 30.0, TICKS_PER_FRAME)
    out = []
    try:
        for k in range(n):
            if k and not sim.ended:
                sim.step(TICKS_PER_FRAME)
            layer, morph, fade = story.frame()
            image = frames.render(SIZE, layer, morph, story_lines(sim, layer), True, sim.caption, fade).copy()
            entry = dict(years=sim.years, caption=sim.caption, layer=layer, morph=morph, fade=fade, image=image,
                         land=sim.scalar("land_fraction"), temperature=sim.scalar("global_temperature"),
                         population=sim.scalar("population"), lights=None)
            if sim.scalar("population") > 1e6 and morph == 1.0 and layer == "satellite" and out and \
                    all(e["lights"] is None for e in out):
                # The same frame without its people: what the lights add on the night side.
                people = sim.read("people")
                sim.write("people", np.zeros_like(people))
                entry["lights"] = frames.render(SIZE, layer, morph, (), False, "", 0.0).astype(int)
                sim.write("people", people)
                entry["lit"] = frames.render(SIZE, layer, morph, (), False, "", 0.0).astype(int)
            out.append(entry)
            story.advance()
    finally:
        frames.release()
        sim.release()
    return planet.load_scene(SHORT), out


def first(frames, **match):
    return next(f for f in frames if all(f[k] == v for k, v in match.items()))


def test_each_caption_appears_at_its_time(told):
    scene, frames = told
    dt_max = max([scene.dt] + [e.dt for e in scene.timeline if e.dt])
    seen = [f["caption"] for f in frames]
    for ev in (e for e in scene.timeline if e.caption):
        f = first(frames, caption=ev.caption)
        assert ev.at <= f["years"] <= ev.at + (TICKS_PER_FRAME + 1) * dt_max, ev.caption
    order = [c for k, c in enumerate(seen) if c and (k == 0 or seen[k - 1] != c)]
    assert order == [e.caption for e in scene.timeline if e.caption], "captions out of order or repeated"


def test_molten_colours_first_then_oceans(told):
    _, frames = told
    first_frame = frames[0]["image"].astype(float)
    disc = first_frame.sum(-1) > 60                          # the globe, not space
    r, g, b = (first_frame[disc][:, c].mean() for c in range(3))
    assert frames[0]["morph"] == 1.0 and r > 1.5 * b and r > g, "the protoplanet should glow red-orange"
    first(frames, caption="The oceans fill")
    later = next(f for f in frames if f["years"] >= 4.0e8)    # terrain: the oceans are full at 4e8 years
    assert later["land"] < 0.7 < frames[0]["land"], "the oceans fill the low ground"
    img = later["image"][:-30].astype(int)                     # above the caption and legend
    planet_px = img.sum(-1) > 30                               # (the unwrap may still be under way)
    blue = (img[..., 2] > img[..., 0] + 20)[planet_px].mean()
    assert blue > 0.3, f"only {blue:.0%} of the planet is sea-blue after the fill"


def test_plates_then_the_globe_later(told):
    _, frames = told
    plates = [f for f in frames if f["layer"] == "plates" and f["years"] > 5.0e8][0]
    colours = {tuple(c) for c in (plates["image"][10:-30:4, ::4] // 32).reshape(-1, 3)}
    assert len(colours) > 12, "the plates layer should show many plate colours"
    rewrapped = first(frames, caption="Re-wrapped onto the globe")
    globe = [f for f in frames if f["years"] >= rewrapped["years"] and f["morph"] == 1.0][0]["image"]
    h, w = globe.shape[:2]
    assert globe[h // 2, w // 2].sum() > 60 and globe[2, w - 3].sum() < 60, "a globe in space"


def test_lights_on_the_night_side_after_people_arrive(told):
    _, frames = told
    people = first(frames, caption="People settle the coasts and rivers; their cities light the night side")
    assert all(f["population"] == 0.0 for f in frames if f["years"] < people["years"] - 1.0e3)
    lit = next(f for f in frames if f["lights"] is not None)
    added = (lit["lit"] - lit["lights"]).sum(-1)
    assert (added > 60).sum() > 5, "populated land should light up at night"
    assert (added < -3).sum() == 0, "lights only add light"


def test_warmer_at_the_end_and_a_fade_out(told):
    _, frames = told
    today = first(frames, caption="Today: days and nights; the plates stand still on a human time scale")
    assert frames[-1]["temperature"] > today["temperature"] + 5.0, "the people's CO2 warms the planet"
    warm = [f for f in frames if f["layer"] == "temperature" and f["years"] > today["years"]][-1]["image"]
    cold = [f for f in frames if f["layer"] == "temperature" and f["years"] < today["years"]][-1]["image"]
    assert warm[..., 0].mean() > cold[..., 0].mean(), "warmer temperature colours at the end"
    assert frames[-1]["fade"] == 1.0 and frames[-1]["image"].max() == 0, "the story fades to black"


PRESETS = ("water_world", "dry_world", "fast_plates", "cold_planet", "early_quit")


@pytest.mark.parametrize("name", PRESETS)
def test_presets_are_the_story_with_a_difference(name):
    preset, earth = planet.load_scene(ROOT / "scenes" / f"{name}.toml"), planet.load_scene(EARTH)
    assert preset.end == earth.end and len(preset.timeline) >= len(earth.timeline)
    differs = [k for k in earth.params if preset.params[k] != earth.params[k]]
    assert differs or len(preset.timeline) > len(earth.timeline), f"{name} tells the same story"


def test_a_base_cycle_is_one_line(tmp_path):
    (tmp_path / "a.toml").write_text('base = "b.toml"\n')
    (tmp_path / "b.toml").write_text('base = "a.toml"\n')
    with pytest.raises(planet.SceneError, match="a cycle"):
        planet.load_scene(tmp_path / "a.toml")


def test_presets_tell_visibly_different_stories(make_sim):
    """On a tiny grid after the oceans fill: the water world has less land than the Earth, the dry
    world more; the cold planet is colder; the early quitters emit less."""
    def after(name, years=5.0e8, **params):
        sim = make_sim(ROOT / "scenes" / f"{name}.toml", grid="32x16")
        sim.step(sim.scene.ticks_until(years))
        return sim.scalar("land_fraction"), sim.scalar("global_temperature")

    (land_e, temp_e), (land_w, _), (land_d, _), (_, temp_c) = (after(n) for n in ("earth", "water_world",
                                                                                  "dry_world", "cold_planet"))
    assert land_w < 0.7 * land_e and land_d > 1.3 * land_e
    assert temp_c < temp_e - 12.0

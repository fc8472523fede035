"""Marks sized in pixels (issue #15): the pressure layer's wind arrows and isobar labels follow the
picture's pixels per degree (planet.view.frame_px_per_deg, shaders/view/marks.glsl), so a 128 px
thumbnail gets fewer arrows and no labels instead of a black-and-white blob; no squeezed arrow rows
along the map's top and bottom edges; a zonal isobar's label is not repeated nine times a row."""
import numpy as np
import pytest

from planet import grid
from planet.view import Camera, frame_px_per_deg

from conftest import ROOT

CLIMATE = ROOT / "scenes" / "tests" / "climate.toml"
W, H = 128, 64
LON, LAT = grid.cell_lonlat(W, H)   # [radians], row 0 = south


def still_air_sim(make_sim, pressure=None, wind_east=10.0):
    """An ocean planet whose flow is `wind_east` m/s towards the east everywhere and whose sea-level
    pressure is `pressure` (H x W hPa; default a uniform 1013, so no isobar or label is drawn)."""
    sim = make_sim(CLIMATE, backend="fragment")
    t = np.zeros((H, W, 4), np.float32)
    t[..., 0] = -4000.0
    sim.write("terrain", t)
    a = sim.read("atmosphere")
    a[..., 0] = 1013.0 if pressure is None else pressure
    sim.write("atmosphere", a)
    f = np.zeros((H, W, 4), np.float32)
    f[..., 0], f[..., 1], f[..., 3] = -np.sin(LON) * wind_east, np.cos(LON) * wind_east, wind_east
    sim.write("flow", f)
    return sim


def ink(image, still):
    """Arrow ink: pixels at least 40 levels darker than in `still`, the same picture without wind."""
    return still.astype(float).mean(axis=-1) - image.astype(float).mean(axis=-1) > 40.0


def arrow_ink(make_sim, view, size):
    """The arrow-ink mask of the pressure layer (10 m/s east) in `view` at `size`, and the picture."""
    sims = getattr(make_sim, "_marks", None)
    if sims is None:
        sims = make_sim._marks = (still_air_sim(make_sim), still_air_sim(make_sim, wind_east=0.0))
    windy, still = (s.snapshot(view, "pressure", size) for s in sims)
    return ink(windy, still), windy


def test_px_per_deg_follows_the_picture_and_moves_in_steps():
    assert frame_px_per_deg("map", (360, 180)) == 1.0
    assert frame_px_per_deg("map", (1440, 720)) == 4.0
    small, big = frame_px_per_deg("globe", (128, 128)), frame_px_per_deg("globe", (512, 512))
    assert big == pytest.approx(4 * small) and 0.7 < small < 1.5
    near = Camera(distance=1.6)
    assert frame_px_per_deg("globe", (128, 128), near) > 2 * small, "zooming in shows more pixels per degree"
    steps = {frame_px_per_deg("map", (w, w // 2)) for w in range(360, 420, 2)}
    assert len(steps) <= 2, f"a resize re-bakes only at steps of 2^(1/4): {sorted(steps)}"


def test_arrow_ink_stays_in_a_band_from_thumbnail_to_large_map(make_sim):
    """Arrows keep a spacing in pixels (a coarser lattice on smaller pictures), so the share of the map
    they ink is about the same at 128 x 64 and at 1024 x 512 (before: 9 degrees at any size, a 3 px
    lattice at 128 px that inked most of the map)."""
    share = {}
    for size in ((128, 64), (256, 128), (640, 320), (1024, 512)):
        share[size] = arrow_ink(make_sim, "map", size)[0].mean()
    for s in (128, 512):
        y, x = np.mgrid[:s, :s]
        disk = (x - s / 2 + 0.5) ** 2 + (y - s / 2 + 0.5) ** 2 < (0.35 * s) ** 2   # inside the planet's disk
        share[("globe", s)] = arrow_ink(make_sim, "globe", (s, s))[0][disk].mean()
    lo, hi = min(share.values()), max(share.values())
    assert 0.02 < lo and hi < 0.15, f"arrow ink share per picture: {share}"
    assert hi < 2.5 * lo, f"arrow ink share varies too much with the picture's size: {share}"


@pytest.mark.parametrize("size", [(128, 64), (640, 320), (1024, 512)])
def test_no_squeezed_arrow_rows_along_the_top_and_bottom(make_sim, size):
    """The map's top and bottom 3 % of rows carry no more arrow ink than the map on average."""
    mask = arrow_ink(make_sim, "map", size)[0]
    edge = max(1, int(np.ceil(0.03 * size[1])))
    mean = mask.mean()
    assert mean > 0.01, "test premise: arrows are drawn"
    assert mask[:edge].mean() <= mean and mask[-edge:].mean() <= mean, \
        f"top {mask[:edge].mean():.3f} / bottom {mask[-edge:].mean():.3f} vs mean {mean:.3f}"


def label_boxes(image):
    """The pale label boxes: near-white, grey pixels (the map under them is a saturated red)."""
    im = image.astype(int)
    return (im.min(axis=-1) > 190) & (im.max(axis=-1) - im.min(axis=-1) < 30)


def runs(flags, gap=12):
    """Number of runs of True in a 1-D array, runs less than `gap` apart counting as one (a label's
    digits break its box into pieces); longitude wraps: a run across the seam counts once."""
    f = np.asarray(flags, bool)
    f = np.convolve(np.concatenate([f[-gap:], f, f[:gap]]).astype(float), np.ones(gap), "same")[gap:-gap] > 0
    n = int(np.sum(f & ~np.roll(f, 1)))
    return n if n or not f.all() else 1


def test_isobar_labels_follow_the_picture_and_do_not_repeat_along_a_row(make_sim):
    """Zonal isobars (the worst case for repeats: every lattice point of a row finds the same one) on a
    red map (1024-1040 hPa, a zigzag in latitude, 16 hPa per 10 degrees; no white in the colormap
    there): no labels on a 128 or 256 px map (below 1 px per degree), and at 640 and 1024 px labels, at
    most 3 per row of labels (before: 9)."""
    zigzag = np.abs((np.degrees(LAT) / 10.0 + 1.0) % 2.0 - 1.0)      # 0..1..0 every 20 degrees
    sim = still_air_sim(make_sim, pressure=1024.0 + 16.0 * zigzag, wind_east=0.0)
    for size in ((128, 64), (256, 128)):
        assert label_boxes(sim.snapshot("map", "pressure", size)).sum() == 0, f"labels at {size}"
    for size in ((640, 320), (1024, 512)):
        boxes = label_boxes(sim.snapshot("map", "pressure", size))
        rows = boxes.any(axis=1)
        assert rows.sum() > 0, f"no labels at {size}"
        starts = np.flatnonzero(rows & ~np.roll(rows, 1))
        ends = np.flatnonzero(rows & ~np.roll(rows, -1))
        per_row = [runs(boxes[a:b + 1].any(axis=0), gap=size[0] // 32) for a, b in zip(starts, ends, strict=True)]
        assert max(per_row) <= 3, f"labels per row at {size}: {per_row}"

"""Float64 NumPy references of the tectonics passes (shaders/tectonics/*.glsl), written anew from
the same discrete formulas. Each pass reference returns the expected output and, where a float32
rounding could go either way (floor() of a value within `EPS` of an integer, a time within a few
hundred years of a tick boundary), a mask of the cells where the comparison is ambiguous."""
import numpy as np

from planet import grid
from reference import fbm, hash3

EPS = 1e-3          # [cells] a floor() argument this close to an integer may round either way in float32
NO_PLATE = -1
NONE, COLLISION, RIFT = 0, 1, 2
U32 = np.uint32


def seed_xor(seed, salt):
    return int(U32(seed) ^ U32(salt))


def h3(a, b, c, seed):
    return hash3(np.array([a, b, c], dtype=np.int64), seed)


def sphere_point(u):
    z = 2.0 * u[0] - 1.0
    phi = 2.0 * np.pi * u[1]
    return np.array([np.sqrt(max(1.0 - z * z, 0.0)) * np.cos(phi), np.sqrt(max(1.0 - z * z, 0.0)) * np.sin(phi), z])


def cycle(time, dt, p):
    """(cycle of the tick [time, time + dt), True if a cycle begins in it)."""
    end = time + dt - p["start"]
    if end <= 0:
        return -1, False
    e = int(np.floor(end / p["cycle"]))
    t0 = time - p["start"]
    return e, (t0 < 0 or int(np.floor(t0 / p["cycle"])) < e)


def plate_spin(k, e, seed, p, radius):
    """(Euler pole, angular speed [rad/yr]) of plate k in cycle e."""
    a = h3(k, e, 0x504C, seed)
    return sphere_point(a[:2]), p["speed"] * (1.0 + p["speed_spread"] * (2.0 * a[2] - 1.0)) / radius


def plate_seed(k, e, seed, p, radius):
    """(seed point, birth time [years]) of plate k in cycle e."""
    pole, _ = plate_spin(k, e, seed, p, radius)
    b = h3(k, e, 0x504D, seed)
    ref = np.array([0.0, 0.0, 1.0]) if abs(pole[2]) < 0.9 else np.array([1.0, 0.0, 0.0])
    t1 = np.cross(pole, ref)
    t1 /= np.linalg.norm(t1)
    t2 = np.cross(pole, t1)
    az = 2.0 * np.pi * b[0]
    return np.cos(az) * t1 + np.sin(az) * t2, p["start"] + e * p["cycle"] - p["seed_time"] * np.log(1.0 - b[1])


def plate_rank(k, e, seed):
    return h3(k, e, 0x504D, seed)[2]


def plate_jitter(k, e, tick, seed):
    """(rounding offset xy, polar dither angles zw) of plate k this tick."""
    return np.concatenate([h3(k, e, tick, seed_xor(seed, 0x7EC70000))[:2], h3(k, e, tick, seed_xor(seed, 0xD1770000))[:2]])


def rotation_step(p, axis, angle):
    """rot(p, axis, angle) - p (Rodrigues), p shaped (..., 3)."""
    h = np.sin(0.5 * angle)
    return np.sin(angle) * np.cross(axis, p) + 2 * h * h * (axis * (p @ axis)[..., None] - p)


def near_integer(x):
    return np.abs(x - np.round(x)) < EPS


DITHER_CELLS = 2.0


def plate_sources(k, e, tick, seed, p, radius, dt, W, H):
    """Source cells (i, j) of plate k for every cell, and the cells where rounding is ambiguous."""
    pole, omega = plate_spin(k, e, seed, p, radius)
    pos = grid.cell_pos(W, H)
    lon, lat = grid.cell_lonlat(W, H)
    jit = plate_jitter(k, e, tick, seed)  # xy: rounding offset (plate_jitter), zw: dither (plate_dither)
    # Polar dither (shaders/tectonics/plate.glsl): a rigid shift of the plate in this cell's grid units.
    t = np.clip((np.abs(pos[..., 2]) - 0.3) / 0.4, 0, 1)
    w = t * t * (3 - 2 * t)
    m = np.cross(pole, [0.0, 0.0, 1.0]) + [1e-7, 0, 0]
    m /= np.linalg.norm(m)
    d = DITHER_CELLS * (np.pi / H) * (jit[2] * np.cross(pole, pos) + jit[3] * np.cross(m, pos))
    east, north = grid.tangent_east(lon, lat), grid.tangent_north(lon, lat)
    dx, dy = grid.cell_dx_km(W, H, 1.0)[:, None], grid.cell_dy_km(H, 1.0)   # [radians] per column, row
    x = np.stack([(d * east).sum(-1) / dx, (d * north).sum(-1) / dy], axis=-1)
    j = np.where(w[..., None] > 0, np.mod(jit[:2] + w[..., None] * x, 1.0), jit[:2])
    g = grid.grid_offset(pos, rotation_step(pos, pole, -omega * dt), W, H) + j
    ii, jj = grid.cell_ij(W, H)
    si, sj = grid.wrap(ii + np.floor(g[..., 0]).astype(np.int64), jj + np.floor(g[..., 1]).astype(np.int64), W, H)
    return si, sj, near_integer(g).any(axis=-1) | ((w > 0) & near_integer(j).any(axis=-1))


def move(plates, terrain, p, seed, tick, time, dt, radius):
    """tectonics.move: expected plate_motion (H, W, 3: source_i, source_j, event), plate_pile (H, W)
    and the ambiguous-cell mask. `plates`: (H, W, 1) or (H, W) plate ids."""
    H, W = terrain.shape[:2]
    ids = np.asarray(plates).reshape(H, W).astype(np.int64)
    out = np.zeros((H, W, 3), np.int64)
    ii, jj = grid.cell_ij(W, H)
    out[..., 0], out[..., 1] = ii, jj
    amb = np.zeros((H, W), bool)
    e, begins = cycle(time, dt, p)
    if e < 0 or begins:
        return out, np.zeros((H, W)), amb
    shelf = (terrain[..., 1] - np.float32(p["shelf_depth"])).astype(np.float32)
    claims = np.zeros((H, W), np.int64)
    best_key = np.full((H, W), -1.0)
    best_pile = np.zeros((H, W))
    pile = np.zeros((H, W))
    for k in range(p["plate_count"]):
        si, sj, a = plate_sources(k, e, tick, seed, p, radius, dt, W, H)
        mine = ids[sj, si] == k
        amb |= a
        z = terrain[sj, si, 0]
        excess = np.maximum(z.astype(np.float64) - shelf, 0.0)
        key = plate_rank(k, e, seed) + (z > shelf)
        win = mine & (key > best_key)
        out[..., 0] = np.where(win, si, out[..., 0])
        out[..., 1] = np.where(win, sj, out[..., 1])
        best_key = np.where(win, key, best_key)
        best_pile = np.where(win, excess, best_pile)
        pile += np.where(mine, excess, 0.0)
        claims += mine
    pile -= best_pile
    pile += np.where(ids < 0, np.maximum(terrain[..., 0].astype(np.float64) - shelf, 0.0), 0.0)
    out[..., 2] = np.where(claims > 1, COLLISION, np.where((claims == 0) & (ids >= 0), RIFT, NONE))
    return out, np.where(claims > 0, pile, 0.0), amb


def moved(plates, state, motion, begins):
    """(ids, stress) after the move, from each cell's plate_motion (source_i, source_j, event)."""
    H, W = motion.shape[:2]
    si, sj, ev = (motion[..., c].astype(np.int64) for c in range(3))
    ids = np.where((ev == RIFT) | begins, NO_PLATE, np.asarray(plates).reshape(H, W)[sj, si]).astype(np.int64)
    stress = np.where(ev == COLLISION, 1.0, np.where(ev == RIFT, 0.0, state[sj, si, 0].astype(np.float64)))
    return ids, stress


def pos_cell(q, W, H):
    """The cell a unit vector falls in, and whether it lies within EPS of a cell edge."""
    g = np.stack(grid.lonlat_to_grid(*grid.pos_lonlat(q), W, H), axis=-1)
    i, j = grid.wrap(np.floor(g[..., 0]).astype(np.int64), np.floor(g[..., 1]).astype(np.int64), W, H)
    return i, j, near_integer(g).any(axis=-1)


def plates_update(plates, state, motion, p, derived, seed, tick, time, dt, radius):
    """tectonics.plates: expected plate ids (H, W), plate_state (H, W, 3: stress, velocity_east,
    velocity_north) and the ambiguous-cell mask."""
    H, W = state.shape[:2]
    amb = np.zeros((H, W), bool)
    e, begins = cycle(time, dt, p)
    if e < 0:
        return np.asarray(plates).reshape(H, W).astype(np.int64), state.astype(np.float64), amb
    ids, s = moved(plates, state, motion, begins)
    ii, jj = grid.cell_ij(W, H)
    lon, lat = grid.cell_lonlat(W, H)
    dx = grid.cell_dx_km(W, H, radius)[:, None]
    dy = grid.cell_dy_km(H, radius)
    kappa = derived["stress_diffusivity"]
    ds = np.zeros((H, W))
    for di, dj in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        ni, nj = grid.wrap(ii + di, jj + dj, W, H)
        d = dx if dj == 0 else dy
        w = 0.25 * (1 - np.exp(-4 * kappa * dt / d ** 2))
        same = (ids[nj, ni] == ids) & (ids >= 0)
        ds += np.where(same, w * (s[nj, ni] - s), 0.0)
    s = np.clip(np.where(ids >= 0, s + ds, s) * np.exp(-dt / p["stress_decay"]), 0, 1)
    new = ids.copy()
    # Seeding: plate k nucleates in its seed cell in the tick of its birth, if that cell is unassigned.
    for k in range(p["plate_count"]):
        n, born = plate_seed(k, e, seed, p, radius)
        if abs(born - time) < 1e3 or abs(born - time - dt) < 1e3:
            amb[:] = True  # a birth at a tick boundary: float32 may place it in either tick
        if time < born <= time + dt:
            ci, cj, a = pos_cell(n, W, H)
            amb[cj, ci] |= a
            if new[cj, ci] < 0:  # the lowest id wins a shared seed cell
                new[cj, ci] = k
    seeded = (new >= 0) & (ids < 0)
    # Growth: the first plate upstream along this tick's flow, within the tick's reach.
    hh = h3(e, tick, 0x6772, seed)
    gg = h3(e, tick, 0x7761, seed)   # the meander's axis and phase
    axis, across = sphere_point(hh[:2]), sphere_point(gg[:2])
    pos = grid.cell_pos(W, H)
    fl = np.linalg.norm(np.cross(axis, pos), axis=-1)
    with np.errstate(over="ignore"):
        fseed = int(U32(seed) ^ (U32(e) * U32(0x9E3779B9)))
    reach = p["growth_speed"] * dt * np.clip(1 + 0.8 * fbm(3 * pos, 3, fseed), 0.2, 1.8)
    n = reach / dy
    steps = np.where(n <= 32, np.floor(n + hh[2]), 32).astype(np.int64)
    amb |= (n <= 32) & near_integer(n + hh[2])
    step = np.where(n <= 32, dy, reach / 32) / radius
    grown = np.full((H, W), NO_PLATE)
    todo = (ids < 0) & ~seeded & (fl >= 1e-3)
    q = pos.copy()
    for i in range(1, 33):
        # Upstream along the flow, turned about the vertical by the meander (shaders/tectonics/plates.glsl).
        flow = np.cross(axis, q)
        fq = np.linalg.norm(flow, axis=-1)
        todo &= ~((i <= steps) & (grown < 0) & (fq * fq < 1e-6))   # the shader gives up at the rotation's pole
        up = -flow / np.maximum(fq, 1e-30)[..., None]
        turn = 0.6 * np.sin(9.0 * (q @ across) + 2 * np.pi * gg[2])
        d = np.cos(turn)[..., None] * up + np.sin(turn)[..., None] * np.cross(q, up)
        q = q * np.cos(step)[..., None] + d * np.sin(step)[..., None]
        q /= np.linalg.norm(q, axis=-1, keepdims=True)
        ci, cj, a = pos_cell(q, W, H)
        look = todo & (i <= steps) & (grown < 0)
        amb |= look & a
        hit = look & (ids[cj, ci] >= 0)
        grown = np.where(hit, ids[cj, ci], grown)
    new = np.where(todo & (grown >= 0), grown, new)
    out = np.zeros((H, W, 3))
    out[..., 0] = s
    for k in np.unique(new[new >= 0]):
        pole, omega = plate_spin(int(k), e, seed, p, radius)
        v = omega * radius * np.cross(pole, pos)
        east, north = grid.tangent_east(lon, lat), grid.tangent_north(lon, lat)
        m = new == k
        out[..., 1] = np.where(m, (v * east).sum(-1), out[..., 1])
        out[..., 2] = np.where(m, (v * north).sum(-1), out[..., 2])
    return new, out, amb


def uplift(terrain, state, motion, pile, p, time, dt, land_fraction, radius):
    """tectonics.uplift: expected terrain (H, W, 3: bedrock, sea_level, glow) from the plate_state
    (stress first), plate_motion (event last) and plate_pile (H, W) fields and the land fraction scalar."""
    t = terrain.astype(np.float64).copy()
    if cycle(time, dt, p)[0] < 0:
        return t
    h = t[..., 0] - t[..., 1]
    rift = motion[..., 2] == RIFT
    # Every cell moves towards the rift floor by the fraction f = n / w of its row's window of
    # w = 2 (m // 2) + 1 columns (m = floor(dy / dx), at most 16) that this tick's rifts in crust of its
    # own kind (continental or oceanic) opened.
    H, W = h.shape
    cont = h > -p["shelf_depth"]
    m = np.minimum(np.floor(grid.cell_dy_km(H, radius) / grid.cell_dx_km(W, H, radius)), 16).astype(int)
    f = np.zeros((H, W))
    for kind in (cont, ~cont):
        opened = (rift & kind).astype(np.float64)
        for j in range(H):
            r = m[j] // 2
            f[j] = np.where(kind[j], sum(np.roll(opened[j], -o) for o in range(-r, r + 1)) / (2 * r + 1), f[j])
    h = h - f * (h + p["rift_depth"])
    t[..., 2] = np.where(rift, 0.0, t[..., 2])
    D, H_ = p["abyss_depth"], p["peak_height"]
    sub = (h < -p["shelf_depth"]) & (h > -D)
    h = np.where(sub, -D + (h + D) * np.exp(-dt / p["subsidence_time"]), h)
    h = np.maximum(h, np.minimum(h + np.asarray(pile).reshape(h.shape) * (1 - h / H_), H_))
    s = state[..., 0]
    h = np.maximum(h, H_ - (H_ - h) * np.exp(-p["uplift_rate"] * s * dt / H_))
    deficit = np.clip((p["land_fraction"] - land_fraction) / p["land_fraction"], -1, 1)
    weight = np.clip(1 - h / p["freeboard_height"], 0, 1)
    step = min(dt, p["freeboard_step"])   # explicit over at most freeboard_step years
    h = np.where(h > -p["shelf_depth"], h + p["freeboard_rate"] * deficit * weight * step, h)
    t[..., 0] = t[..., 1] + h
    return t


DIRS = ((1, 0), (-1, 0), (0, 1), (0, -1))


def talus(terrain, p, time, dt, radius):
    """tectonics.talus: expected terrain (H, W, 3): talus within one kind of crust, crustal flow within
    the continents, smoothing of the ocean floor, the margin term; a cell enclosed by the other kind
    counts as that kind and levels out with its neighbours; near the poles the east-west box filter within one raw kind of crust."""
    t = terrain.astype(np.float64).copy()
    if cycle(time, dt, p)[0] < 0:
        return t
    H, W = t.shape[:2]
    z = t[..., 0]
    sea = t[..., 1]
    shelf = sea - p["shelf_depth"]
    k = (1 - np.exp(-dt / p["talus_time"])) / 8
    area = grid.cell_area_km2(W, H, radius)[:, None] * np.ones((1, W))
    ii, jj = grid.cell_ij(W, H)
    nbs = [grid.wrap(ii + di, jj + dj, W, H) for di, dj in DIRS]
    own = z > shelf
    enclosed = np.ones_like(own)
    for ni, nj in nbs:
        enclosed &= own[nj, ni] != own
    # Near the poles also enclosed by the 4 cells one resolution away: north, south, m columns east and west.
    m = np.minimum(np.floor(grid.cell_dy_km(H, radius) / grid.cell_dx_km(W, H, radius)), 16).astype(int)
    far = np.ones_like(own)
    for (di, dj), (ni, nj) in zip(DIRS, nbs, strict=True):
        fi, fj = grid.wrap(ii + di * m[:, None], jj, W, H) if dj == 0 else (ni, nj)
        far &= own[fj, fi] != own
    enclosed |= far & (m[:, None] >= 2)
    kind = np.where(enclosed, ~own, own)
    dz = np.zeros((H, W))
    for (_di, dj), (ni, nj) in zip(DIRS, nbs, strict=True):
        dkm = grid.cell_dx_km(W, H, radius)[:, None] * np.ones((1, W)) if dj == 0 else grid.cell_dy_km(H, radius)
        zn = z[nj, ni]
        share = np.minimum(area, area[nj, ni]) / area
        hc = np.maximum(0.5 * (z + zn) - sea, 0) / p["collapse_height"]
        c = (1 - np.exp(-4 * p["crust_diffusivity"] * (1 + hc * hc) * dt / dkm ** 2)) / 8
        co = (1 - np.exp(-4 * p["floor_diffusivity"] * dt / dkm ** 2)) / 8
        same = kind[nj, ni] == kind
        level = (enclosed | enclosed[nj, ni]) & (p["crust_diffusivity"] > 0)
        excess = np.abs(z - zn) - p["talus_slope"] * 1000 * dkm
        pair = np.where(same & (excess > 0), np.sign(z - zn) * k * excess * share, 0.0)
        pair += np.where(same, np.where(kind, c, co) * (z - zn) * share, 0.0)
        margin = np.where(kind, np.maximum(z - shelf, 0), -np.maximum(zn - shelf, 0))
        pair += np.where(~same, c * margin * share, 0.0)
        dz -= np.where(level, 0.25 * (z - zn) * share, pair)
    # The polar east-west box filter: partners 2..m columns away, m = floor(dy / dx) (at most 16), 1/(16 m).
    m = np.minimum(np.floor(grid.cell_dy_km(H, radius) / grid.cell_dx_km(W, H, radius)), 16).astype(int)
    for j in range(H):
        for o in range(2, m[j] + 1):
            for side in (-1, 1):
                zn = np.roll(z[j], -side * o)
                dz[j] -= np.where(own[j] == (zn > shelf[j]), (z[j] - zn) / (16.0 * m[j]), 0.0)
    t[..., 0] = z + dz
    return t

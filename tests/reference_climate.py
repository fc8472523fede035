"""Float64 NumPy references of the climate passes (shaders/climate/*.glsl): the same discrete
formulas, written anew from the shader headers, for per-pass correctness tests. They take and return
arrays (H, W, channels) in each field's declared channel order (planet/stages/climate.py); `state`
writes such an array into a simulation by channel name."""
import numpy as np

from planet import grid
from planet.constants import R_VAPOUR, RHO_AIR, SECONDS_PER_DAY, SECONDS_PER_HOUR, SECONDS_PER_YEAR, ZERO_CELSIUS_K


def state(sim, field, **channels):
    """Write a hand-made state of `field` into `sim`: the named channels (arrays (H, W) or numbers),
    the others 0. Returns it as written: (H, W, channels) float32 in the field's channel order."""
    W, H = sim.scene.grid
    names = tuple(ch.name for ch in sim.channels(field))
    unknown = set(channels) - set(names)
    assert not unknown, f"{field} has no channel(s) {sorted(unknown)}; channels: {names}"
    data = np.zeros((H, W, len(names)), np.float32)
    for k, name in enumerate(names):
        if name in channels:
            data[..., k] = channels[name]
    sim.write(field, data)
    return data


def fetch(field, di, dj):
    """field[(j + dj, i + di)] for every cell, wrapped: shape (H, W, ...)."""
    H, W = field.shape[:2]
    ii, jj = grid.neighbour(W, H, (di, dj))
    return field[jj, ii]


def mslp_fits(lat_deg, trough_shift=8.0, land_trough=14.0, heat_low=14.0):
    """Annual mean and Jan - Jul difference [hPa] over ocean and land: four (H, W) arrays; the ocean
    difference includes the equatorial trough's seasonal shift by trough_shift degrees, the land the
    equatorial trough (land_trough) and the subtropical heat lows (heat_low) [hPa]."""
    ao = 1014.5 - 20 * np.cos(lat_deg * np.pi / 30)
    al = 1012.5 - 6 * np.cos(lat_deg * np.pi / 45) - land_trough * np.exp(-0.5 * (lat_deg / 10) ** 2)
    trough = np.where(np.abs(lat_deg) < 30, trough_shift * 20 * np.pi / 30 * np.sin(lat_deg * np.pi / 30)
                      * np.cos(lat_deg * np.pi / 60) ** 2, 0.0)
    so = 20 * np.sin(lat_deg * np.pi / 35) * np.abs(lat_deg) / 90 + trough
    sl = 15 * np.sin(lat_deg * np.pi / 90) + heat_low * np.sign(lat_deg) * np.exp(-0.5 * ((np.abs(lat_deg) - 25) / 10) ** 2)
    return ao, al, so, sl


def blur_stage(sigma, stage):
    s1 = sigma * np.sqrt(0.5) if sigma < 2 else np.sqrt(sigma)
    if stage == 1:
        return s1, 1
    return np.sqrt(max(sigma * sigma - s1 * s1, 1e-6)), max(1, int(np.floor(s1)))


def gauss_line(values, sigma, stage, limit, axis_step):
    """Two-stage Gaussian stage along one axis of ONE cell: values(offset) -> array."""
    std, stride = blur_stage(sigma, stage)
    reach = int(min(np.ceil(3 * std), limit) / stride)
    total, acc = 1.0, values(0).astype(np.float64)
    for k in range(1, reach + 1):
        w = np.exp(-0.5 * (k * stride) ** 2 / std ** 2)
        acc = acc + w * (values(k * stride) + values(-k * stride))
        total += 2 * w
    return acc / total


def blur(land, sigma_deg):
    """mslp after land_east, mslp_east, mslp_north_1, mslp_north_2: (H, W, 4) [hPa]."""
    H, W = land.shape
    lon, lat = grid.cell_lonlat(W, H)
    out1 = np.zeros((H, W))
    out2 = np.zeros((H, W, 2))
    for j in range(H):
        sig = min(sigma_deg / (360 / W) / np.cos(lat[j, 0]), W)
        row = land[j].astype(np.float64)
        l1 = gauss_line(lambda o, row=row: np.roll(row, -o), sig, 1, W // 2 - 1, 1)
        out1[j] = l1
        l2 = gauss_line(lambda o, l1=l1: np.roll(l1, -o), sig, 2, W // 2 - 1, 1)
        ao, al, so, sl = mslp_fits(np.degrees(lat[j, 0]))
        out2[j, :, 0] = ao + l2 * (al - ao)
        out2[j, :, 1] = so + l2 * (sl - so)
    sig = sigma_deg / (180 / H)
    n1 = gauss_line(lambda o: fetch(out2, 0, o), sig, 1, H - 1, 1)
    n2 = gauss_line(lambda o: fetch(n1, 0, o), sig, 2, H - 1, 1)
    return np.concatenate([out2, n2], axis=-1)


def exact_blur(land, sigma_deg):
    """The same separable blur with ONE exact Gaussian per axis (no two-stage split): (H, W, 2) [hPa]."""
    H, W = land.shape
    lon, lat = grid.cell_lonlat(W, H)
    ew = np.zeros((H, W, 2))
    for j in range(H):
        sig = min(sigma_deg / (360 / W) / np.cos(lat[j, 0]), W)
        reach = int(min(np.ceil(3 * sig), W // 2 - 1))
        k = np.arange(-reach, reach + 1)
        w = np.exp(-0.5 * (k / sig) ** 2)
        l = sum(wk * np.roll(land[j].astype(np.float64), -kk) for wk, kk in zip(w, k, strict=True)) / w.sum()
        ao, al, so, sl = mslp_fits(np.degrees(lat[j, 0]))
        ew[j, :, 0], ew[j, :, 1] = ao + l * (al - ao), so + l * (sl - so)
    sig = sigma_deg / (180 / H)
    reach = int(min(np.ceil(3 * sig), H - 1))
    k = np.arange(-reach, reach + 1)
    w = np.exp(-0.5 * (k / sig) ** 2)
    return sum(wk * fetch(ew, 0, kk) for wk, kk in zip(w, k, strict=True)) / w.sum()


def radius_m(radius_km):
    return 1000.0 * radius_km


def spacing_km(W, H, radius_km):
    """(dx per row (H, 1), dy) [km] between cell centres."""
    return grid.cell_dx_km(W, H, radius_km)[:, None], grid.cell_dy_km(H, radius_km)


def recipe_temperature(lat_deg, season, p, land, hkm, lapse_rate, subtropical_warming):
    """climate/weather.glsl's recipe_temperature [°C]."""
    x = (lat_deg + 5 * season) / 30
    y = (np.abs(lat_deg + 5 * season) - 30) / 10
    return (40 * np.tanh(2.2 * np.exp(-0.5 * x * x)) - 15 - (p - 1012) / 1.8 + 1.5 * land - lapse_rate * hkm
            + subtropical_warming * np.exp(-0.5 * y * y))


def weather(mslp, terrain, season, lapse_rate, omega, drag, radius_km, convective_friction=6.0,
            convective_width=11.0, subtropical_warming=6.0, land_trough=14.0):
    """atmosphere: (pressure [hPa], temperature [°C], wind east, wind north [m/s])."""
    H, W = terrain.shape[:2]
    lon, lat = grid.cell_lonlat(W, H)
    p_all = mslp[..., 2].astype(np.float64) + season * mslp[..., 3]
    dx, dy = spacing_km(W, H, radius_km)
    gx = (fetch(p_all, 1, 0) - fetch(p_all, -1, 0)) / (2 * dx) * 0.1    # hPa/km -> Pa/m
    gy = (fetch(p_all, 0, 1) - fetch(p_all, 0, -1)) / (2 * dy) * 0.1
    f = 2 * omega * np.sin(lat)
    belt = (np.degrees(lat) + 5 * season) / convective_width
    r = drag * (1 + convective_friction * np.exp(-0.5 * belt * belt))
    den = RHO_AIR * (r * r + f * f)
    u = (-f * gy - r * gx) / den
    v = (f * gx - r * gy) / den
    land = (terrain[..., 0] > terrain[..., 1]).astype(np.float64)
    hkm = np.maximum(terrain[..., 0].astype(np.float64) - terrain[..., 1], 0) / 1000
    lat_deg = np.degrees(lat)
    trough = land * land_trough * np.exp(-0.5 * (lat_deg / 10) ** 2)   # convective, not thermal: T reads p without it
    t = recipe_temperature(lat_deg, season, p_all + trough, land, hkm, lapse_rate, subtropical_warming)
    # Ice sheets: Fortuin & Oerlemans's annual mean plus the recipe's seasonal departure.
    annual = recipe_temperature(lat_deg, 0.0, mslp[..., 2].astype(np.float64) + trough, land, hkm, lapse_rate,
                                subtropical_warming)
    ice = terrain[..., 3].astype(np.float64)
    t_ice = 34.46 - 0.00914 * 1000 * hkm - 0.68725 * np.abs(lat_deg) + (t - annual)
    t = t + ice * (t_ice - t)
    return np.stack([p_all, t, u, v], axis=-1)


def saturation_column(t_c, hv):
    t_c = np.maximum(t_c, -100.0)
    es = 610.94 * np.exp(17.625 * t_c / (t_c + 243.04))
    return es * hv / (R_VAPOUR * (t_c + ZERO_CELSIUS_K))


def lift(atmosphere, terrain, soil, boundary_layer, vapour_height, soil_capacity, radius_km, season=1.0, subsidence=4.0):
    """lift (w [m/s], div [1/s], W_s [mm], beta) and flow (3-D wind [m/s], speed)."""
    H, W = terrain.shape[:2]
    lon, lat = grid.cell_lonlat(W, H)
    a = atmosphere.astype(np.float64)
    u, v = a[..., 2], a[..., 3]
    dx, dy = spacing_km(W, H, radius_km)
    edge = grid.row_edge_dx_km(W, H, radius_km)   # row boundaries
    area = grid.cell_area_km2(W, H, radius_km)
    east = 0.5 * (u + fetch(u, 1, 0)) * dy
    west = 0.5 * (u + fetch(u, -1, 0)) * dy
    north = 0.5 * (v + fetch(v, 0, 1)) * edge[1:, None]
    south = 0.5 * (v + fetch(v, 0, -1)) * edge[:-1, None]
    div = (east - west + north - south) / area[:, None] / 1000
    z = np.maximum(terrain[..., 0].astype(np.float64) - terrain[..., 1], 0)
    sx = (fetch(z, 1, 0) - fetch(z, -1, 0)) / (2000 * dx)
    sy = (fetch(z, 0, 1) - fetch(z, 0, -1)) / (2000 * dy)
    y = (np.abs(np.degrees(lat) + 5 * season) - 25) / 8
    w = u * sx + v * sy - boundary_layer * div - 0.001 * subsidence * np.exp(-0.5 * y * y)
    land = terrain[..., 0] > terrain[..., 1]
    beta = np.where(land, np.minimum(1.0, soil / (0.75 * soil_capacity)), 1.0)
    e, n = grid.tangent_east(lon, lat), grid.tangent_north(lon, lat)
    flow = u[..., None] * e + v[..., None] * n
    return (np.stack([w, div, saturation_column(a[..., 1], vapour_height), beta], -1),
            np.concatenate([flow, np.hypot(u, v)[..., None]], -1))


def wind_factor(speed):
    """climate/vapour.glsl's evaporation wind factor g = max(|u|, 4 m/s) / 6 m/s."""
    return np.maximum(speed, 4.0) / 6.0


def storm_rate(lat, season, p):
    """climate/vapour.glsl's storm-track rain-out rate [1/s] at latitudes `lat` [radians]."""
    z = (np.abs(np.degrees(lat) + 5 * season) - 45) / 8
    return 0.001 * p["storm_track"] * np.exp(-0.5 * z * z) / p["vapour_height"]


def vapour_substep(w, c, dt, p, speed=0.0, storm=0.0):
    """One sub-step of climate/vapour.glsl's integrate() for arrays w (mm) and conditions c (..., 4) in
    a wind of `speed` [m/s], storm-track rate `storm` [1/s]."""
    tau_e, tau_r = p["evaporation_time"] * SECONDS_PER_DAY / wind_factor(speed), p["rain_time"] * SECONDS_PER_HOUR
    share = 1 - np.exp(-p["boundary_layer"] / p["vapour_height"])
    w = w * np.exp(np.clip(-share * c[..., 1] * dt, 0, 1))
    wet = p["rain_humidity"] * c[..., 2]

    def euler(raining):
        a = c[..., 3] * c[..., 2] / tau_e
        b = c[..., 3] / tau_e + np.abs(c[..., 0]) / p["vapour_height"] + storm
        if raining:
            a = a + wet / tau_r
            b = b + 1 / tau_r
        return (w + dt * a) / (1 + dt * b)

    dry, moist = euler(False), euler(True)
    return np.where(w <= wet, np.where(dry <= wet, dry, np.maximum(moist, wet)),
                    np.where(moist >= wet, moist, np.minimum(dry, wet)))


def vapour_rates(w, c, p, speed=0.0, storm=0.0):
    """(precipitation, potential evaporation) [mm/yr] of columns w under conditions c, wind `speed` [m/s],
    storm-track rate `storm` [1/s]."""
    rain = (np.maximum(w - p["rain_humidity"] * c[..., 2], 0) / (p["rain_time"] * SECONDS_PER_HOUR)
            + w * np.maximum(c[..., 0], 0) / p["vapour_height"] + w * storm)
    evap = wind_factor(speed) * np.maximum(c[..., 2] - w, 0) / (p["evaporation_time"] * SECONDS_PER_DAY)
    return rain * SECONDS_PER_YEAR, evap * SECONDS_PER_YEAR


def soil(vapour, precipitation, terrain, step_seconds, year_weight, capacity):
    """precipitation field after climate/soil.glsl."""
    h = step_seconds / SECONDS_PER_YEAR
    rain, pot = np.maximum(vapour[..., 1], 0).astype(np.float64), np.maximum(vapour[..., 2], 0)
    old = precipitation.astype(np.float64)
    knee = 0.75 * capacity
    s = np.where(old[..., 1] < knee, (old[..., 1] + h * rain) / (1 + h * pot / knee), old[..., 1] + h * (rain - pot))
    runoff = np.maximum(s - capacity, 0) / h
    s = np.clip(s, 0, capacity)
    land = terrain[..., 0] > terrain[..., 1]
    s, runoff = np.where(land, s, 0), np.where(land, runoff, 0)
    return np.stack([old[..., 0] + (rain - old[..., 0]) * year_weight, s,
                     old[..., 2] + (runoff - old[..., 2]) * year_weight, rain], -1)

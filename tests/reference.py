"""Float64 NumPy references of the GLSL helpers and passes (same discrete formulas, written anew)."""
import numpy as np

from planet import grid

U32 = np.uint32


def pcg3d(v):
    """Jarzynski & Olano 2020 pcg3d on uint32 arrays shaped (..., 3)."""
    with np.errstate(over="ignore"):
        v = v.astype(U32) * U32(1664525) + U32(1013904223)
        x, y, z = v[..., 0].copy(), v[..., 1].copy(), v[..., 2].copy()
        x += y * z; y += z * x; z += x * y
        x ^= x >> U32(16); y ^= y >> U32(16); z ^= z >> U32(16)
        x += y * z; y += z * x; z += x * y
    return np.stack([x, y, z], axis=-1)


def hash3(p, seed):
    s = U32(seed)
    with np.errstate(over="ignore"):
        key = np.stack([s, s * U32(0x9E3779B9), s * U32(0x85EBCA6B)]).astype(U32)
    h = pcg3d(p.astype(np.int64).astype(U32) ^ key)
    return (h >> U32(8)).astype(np.float64) / 16777216.0


def value_noise(p, seed):
    i = np.floor(p)
    f = p - i
    u = f * f * f * (f * (f * 6 - 15) + 10)
    i = i.astype(np.int64)

    def lat(dx, dy, dz):
        return hash3(i + np.array([dx, dy, dz]), seed)[..., 0] * 2 - 1

    x00 = lat(0, 0, 0) + (lat(1, 0, 0) - lat(0, 0, 0)) * u[..., 0]
    x10 = lat(0, 1, 0) + (lat(1, 1, 0) - lat(0, 1, 0)) * u[..., 0]
    x01 = lat(0, 0, 1) + (lat(1, 0, 1) - lat(0, 0, 1)) * u[..., 0]
    x11 = lat(0, 1, 1) + (lat(1, 1, 1) - lat(0, 1, 1)) * u[..., 0]
    y0 = x00 + (x10 - x00) * u[..., 1]
    y1 = x01 + (x11 - x01) * u[..., 1]
    return y0 + (y1 - y0) * u[..., 2]


FBM_ROT = np.array([[0.8535534, 0.1464466, -0.5], [0.1464466, 0.8535534, 0.5], [0.5, -0.5, 0.7071068]]).T


def fbm(p, octaves, seed):
    total, amp, norm = 0.0, 1.0, 0.0
    for k in range(octaves):
        with np.errstate(over="ignore"):
            s = U32(seed) + U32(k) * U32(0x632BE5AB)
        total = total + amp * value_noise(p, s)
        norm += amp
        amp *= 0.5
        p = (p @ FBM_ROT.T) * 2.0  # GLSL mat3(...) is column-major: FBM_ROT here holds it as rows
    return total / norm


def craters(p, seed):
    base = np.floor(p).astype(np.int64)
    swp = np.zeros(p.shape[:-1])
    sw = np.zeros(p.shape[:-1])
    for dz in range(-2, 3):
        for dy in range(-2, 3):
            for dx in range(-2, 3):
                c = base + np.array([dx, dy, dz])
                d = np.linalg.norm(p - (c + 0.8 * hash3(c, seed)), axis=-1)
                w = np.exp(-4 * d)
                swp += w * np.sin(2 * np.pi * np.sqrt(d))
                sw += w
    return np.abs(swp / sw)


def basin_profile(x, d_m, h_m):
    """common/craters.glsl basin_profile: Pike's bowl inside x < 1, an x^-3 ejecta blanket to x = 1.5."""
    inside = (h_m - d_m) + d_m * x ** 4
    edge = 1.5 ** -3
    with np.errstate(divide="ignore"):
        blanket = h_m * (1.0 / x ** 3 - edge) / (1.0 - edge)
    return np.where(x < 1.0, inside, np.where(x < 1.5, blanket, 0.0))


def impact_basins(p, d0_km, octaves, spacing, radius_km, seed):
    """common/craters.glsl impact_basins on unit-sphere positions p (..., 3) [m]."""
    z = np.zeros(p.shape[:-1])
    for k in range(octaves):
        dk = d0_km * 2.0 ** -k
        L = spacing * dk / radius_km
        with np.errstate(over="ignore"):
            s = U32(seed) + U32(k) * U32(0x632BE5AB)
        base = np.floor(p / L).astype(np.int64)
        for dz in range(-1, 2):
            for dy in range(-1, 2):
                for dx in range(-1, 2):
                    c = base + np.array([dx, dy, dz])
                    x = (c + hash3(c, s)) * L
                    rx = np.linalg.norm(x, axis=-1)
                    keep = (np.abs(rx - 1.0) < 0.5 * L) & (rx >= 1e-6)
                    centre = x / np.maximum(rx, 1e-6)[..., None]
                    D = dk * 2.0 ** -hash3(c, U32(s) ^ U32(0xB5297A4D))[..., 0]
                    r = np.linalg.norm(p - centre, axis=-1) * radius_km
                    xr = r / (0.5 * D)
                    prof = basin_profile(xr, 1000.0 * 1.044 * D ** 0.301, 1000.0 * 0.236 * D ** 0.399)
                    z += np.where(keep & (xr < 1.5), prof, 0.0)
    return z


def protoplanet(W, H, seed, height_scale, octaves, basins=(3000.0, 3, 2.0, 6371.0)):
    """terrain.protoplanet's bedrock elevation [m]; basins = (basin_diameter [km], basin_octaves,
    basin_spacing, planet radius [km])."""
    p = 1.5 * grid.cell_pos(W, H)
    with np.errstate(over="ignore"):
        detail = fbm(10 * p, octaves, U32(seed) ^ U32(0xA511E9B3))
    h = np.zeros((H, W))
    for i in range(5):
        with np.errstate(over="ignore"):
            s = U32(seed) + U32(i) * U32(0x9E3779B9)
        c = craters(0.4 * 2.2 ** i * p, s)
        h += min(max(3 * 0.4 ** i, 0), 1) * (c + 0.4 * np.exp(-3 * c) * detail)
    z = height_scale * h ** 3
    d0, n, spacing, radius = basins
    z = z + impact_basins(grid.cell_pos(W, H), d0, n, spacing, radius, U32(seed) ^ U32(0x1B873593))
    return np.maximum(z, 100.0)  # MELT_LEVEL_M

"""Float64 NumPy references of the life passes (shaders/life/*.glsl), written from the shader headers:
the habitat rates, the split exact reaction step, the Jacobi sweeps of the implicit diffusion, and the
reference's explicit Euler step (MODEL.md §5) that the tests compare against."""
import numpy as np

from planet import grid

EXP_LIMIT = 50.0   # |rate x time| above which an exponent is clamped (never reached in practice)


# -- habitat: the climate as the populations see it --------------------------------------------------

def habitat_rates(temperature, soil, height, p):
    """(G, R, P) [1/lifetime] from air temperature [°C], soil moisture [mm], height above sea [m]."""
    span = p["heat_limit"] - p["cold_limit"]
    f_t = np.clip(4 * (temperature - p["cold_limit"]) * (p["heat_limit"] - temperature) / span ** 2, 0, 1)
    f_m = np.maximum(soil, 0) / (np.maximum(soil, 0) + p["moisture_half"])
    growth = p["growth"] * f_t * f_m - p["wilt"]
    reproduction = p["reproduction"] * (0.5 + 0.5 * np.clip(temperature / 25.0, 0, 1))
    predation = p["predation"] * np.exp(-np.maximum(height, 0) / p["highland_height"])
    return growth, reproduction, predation


# -- reaction: exact sub-flows in a symmetric (Strang) composition ------------------------------------

def phi(a, t):
    """(e^(a t) - 1) / a, = t at a = 0 (positive for every a, t > 0)."""
    at = np.clip(a * t, -EXP_LIMIT, EXP_LIMIT)
    small = np.abs(at) < 1e-3
    safe = np.where(small, 1.0, a)
    return np.where(small, t * (1 + at / 2 + at * at / 6), np.expm1(at) / safe)


def logistic(x, a, k, t):
    """Exact flow of x' = x (a - k x) over t."""
    return x * np.exp(np.clip(a * t, -EXP_LIMIT, EXP_LIMIT)) / (1 + k * x * phi(a, t))


def plants_and_predators(x, y, z, G, K, q, P, t):
    """Sub-flow A over t, herbivores y frozen (exact): plants x' = x (G - K x - y) (logistic), predators
    z' = z (P y / (1 + q y) - 1) (exponential)."""
    x1 = logistic(x, G - y, K, t)
    z1 = z * np.exp(np.clip((P * y / (1 + q * y) - 1) * t, -EXP_LIMIT, EXP_LIMIT))
    return x1, z1


def herbivores(x, y, z, R, P, q, t):
    """Sub-flow B over t, plants and predators frozen: y' = y r(y), r(y) = R x - P z / (1 + q y) - 1; exact
    for q = 0, else the exponential midpoint y1 = y exp(t r(y exp(t r(y) / 2)))."""
    def rate(v):
        return R * x - P * z / (1 + q * v) - 1
    mid = y * np.exp(np.clip(0.5 * t * rate(y), -EXP_LIMIT, EXP_LIMIT))
    return y * np.exp(np.clip(t * rate(mid), -EXP_LIMIT, EXP_LIMIT))


def react(state, G, R, P, K, q, t):
    """One reaction step over t [lifetimes]: A(t/2) B(t) A(t/2). state (..., 3) = plants, herbivores, predators."""
    x, y, z = (state[..., k].astype(np.float64) for k in range(3))
    x, z = plants_and_predators(x, y, z, G, K, q, P, 0.5 * t)
    y = herbivores(x, y, z, R, P, q, t)
    x, z = plants_and_predators(x, y, z, G, K, q, P, 0.5 * t)
    return np.stack([x, y, z], axis=-1)


def euler(state, G, R, P, K, q, t):
    """The reference's explicit Euler step c += t c (dx, dy, dz) (with the same crowding and satiation)."""
    x, y, z = (state[..., k] for k in range(3))
    eaten = P / (1 + q * y)
    d = np.stack([G - K * x - y, R * x - eaten * z - 1, eaten * y - 1], axis=-1)
    return state + t * state * d


def invariant(state, G, R, P):
    """The Lotka-Volterra invariant of the reference chain (K = q = 0, G = 1/P; its equilibria form the
    line y* = G, R x* - P z* = 1): V = R (x - x* ln x) + (y - y* ln y) + (z - z* ln z) with z* = 1, which
    the exact flow conserves (d/dt V = 0 by the skew symmetry of the scaled interaction matrix)."""
    x, y, z = (state[..., k] for k in range(3))
    xs, ys, zs = (1 + P) / R, G, 1.0
    return R * (x - xs * np.log(x)) + (y - ys * np.log(y)) + (z - zs * np.log(z))


def equilibrium(G, R, P, K, q):
    """The coexistence equilibrium (x*, y*, z*) of the reaction (K > 0, P > q)."""
    y = 1.0 / (P - q)
    x = (G - y) / K
    z = (R * x - 1) * (1 + q * y) / P
    return np.array([x, y, z])


# -- diffusion: backward Euler by Jacobi sweeps, land cells only ----------------------------------------

def diffusion_weights(W, H, radius, land):
    """Per cell: [E, W, N, S] coefficients (H, W, 4) [1/km²] (face length / (centre distance x cell area)),
    0 across the coast (to or from a sea cell) and across the poles; and the neighbour indices."""
    dx = grid.cell_dx_km(W, H, radius)[:, None] * np.ones((1, W))
    dy = grid.cell_dy_km(H, radius)
    edge = grid.row_edge_dx_km(W, H, radius)
    area = grid.cell_area_km2(W, H, radius)[:, None] * np.ones((1, W))
    steps = ((1, 0), (-1, 0), (0, 1), (0, -1))
    nbr = [grid.neighbour(W, H, d) for d in steps]
    north = (edge[1:, None] * np.ones((1, W)))
    south = (edge[:-1, None] * np.ones((1, W)))
    w = np.stack([dy / (dx * area), dy / (dx * area), north / (dy * area), south / (dy * area)], axis=-1)
    for k, (ii, jj) in enumerate(nbr):
        w[..., k] *= land & land[jj, ii]
    return w, nbr


def diffuse(start, guess, land, D, years, sweeps, radius):
    """`sweeps` Jacobi sweeps of (1 - years D lap) u = start from `guess`: u <- (u0 + sum a u_k) / (1 + sum a),
    a_k = D years w_k, per species D (3,) [km²/yr]. Sea cells stay 0."""
    H, W = land.shape
    w, nbr = diffusion_weights(W, H, radius, land)
    a = w[..., None, :] * (np.asarray(D, np.float64)[:, None] * years)   # (H, W, 3, 4)
    u = guess.astype(np.float64)
    for _ in range(sweeps):
        acc = start.astype(np.float64).copy()
        for k, (ii, jj) in enumerate(nbr):
            acc += a[..., k] * u[jj, ii]
        u = acc / (1 + a.sum(-1))
    return np.where(land[..., None], u, 0.0)

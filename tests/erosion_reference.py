"""Float64 NumPy references for the erosion stage (written from the formulas, not from the shaders):
D8 steepest descent and its stochastic Rho8 form (erosion.receivers) on the sphere grid, flow accumulation by a sequential topological sweep (Kahn's
algorithm: a cell is added to its receiver once all of its own donors are in), roots, local minima."""
import numpy as np

from planet import grid
from planet.stages import erosion

from reference import U32, pcg3d


def d8(z, sea, radius):
    """Receiver index (j*W+i) of every land cell by steepest descent over great-circle distances
    (first of equal slopes in D8 order; -1 where no neighbour is lower and at sea), and the slope
    [m/km] to it. z, sea: (H, W) float64."""
    H, W = z.shape
    p = grid.cell_pos(W, H)
    best = np.zeros((H, W))
    recv = -np.ones((H, W), np.int64)
    for d in grid.D8:
        ni, nj = grid.neighbour(W, H, d)
        dist = grid.distance_km(p, p[nj, ni], radius)
        s = (z - z[nj, ni]) / dist
        better = s > best
        best = np.where(better, s, best)
        recv = np.where(better, nj * W + ni, recv)
    land = z > sea
    return np.where(land, recv, -1), np.where(land, best, 0.0)


def rho8_r(W, H, seed, flow_epoch):
    """Rho8's r of every cell (H, W): u01(pcg3d(i, j, epoch) ^ (seed, seed * 0x9E3779B9, 0)), the epoch of
    a cell (flow_epoch + phase) // 64 with its phase the top 6 bits of pcg3d(i, j, 0x68E31DA4) ^ key."""
    jj, ii = np.mgrid[0:H, 0:W]
    s = U32(seed)
    with np.errstate(over="ignore"):
        key = np.array([s, s * U32(0x9E3779B9), U32(0)], U32)
        phase = pcg3d(np.stack([ii, jj, np.full_like(ii, 0x68E31DA4)], -1).astype(U32) ^ key)[..., 0] >> U32(26)
        epoch = (U32(flow_epoch) + phase) // U32(erosion.REDRAW_PHASES)
    h = pcg3d(np.stack([ii.astype(U32), jj.astype(U32), epoch], -1) ^ key)
    return (h[..., 0] >> U32(8)).astype(np.float64) / 16777216.0


def rho8(z, sea, radius, seed, flow_epoch):
    """Receiver index (j*W+i) of every land cell by Rho8 (shaders/erosion/receivers.glsl's header): the
    neighbour of the largest score > 0, dz / L² for the cardinals and dz / (L_w² + L_o² r) for the
    diagonals (w: the adjacent cardinal of larger score, the first of the two on a tie; first of equal
    scores in D8 order); -1 where no neighbour is lower and at sea. z: (H, W) float64."""
    H, W = z.shape
    p = grid.cell_pos(W, H)
    drop, len2, index = [], [], []
    for d in grid.D8:
        ni, nj = grid.neighbour(W, H, d)
        drop.append(z - z[nj, ni])
        len2.append(grid.distance_km(p, p[nj, ni], radius) ** 2)
        index.append(nj * W + ni)
    r = rho8_r(W, H, seed, flow_epoch)
    best = np.zeros((H, W))
    recv = -np.ones((H, W), np.int64)
    for k in range(8):
        if k % 2 == 0:
            s = drop[k] / len2[k]
        else:
            a, b = k - 1, (k + 1) % 8
            a_wins = drop[a] / len2[a] >= drop[b] / len2[b]
            s = drop[k] / np.where(a_wins, len2[a] + len2[b] * r, len2[b] + len2[a] * r)
        better = s > best
        best = np.where(better, s, best)
        recv = np.where(better, index[k], recv)
    return np.where(z > sea, recv, -1)


def accumulate(recv, own):
    """Sum of `own` over every cell's upstream tree including the cell (recv: flat receiver indices,
    -1 at roots), by Kahn's topological sweep. Raises if the receiver graph has a cycle."""
    recv = np.asarray(recv).ravel()
    total = np.array(own, dtype=np.float64).ravel().copy()
    indeg = np.bincount(recv[recv >= 0], minlength=recv.size)
    ready = list(np.nonzero(indeg == 0)[0])
    done = 0
    while ready:
        c = ready.pop()
        done += 1
        r = recv[c]
        if r >= 0:
            total[r] += total[c]
            indeg[r] -= 1
            if indeg[r] == 0:
                ready.append(r)
    if done != recv.size:
        raise AssertionError(f"receiver graph has a cycle through {recv.size - done} cells")
    return total


def roots(recv):
    """Root index of every cell (following receivers; pointer doubling in NumPy)."""
    recv = np.asarray(recv).ravel()
    ptr = np.where(recv >= 0, recv, np.arange(recv.size))
    for _ in range(64):
        nxt = ptr[ptr]
        if np.array_equal(nxt, ptr):
            return ptr
        ptr = nxt
    raise AssertionError("receiver paths do not end (a cycle)")


def local_minima(z, sea):
    """Land cells with no strictly lower neighbour (pits)."""
    H, W = z.shape
    lowest = np.full((H, W), np.inf)
    for d in grid.D8:
        ni, nj = grid.neighbour(W, H, d)
        lowest = np.minimum(lowest, z[nj, ni])
    return (z > sea) & (lowest >= z)


def flooded_surface(z, sea):
    """Water surface W of every cell with depressions filled (priority flood, Barnes, Lehman & Mulla
    2014): W = sea level at sea, and on land the lowest level at which water can leave the cell for
    the sea, W(c) = max(z_c, min over neighbours W(n)) — the minimax path height to the ocean."""
    import heapq

    H, W = z.shape
    nbrs = [grid.neighbour(W, H, d) for d in grid.D8]
    surface = np.full((H, W), np.inf)
    heap = []
    for j, i in zip(*np.nonzero(z <= sea), strict=True):
        surface[j, i] = sea
        heapq.heappush(heap, (sea, j, i))
    while heap:
        level, j, i = heapq.heappop(heap)
        if level > surface[j, i]:
            continue
        for ni, nj in nbrs:
            a, b = nj[j, i], ni[j, i]
            w = max(z[a, b], level)
            if w < surface[a, b]:
                surface[a, b] = w
                heapq.heappush(heap, (w, a, b))
    return surface

"""Float64 NumPy references for the erosion stage (written from the formulas, not from the shaders):
D8 steepest descent on the sphere grid, flow accumulation by a sequential topological sweep (Kahn's
algorithm: a cell is added to its receiver once all of its own donors are in), roots, local minima."""
import numpy as np

from planet import grid


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

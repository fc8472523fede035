"""Fields: named RGBA32F ping-pong texture pairs on the one simulation grid (DESIGN.md §1)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Field:
    """A named state texture. `channels` documents r, g, b, a with their units.

    `carried`: the field is state of the crust under the cell, so the plates carry it when they move
    (tectonics moves every carried field of the scene, whichever stage owns it). Set False for what
    is not attached to the ground (the atmosphere) or is rebuilt every tick."""

    name: str
    doc: str
    channels: tuple[str, str, str, str]
    carried: bool = True


class PingPong:
    """Two RGBA32F textures: passes read `front` and write `back`, then `swap()`."""

    def __init__(self, ctx, spec: Field, size: tuple[int, int]):
        import moderngl

        self.spec = spec
        self.size = size
        self.textures = [ctx.texture(size, 4, dtype="f4") for _ in range(2)]
        for tex in self.textures:
            tex.filter = (moderngl.NEAREST, moderngl.NEAREST)
            tex.repeat_x = tex.repeat_y = False
        self._front = 0

    @property
    def front(self):
        return self.textures[self._front]

    @property
    def back(self):
        return self.textures[1 - self._front]

    def swap(self) -> None:
        self._front = 1 - self._front

    def read(self) -> np.ndarray:
        """The current state as float32 (H, W, 4), row 0 = south, column 0 = lon -180."""
        w, h = self.size
        return np.frombuffer(self.front.read(), dtype=np.float32).reshape(h, w, 4).copy()

    def write(self, data: np.ndarray) -> None:
        """Replace the current state (float32 (H, W, 4))."""
        w, h = self.size
        arr = np.ascontiguousarray(data, dtype=np.float32)
        if arr.shape != (h, w, 4):
            raise ValueError(f"field {self.spec.name}: expected shape {(h, w, 4)}, got {arr.shape}")
        self.front.write(arr.tobytes())

    def release(self) -> None:
        for tex in self.textures:
            tex.release()
        self.textures = []

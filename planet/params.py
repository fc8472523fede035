"""Typed, documented, range-checked params: declared once; TOML, uniforms and UIs derive from it."""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from .errors import SceneError


@dataclass(frozen=True)
class Param:
    """One tunable number. The shader sees it as uniform `u_<name>` (unless uniform=False)."""

    name: str
    default: float | int | bool
    unit: str
    doc: str
    lo: float | None = None
    hi: float | None = None
    uniform: bool = True

    @property
    def kind(self) -> type:
        return type(self.default)

    def check(self, value, where: str):
        """Return the value converted to this param's type, or raise SceneError naming `where`."""
        kind = self.kind
        if kind is bool:
            if not isinstance(value, bool):
                raise SceneError(f"{where}: expected true or false, got {value!r}")
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SceneError(f"{where}: expected a number ({self.unit}), got {value!r}")
        if kind is int and not (isinstance(value, int) or float(value).is_integer()):
            raise SceneError(f"{where}: expected an integer, got {value!r}")
        value = kind(value)
        if value != value or value in (float("inf"), float("-inf")):
            raise SceneError(f"{where}: expected a finite number, got {value!r}")
        lo = "-inf" if self.lo is None else f"{self.lo:g}"
        hi = "inf" if self.hi is None else f"{self.hi:g}"
        if (self.lo is not None and value < self.lo) or (self.hi is not None and value > self.hi):
            raise SceneError(f"{where} = {value!r} is out of range [{lo}, {hi}] {self.unit}".rstrip())
        return value


def unknown_key(where: str, key: str, valid) -> SceneError:
    """A SceneError for an unknown key, listing the valid names and the closest match."""
    valid = sorted(valid)
    near = difflib.get_close_matches(key, valid, n=1)
    hint = f" (did you mean '{near[0]}'?)" if near else ""
    return SceneError(f"{where}: unknown key '{key}'{hint}; valid: {', '.join(valid) or '(none)'}")


def check_table(params: dict[str, Param], table, where: str) -> dict:
    """Validate a {name: value} table against declared params; returns converted values."""
    if not isinstance(table, dict):
        raise SceneError(f"{where}: expected a table of params, got {table!r}")
    out = {}
    for key, value in table.items():
        if key not in params:
            raise unknown_key(where, key, params)
        out[key] = params[key].check(value, f"{where}.{key}")
    return out

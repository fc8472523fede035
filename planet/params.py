"""Typed, documented, range-checked params: declared once; TOML, uniforms and UIs derive from it."""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass

from .errors import SceneError


@dataclass(frozen=True)
class Param:
    """One tunable number. The shader sees it as uniform `u_<name>` (unless uniform=False).

    A param whose default is a str is a file path (never a uniform): "" means none, `exts` lists the
    accepted suffixes, and a relative path in a scene file is resolved against that file's folder."""

    name: str
    default: float | int | bool | str
    unit: str
    doc: str
    lo: float | None = None
    hi: float | None = None
    uniform: bool = True
    exts: tuple[str, ...] = ()

    def __post_init__(self):
        if isinstance(self.default, str) and self.uniform:
            raise TypeError(f"param {self.name}: a file-path (str) param cannot be a uniform; declare uniform=False")

    @property
    def kind(self) -> type:
        return type(self.default)

    def check(self, value, where: str, base=None):
        """Return the value converted to this param's type, or raise SceneError naming `where`.
        `base`: the folder relative file paths are resolved against (the scene file's; None: as given)."""
        kind = self.kind
        if kind is str:
            return self._check_path(value, where, base)
        if kind is bool:
            if not isinstance(value, bool):
                raise SceneError(f"{where}: expected true or false, got {show(value)}")
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            unit = f" [{self.unit}]" if self.unit else ""
            raise SceneError(f"{where}: expected a number{unit}, got {show(value)}")
        lo = "-inf" if self.lo is None else _fmt(self.lo)
        hi = "inf" if self.hi is None else _fmt(self.hi)
        unit = f" {self.unit}" if self.unit else ""
        if isinstance(value, float) and value != value or value in (float("inf"), float("-inf")):
            raise SceneError(f"{where}: expected a finite number in [{lo}, {hi}]{unit}, got {value!r}")
        if isinstance(value, int) and abs(value) > MAX_DIGITS_VALUE:  # e.g. a 400-digit integer: no float holds it
            raise SceneError(f"{where} = {show(value)} is out of range [{lo}, {hi}]{unit}")
        if kind is int and not (isinstance(value, int) or float(value).is_integer()):
            raise SceneError(f"{where}: expected an integer, got {show(value)}")
        value = kind(value)
        if (self.lo is not None and value < self.lo) or (self.hi is not None and value > self.hi):
            raise SceneError(f"{where} = {show(value)} is out of range [{lo}, {hi}]{unit}")
        return value

    def _check_path(self, value, where: str, base) -> str:
        if not isinstance(value, str):
            raise SceneError(f"{where}: expected a file path string (\"\" for none), got {show(value)}")
        if not value:
            return value
        suffix = os.path.splitext(value)[1].lower()
        if self.exts and suffix not in self.exts:
            raise SceneError(f"{where}: unsupported file type {suffix or '(none)'!r} in {value!r}; "
                             f"valid: {', '.join(self.exts)}")
        value = os.path.expanduser(value)
        if base is not None and not os.path.isabs(value):
            value = os.path.join(str(base), value)
        return value


# Integers beyond this are refused before any conversion (a float overflows at ~1.8e308; no param
# here needs more than 1e18): a 400-digit integer is a range error, not an OverflowError.
MAX_DIGITS_VALUE = 10**18


def show(value, width: int = 40) -> str:
    """repr(value) cut to `width` characters for messages (a 400-digit number stays one short line)."""
    text = repr(value)
    return text if len(text) <= width else f"{text[:width - 12]}...({len(text)} chars)"


def _fmt(v) -> str:
    """Exact for integers (a seed bound must not print rounded), compact for floats."""
    if isinstance(v, int) or (float(v).is_integer() and abs(v) < 1e15):
        return str(int(v))
    return f"{v:.10g}"


def unknown_key(where: str, key: str, valid, dotted: bool = False) -> SceneError:
    """A SceneError for an unknown key, listing the valid names and the closest match.
    `dotted` names the full key path (`file: terrain.heigth_scale`) instead of the table."""
    valid = sorted(valid)
    near = difflib.get_close_matches(key, valid, n=1) if isinstance(key, str) else []
    hint = f" (did you mean '{near[0]}'?)" if near else ""
    # A key with a newline or of 1,000 characters is shown escaped and cut: the error stays one line.
    name = key if isinstance(key, str) and key.isprintable() and len(key) <= 40 else show(key).strip("'\"")
    place = f"{where}.{name}" if dotted else where
    return SceneError(f"{place}: unknown key '{name}'{hint}; valid: {', '.join(valid) or '(none)'}")


def check_table(params: dict[str, Param], table, where: str, base=None) -> dict:
    """Validate a {name: value} table against declared params; returns converted values.
    `base`: the folder that relative file-path params are resolved against (see Param.check)."""
    if not isinstance(table, dict):
        raise SceneError(f"{where}: expected a table of params, got {show(table)}")
    out = {}
    for key, value in table.items():
        if key not in params:
            raise unknown_key(where, key, params, dotted=True)
        out[key] = params[key].check(value, f"{where}.{key}", base)
    return out

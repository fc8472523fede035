"""shaders/common/constants.glsl and planet/constants.py hold the same physical constants, and no other
shader redefines them (DESIGN.md: one definition of each thing)."""
import re

import planet.constants
from planet.shaderlib import SHADER_ROOT

CONST = re.compile(r"^\s*const\s+float\s+(\w+)\s*=\s*([-+0-9.eE]+)\s*;", re.M)


def python_constants():
    return {k: v for k, v in vars(planet.constants).items() if k.isupper()}


def test_glsl_constants_equal_python():
    glsl = {name: float(value) for name, value in CONST.findall((SHADER_ROOT / "common" / "constants.glsl").read_text())}
    assert glsl, "no constants parsed from constants.glsl"
    assert glsl == python_constants()


def test_no_other_shader_redefines_a_constant():
    names = python_constants()
    pattern = re.compile(r"^\s*(const\s+\w+\s+|#\s*define\s+)(" + "|".join(names) + r")\b", re.M)
    for path in SHADER_ROOT.rglob("*.glsl"):
        if path.relative_to(SHADER_ROOT).as_posix() != "common/constants.glsl":
            hit = pattern.search(path.read_text())
            assert hit is None, f"{path}: redefines {hit.group(2)} (include common/constants.glsl instead)"

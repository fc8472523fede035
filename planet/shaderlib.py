"""GLSL source assembly: #include resolution, #line mapping of driver errors, and a program cache.

`#include "common/grid.glsl"` is resolved relative to the shaders/ root, recursively and include-once
(a file already pulled in is skipped). A cycle or a missing file raises ShaderError naming the chain.
Every piece of text is preceded by `#line <n> <file-id>` so a driver message such as Mesa's
`0:12(3): error` or NVIDIA's `0(12) : error` can be mapped back to `shaders/<file>:<line>`.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ShaderError

SHADER_ROOT = Path(os.environ.get("PLANET_SHADERS", Path(__file__).resolve().parent.parent / "shaders"))

# Line numbers carry the file id too (line = id * LINE_STRIDE + n): Mesa reports source-string 0 for
# many semantic errors, so the id in the message alone cannot be trusted.
LINE_STRIDE = 100000
_INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"\s*$')
# Driver messages: Mesa "0:12(3): error: ...", NVIDIA "0(12) : error C0000: ...", AMD/others "ERROR: 0:12: ...".
_MSG = [
    re.compile(r"^(?P<pre>.*?)(?P<file>\d+):(?P<line>\d+)\(\d+\):\s*(?P<msg>.*)$"),
    re.compile(r"^(?P<pre>.*?)(?P<file>\d+)\((?P<line>\d+)\)\s*:\s*(?P<msg>.*)$"),
    re.compile(r"^(?P<pre>.*?)(?P<file>\d+):(?P<line>\d+):\s*(?P<msg>.*)$"),
]


@dataclass
class Source:
    """Assembled GLSL text plus the table that maps #line file ids back to names."""

    text: str = ""
    files: list[str] = field(default_factory=list)  # file id -> display name
    included: set[str] = field(default_factory=set)

    def file_id(self, name: str) -> int:
        if name not in self.files:
            self.files.append(name)
        return self.files.index(name)

    def line_directive(self, fid: int, line: int) -> str:
        return f"#line {fid * LINE_STRIDE + line} {fid}\n"

    def add(self, name: str, text: str, first_line: int = 1) -> None:
        """Append text attributed to `name` starting at `first_line` (for generated code)."""
        self.text += self.line_directive(self.file_id(name), first_line) + text
        if not text.endswith("\n"):
            self.text += "\n"

    def include(self, rel: str, root: Path | None = None, chain: tuple[str, ...] = ()) -> None:
        """Append shaders/<rel>, expanding its #includes recursively, each file once.
        `root` defaults to SHADER_ROOT as it is at call time (tests and tools may repoint it)."""
        root = SHADER_ROOT if root is None else root
        rel = rel.replace("\\", "/")
        if rel in chain:
            raise ShaderError("include cycle: " + " -> ".join(f"shaders/{c}" for c in (*chain, rel)))
        if rel in self.included:
            return
        path = root / rel
        if not path.is_file():
            where = f" (included from {' -> '.join('shaders/' + c for c in chain)})" if chain else ""
            raise ShaderError(f"shaders/{rel}: file not found{where}")
        self.included.add(rel)
        name = f"shaders/{rel}"
        fid = self.file_id(name)
        self.text += self.line_directive(fid, 1)
        for lineno, line in enumerate(path.read_text().splitlines(), start=1):
            m = _INCLUDE.match(line)
            if m:
                self.include(m.group(1), root, (*chain, rel))
                self.text += self.line_directive(fid, lineno + 1)
            else:
                self.text += line + "\n"

    def map_errors(self, log: str) -> str:
        """Rewrite driver messages so each names shaders/<file>:<line> instead of <id>:<line>."""
        out = []
        for raw in log.strip().splitlines():
            line = raw.strip()
            for rx in _MSG:
                m = rx.match(line)
                if m:
                    fid, n = divmod(int(m.group("line")), LINE_STRIDE)
                    if fid == 0:  # not one of our #line numbers: trust the reported source string
                        fid = int(m.group("file"))
                    if fid < len(self.files):
                        line = f"{self.files[fid]}:{n}: {m.group('msg')}"
                        break
            if line:
                out.append(line)
        return "\n".join(out)

    def digest(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()[:16]


def read_body(rel: str, root: Path | None = None) -> Source:
    """Resolve one shader file with its includes into a fresh Source (used for interface checks)."""
    src = Source()
    src.include(rel, root)
    return src


def defines_block(defines: dict[str, object] | None) -> str:
    return "".join(f"#define {k} {v}\n" for k, v in sorted((defines or {}).items()))


class ProgramCache:
    """Linked programs keyed by (pass name, backend, defines); cleared on hot reload."""

    def __init__(self, ctx):
        self.ctx = ctx
        self._programs: dict[tuple, object] = {}

    def get(self, key: tuple, build):
        prog = self._programs.get(key)
        if prog is None:
            prog = self._programs[key] = build()
        return prog

    def clear(self) -> None:
        for prog in self._programs.values():
            prog.release()
        self._programs.clear()

    def __len__(self) -> int:
        return len(self._programs)


def compile_program(ctx, what: str, *, vertex: Source | None = None, fragment: Source | None = None,
                    compute: Source | None = None):
    """Compile and link; on failure raise ShaderError with every message mapped to shaders/<file>:<line>."""
    import moderngl

    try:
        if compute is not None:
            return ctx.compute_shader(compute.text)
        return ctx.program(vertex_shader=vertex.text, fragment_shader=fragment.text)
    except moderngl.Error as exc:
        msg = str(exc)
        for src in (compute, fragment, vertex):
            if src is not None:
                msg = src.map_errors(msg)
        lines = [ln for ln in msg.splitlines() if ln.strip() and not set(ln.strip()) <= set("=-")]
        keep = [ln for ln in lines if ln.startswith("shaders/") or "error" in ln.lower()] or lines
        raise ShaderError(f"{what}: " + "\n  ".join(keep[:12])) from None

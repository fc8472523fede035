"""Stages -> fields + programs: build-time validation, init/step schedules, per-pass GPU timings.

The pipeline owns every GL resource of the simulation (field textures, programs, framebuffers)
and runs passes in declared order. Before the first tick it rejects, naming the pass and the name:
an unknown field, a field read before anything initialises it, a field nothing writes, an
undeclared or misspelt u_* uniform, a sampler for a field the pass does not read, and more
outputs than the backend can write at once.
"""
from __future__ import annotations

import contextlib
import dataclasses
import difflib

import moderngl
import numpy as np

from . import gl
from .errors import PipelineError, SceneError, check_gl_memory
from .fields import PingPong
from .passes import BUILTINS, LOCAL_SIZE, Pass, check_source, declared_uniforms, entry_source, vertex_source
from .reduce import Reducer, check_scalars
from .shaderlib import ProgramCache, Source, compile_program

_GLSL_TYPE = {float: "float", int: "int", bool: "bool"}


def _valid(names) -> str:
    return ", ".join(sorted(names)) or "(none)"


def _near(name, names) -> str:
    m = difflib.get_close_matches(name, list(names), n=1)
    return f" (did you mean '{m[0]}'?)" if m else ""


def _check_pass(p: Pass, owner: dict, max_outputs: int) -> None:
    for name in (*p.reads, *p.writes):
        if name not in owner:
            raise PipelineError(f"pass {p.name}: unknown field '{name}'{_near(name, owner)}; fields: {_valid(owner)}")
    if p.mask:
        if p.writes or p.until or p.quiet or p.each or p.runs((1, 1)) != 1 or p.scalars or p.redraw_done:
            raise PipelineError(f"pass {p.name}: a mask pass (mask=True) writes no field, runs once per use and "
                                "has no until=, quiet=, redraw_done, for_each= or scalars (its body defines bool "
                                "pass_mask(ivec2 cell))")
        return
    if not p.writes:
        raise PipelineError(f"pass {p.name}: writes no field")
    if p.redraw_done and not p.until:
        raise PipelineError(f"pass {p.name}: redraw_done=True needs a convergence check (until=)")
    if len(set(p.writes)) != len(p.writes):
        raise PipelineError(f"pass {p.name}: a field is listed twice in writes={p.writes}")
    if len(p.writes) > max_outputs:
        raise PipelineError(f"pass {p.name}: {len(p.writes)} outputs but this GL allows {max_outputs} at once")


def _check_quiet(st) -> None:
    """Each Pass.quiet names a mask pass of the same stage, listed before it in the same schedule."""
    for passes in (st.init, st.step, st.rebuild, st.settle):
        masks = set()
        for p in passes:
            if p.mask:
                masks.add(p.name)
            elif p.quiet and p.quiet not in masks:
                known = [q.name for q in (*st.init, *st.step) if q.mask]
                raise PipelineError(f"pass {p.name}: quiet={p.quiet!r} names no mask pass listed before it in stage "
                                    f"{st.name}'s schedule{_near(p.quiet, known)}; mask passes: {_valid(known)}")


def _initialised(stages) -> set:
    """The fields the init passes write, checking that none reads a field before it is written."""
    ready = set()
    for st in stages:
        for p in st.init:
            for r in p.reads:
                if r not in ready:
                    raise PipelineError(f"pass {p.name}: reads field '{r}' before anything initialises it "
                                        f"(initialised so far: {_valid(ready)})")
            ready.update(p.writes)
    return ready


def _check_scalar_reads(stages) -> None:
    specs = {f.name: f for st in stages for f in st.fields}
    scalars = [sc for st in stages for sc in st.scalars]
    check_scalars(scalars, specs)
    known = {sc.name for sc in scalars}
    for p in (p for st in stages for p in (*st.init, *st.step)):
        for n in p.scalars:
            if n not in known:
                raise PipelineError(f"pass {p.name}: reads scalar '{n}'{_near(n, known)}; scalars: {_valid(known)}")


def validate_graph(stages, max_outputs: int = 8) -> None:
    """Check the pass graph of `stages` (in order) without touching GL (templates resolved first)."""
    stages = resolve_stages(stages)
    owner, passes = {}, {}
    for st in stages:
        for f in st.fields:
            if f.name in owner:
                raise PipelineError(f"field '{f.name}' is declared by both stage '{owner[f.name]}' and '{st.name}'")
            owner[f.name] = st.name
    written = set()
    for p in (p for st in stages for p in (*st.init, *st.step)):
        if passes.setdefault(p.name, p) != p:
            raise PipelineError(f"pass '{p.name}' is declared twice with different definitions")
        _check_pass(p, owner, max_outputs)
        written.update(p.writes)
    for st in stages:
        _check_quiet(st)
    ready = _initialised(stages)
    _check_scalar_reads(stages)
    for name in owner:
        if name not in written:
            raise PipelineError(f"field '{name}' (stage '{owner[name]}') is never written by any pass")
        if name not in ready:
            raise PipelineError(f"field '{name}' (stage '{owner[name]}') is not written by any init pass")


def check_interface(what: str, src: Source, reads, allowed: dict[str, str], generated=(), absent=()) -> None:
    """Samplers must be t_<read field>, other uniforms u_<declared name> of the declared type.
    `absent`: optional fields this scene lacks (their samplers sit behind #if HAVE_<FIELD>)."""
    decl = declared_uniforms(src)
    for name, typ in decl.items():
        if name in generated or name in BUILTINS:
            continue
        if name.startswith("t_"):
            if name[2:] not in reads and name[2:] not in absent:
                raise PipelineError(f"{what}: declares sampler '{name}' but reads={tuple(reads)}; "
                                    f"add '{name[2:]}' to reads or remove the sampler")
        elif name.startswith("u_"):
            if name not in allowed:
                raise PipelineError(f"{what}: uniform '{name}' is not a param, derived value or builtin"
                                    f"{_near(name, [*allowed, *BUILTINS])}; valid: {_valid([*allowed, *BUILTINS])}")
            if allowed[name] and allowed[name] != typ:
                raise PipelineError(f"{what}: uniform '{name}' is declared {typ} but the param is {allowed[name]}")
        else:
            raise PipelineError(f"{what}: uniform '{name}' must be named t_<field> (a sampler) or u_<param>")
    for r in reads:
        if f"t_{r}" not in decl:
            raise PipelineError(f"{what}: reads field '{r}' but declares no 'uniform sampler2D t_{r};'")


def stage_uniform_types(stage) -> dict[str, str]:
    out = {f"u_{p.name}": _GLSL_TYPE[p.kind] for p in stage.params if p.uniform}
    out.update({f"u_{d.name}": "" for d in stage.derived})
    return out


def resolve_stages(stages) -> list:
    """The stages with every pass's optional reads resolved against the fields these stages declare,
    and every for_each="carried" template given the carried fields (Pass.resolve)."""
    present = {f.name for st in stages for f in st.fields}
    carried = tuple(f.name for st in stages for f in st.fields if f.carried)
    scalars = {sc.name for st in stages for sc in st.scalars}
    out = []
    for st in stages:
        init = tuple(p.resolve(present, carried, scalars) for p in st.init)
        step = tuple(p.resolve(present, carried, scalars) for p in st.step)
        out.append(dataclasses.replace(st, init=init, step=step) if (init, step) != (st.init, st.step) else st)
    return out


class Pipeline:
    """GL objects for a scene's stages on one context; `run(passes, ...)` executes a schedule."""

    def __init__(self, ctx, stages, grid: tuple[int, int], backend: str):
        self.ctx = ctx
        self.stages = resolve_stages(stages)
        self.grid = grid
        self.backend = gl.choose_backend(ctx, backend)
        info = gl.describe(ctx)
        w, h = grid
        if max(w, h) > info["max_texture_size"]:
            raise SceneError(f"grid {w}x{h} is too large for this GL (GL_MAX_TEXTURE_SIZE = {info['max_texture_size']})")
        max_out = info["max_draw_buffers"] if self.backend == "fragment" else 8
        validate_graph(self.stages, max_out)
        # Runs of each pass per use (Pass.repeat, from the grid): fixed when the pipeline is built.
        self.repeats = {p.name: p.runs(grid) for st in self.stages for p in (*st.init, *st.step)}
        self.fields = {}
        self.specs = {f.name: f for st in self.stages for f in st.fields}
        self.cache = ProgramCache(ctx)
        self.reducer = None
        self._fbos: dict[tuple, object] = {}
        self._vaos: dict[int, object] = {}
        # pass name -> [ms] per run, when profiling (set to {}): GL timer queries. Mesa llvmpipe's
        # queries do not see compute dispatches (they read ~0): bench/bench.py cross-checks each
        # figure with the wall clock between glFinish calls.
        self.timings: dict[str, list[float]] | None = None
        # An object with before(what, values) and after(what), called around every pass run (what = the
        # Pass, values = its stage's uniforms) and every reduction (what = "reduce", values = builtins):
        # the backend-agreement tests run each pass on the other backend from the same state (tests/backends.py).
        self.observer = None
        # Convergence stops (Pass.until): runs of each such pass at its last use (<= repeats), the check
        # programs, and whether to stop early at all (False: always the full count; the tests compare).
        # On a GPU the check's occlusion query is read one run late, so the queue never drains: the
        # run after the fixed point changes nothing (same bits) and hides the read-back latency.
        self.runs_done: dict[str, int] = {}
        self.early_stop = True
        # Skip done cells (depth test): each check evaluates only the cells no earlier check found done
        # (any backend), and the fragment backend's runs skip the cells done so far. False:
        # every check and draw sees every cell (the same bits).
        self.skip_done = True
        self.check_lag = 0 if info["software"] else 1
        self.checks: dict[str, object] = {}
        # Quiet cells (Pass.mask / Pass.quiet): whether to split the fragment draws of quiet passes at all
        # (False: pass_main everywhere, the same bits; the tests compare), the pass_quiet programs, and per
        # mask pass its depth buffer (0 on quiet cells), framebuffer and the state it was drawn from.
        self.use_masks = True
        self.quiet_programs: dict[str, object] = {}
        self._masks: dict[str, dict] = {}
        self.mask_passes = {p.name: p for st in self.stages for p in (*st.init, *st.step) if p.mask}
        self._check_fbo_ = None   # the checks' framebuffer: the marks (a depth buffer, no colour)
        self._scratch: list = []   # two scratch colour buffers: moderngl copies depth only with colour (_depth_copy)
        self._marks = None        # depth buffer of the done marks, shared by every repeated pass
        self._queries: list = []   # occlusion queries of the checks, reused
        self.owner = {p.name: st for st in self.stages for p in (*st.init, *st.step)}
        self.touched: set[str] = set()   # fields written by the passes run since Simulation last took them
        try:
            for st in self.stages:
                for f in st.fields:
                    self.fields[f.name] = PingPong(ctx, f, grid)
            mib = sum(2 * w * h * len(f.channels) * 4 for f in self.specs.values()) / 2**20
            check_gl_memory(ctx, f"grid {w}x{h}: {2 * len(self.fields)} field textures (~{mib:.0f} MiB)")
            self.reducer = Reducer(ctx, [sc for st in self.stages for sc in st.scalars], self.specs, grid,
                                   self.backend, self.cache,
                                   eager={n for st in self.stages for p in (*st.init, *st.step) for n in p.scalars})
            self.build()
        except BaseException:
            self.release()  # a failed build must not leak textures and programs on a shared context
            raise

    # -- building -------------------------------------------------------------------------------
    def build(self) -> None:
        """Validate every pass interface and compile it (cached)."""
        self.programs = {}
        self.quiet_programs = {}
        for st in self.stages:
            allowed = stage_uniform_types(st)
            for p in (*st.init, *st.step):
                if p.mask and self.backend != "fragment":
                    continue   # a mask only splits fragment draws: on compute its pass is not run
                self.programs[p.name] = self.program(p, allowed)
                if p.quiet and not p.until and self.backend == "fragment":
                    self.quiet_programs[p.name] = self.program(p, allowed, entry="pass_quiet")
                if p.until and p.runs(self.grid) > 1:
                    self.checks[p.name] = self.check_program(p, allowed)
        self.reducer.cache = self.cache
        self.reducer.build()

    def reload(self) -> None:
        """Recompile every pass from disk (the quiet-cell masks are then stale until drawn again). On any
        error keep the running programs and re-raise."""
        old_cache, old_programs, old_checks, old_quiet = self.cache, self.programs, self.checks, self.quiet_programs
        self.cache, self.checks = ProgramCache(self.ctx), {}
        try:
            self.build()
        except Exception:
            self.cache.clear()
            self.cache, self.programs, self.checks, self.quiet_programs = old_cache, old_programs, old_checks, old_quiet
            self.reducer.cache = old_cache
            raise
        for m in self._masks.values():
            m["state"] = None   # drawn by the old mask programs: not current for the new ones
        for vao in (*self._vaos.values(), *self.reducer._vaos.values()):
            vao.release()
        self._vaos.clear()
        self.reducer._vaos.clear()
        old_cache.clear()

    def program(self, p: Pass, allowed: dict[str, str], backend: str | None = None, entry: str = "pass_main"):
        backend = backend or self.backend
        key = (p.name, backend, p.defines, entry)

        def make():
            src = entry_source(p, backend, self.specs, self.reducer.index, entry=entry)
            check_interface(f"pass {p.name} (shaders/{p.shader})", src, p.reads, allowed,
                            generated=[*(f"i_{w}" for w in p.writes), "t_scalars"], absent=p.absent)
            what = f"pass {p.name} ({backend}{'' if entry == 'pass_main' else ', ' + entry})"
            if backend == "compute":
                return compile_program(self.ctx, what, compute=src)
            return compile_program(self.ctx, what, vertex=vertex_source(), fragment=src)

        return self.cache.get(key, make)

    def check_program(self, p: Pass, allowed: dict[str, str]):
        """The fragment program of p's convergence check (passes.check_source), in the same cache."""
        def make():
            src = check_source(p, self.specs, self.reducer.index)
            check_interface(f"pass {p.name} (shaders/{p.shader}, until={p.until})", src, p.reads, allowed,
                            generated=["t_scalars"], absent=p.absent)
            return compile_program(self.ctx, f"pass {p.name} (check {p.until})", vertex=vertex_source(), fragment=src)

        return self.cache.get((p.name, "check", p.defines), make)

    def _check_fbo(self):
        """The checks' framebuffer: the depth buffer of the done marks alone (a check on the state after k
        runs writes depth stamp(k) where a cell is done, see run_pass). Without a colour buffer llvmpipe
        draws a check ~15% cheaper (issue 16), and so the quiet-cell masks."""
        if self._check_fbo_ is None:
            self._marks = self.ctx.depth_renderbuffer(self.grid)
            self._check_fbo_ = self.ctx.framebuffer(depth_attachment=self._marks)
        return self._check_fbo_

    def _depth_copy(self, fbo, side: int):
        """A framebuffer of fbo's depth buffer and scratch colour buffer `side` (0: a copy's target, 1: its
        source), cached: moderngl's copy_framebuffer copies no depth between framebuffers without colour."""
        if not self._scratch:
            self._scratch = [self.ctx.renderbuffer(self.grid, 1, dtype="f1") for _ in range(2)]
        depth = fbo.depth_attachment
        key = ("depth copy", side, depth.glo)
        if key not in self._fbos:
            self._fbos[key] = self.ctx.framebuffer(color_attachments=[self._scratch[side]], depth_attachment=depth)
        return self._fbos[key]

    def _open_cells(self, prog, slot: int, stamp: float | None):
        """Start a convergence check on the current fields: one draw of the check program under
        occlusion query number `slot`, whose `samples` is the number of cells done; with a `stamp`
        (the depth test on), of the cells done and not marked before, which it marks with depth `stamp`."""
        while len(self._queries) <= slot:
            self._queries.append(self.ctx.query(samples=True))
        self._check_fbo().use()
        vao = self._vao(prog)
        q = self._queries[slot]
        if stamp is not None:
            self.ctx.depth_func = "<"   # unmarked (1) cells pass; earlier marks (< stamp) fail, early
            self.ctx.depth_clamp_range = (stamp, stamp)
        with q:
            vao.render(vertices=3)
        return q

    # -- running --------------------------------------------------------------------------------
    def run(self, passes, uniforms: dict[str, dict], gated: bool = True) -> None:
        """Run `passes` (of self.stages) in order, each self.repeats[name] times; `uniforms[stage name]`
        holds every u_* value for that stage. Timings record one entry per use (all its runs). A pass with a
        gate (Pass.when) runs only where the gate is open, unless gated=False (passes named explicitly)."""
        for p in passes:
            st = self.owner[p.name]
            if gated and p.when is not None and not p.when(uniforms[st.name]):
                continue   # gated off this tick (Pass.when): its fields stand still
            times = self.repeats.get(p.name, 1)
            if self.observer is not None:
                self.observer.before(p, uniforms[st.name])
            if self.timings is None:
                self.run_pass(p, uniforms[st.name], times=times)
            else:
                q = self.ctx.query(time=True)
                with q:
                    self.run_pass(p, uniforms[st.name], times=times)
                self.timings.setdefault(p.name, []).append(q.elapsed / 1e6)
            self.touched.update(p.writes)
            if self.observer is not None:
                self.observer.after(p)

    def reduce(self, builtins: dict, chains=None) -> None:
        """Recompute the planet-wide scalars of `chains` (None: every one) from the current fields
        (planet.reduce)."""
        if self.reducer.scalars:
            if self.observer is not None:
                self.observer.before("reduce", builtins)
            if self.timings is None:
                self.reducer.run(self.fields, builtins, chains)
            else:
                q = self.ctx.query(time=True)
                with q:
                    self.reducer.run(self.fields, builtins, chains)
                self.timings.setdefault("reduce", []).append(q.elapsed / 1e6)
            if self.observer is not None:
                self.observer.after("reduce")

    def refresh(self, builtins: dict, names=None, eager: bool = False) -> None:
        """Reduce the stale chains (Reducer.due) of the scalars `names` (None: all), or with eager=True
        of the scalars passes read; nothing when they are current."""
        chains = self.reducer.due(names, eager)
        if chains:
            self.reduce(builtins, chains)

    def dispatches(self, passes) -> int:
        """How many GL draws/dispatches running `passes` takes (repeated passes count every run; a pass
        with quiet cells draws twice per run on the fragment backend, but a convergence pass, which starts
        with them done, once; a mask pass draws only there, and neither with use_masks off)."""
        split = self.backend == "fragment" and self.use_masks
        return sum(self.repeats.get(p.name, 1) * (2 if p.quiet and not p.until and split else 1)
                   for p in passes if split or not p.mask)

    def _bind(self, p: Pass, prog, values: dict) -> None:
        """Set p's u_* uniforms (u_grid and u_texel from the grid), sampler units and scalars on prog."""
        w, h = self.grid
        for name, value in (("u_grid", (w, h)), ("u_texel", (1.0 / w, 1.0 / h)), *values.items()):
            u = prog.get(name, None)
            if u is not None:
                u.value = value
        for unit, r in enumerate(p.reads):
            u = prog.get(f"t_{r}", None)
            if u is not None:
                u.value = unit
        if p.scalars:
            self.reducer.texture.use(location=len(p.reads))
            prog["t_scalars"].value = len(p.reads)

    def _fbo(self, outs: list, depth=None):
        """The framebuffer of the textures `outs` (cached), with `depth` (the checks' marks or a quiet-cell
        mask) as its depth buffer, never written by its draws (the depth buffers are their passes' alone)."""
        key = tuple(t.glo for t in outs)
        fkey = (*key, "depth", depth.glo) if depth is not None else key
        fbo = self._fbos.get(fkey)
        if fbo is None:
            fbo = self._fbos[fkey] = self.ctx.framebuffer(color_attachments=outs, depth_attachment=depth)
            fbo.depth_mask = False
        return fbo

    def _draw(self, prog, outs: list, stamp: float | None) -> None:
        """One fragment run of prog into the textures `outs`; with a `stamp`, at depth stamp with the
        depth test "<=" against the checks' marks (no depth writes): the cells marked with a lower stamp
        are skipped, those marked with this one and the unmarked ones drawn."""
        fbo = self._fbo(outs, self._marks if stamp is not None else None)
        fbo.use()
        if stamp is not None:
            self.ctx.depth_func = "<="
            self.ctx.depth_clamp_range = (stamp, stamp)
        self._vao(prog).render(vertices=3)

    def _draw_mask(self, p: Pass, values: dict, prog) -> None:
        """Draw mask pass p into its depth buffer: 0 on the cells where pass_mask is true (quiet), 1
        elsewhere; record the state it describes (the versions of the fields it read, the uniforms its
        program uses). Not drawn (and no longer current) on the compute backend or without use_masks.
        A twin (another mask pass of the same body, defines and reads, drawn from this very state, e.g.
        life's and people's sea masks with nothing between them changing the terrain) lends its depth
        buffer instead: p is current while the twin is not redrawn (issue 16: a draw saved); nor is a
        mask redrawn that is current already."""
        if self.backend != "fragment" or not self.use_masks:
            if p.name in self._masks:
                self._masks[p.name]["state"] = None   # its buffers stay for the next draw (release() frees them)
            return
        prog = prog or self.programs[p.name]
        state = (tuple(self.fields[r].version for r in p.reads),
                 {n: v for n, v in values.items() if prog.get(n, None) is not None})
        m = self._masks.setdefault(p.name, {"depth": None, "fbo": None, "state": None, "src": None})
        if m["src"] is None and m["state"] == state:
            return   # its own mask is current: drawn from this very state
        for name, other in self._masks.items():
            q = self.mask_passes[name]
            if (name != p.name and other["src"] is None and other["state"] == state
                    and (q.shader, q.defines, q.reads) == (p.shader, p.defines, p.reads)):
                m["src"], m["state"] = name, state
                return
        self._bind(p, prog, values)
        if m["depth"] is None:
            m["depth"] = self.ctx.depth_renderbuffer(self.grid)
            m["fbo"] = self.ctx.framebuffer(depth_attachment=m["depth"])   # no colour: cheaper (_check_fbo)
        m["state"], m["src"] = None, None
        for unit, r in enumerate(p.reads):
            self.fields[r].front.use(location=unit)
        m["fbo"].use()
        m["fbo"].clear(depth=1.0)
        if m.get("query") is None:
            m["query"] = self.ctx.query(samples=True)   # the quiet cells (a convergence pass starts from them)
        with self._depth_test(), m["query"]:
            self.ctx.depth_func = "1"                 # always: every cell pass_mask keeps gets depth 0
            self.ctx.depth_clamp_range = (0.0, 0.0)
            self._vao(prog).render(vertices=3)
        m["state"] = state

    def _mask_buffers(self, name: str):
        """(depth, fbo, state, query) of mask pass `name` as last drawn or lent by its twin (None while the
        twin has been redrawn since, or nothing was drawn); the query's samples count its quiet cells."""
        m = self._masks.get(name)
        if m is None or m["state"] is None:
            return None
        if m["src"] is not None:
            twin = self._masks.get(m["src"])
            if twin is None or twin["state"] != m["state"]:
                return None
            return twin["depth"], twin["fbo"], m["state"], twin["query"]
        return m["depth"], m["fbo"], m["state"], m["query"]

    def mask_cells(self, name: str) -> np.ndarray | None:
        """(H, W) bool: the quiet cells of mask pass `name` as last drawn (row 0 = south), or None when it
        is not drawn (compute backend, use_masks off, not run yet). For tests and diagnostics."""
        b = self._mask_buffers(name)
        if b is None:
            return None
        w, h = self.grid
        depth = np.frombuffer(b[1].read(components=1, attachment=-1, dtype="f4"), dtype=np.float32).reshape(h, w)
        return depth < 0.5

    def _current_mask(self, p: Pass, values: dict):
        """(depth buffer, framebuffer, quiet-cell query) of p's quiet-cell mask if it describes the current
        state (no field it read has changed since it was drawn, and the uniforms its program used have the
        values `values` gives them), else None (then pass_main runs everywhere, and a convergence pass
        checks every cell)."""
        b = self._mask_buffers(p.quiet) if self.backend == "fragment" and self.use_masks else None
        if b is None:
            return None
        depth, fbo, (versions, uniforms), query = b
        if versions != tuple(self.fields[r].version for r in self.mask_passes[p.quiet].reads):
            return None
        if any(k not in values or values[k] != v for k, v in uniforms.items()):
            return None
        return depth, fbo, query

    def _draw_split(self, prog, quiet_prog, outs: list, depth) -> None:
        """One fragment run into `outs` in two draws over the mask `depth`: pass_main (prog) on the cells
        it leaves at 1, pass_quiet (quiet_prog) on its quiet cells (0); the early depth test skips the
        other program's cells."""
        self._fbo(outs, depth).use()
        with self._depth_test():
            self.ctx.depth_clamp_range = (0.5, 0.5)
            self.ctx.depth_func = "<"
            self._vao(prog).render(vertices=3)
            self.ctx.depth_func = ">"
            self._vao(quiet_prog).render(vertices=3)

    @contextlib.contextmanager
    def _depth_test(self):
        """The depth test on for the draws inside (which set their function and depth); after them, also on
        an error, the default depth state again (test off, "<", the full depth range), which the views
        rely on."""
        self.ctx.enable(moderngl.DEPTH_TEST)
        try:
            yield
        finally:
            self.ctx.disable(moderngl.DEPTH_TEST)
            self.ctx.depth_func = "<"
            self.ctx.depth_clamp_range = None

    def _vao(self, prog):
        """The (attribute-less) vertex array of prog's full-screen triangle, cached."""
        vao = self._vaos.get(prog.glo)
        if vao is None:
            vao = self._vaos[prog.glo] = self.ctx.vertex_array(prog, [])
        return vao

    def run_pass(self, p: Pass, values: dict, prog=None, times: int = 1) -> None:
        """Run one pass `times` times in a row (each run reads what the previous one wrote): `values`
        holds u_* uniforms by name; u_grid and u_texel come from the grid. Uniforms and sampler units
        are set once; each run only rebinds the ping-pong textures. A pass with a convergence check
        (Pass.until) stops once a run leaves every cell done (self.runs_done records the runs)."""
        if p.mask:
            self._draw_mask(p, values, prog)
            return
        prog = prog or self.programs[p.name]
        w, h = self.grid
        self._bind(p, prog, values)
        quiet_prog = self.quiet_programs.get(p.name) if self.backend == "fragment" and self.use_masks else None
        if quiet_prog is not None:
            self._bind(p, quiet_prog, values)
        check = self.checks.get(p.name) if self.early_stop and times > 1 else None
        if check is not None:
            self._bind(p, check, values)
        reads = [self.fields[r] for r in p.reads]
        writes = [self.fields[w] for w in p.writes]
        groups = ((w + LOCAL_SIZE[0] - 1) // LOCAL_SIZE[0], (h + LOCAL_SIZE[1] - 1) // LOCAL_SIZE[1], 1)
        # Convergence stop (Pass.until): a check after each run (and one before the first) counts the
        # done cells; when all are, the fields are a fixed point, the same as after every run. A done
        # cell stays done, so the check marks the cells it finds done in a depth buffer, each with the
        # stamp of the state it checked (the depth stamp(k) after k runs, rising with k), and later
        # checks skip the marked cells (early depth test) and count only the newly done ones on top.
        # On the fragment backend run k + 1 writes into a copy of state k and skips the cells marked on
        # a state up to k (drawn at depth stamp(k + 1), test "<=", no depth writes): a done cell's
        # output is its input, which the copy holds. With Pass.redraw_done, runs k + 1 > 1 write over
        # state k - 1 instead, which holds the cells marked on states up to k - 1 (done then: the same
        # since), and draw the cells marked on state k too (at a depth between stamp(k - 1) and
        # stamp(k)). Its textures hold all of state k - 1: run 1 writes into a copy, and each run leaves
        # every cell at its new state (drawn, or done before and so unchanged).
        mark = check is not None and self.skip_done
        skip = mark and self.backend == "fragment"

        def stamp(k: float) -> float:
            return (k + 1) / (times + 2) if mark else None

        pending, checks, run, done = [], 0, 0, 0

        def all_done() -> bool:   # the oldest check pending: are all cells done?
            nonlocal done
            done = (done if mark else 0) + pending.pop(0).samples
            return done >= w * h

        with self._depth_test() if mark else contextlib.nullcontext():
            if check is not None:
                if mark:
                    # Quiet cells (Pass.quiet on a convergence pass) are done from the start: the marks
                    # begin as the current mask's depth (0 there, below every stamp) and its count.
                    seed = self._current_mask(p, values) if p.quiet else None
                    if seed is not None:
                        self.ctx.copy_framebuffer(self._depth_copy(self._check_fbo(), 0), self._depth_copy(seed[1], 1))
                        done = seed[2].samples
                    else:
                        self._check_fbo().clear(depth=1.0)
                for unit, f in enumerate(reads):
                    f.front.use(location=unit)
                pending.append(self._open_cells(check, 0, stamp(0)))
                checks = 1
                if self.check_lag == 0 and all_done():
                    times = 0
            while run < times:
                for unit, f in enumerate(reads):
                    f.front.use(location=unit)
                redraw = skip and p.redraw_done and run > 0
                self._run_once(p, values, prog, quiet_prog, writes, groups,
                               (stamp(run - 0.5) if redraw else stamp(run + 1)) if skip else None, copy=not redraw)
                for f in writes:
                    f.swap()
                run += 1
                if check is not None and run < times:
                    for unit, f in enumerate(reads):
                        f.front.use(location=unit)
                    pending.append(self._open_cells(check, checks % (self.check_lag + 1), stamp(run)))
                    checks += 1
                    # All done after this run (or, read late, after the one before: this run changed
                    # nothing) -> a fixed point.
                    if len(pending) > self.check_lag and all_done():
                        break
        if p.until:
            self.runs_done[p.name] = run

    def _run_once(self, p: Pass, values: dict, prog, quiet_prog, writes: list, groups, stamp: float | None,
                  copy: bool = True) -> None:
        """One run of p into the back textures of `writes` (the reads bound): a compute dispatch; or,
        with a `stamp` (skipping the cells marked below it), a draw into a copy of the current state (or,
        copy=False, over what the back textures hold: Pass.redraw_done); or a draw split by p's
        quiet-cell mask where it is current; or one plain draw."""
        if self.backend == "compute":
            for unit, f in enumerate(writes):
                f.back.bind_to_image(unit, read=False, write=True)
            prog.run(*groups)
            self.ctx.memory_barrier()
            return
        outs = [f.back for f in writes]
        if stamp is not None:
            # The textures this run writes take the current state first (a copy, ~1.3 ms for 32 bytes a
            # cell at 1024x512), so the run skips every cell marked so far (drawn at the stamp of this
            # run). Measured dearer on llvmpipe (issue 16): a check that copies the cells it finds done
            # into them (a draw into two colour attachments costs more than the copy), or a copy program
            # drawn on just those cells under the depth test (rejecting a cell costs a draw ~3 ns);
            # writing over the state before and drawing those cells too pays for some passes only
            # (Pass.redraw_done: no copy).
            if copy:
                self.ctx.copy_framebuffer(self._fbo(outs), self._fbo([f.front for f in writes]))
            self._draw(prog, outs, stamp)
            return
        # Quiet cells (Pass.quiet): split the draw where the mask describes this state (it can go stale
        # in a repeated pass that writes what the mask read).
        mask = self._current_mask(p, values) if quiet_prog is not None else None
        if mask is not None:
            self._draw_split(prog, quiet_prog, outs, mask[0])
        else:
            self._draw(prog, outs, None)

    def release(self) -> None:
        gl.release_framebuffers(self.ctx, self._fbos.values())
        for m in self._masks.values():
            if m["depth"] is not None:
                gl.release_framebuffers(self.ctx, [m["fbo"]])
                m["depth"].release()
        self._masks.clear()
        if self._check_fbo_ is not None:
            gl.release_framebuffers(self.ctx, [self._check_fbo_])
            self._marks.release()
            self._check_fbo_ = self._marks = None
        for r in self._scratch:
            r.release()
        self._scratch = []
        self._queries.clear()   # moderngl 5 queries have no release(); the context frees them
        for vao in self._vaos.values():
            vao.release()
        self._fbos.clear()
        self._vaos.clear()
        if getattr(self, "reducer", None) is not None:
            self.reducer.release()
            self.reducer = None
        self.cache.clear()
        for f in self.fields.values():
            f.release()
        self.fields.clear()

"""The only place OpenGL contexts are made: headless (EGL) and from a window (glfw, issue 4).

Also the capability report (renderer, GL version, software or not) and the backend choice:
`auto` picks compute where GL >= 4.3 and the renderer is not a CPU rasterizer (llvmpipe/softpipe),
fragment otherwise (DESIGN.md §3: fragment passes run 20-30x slower than compute on data-centre
GPUs; on llvmpipe the fragment path is as fast or faster).
"""
from __future__ import annotations

import threading

from .errors import GLContextError, PlanetError

BACKENDS = ("auto", "fragment", "compute")
GL_PACKAGES = "libegl1 libgl1 libegl-mesa0 libgl1-mesa-dri"
SOFTWARE = ("llvmpipe", "softpipe", "swrast", "lavapipe")


# Idle headless contexts of this thread (an EGL context may be current in one thread only; a thread's
# idle contexts go with it). moderngl 5.x leaks about 38 KB of Python objects per context it creates
# (its GL function loader never frees the pointer objects it gets, nor the names of the functions a
# driver lacks), so a process that makes and drops simulations (scripts, sweeps, tests) would grow
# without bound: release_headless() keeps a context whose objects are all released for the next
# create_headless() of the same thread instead.
_IDLE = threading.local()
MAX_IDLE = 2  # idle contexts kept per thread; more are really released


def _idle() -> list:
    if not hasattr(_IDLE, "contexts"):
        _IDLE.contexts = []
    return _IDLE.contexts


def create_headless():
    """A standalone EGL context: GL 4.3 core when available (compute backend), else 3.3 core.
    Reuses one that release_headless() gave back on this thread, reset to a new context's state."""
    idle = _idle()
    while idle:
        ctx = idle.pop()
        if _alive(ctx):
            make_current(ctx)
            return ctx
    return _new_headless()


def release_headless(ctx) -> None:
    """Give back a context from create_headless() once every object made on it is released: it is
    reset to a new context's state and kept for reuse on this thread (or really released, beyond
    MAX_IDLE idle ones or when it holds a GL error). Safe to call twice."""
    idle = _idle()
    if not _alive(ctx) or any(c is ctx for c in idle):
        return
    make_current(ctx)
    if ctx.error != "GL_NO_ERROR" or len(idle) >= MAX_IDLE:
        ctx.release()
        return
    _reset_state(ctx)
    idle.append(ctx)


def release_idle() -> None:
    """Really release this thread's idle contexts (the next create_headless() makes a new one)."""
    idle = _idle()
    while idle:
        ctx = idle.pop()
        if _alive(ctx):
            ctx.release()


def _alive(ctx) -> bool:
    import moderngl

    return not isinstance(getattr(ctx, "mglo", None), moderngl.InvalidObject)


def _reset_state(ctx) -> None:
    """The render state a new context starts with (what the views and overlays change)."""
    import moderngl

    default_framebuffer(ctx).use()
    ctx.enable_only(moderngl.NOTHING)
    ctx.blend_func = moderngl.ONE, moderngl.ZERO
    ctx.blend_equation = moderngl.FUNC_ADD
    ctx.depth_func = "<"
    ctx.front_face = "ccw"
    ctx.wireframe = False
    ctx.scissor = None


def _new_headless():
    try:
        import moderngl
    except ImportError as exc:  # pragma: no cover - the venv always has it
        raise GLContextError(f"moderngl is not installed ({exc}); run `make test` or `pip install -e .`") from None
    tried = []
    for require in (430, 330):
        try:
            ctx = moderngl.create_standalone_context(backend="egl", require=require)
        except Exception as exc:  # glcontext raises bare Exceptions with terse text
            tried.append(f"EGL with GL {require // 100}.{require % 100 // 10}: {str(exc).strip() or type(exc).__name__}")
            continue
        check(ctx, "context creation")
        return ctx
    raise GLContextError(
        "no headless OpenGL context could be made (tried " + "; ".join(tried) + "). "
        f"On Debian/Ubuntu install: apt-get install {GL_PACKAGES} (Mesa EGL + llvmpipe works without a GPU)")


def make_current(ctx) -> None:
    """Make `ctx` the current context of this thread (and leave it so). moderngl never switches by
    itself, and `with ctx:` restores the previously current context on exit, which leaves no
    context current when there was none before: so enter, never exit."""
    ctx.__enter__()


def describe(ctx) -> dict:
    """Renderer, vendor, GL version and what it can do."""
    renderer = ctx.info.get("GL_RENDERER", "?")
    return {
        "renderer": renderer,
        "vendor": ctx.info.get("GL_VENDOR", "?"),
        "version": ctx.info.get("GL_VERSION", "?"),
        "version_code": ctx.version_code,
        "software": any(s in renderer.lower() for s in SOFTWARE),
        "compute": ctx.version_code >= 430,
        "max_texture_size": ctx.info.get("GL_MAX_TEXTURE_SIZE", 0),
        "max_draw_buffers": ctx.info.get("GL_MAX_DRAW_BUFFERS", 8),
    }


def choose_backend(ctx, requested: str) -> str:
    """Resolve 'auto' | 'fragment' | 'compute' for this context, or raise a one-line PlanetError."""
    if requested not in BACKENDS:
        raise PlanetError(f"unknown backend {requested!r}; valid: {', '.join(BACKENDS)}")
    info = describe(ctx)
    if requested == "compute" and not info["compute"]:
        raise PlanetError(f"backend 'compute' needs GL 4.3; this context is {info['version']} ({info['renderer']})")
    if requested == "auto":
        return "compute" if info["compute"] and not info["software"] else "fragment"
    return requested


def check(ctx, what: str) -> None:
    """Raise if the context has a pending GL error (used around passes in tests and after setup)."""
    err = ctx.error
    if err != "GL_NO_ERROR":
        raise PlanetError(f"OpenGL error after {what}: {err}")


def report(ctx, backend: str) -> str:
    info = describe(ctx)
    return f"{info['renderer']} | GL {info['version']} | backend {backend}"


def default_framebuffer(ctx):
    """Framebuffer 0 (the window, or nothing on a surfaceless EGL context), wrapped once per context."""
    if not isinstance(ctx.extra, dict):
        ctx.extra = {}
    if "default_fbo" not in ctx.extra:
        ctx.extra["default_fbo"] = ctx.detect_framebuffer(0)
    return ctx.extra["default_fbo"]


def release_framebuffers(ctx, fbos, with_attachments: bool = False) -> None:
    """Bind framebuffer 0 first: moderngl re-binds the last bound framebuffer when it makes a new one,
    and re-binding a released one is GL_INVALID_OPERATION."""
    fbos = list(fbos)
    if not fbos:
        return
    default_framebuffer(ctx).use()
    for fbo in fbos:
        if with_attachments:
            for att in (*fbo.color_attachments, fbo.depth_attachment):
                if att is not None:
                    att.release()
        fbo.release()


def create_window(title: str, size: tuple[int, int], visible: bool = True):
    """A glfw window with a GL 4.3 core context (3.3 if that is all there is) and its moderngl context."""
    try:
        import glfw
    except ImportError as exc:  # pragma: no cover - the venv always has it
        raise GLContextError(f"glfw is not installed ({exc}); run `make test` or `pip install -e .`") from None
    import os

    import moderngl

    glfw.ERROR_REPORTING = "ignore"
    if not glfw.init():
        display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        raise GLContextError(f"glfw could not initialise a display (DISPLAY={display or 'unset'}); "
                             "on a machine without a screen run under Xvfb, e.g. `xvfb-run -a python -m planet`, "
                             "or render headless with render.py")
    tried = []
    for major, minor in ((4, 3), (3, 3)):
        glfw.default_window_hints()
        glfw.window_hint(glfw.CONTEXT_VERSION_MAJOR, major)
        glfw.window_hint(glfw.CONTEXT_VERSION_MINOR, minor)
        glfw.window_hint(glfw.OPENGL_PROFILE, glfw.OPENGL_CORE_PROFILE)
        glfw.window_hint(glfw.OPENGL_FORWARD_COMPAT, True)
        glfw.window_hint(glfw.DEPTH_BITS, 24)
        glfw.window_hint(glfw.VISIBLE, visible)
        window = glfw.create_window(int(size[0]), int(size[1]), title, None, None)
        if window:
            break
        tried.append(f"GL {major}.{minor} core")
    else:
        glfw.terminate()
        raise GLContextError(f"glfw could not open an OpenGL window (tried {', '.join(tried)}); "
                             f"install {GL_PACKAGES} or a GPU driver with OpenGL 3.3+")
    glfw.make_context_current(window)
    glfw.swap_interval(0)
    ctx = moderngl.create_context(require=330)
    check(ctx, "window context creation")
    return window, ctx

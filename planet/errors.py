"""User-facing errors. Each carries one line that names the problem; front-ends print it and exit 2."""


class PlanetError(Exception):
    """Base class: a problem with the user's input or machine, explained in one line."""


class SceneError(PlanetError):
    """A scene file or mapping is missing, not TOML, or has an unknown key or a bad value."""


class ShaderError(PlanetError):
    """A shader failed to resolve, compile or link; the message names shaders/<file>:<line>."""


class PipelineError(PlanetError):
    """The pass graph or a shader interface does not match the declarations."""


class GLContextError(PlanetError):
    """No OpenGL context could be made; the message says what was tried and what fixes it."""


class OutputError(PlanetError, OSError):
    """An output file could not be written (read-only or full disk, no permission, a folder in the
    way...): one line naming the path and the operating system's reason. Also an OSError, so code
    that caught the raw OS error still catches it."""


class LimitError(PlanetError):
    """A number or a size is past a stated limit (frames, ticks, grid, file or archive sizes)."""


class GLMemoryError(PlanetError):
    """The GL driver ran out of memory making the simulation's textures; the message names the grid."""


def check_gl_memory(ctx, what: str) -> None:
    """Raise GLMemoryError naming `what` when the GL reports GL_OUT_OF_MEMORY (moderngl does not raise
    it: a texture it could not allocate comes back empty with the error pending)."""
    if ctx.error == "GL_OUT_OF_MEMORY":
        raise GLMemoryError(f"{what}: the GL ran out of memory (GL_OUT_OF_MEMORY); use a smaller grid or size")

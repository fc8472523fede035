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

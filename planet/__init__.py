"""planet: a procedural Earth-like planet whose whole history is simulated on the GPU."""
from .errors import GLContextError, PipelineError, PlanetError, SceneError, ShaderError
from .scene import Scene, load_scene
from .simulation import Simulation

__all__ = ["Simulation", "Scene", "load_scene", "PlanetError", "SceneError", "ShaderError",
           "PipelineError", "GLContextError"]
__version__ = "0.1.0"

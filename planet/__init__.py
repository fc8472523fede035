"""planet: a procedural Earth-like planet whose whole history is simulated on the GPU."""
from .errors import GLContextError, PipelineError, PlanetError, SceneError, ShaderError
from .scene import Scene, load_scene
from .simulation import Simulation


def sweep(scene, **kwargs):
    """Run an ensemble of planets (seeds x params) and return its summary table: planet.ensemble.sweep."""
    from .ensemble import sweep as run

    return run(scene, **kwargs)


__all__ = ["Simulation", "sweep", "Scene", "load_scene", "PlanetError", "SceneError", "ShaderError",
           "PipelineError", "GLContextError"]
__version__ = "0.1.0"

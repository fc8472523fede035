"""`python -m planet [scene.toml] …` opens the window; `python -m planet export …` exports;
`python -m planet sweep …` runs an ensemble (planet.ensemble);
`python -m planet world …` makes a finished world coarse to fine (planet.world);
`python -m planet earth-check` checks today's Earth's climate against the observed one."""
import sys


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] == "export":
        from .export_cli import export_main

        return export_main(argv[1:])
    if argv and argv[0] == "sweep":
        from .ensemble import sweep_main

        return sweep_main(argv[1:])
    if argv and argv[0] == "world":
        from .world import world_main

        return world_main(argv[1:])
    if argv and argv[0] == "earth-check":
        from .earth import earth_check_main

        return earth_check_main(argv[1:])
    from .app import app_main

    return app_main(argv)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Headless renderer: `render.py scene.toml -o out.png [--view map|globe|both] [--ticks N]` (see --help)."""
import sys

from planet.cli import render_main

if __name__ == "__main__":
    sys.exit(render_main())

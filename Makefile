# The README's commands. Each bootstraps what it needs: Debian GL packages (when root), .venv, the package.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Headless OpenGL (Mesa EGL + llvmpipe); a virtual X server and xdotool for the window tests.
APT_PKGS := libegl1 libgl1 libegl-mesa0 libgl1-mesa-dri xvfb xauth xdotool
# make demo renders the whole story (scenes/earth.toml, ~5,800 frames) with --auto: on a CPU rasterizer
# a 128x64 grid at 640x360 (minutes on 2 cores, bench/RESULTS.md), on a GPU a 2048x1024 grid at
# 1920x1080. Override with e.g. make demo DEMO_ARGS="--grid 256x128 --size 1280x720".
DEMO_ARGS ?=

.PHONY: demo test bench sysdeps venv clean

sysdeps:
	@if ! command -v dpkg-query >/dev/null 2>&1; then \
	  echo "note: not a Debian system; make sure headless OpenGL (EGL + Mesa) and Xvfb are installed"; exit 0; fi; \
	missing=""; for p in $(APT_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; done; \
	$(PY) -c 'import ensurepip' 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "planet needs these Debian packages:$$missing"; \
	    echo "install them with: sudo apt-get install$$missing   (then run make again)"; exit 1; \
	  fi; \
	fi

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

venv: sysdeps $(STAMP)

demo: venv
	mkdir -p out
	$(BIN)/python render.py scenes/earth.toml -o out/earth.mp4 --auto $(DEMO_ARGS)
	@echo "demo: wrote out/earth.mp4 ($$(du -h out/earth.mp4 | cut -f1)): the whole story, protoplanet to warming"

test: venv
	$(BIN)/ruff check planet tests bench render.py
	@$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc = 5 ]; then echo "make test: pytest collected no tests - that is a failure"; exit 1; fi; exit $$rc

bench: venv
	$(BIN)/python bench/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) out tests/_failures *.egg-info

# Two commands: `make run` (set up and serve the dashboard) and `make test` (set up and pass every test).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501

.PHONY: run test lint format setup setup-dev browser nginx build bench clean two-replicas

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.runtime
setup-dev: $(VENV)/.dev

# Debian's Chromium for the real-browser tests (Playwright cannot download browsers here), and DejaVu Sans
# (Vietnamese glyphs) for the PDF appendices the importer tests build.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium fonts-dejavu-core; \
	fi

# nginx, for the replica checks (make two-replicas, the benchmark's replica round and their tests).
nginx:
	@if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q nginx; \
	fi

run: setup
	$(PY) -m streamlit run serve.py --server.port $(PORT)

test: setup-dev browser nginx
	$(PY) -m pytest -q

# The quality gate (.ci/run runs it before the tests): lint, format, types, import layers. Config: pyproject.toml.
lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(PY) tools/check_layers.py

format: setup-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

build: setup
	$(PY) -m cchc_data build

bench: setup-dev browser nginx
	$(PY) -m benchmarks.run

# Two replicas behind nginx on loopback: same answers, one killed, the other keeps serving (docs/deploy.md).
two-replicas: setup-dev nginx
	$(PY) deploy/two_replicas.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts

# pact-course: `make lab` to teach and learn, `make test` to check everything; `make class` / `make class-down`
# stand a class up on a local JupyterHub and take it down again (as root, Linux).
# Both create .venv and install what they need when it is missing; re-running is quick
# (a stamp file records that the install matches pyproject.toml).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
PORT   ?= 8888
LAB_ARGS ?=
PYTEST_ARGS ?= -n 2 --dist loadgroup

ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json

# The server, its terminals and its kernels find the venv's programs first: `pact-course check` in a
# JupyterLab terminal, and `alembic`, which nbgrader runs to stamp a new gradebook (the formgrader).
# Terminals run the user's shell as it is, not as a login shell: Jupyter makes it a login shell when its
# output is not a terminal, and Debian's /etc/profile then sets PATH afresh, without the venv.
LAB_ENV = PATH="$(abspath $(BIN)):$$PATH" PACT_COURSE_LOCAL_EXCHANGE=1
LAB_TERMINAL = "--ServerApp.terminado_settings=shell_command=$${SHELL:-/bin/sh}"
# Left out of the file browser, because students need not see them (still openable by path, so the
# formgrader's links to source/ work): `make lab LAB_HIDE=` shows everything: the kit's code, tests and
# benchmarks, the class hub's set-up (hub/), JupyterLab's settings (jupyter/), and tools' leftovers.
# LAB_HIDE_ALWAYS are JupyterLab's own defaults (a hide_globs option replaces them).
LAB_HIDE ?= source tests benchmarks course hub jupyter gradebook.db *.egg-info build dist test-output
LAB_HIDE_ALWAYS := __pycache__ *.pyc *.pyo .DS_Store *~
LAB_COMMAND = $(LAB_ENV) $(abspath $(BIN))/jupyter lab --ServerApp.root_dir="$(CURDIR)" --ServerApp.port=$(PORT) \
	--LabApp.default_url=/lab/tree/START_HERE.ipynb $(LAB_TERMINAL) \
	$(foreach glob,$(LAB_HIDE) $(LAB_HIDE_ALWAYS),'--ContentsManager.hide_globs=$(glob)') $(ALLOW_ROOT) $(LAB_ARGS)


# The class hub (hub/, docs/how-to/jupyterhub.md): the system's Python, which every account can run.
HUB_PYTHON ?= /usr/bin/python3
CLASS      ?= class
HUB_PORT   ?= 8000
STUDENTS   ?= 3
ROSTER     ?=
PREFIX     ?=
IS_ROOT    := $(filter 0,$(shell id -u))

.PHONY: lab lab-server my-work test build bench lint format chromium bubblewrap clean help class class-down hub-env hub-system
.DEFAULT_GOAL := help

help:
	@echo "make lab     set up .venv and open JupyterLab on the course (start page: START_HERE.ipynb)"
	@echo "make my-work copy each assignment from exercises/ to my-work/ (never overwrites): work there,"
	@echo "             the build never touches my-work/"
	@echo "make test    set up .venv with the test tools and run the whole suite"
	@echo "make build   regenerate exercises/ and solutions/ from source/ with nbgrader; it replaces those"
	@echo "             folders, so it stops (status 2) naming any file in them it did not make (answers,"
	@echo "             notes, decision logs); make build OVERWRITE=1 copies them to .pact-backup/ first"
	@echo "make bench   print the benchmark figures"
	@echo "make format  apply ruff's formatting and safe fixes"
	@echo "make class   (root) start a class on a local JupyterHub: STUDENTS=N or ROSTER=file.csv (lines id,name)"
	@echo "make class-down  (root) stop it, archive its work, remove the accounts it made"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "pact-course needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The kit and JupyterLab with its extensions (ipywidgets, nbgrader's lab and server extensions).
$(VENV)/.installed-lab: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --editable .
	@touch $@

# The same plus the test extra (pytest, hypothesis, nbclient, playwright, ruff, nashpy).
$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-lab
	$(PY) -m pip install --quiet --editable '.[test]'
	@touch $@

# JupyterLab's news and update checks off: a classroom should not see them (and there is no network).
$(LAB_SETTINGS): jupyter/overrides.json | $(VENV)/.installed-lab
	@mkdir -p $(dir $@)
	cp jupyter/overrides.json $@

lab: $(VENV)/.installed-lab $(LAB_SETTINGS)
	@$(PY) -m course.autograde.gradebook "$(CURDIR)"
	@mkdir -p .exchange
	$(LAB_COMMAND)

# The server alone, without the set-up steps: the browser tests start JupyterLab this way, in a copy of the
# course (make -f .../Makefile -C COPY lab-server VENV=.../.venv PORT=... LAB_ARGS=...).
lab-server:
	@mkdir -p .exchange
	$(LAB_COMMAND)

# A folder of your own, which the build never touches (git-ignored: back it up yourself).
my-work:
	@mkdir -p my-work
	@for dir in exercises/*/; do name=$$(basename "$$dir"); \
		if [ -e "my-work/$$name" ]; then echo "my-work/$$name exists: left as it is"; \
		else cp -R "$$dir" "my-work/$$name" && echo "copied exercises/$$name to my-work/$$name"; fi; done

# Debian's chromium drives the browser tests (never a downloaded browser).
chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium is missing and this user cannot apt-get install it: sudo apt-get install chromium"; fi

# Debian's bubblewrap confines grading kernels and sandbox children (course/sandbox/jail.py); without it grading
# falls back, says so, and flags what only the sandbox stops. As root the sandbox tests fail rather than skip.
bubblewrap:
	@if command -v bwrap >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "installing Debian's bubblewrap for the grading sandbox"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null; \
	else echo "bubblewrap is missing and this user cannot apt-get install it: sudo apt-get install bubblewrap"; fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# As root (CI) the hub test runs a class on JupyterHub: its shared environment is built first (cached outside
# the clone, so a re-run is quick). Not as root, the hub test skips and nothing is installed for it.
test: $(VENV)/.installed-test $(LAB_SETTINGS) chromium bubblewrap lint $(if $(IS_ROOT),hub-env)
	$(PY) -m pytest $(PYTEST_ARGS) $(ARGS)

# What the hub needs from Debian: a system Python with venv (3.11 on Debian 12) and npm for the proxy.
hub-system:
	@test -n "$(IS_ROOT)" || { echo "the class hub is set up as root (it makes system accounts)"; exit 1; }
	@if ! $(HUB_PYTHON) -c 'import ensurepip, venv' 2>/dev/null || ! command -v npm >/dev/null 2>&1; then \
		echo "installing Debian's python3-venv and npm for the class hub"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv npm >/dev/null; \
	fi

# The shared environment every account runs (hub/environment.py prints its folder).
hub-env: hub-system
	$(HUB_PYTHON) hub/environment.py

class: hub-system bubblewrap
	@env="$$($(HUB_PYTHON) hub/environment.py)" && \
	$(HUB_PYTHON) hub/classroom.py up --env "$$env" --name $(CLASS) --port $(HUB_PORT) --prefix "$(PREFIX)" \
		$(if $(ROSTER),--roster "$(ROSTER)",--students $(STUDENTS))

class-down:
	@test -n "$(IS_ROOT)" || { echo "make class-down runs as root"; exit 1; }
	$(HUB_PYTHON) hub/classroom.py down --name $(CLASS)

build: $(VENV)/.installed-lab
	$(PY) -m course.autograde.validated
	$(BIN)/pact-course build $(if $(OVERWRITE),--overwrite,)

bench: $(VENV)/.installed-test
	@for script in benchmarks/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

# AI Power — the two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
REQS   := requirements/base.txt requirements/dev.txt
STAMP  := $(VENV)/.installed
MANAGE := $(PY) manage.py
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint format messages gettext chromium bench clean

$(STAMP): $(REQS)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	@touch $@

messages: $(STAMP) gettext
	cd src/aipower && ../../$(PY) ../../manage.py compilemessages --ignore=.venv -v 0

## make run: install, migrate, load the demo data, serve http://$(HOST):$(PORT) with the card
## component and the mock model server (AIPOWER_DEVCARD_PORT, AIPOWER_MOCKLLM_PORT move them)
run: $(STAMP) messages
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) createcachetable
	$(MANAGE) load_demo
	$(MANAGE) rundemo $(HOST):$(PORT)

## make test: lint, then every test (unit, integration, browser), in parallel (pytest-xdist):
## one worker per CPU, at most four; TEST_WORKERS=0 runs them in this process
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); echo $$(( n > 4 ? 4 : n )))
test: $(STAMP) messages chromium lint
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# compilemessages needs GNU gettext's msgfmt; install it when the machine lacks it.
gettext:
	@command -v msgfmt >/dev/null || { \
	  echo "Installing GNU gettext (msgfmt) to compile the translations"; \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    $$SUDO apt-get install -y -qq gettext >/dev/null; }

# Browser tests drive Debian's Chromium (with a CJK font for readable screenshots); install
# them when the machine lacks them.
chromium:
	@test -x /usr/bin/chromium && test -d /usr/share/fonts/opentype/noto || { \
	  echo "Installing Debian's chromium and fonts-noto-cjk for the browser tests"; \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

## make bench: the registry import/look-up and the gateway benchmarks (see bench/README.md)
bench: $(STAMP)
	$(PY) bench/run.py
	$(PY) bench/gateway/run.py --db sqlite

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache

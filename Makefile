# Two commands on a fresh machine: `make site` builds site/ from seeds/, `make test` runs the tests.
# Both install what they need (a virtualenv in .venv, npm packages in node_modules).
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NODE   := node_modules/.installed

.PHONY: site test lint serve bench chromium clean dist

site: $(STAMP) $(NODE)
	$(PY) build.py

serve: site
	$(VENV)/bin/replyarchive serve

# The wheel and sdist, in dist/ (-P: the repository's build.py must not hide the `build` package).
dist: $(STAMP) $(NODE)
	$(PY) -P -m build --outdir dist

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,ocr]'
	touch $@

$(NODE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium for the browser tests (Playwright cannot download its own browser here),
# and a CJK font so the screenshots the tests save show Chinese text rather than empty boxes.
chromium:
	@{ command -v chromium && fc-list :lang=zh | grep -q .; } >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium fonts-wqy-microhei >/dev/null; }

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

test: $(STAMP) $(NODE) chromium lint
	$(VENV)/bin/pytest
	node --test tests/js/

# The benchmarks behind docs/BENCHMARKS.md (tens of minutes; not part of `make test`).
bench: $(STAMP) $(NODE) chromium
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) bench/bench_parse.py --rounds 20 --synthetic 1000
	$(PY) bench/bench_site.py --sizes 100 1000
	$(PY) bench/bench_search.py --sizes 100 1000
	$(PY) bench/bench_scale.py 1000 2000

clean:
	rm -rf site dist build $(VENV) node_modules .pytest_cache .ruff_cache .mypy_cache

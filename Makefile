# Two commands on a fresh machine: `make site` builds site/ from seeds/, `make test` runs the tests.
# Both install what they need (a virtualenv in .venv, npm packages in node_modules).
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NODE   := node_modules/.installed

.PHONY: site test lint serve bench chromium clean

site: $(STAMP) $(NODE)
	$(PY) build.py

serve: site
	$(VENV)/bin/replyarchive serve

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
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

bench: $(STAMP) $(NODE) chromium
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) bench/run_all.py

clean:
	rm -rf site $(VENV) node_modules .pytest_cache .ruff_cache .mypy_cache

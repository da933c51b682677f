# Two commands: `make site` builds the demo site with its PDFs into site/ (`make view` shows it locally);
# `make test` runs the suite.
# Both set up what is missing first (Debian packages, fonts, virtualenv, the package itself).
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup site serve edit view test check bench bench-national lighthouse clean

setup: $(STAMP)
	@scripts/setup-system.sh
	@# The form editor (Decap CMS, decap-server; npm, pinned in generator/cms/npm/) into .decap/, once.
	@$(PY) -m generator.cms.install .
	@# Bytecode for the package's modules (pip compiles site-packages, not an editable install; where
	@# PYTHONDONTWRITEBYTECODE is set, every fresh process compiled ~70 modules again: 0.15-0.3 s)
	@$(PY) -m compileall -q generator benchmarks >/dev/null

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip >/dev/null
	@# PYTHONWARNINGS: setuptools' editable-install notice is not for editors' eyes
	@PYTHONWARNINGS=ignore $(PY) -m pip install -q -e '.[test]'
	@touch $(STAMP)

site: setup
	@$(VENV)/bin/bulletin build

serve: setup
	@$(VENV)/bin/bulletin serve

# The preview with the form editor at http://127.0.0.1:8000/admin/ (docs/online-editing.md).
edit: setup
	@$(VENV)/bin/bulletin serve --edit

view: setup
	@$(VENV)/bin/bulletin view

check: setup
	@$(VENV)/bin/bulletin check

test: setup
	@$(VENV)/bin/ruff check generator benchmarks tests
	@$(PY) -m pytest -q -n 2

bench: setup
	@$(PY) -m benchmarks.run

# Ten publishers, ~10,000 stories (benchmarks/national.py); ~15-30 min here.
bench-national: setup
	@$(PY) -m benchmarks.national

# Lighthouse accessibility and SEO of home, issue and notice (a measurement, not part of `make test`).
lighthouse: site
	@test -f benchmarks/web/node_modules/lighthouse/cli/index.js || (cd benchmarks/web && npm ci --no-audit --no-fund --loglevel=error)
	@$(PY) -m benchmarks.lighthouse site

clean:
	rm -rf build site .pytest_cache

# The two commands of the README: `make demo` and `make test`. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB := $(CURDIR)/instance/demo.db
DEMO_ENV := SURVEYAPP_DATABASE_URL=sqlite:///$(DEMO_DB)
TRANSLATIONS := surveyapp/translations
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po))
CHROMIUM := /usr/bin/chromium
AXE := node_modules/axe-core/axe.min.js

.PHONY: demo test install translations clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "surveyapp needs Python 3.11 or newer (set PYTHON=...)"; exit 1; }
	@# WeasyPrint (the PDF briefs) needs the Pango text library from the system.
	@ldconfig -p | grep -q 'libpango-1.0.so' || { \
		echo "installing Pango for WeasyPrint (Debian: libpango-1.0-0 libpangoft2-1.0-0)"; \
		{ apt-get update -q; apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; } \
		|| { echo "install Pango yourself: apt-get install libpango-1.0-0 libpangoft2-1.0-0"; \
		exit 1; }; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/pybabel compile -d $(TRANSLATIONS)
	touch $@

# A translation edited after the install is compiled again before the tests or the demo use it.
%.mo: %.po | $(STAMP)
	$(BIN)/pybabel compile -i $< -o $@

# The browser tests drive Debian's Chromium; Playwright never downloads a browser.
$(CHROMIUM):
	{ apt-get update -q && apt-get install -y chromium; } \
		|| { echo "install Chromium yourself: apt-get install chromium"; exit 1; }

# axe-core, pinned by package-lock.json, audits every page the browser tests visit.
# npm keeps the tarball's old file dates, so touch the file or make reinstalls every time.
$(AXE): package.json package-lock.json
	command -v npm >/dev/null || { apt-get update -q && apt-get install -y nodejs npm; }
	npm ci --no-audit --no-fund
	touch $@

install: $(STAMP)

test: $(STAMP) $(CATALOGUES) $(CHROMIUM) $(AXE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

demo: $(STAMP) $(CATALOGUES)
	rm -rf $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm $(DEMO_DB)-writer instance/briefs
	$(DEMO_ENV) $(BIN)/surveyapp db upgrade
	$(DEMO_ENV) $(BIN)/surveyapp demo build
	@echo "surveyapp is serving on http://127.0.0.1:5000 (health: /healthz); Ctrl-C stops it"
	$(DEMO_ENV) $(BIN)/gunicorn --config gunicorn.conf.py 'surveyapp:create_app()'

# After changing marked strings in surveyapp/: re-extract them and merge them into every
# language's messages.po, then translate the new or fuzzy entries there.
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l --project surveyapp \
		--copyright-holder surveyapp -o $(TRANSLATIONS)/messages.pot surveyapp
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache node_modules
	rm -f $(CATALOGUES)

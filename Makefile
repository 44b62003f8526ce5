# The two commands of the README: `make demo` and `make test`. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB := $(CURDIR)/instance/demo.db
DEMO_ENV := SURVEYAPP_DATABASE_URL=sqlite:///$(DEMO_DB)

.PHONY: demo test install clean

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
	touch $@

install: $(STAMP)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

demo: $(STAMP)
	rm -rf $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm instance/briefs
	$(DEMO_ENV) $(BIN)/surveyapp db upgrade
	$(DEMO_ENV) $(BIN)/surveyapp demo build
	@echo "surveyapp is serving on http://127.0.0.1:5000 (health: /healthz); Ctrl-C stops it"
	$(DEMO_ENV) $(BIN)/gunicorn --config gunicorn.conf.py 'surveyapp:create_app()'

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache

# The two commands: `make run` (the app with demo data) and `make test` (the whole suite).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
VENDOR := static/vendor
TRANSLATIONS := marketplace/translations
GEONAMES_FILE ?= ../shared/data/geonames-postal-NL.txt
export FLASK_APP := wsgi:app

.PHONY: run test install install-dev assets translations lint extract-messages clean

run: install assets translations
	mkdir -p instance
	$(BIN)/flask db upgrade
	@if [ -f $(GEONAMES_FILE) ]; then $(BIN)/flask geo import --if-empty $(GEONAMES_FILE); \
	else $(BIN)/flask geo import --if-empty || echo "No postcode data: distances fall back to towns."; fi
	$(BIN)/flask demo load --if-empty
	$(BIN)/flask search rebuild --if-outdated
	@echo "Open http://127.0.0.1:5000"
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: install-dev assets translations
	$(BIN)/ruff check .
	$(BIN)/bandit --quiet --recursive marketplace --severity-level medium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(VENV)/.installed
$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

install-dev: $(VENV)/.installed-dev
$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

# The NL Design System CSS and the Noto Sans fonts (Latin, Arabic, Ethiopic), from the pinned
# npm lock file (never a CDN).
assets: $(VENDOR)/.copied
$(VENDOR)/.copied: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/utrecht $(VENDOR)/noto-sans/files
	cp node_modules/@utrecht/design-tokens/dist/theme.css $(VENDOR)/utrecht/theme.css
	cp node_modules/@utrecht/component-library-css/dist/index.css $(VENDOR)/utrecht/index.css
	cp node_modules/@utrecht/component-library-css/dist/html.css $(VENDOR)/utrecht/html.css
	cp node_modules/@fontsource-variable/noto-sans/index.css $(VENDOR)/noto-sans/index.css
	cp node_modules/@fontsource-variable/noto-sans/files/*-wght-normal.woff2 $(VENDOR)/noto-sans/files/
	for script in arabic ethiopic; do \
	  mkdir -p $(VENDOR)/noto-sans-$$script/files; \
	  cp node_modules/@fontsource-variable/noto-sans-$$script/index.css $(VENDOR)/noto-sans-$$script/index.css; \
	  cp node_modules/@fontsource-variable/noto-sans-$$script/files/*-wght-normal.woff2 $(VENDOR)/noto-sans-$$script/files/; \
	done
	touch $@

translations: install
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS)

extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l --ignore-dirs ".* node_modules __pycache__" -o $(TRANSLATIONS)/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache

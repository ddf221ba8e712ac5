# Two commands on a fresh clone (only Python 3.11+ and make needed):
#   make run    installs into .venv and starts the program
#   make test   installs everything the tests need and runs every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BUILD_STAMP := $(VENV)/.installed-build

.PHONY: run test lint bench clean dist dist-check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/uitstroom

$(BUILD_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[build]"
	touch $(BUILD_STAMP)

# After the tests: the Linux program is built with PyInstaller and checked the way a school
# gets it (installers/check_build.py: its files, its size, `--self-test` without a screen and
# under Xvfb, the archive installed, updated and removed). Any failure fails `make test`.
test: $(STAMP)
	bash scripts/system-deps.sh
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest
	$(MAKE) --no-print-directory dist-check

dist: $(BUILD_STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller installers/uitstroom.spec

dist-check: dist
	$(BIN)/python installers/check_build.py dist/uitstroom

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

bench: $(STAMP)
	bash scripts/system-deps.sh
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache

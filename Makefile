# Two commands on a fresh clone (only Python 3.11+ and make needed):
#   make run    installs into .venv (and Qt's system libraries) and starts the program
#   make test   installs everything the tests need and runs every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BUILD_STAMP := $(VENV)/.installed-build
LOCK := installers/requirements.lock

.PHONY: run test lint bench clean dist dist-check platforms-check actionlint lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# The libraries Qt needs on a desktop (libxcb-cursor0 and friends): installed when missing, or
# named in Dutch where that takes a root the user does not have.
run: $(STAMP)
	bash scripts/system-deps.sh run
	$(BIN)/uitstroom

# The frozen program is built from the lock file's versions (hashes checked), so a build today
# and one next month, or on Windows and on a Mac, freeze the same libraries.
$(BUILD_STAMP): pyproject.toml $(LOCK) $(STAMP)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(BUILD_STAMP)

# After the tests: the Linux program is built with PyInstaller and checked the way a school
# gets it (installers/check_build.py: its files, its size, `--self-test` without a screen and
# under Xvfb, the archive installed, updated and removed). Any failure fails `make test`.
test: $(STAMP)
	bash scripts/system-deps.sh test
	$(BIN)/ruff check src tests bench installers
	$(BIN)/mypy
	$(MAKE) --no-print-directory actionlint
	$(MAKE) --no-print-directory platforms-check
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest
	$(MAKE) --no-print-directory dist-check

dist: $(BUILD_STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller installers/uitstroom.spec

dist-check: dist
	$(BIN)/python installers/check_build.py dist/uitstroom

# Every pin of the lock has a binary wheel for Windows x64, macOS arm64 and x86_64 and Linux
# x86_64, for Python 3.11-3.13 (installers/platforms_check.py; about 45 s).
platforms-check: $(STAMP)
	$(BIN)/python installers/platforms_check.py $(LOCK)

# The CI workflow (.github/workflows/build.yml) checked by actionlint (from PyPI, a binary
# wheel: pyproject's "workflow" extra), with shellcheck on its run: steps when shellcheck is
# installed. A finding fails `make test`.
actionlint: $(STAMP)
	@[ -x $(BIN)/actionlint ] || $(BIN)/python -m pip install --quiet -e ".[workflow]"
	$(BIN)/actionlint -no-color .github/workflows/*.yml && echo "actionlint: .github/workflows in orde"

# After a change of the dependencies in pyproject.toml: pin every version for every platform
# and Python version at once (uv --universal), with hashes. Commit the result.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[lock]"
	$(BIN)/uv pip compile pyproject.toml --extra build --universal --generate-hashes \
		--python-version 3.11 --no-emit-package uitstroom --quiet -o $(LOCK)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench installers
	$(BIN)/ruff format --check src tests bench installers
	$(BIN)/mypy

bench: $(STAMP)
	bash scripts/system-deps.sh test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache

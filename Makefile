# Community kiosk: set-up, demo and checks.  `make help` lists the targets.
# Every target that needs them installs the system and Python packages itself
# (installer/setup.sh; fast when nothing changed).

SHELL := /bin/bash
.DEFAULT_GOAL := help
# One thing at a time: set-up must finish before any check, and output stays readable.
.NOTPARALLEL:

VENV_BIN := .venv/bin
VENV_PY := $(VENV_BIN)/python
OFFSCREEN := QT_QPA_PLATFORM=offscreen
ARGS ?=

# The checks `make lint` runs; `make test` runs them and then pytest.
LINT_CHECKS := check-ruff check-format check-mypy check-imports

.PHONY: help demo test lint screenshots bench clean setup setup-dev $(LINT_CHECKS) check-pytest

help:
	@echo "Community kiosk — make targets:"
	@echo "  make demo         install what is needed, start the kiosk with simulated devices"
	@echo "                    and a demo community (extra app options: make demo ARGS='...')"
	@echo "  make test         install what is needed (incl. dev tools), run lint and pytest"
	@echo "  make lint         ruff check, ruff format --check, mypy, import-linter"
	@echo "  make screenshots  render every screen offscreen into docs/screenshots"
	@echo "  make bench        run every bench/bench_*.py"
	@echo "  make clean        remove .venv, caches and built translations"

setup:
	@bash installer/setup.sh

setup-dev:
	@bash installer/setup.sh --dev

demo: setup
	$(VENV_BIN)/community-kiosk --simulate --demo --windowed $(ARGS)

# The checks run in a sub-make with -k so that every one runs even when an
# earlier one fails; make still exits non-zero if any failed.
lint: setup-dev
	@$(MAKE) --no-print-directory -k $(LINT_CHECKS)

test: setup-dev
	@$(MAKE) --no-print-directory -k $(LINT_CHECKS) check-pytest

check-ruff:
	@echo "==> ruff check"
	$(VENV_BIN)/ruff check .

check-format:
	@echo "==> ruff format --check"
	$(VENV_BIN)/ruff format --check .

check-mypy:
	@echo "==> mypy"
	$(VENV_BIN)/mypy

check-imports:
	@echo "==> import-linter"
	$(VENV_BIN)/lint-imports

# pytest's exit code is passed on, except 5 ("no tests collected"), which is not
# a failure while the suite is still empty.
check-pytest:
	@echo "==> pytest"
	@echo "$(OFFSCREEN) $(VENV_PY) -m pytest -q"
	@$(OFFSCREEN) $(VENV_PY) -m pytest -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "(pytest: no tests collected; not a failure)" >&2; rc=0; fi; \
	exit $$rc

screenshots: setup
	$(OFFSCREEN) $(VENV_PY) -m ui.dev.screenshots --out docs/screenshots

bench: setup
	@shopt -s nullglob; benches=(bench/bench_*.py); failed=(); \
	if [ $${#benches[@]} -eq 0 ]; then echo "==> no bench/bench_*.py yet"; fi; \
	for b in "$${benches[@]}"; do \
	    echo "==> $$b"; \
	    $(OFFSCREEN) $(VENV_PY) "$$b" || failed+=("$$b"); \
	done; \
	if [ $${#failed[@]} -ne 0 ]; then echo "bench failed: $${failed[*]}" >&2; exit 1; fi

clean:
	rm -rf .venv .mypy_cache .ruff_cache .pytest_cache .hypothesis .import_linter_cache build dist *.egg-info
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
	rm -f i18n/*.qm

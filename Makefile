# Tessere: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test suite lint format messages clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Tessere needs Python 3.11 or newer (found: $$($(PYTHON) --version))"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || \
		{ echo "Cannot create $(VENV): on Debian, install python3-venv (apt install python3-venv)"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

run: install
	TESSERE_DEBUG=$${TESSERE_DEBUG:-true} $(BIN)/tessere run

test: lint suite

# The test suite alone (`make test` runs the checks first).
suite: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/djhtml --check $$(find src -name '*.html')
	$(BIN)/mypy
	env -u DATABASE_URL $(BIN)/tessere makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench
	$(BIN)/djhtml $$(find src -name '*.html')

messages: install
	cd src/tessere && ../../$(BIN)/tessere makemessages -l en --no-obsolete && ../../$(BIN)/tessere compilemessages

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

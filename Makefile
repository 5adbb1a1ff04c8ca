# Two commands for a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run test quality install serve migrate demo bench format clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# Reinstalled whenever the declared dependencies change.
$(VENV)/.installed: $(BIN)/activate pyproject.toml constraints.txt
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

install: $(VENV)/.installed

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) seed_demo

# The day's reminders of the demo go to the console e-mail backend (embedded default).
run: demo
	$(MANAGE) send_reminders
	$(MANAGE) runserver 127.0.0.1:8000

quality: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

test: install node_modules/.installed quality
	$(BIN)/pytest $(PYTEST_ARGS)

# The national-scale benchmark: `manage.py bench` seeds the national data set in its own
# PostgreSQL database on first use (and a small one in <name>_small for the query counts),
# measures the key pages, the matching, the reminders and the load under gunicorn + wrk, prints
# one table with PASS/FAIL per target and fails when one is missed.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mentorat_bench
bench: install
	command -v wrk >/dev/null || apt-get install -y wrk || (apt-get update && apt-get install -y wrk) \
	  || echo "wrk unavailable: the benchmark falls back to its Python load generator."
	$(BIN)/python -m mentorat.demo.bench.createdb '$(BENCH_DATABASE_URL)'
	DATABASE_URL=$(BENCH_DATABASE_URL) DEBUG=false $(MANAGE) migrate --noinput
	DATABASE_URL=$(BENCH_DATABASE_URL) DEBUG=false $(MANAGE) bench

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules staticfiles

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

# The date-dependent tests (rules, compliance, sessions, reminders) run again with the clock
# on 1 January and on 29 February of a leap year (tests/conftest.py reads MENTORAT_TEST_TODAY):
# they must pass on any day. No browser, worker or concurrency tests there: they test no dates.
DATED_TESTS := tests/matching/test_rules.py tests/matching/test_visibility.py \
	tests/matching/test_admin_closure.py tests/staff/test_dashboard.py tests/spaces/test_home.py \
	tests/spaces/test_pair_page.py tests/sessions tests/reminders
DATED_ARGS := -q -m "not browser" --ignore=tests/sessions/test_concurrency.py \
	--ignore=tests/reminders/test_concurrent_sweeps.py --ignore=tests/reminders/test_worker.py
TEST_DAYS := 2027-01-01 2028-02-29

test: install node_modules/.installed quality
	$(BIN)/pytest $(PYTEST_ARGS)
	for day in $(TEST_DAYS); do \
	  MENTORAT_TEST_TODAY=$$day $(BIN)/pytest $(DATED_ARGS) $(DATED_TESTS) || exit 1; \
	done

# The national-scale benchmark: `manage.py bench` seeds the national data set (40 antennes) in
# its own PostgreSQL database on first use (and a small one in <name>_small for the query
# counts), measures the key pages (as the national and as an antenne coordinator), the matching,
# the reminders, every page under gunicorn + wrk and two gunicorn processes sharing PostgreSQL
# and Redis (its own Redis database), prints one table with PASS/FAIL per target and fails when
# one is missed.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mentorat_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/13
bench: install
	command -v wrk >/dev/null || apt-get install -y wrk || (apt-get update && apt-get install -y wrk) \
	  || echo "wrk unavailable: the benchmark falls back to its Python load generator."
	$(BIN)/python -m mentorat.demo.bench.createdb '$(BENCH_DATABASE_URL)'
	DATABASE_URL=$(BENCH_DATABASE_URL) DEBUG=false $(MANAGE) migrate --noinput
	DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_REDIS_URL=$(BENCH_REDIS_URL) DEBUG=false $(MANAGE) bench

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules staticfiles

# Register to vote: the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
IER := $(BIN)/ier
PYTEST := $(BIN)/pytest
BIND ?= 127.0.0.1:8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/ier
PYTEST_ARGS ?=
PYTEST_WORKERS ?= 2

export IER_MODE ?= demo

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-z][a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(BIN)/uv: requirements/bootstrap.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements/bootstrap.txt
	touch $@

$(VENV)/.installed: $(BIN)/uv requirements/lock.txt pyproject.toml
	$(BIN)/uv pip sync --quiet --python $(BIN)/python --require-hashes requirements/lock.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

.PHONY: install
install: $(VENV)/.installed node_modules/.installed ## Install pinned Python and npm dependencies

.PHONY: browser
browser: ## Install Debian's Chromium for the browser tests (needs root)
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

.PHONY: java
java: ## Install Debian's Java runtime for the Spark confirmation test (needs root)
	@command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }

.PHONY: gettext
gettext: ## Install Debian's gettext (msgfmt, xgettext) if missing (needs root)
	@command -v msgfmt >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }

.PHONY: messages
messages: install gettext ## Compile the translation catalogues
	cd src/ier && ../../$(IER) compilemessages --ignore=.venv >/dev/null

.PHONY: makemessages
makemessages: install gettext ## Extract messages into the Welsh catalogue (see docs/welsh.md)
	$(IER) makemessages -l cy --no-obsolete

.PHONY: demo
demo: install messages ## Install, migrate, seed and run the whole service on SQLite
	$(IER) demo --bind $(BIND)

.PHONY: test
test: install browser java messages stack-packages ## What CI runs: lint, the suite on SQLite and PostgreSQL, the stack test
	@$(MAKE) --no-print-directory lint
	IER_MODE=test $(PYTEST) -n $(PYTEST_WORKERS) -p no:cacheprovider --ignore=tests/deploy $(PYTEST_ARGS)
	# Again on PostgreSQL: every test that touches the database (bulk confirmation
	# and the browser tests use none of the service's database), the races and the
	# fault tests among them; a skip not in tests/known_skips.toml fails either pass.
	IER_MODE=test DATABASE_URL=$(PG_URL) $(PYTEST) -n $(PYTEST_WORKERS) -p no:cacheprovider -m "not browser" --ignore=tests/confirmation --ignore=tests/browser --ignore=tests/deploy $(PYTEST_ARGS)
	@$(MAKE) --no-print-directory stack-test

.PHONY: test-sqlite
test-sqlite: install messages ## Run the suite on SQLite only
	IER_MODE=test $(PYTEST) -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Lint fails on any finding, and on a known vulnerability in a pinned dependency. Where
# the advisory service cannot answer (this workplace: see "audit" below) it says loudly
# that nothing was audited and carries on; `make audit` is the strict check.
.PHONY: lint
lint: install ## ruff, format check, mypy, scoping and floors checks, migrations checks (expand/contract), bandit, pip-audit
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	IER_MODE=test $(BIN)/python -m ier.core.checks.scoping src/ier
	$(BIN)/python -m ier.core.checks.floors src/ier
	IER_MODE=test DJANGO_SETTINGS_MODULE=ier.config.settings.test $(IER) makemigrations --check --dry-run
	IER_MODE=test DJANGO_SETTINGS_MODULE=ier.config.settings.test $(BIN)/python -m ier.core.checks.migrations
	$(BIN)/bandit -q -r src -c pyproject.toml
	$(BIN)/python -m ier.core.checks.audit --allow-unaudited requirements/lock.txt

# pip-audit asks PyPI's JSON API for each pinned release's advisories. Where only the
# package index is reachable (this workplace), every release comes back "not found":
# that is no audit at all, so say so plainly and fail rather than pass quietly.
# Run it before every release, where the JSON API answers.
.PHONY: audit
audit: install ## pip-audit the pinned dependencies, strictly (fails if any could not be audited)
	@$(BIN)/pip-audit --strict --require-hashes --disable-pip -r requirements/lock.txt >$(VENV)/pip-audit.log 2>&1 \
	  && { cat $(VENV)/pip-audit.log; } \
	  || { if grep -q "could not be audited" $(VENV)/pip-audit.log; then \
	         echo "pip-audit: PyPI's advisory data (its JSON API) is not reachable from this machine;" >&2; \
	         echo "pip-audit: the dependencies were NOT audited; first refusal: $$(grep -m1 -o '[^:]*: Dependency not found.*' $(VENV)/pip-audit.log)" >&2; \
	         echo "pip-audit: run 'make audit' where pypi.org's JSON API is reachable before a release." >&2; \
	       else cat $(VENV)/pip-audit.log >&2; fi; exit 1; }

.PHONY: bench
bench: install messages ## Run the benchmarks (each fails if its results are wrong) and print the figures for docs/performance.md
	IER_MODE=test $(BIN)/python benchmarks/journey.py --applications 100 --clients 2 --workers 2 --bare-requests 2000
	IER_MODE=test $(BIN)/python benchmarks/load/submission.py --database-url $(PG_URL)_bench
	IER_MODE=test $(BIN)/python benchmarks/verify.py --identity-delay-ms 50
	IER_MODE=test $(BIN)/python benchmarks/ems.py --verified --database-url $(PG_URL)_bench_ems
	IER_MODE=test $(BIN)/python benchmarks/address.py --sizes 1000000 --lookups 2000

# Capacity (issue 9): load tests and fault tests; see docs/capacity.md.
LOAD_USERS ?= 40
LOAD_SECONDS ?= 45
LOAD_NODES ?= 2

.PHONY: nginx
nginx: ## Install Debian's nginx (the load test's local load balancer) if missing (needs root)
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; }

.PHONY: loadtest
loadtest: install messages nginx ## Locust on loopback: one web node, then LOAD_NODES behind nginx, then 3x overload
	$(BIN)/python benchmarks/load/run.py --nodes 1 --users $(LOAD_USERS) --duration $(LOAD_SECONDS)
	$(BIN)/python benchmarks/load/run.py --nodes $(LOAD_NODES) --users $(LOAD_USERS) --duration $(LOAD_SECONDS)
	$(BIN)/python benchmarks/load/run.py --nodes 1 --users $$((3 * $(LOAD_USERS))) --duration $(LOAD_SECONDS) --new-limit 6 --max-limit 48

.PHONY: rolling-restart
rolling-restart: install messages nginx ## Restart each web node in turn under Locust: fails on any failed request or lost application
	$(BIN)/python benchmarks/load/run.py --nodes 2 --users $(LOAD_USERS) --duration 60 --rolling-restart 10

TRIALS ?= 100

.PHONY: resilience
resilience: install messages stack-packages ## Fault tests in full, then TRIALS random kill -9 faults under load
	IER_MODE=test IER_RESILIENCE_FULL=1 DATABASE_URL=$(PG_URL) $(PYTEST) -p no:cacheprovider -m resilience tests/resilience
	IER_MODE=test $(BIN)/python benchmarks/ems.py --applications 20000 --batch 1000
	IER_MODE=test $(BIN)/python benchmarks/address.py --sizes 1000000 3000000 --workers 2 --database-url $(PG_URL)
	IER_MODE=test PATH="$$PATH:/usr/sbin" $(BIN)/python tests/resilience/trials.py --trials $(TRIALS)

OUTAGE_SECONDS ?= 600

.PHONY: identity-outage
identity-outage: install messages stack-packages ## The identity stand-in down OUTAGE_SECONDS under load: none refused, all verified once after
	IER_MODE=test PATH="$$PATH:/usr/sbin" $(BIN)/python tests/resilience/identity_outage.py --outage $(OUTAGE_SECONDS)

# Operations (issue 22): the production configuration from deploy/, its alert rules;
# see docs/deployment.md.
STACK_PG_URL ?= postgres://postgres@127.0.0.1:5432/ier_stack

.PHONY: stack-packages
stack-packages: ## Install Debian's nginx, PgBouncer, Redis, promtool and mtail if missing (needs root)
	@{ command -v nginx || [ -x /usr/sbin/nginx ]; } >/dev/null && { command -v pgbouncer || [ -x /usr/sbin/pgbouncer ]; } >/dev/null \
	  && command -v redis-server >/dev/null && command -v promtool >/dev/null && command -v mtail >/dev/null && command -v systemd-analyze >/dev/null \
	  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light pgbouncer redis-server prometheus mtail systemd >/dev/null; }

.PHONY: stack-test
stack-test: install messages stack-packages ## Start the production configuration from deploy/ on this machine, apply over HTTPS, pull, stop
	IER_MODE=test STACK_DATABASE_URL=$(STACK_PG_URL) PATH="$$PATH:/usr/sbin" $(PYTEST) -p no:cacheprovider tests/deploy

.PHONY: restore-drill
restore-drill: install messages ## Point-in-time restore on a cluster of its own, proven byte for byte; prints RPO and RTO
	$(BIN)/python tests/resilience/restore_drill.py

.PHONY: lock
lock: ## Re-resolve the pinned dependency set
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements/lock.txt

.PHONY: clean
clean: ## Remove the demo database and collected assets
	rm -rf var

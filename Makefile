# The two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# Development defaults: embedded PostgreSQL/Redis start when DATABASE_URL/REDIS_URL are unset.
export DJANGO_DEBUG ?= true

.PHONY: run test test-embedded smoke lint stop bench messages setup check-deploy clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); \
	  else echo "Python's venv module is missing: sudo apt-get install python3-venv"; exit 1; fi; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

setup: $(VENV)/.installed
	$(PY) manage.py migrate --noinput -v0

run: setup
	$(PY) manage.py seed_demo
	$(PY) manage.py devserver

test: setup
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) -m pytest -n 2 --dist loadgroup

# The catalogue search tests again on the embedded PostgreSQL 16 (no contrib
# extensions: no pg_trgm, no unaccent), as a fresh machine runs them.
test-embedded: $(VENV)/.installed
	@dir=$$(mktemp -d); trap 'VAR_DIR=$$dir $(PY) -m dispusip.embedded stop >/dev/null; rm -rf $$dir' EXIT; \
	env -u DATABASE_URL -u REDIS_URL VAR_DIR=$$dir $(PY) -m pytest -m pencarian -p no:xdist -q

smoke: $(VENV)/.installed
	env -u DATABASE_URL -u REDIS_URL $(PY) -m dispusip.smoke

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

# Production settings with placeholder services: must report no issues at all.
check-deploy: $(VENV)/.installed
	DJANGO_DEBUG=false DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	DJANGO_ALLOWED_HOSTS=portal.example DATABASE_URL=postgres://u@localhost/x \
	REDIS_URL=redis://localhost:6379/0 DJANGO_ALLOW_ASYNC_UNSAFE= \
	$(PY) manage.py check --deploy --fail-level WARNING

stop:
	$(PY) -m dispusip.embedded stop

bench: setup
	$(PY) -m bench $(BENCH)

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=var --ignore=tests --ignore=bench
	$(PY) manage.py compilemessages -l en --ignore=.venv

clean:
	rm -rf staticfiles .pytest_cache test-results

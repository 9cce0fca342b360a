# Two commands for a newcomer: `make run` and `make test`; `make serve` and `make worker` for production.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run serve worker test install migrate demo clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --no-input

demo: migrate
	$(BIN)/python manage.py load_demo --city

# The demo: development server, DEBUG on (so the development key is accepted)
# for every step, demo data loaded, and a task worker (print jobs) in the
# background that stops when the server does.
run: export DEBUG := $(or $(DEBUG),1)
run: demo
	$(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST)

# Production: needs SECRET_KEY (and DATABASE_URL, ALLOWED_HOSTS) in the
# environment; never loads demo data. config/gunicorn.conf.py reads the rest.
serve: migrate
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	exec $(BIN)/gunicorn --config config/gunicorn.conf.py --bind $(HOST) config.wsgi

# Production task worker (print jobs): run one per CPU core beside `make
# serve`, on any machine that reaches the same database and MEDIA_ROOT.
worker: migrate
	exec $(BIN)/python manage.py db_worker --no-reload

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# After changing interface strings: extract them into the English catalogue,
# translate the new ones in locale/en/LC_MESSAGES/django.po, run it again to
# compile django.mo (committed: running and testing need no gettext). Needs
# gettext's xgettext and msgfmt (apt-get install gettext).
messages: export DEBUG := 1
messages: install
	$(BIN)/python manage.py makemessages -l en --no-location --no-obsolete
	$(BIN)/python manage.py compilemessages -l en --ignore=.venv

# Never removes data: db.sqlite3 and var/media (evidence) stay.
clean:
	rm -rf $(VENV) staticfiles

"""The application's settings for the test run: DEBUG off as in production,
with a key of its own (the development key is refused with DEBUG off) and
static files found in place, so no collectstatic is needed before a test.
tests/test_serve.py runs the real settings under gunicorn."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")

from config.settings import *  # noqa: E402,F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Nothing is collected for the tests; WhiteNoise would warn on every request.
STATIC_ROOT = None
# Tasks run inside the request that queues them; tests/test_browser_print_jobs.py
# runs a real worker against the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The API's rate limits would stop the tests' many requests; a test of its own sets them low.
API_ANON_RATE = API_TOKEN_RATE = "100000/minute"

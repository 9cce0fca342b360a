"""Settings, read from the environment (django-environ) with safe defaults so a
fresh checkout runs with no configuration at all."""

from datetime import timedelta
from pathlib import Path

import environ
import fontpkg_sarabun
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
# The fallback key only serves local runs (make run sets DEBUG=1); it is
# published with the code, so anything else must bring its own.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me"
SECRET_KEY = env("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY in ("", DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY is not set: with DEBUG off the application refuses the published development key. "
        "Set SECRET_KEY in the environment (e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A form refused by the CSRF check: a Thai page that says the page expired
# (or cookies are off), not "no permission", and keeps what was typed.
CSRF_FAILURE_VIEW = "web.errors.csrf_failure"

# HTTPS=1 when a reverse proxy terminates TLS in front of the app: cookies only
# over HTTPS, HSTS, plain HTTP redirected, and the proxy's X-Forwarded-Proto
# trusted (so the proxy must set it, overwriting what the client sent).
HTTPS = env.bool("HTTPS", default=False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS or env.bool("SECURE_COOKIES", default=False)
SECURE_SSL_REDIRECT = HTTPS
# A monitor may ask the app server itself, over plain HTTP on loopback.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
# One year once HTTPS is on; browsers then refuse plain HTTP to this host.
SECURE_HSTS_SECONDS = env.int("HSTS_SECONDS", default=365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("HSTS_PRELOAD", default=False)
# Joining the browsers' preload list binds the domain for years and is the
# domain owner's decision (HSTS_PRELOAD=1), so its reminder is not a failure.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# How many reverse proxies append to X-Forwarded-For in front of the app
# (1 for the nginx of docs/operations.md); 0 means clients connect directly.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "bootstrap",  # django-bootstrap-static: Bootstrap 5.3 as static files
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # the API documentation page's scripts and styles, as static files
    # The project's apps, bottom layer first: each may import only those
    # listed before it. web is the plumbing every page shares.
    "web",
    "indicators",
    "jobs",
    "projects",
    "notifications",
    "conversations",
    "reports",
    "yearsetup",
    "evaluation",
    "signoff",
    "public",
    "api",
    "audit",
    "demo",
]

MIDDLEWARE = [
    # First, so every log line of the request carries its id.
    "web.request_log.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "web.sessions.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Inside LocaleMiddleware, which activates the page's language it reads.
    "config.thai_digits.ThaiDigitsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A post over DATA_UPLOAD_MAX_MEMORY_SIZE: a Thai page, not a bare 400.
    "config.oversized_post.OversizedPostMiddleware",
    # Every page needs a signed-in user unless its view opts out; a bare visit
    # lands on the role's start page (landing.py) and a form post that arrives
    # signed out is kept across the sign-in (kept_posts.py).
    "web.landing.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: answers the lockout page for logins refused by the axes backend.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "evaluation.context_processors.review_notices",
                "notifications.context_processors.bell",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A small office on the default database: WAL lets readers go on while
    # one writer writes; IMMEDIATE takes the write lock when a transaction
    # begins, so two writers queue (for up to `timeout` seconds) instead of
    # one failing half-way with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rendered indicator pages (reports/sheet_cache.py). Local memory by
# default; in production e.g. redis://127.0.0.1:6379/1 or
# dbcache://kpi_cache_table (after `manage.py createcachetable`). Entries are
# keyed by version, so app servers with caches of their own stay correct.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://kpi")}

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before any password is hashed.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT failures for a
# username, or from one address, further tries are refused until the cool-off
# ends or an administrator unlocks (admin "Access attempts", or
# `manage.py axes_reset_username NAME`). Behind an office NAT many people share
# one address: LOGIN_LOCK_BY=username locks per username only.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [
    {"username": "username", "address": "ip_address"}[name]
    for name in env.list("LOGIN_LOCK_BY", default=["username", "address"])
]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "web.request_log.client_ip"
AXES_VERBOSE = False
# Every failed sign-in kept, with whether it locked the account out: the audit log lists them.
AXES_ENABLE_ACCESS_FAILURE_LOG = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
# Evaluators land on their review queue, everyone else on the home page.
LOGIN_REDIRECT_URL = "review:after-login"
LOGOUT_REDIRECT_URL = "login"

# Shared office PCs: a session ends after a working day without a request and
# when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_HOURS", default=9) * 3600
# web/sessions.IdleSessionMiddleware moves the expiry on while the user works.
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
# The report form warns this long before its session would end, with a button to extend it.
SESSION_WARNING_SECONDS = env.int("SESSION_WARNING_MINUTES", default=10) * 60

# Password reset mails; the console backend prints them until EMAIL_URL is set
# (e.g. smtp+tls://user:password@mail.example.org:587).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Notification mails (notifications/): the sender's display name, and the
# address of the site that links in mails point to (no request to ask).
NOTIFICATION_SENDER_NAME = env("NOTIFICATION_SENDER_NAME", default="กรุงเทพมหานคร")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # The Sarabun font comes from the fontpkg-sarabun package, never copied here.
    ("fonts/sarabun", str(fontpkg_sarabun.ROOT / "files")),
]
SARABUN_DIR = fontpkg_sarabun.ROOT / "files"
STORAGES = {
    # Evidence files; a write that fails half-way leaves no partial file.
    "default": {"BACKEND": "web.storage.EvidenceStorage"},
    # Hashed names (cached for a year by browsers) and gzip/brotli copies,
    # served by WhiteNoise; needs `collectstatic` (make serve runs it).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Under runserver with DEBUG on, files are found in place, no collectstatic.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded evidence lives outside the static root and is served only through
# a view that checks permissions.
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))

# Background work (books, big exports): Django's Tasks API through the
# django-tasks backport, queued in the database so no extra server is needed;
# `manage.py db_worker` runs them. TASKS_BACKEND=immediate runs each task
# inside the request that asks for it (the tests do).
TASKS_BACKEND = env("TASKS_BACKEND", default="database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
    }
}
# Laid-out sheets (reused by every print until the sheet changes) and the
# files print jobs make, both under MEDIA_ROOT.
PRINT_CACHE_DIR = env("PRINT_CACHE_DIR", default=str(Path(MEDIA_ROOT) / "print-cache"))
PRINT_JOBS_DIR = env("PRINT_JOBS_DIR", default=str(Path(MEDIA_ROOT) / "print-jobs"))
# A user's finished jobs (and their files) are deleted after this many days
# (manage.py cleanup_jobs); at most this many run at once per user.
PRINT_JOB_KEEP_DAYS = env.int("PRINT_JOB_KEEP_DAYS", default=7)
PRINT_JOBS_PER_USER = env.int("PRINT_JOBS_PER_USER", default=2)
# A running job whose worker has not reported for this long is taken as
# dead (the worker was killed): retried once, then failed with a message.
PRINT_JOB_STALE_MINUTES = env.int("PRINT_JOB_STALE_MINUTES", default=10)

# Workbook imports (yearsetup/workbook/): the largest upload, the most its
# zip members may hold once expanded (a zip bomb is refused before any XML
# is read), and how long an upload waits for its confirmation.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
IMPORT_MAX_UNCOMPRESSED_BYTES = env.int("IMPORT_MAX_UNCOMPRESSED_BYTES", default=200 * 1024 * 1024)
IMPORT_KEEP_HOURS = env.int("IMPORT_KEEP_HOURS", default=24)
# A quarterly-table XLSX of more rows than this is made by a job (2,500 rows
# took 2.2 s in a request; 1,000 about 0.9 s).
EXPORT_JOB_ROWS = env.int("EXPORT_JOB_ROWS", default=1000)
# A result more than this many times its target asks the reporter to confirm
# it (indicators/plausibility.py).
PLAUSIBLE_TARGET_MULTIPLE = env.float("PLAUSIBLE_TARGET_MULTIPLE", default=3)

# Content-Security-Policy: scripts, styles and fonts from this site only, no
# inline script or style; Bootstrap draws some icons as data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# The read-only JSON API at /api/v1/ (api/): personal tokens only (no session:
# a signed-in browser is anonymous there), JSON only, rate limits per client
# address (anonymous) and per user (tokens), counted in the default cache.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousThrottle", "api.throttling.TokenThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.handler",
    # Numbers as JSON numbers, not strings.
    "COERCE_DECIMAL_TO_STRING": False,
    # Client addresses for the anonymous rate limit: behind PROXY_COUNT proxies.
    "NUM_PROXIES": PROXY_COUNT,
}
API_ANON_RATE = env("API_ANON_RATE", default="60/minute")
API_TOKEN_RATE = env("API_TOKEN_RATE", default="600/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "City KPI API",
    "DESCRIPTION": (
        "Read-only data of the city's key performance indicators: fiscal years, the strategy plan, agencies, "
        "indicators with their quarterly targets and results, and (with a token) scorecards. Without a token "
        "the API answers with the public data: published fiscal years, indicators not withheld, and of each "
        "quarter only what the evaluator accepted (status `pending` and no figures otherwise). A personal "
        "token (`Authorization: Bearer kpi_…`, made on the tokens page of the site) sees what its owner's "
        "pages show. Every answer has an ETag and Last-Modified; anonymous clients are rate limited (429)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Keep drf-spectacular's own hook (enum components) and say that an
    # empty query parameter is one left out (api/schema.py).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "api.schema.query_parameters_may_be_empty"],
    "ENUM_NAME_OVERRIDES": {
        "QuarterStatusEnum": "api.serializers.QUARTER_STATUSES",
        "IndicatorStatusEnum": "api.serializers.YEAR_STATUSES",
    },
    # No deep links: Swagger UI would nest each operation's link inside its
    # toggle button, which assistive technology cannot reach (axe: nested-interactive).
    # Plain examples and answers: the highlighter's colours fall short of AA
    # contrast and are set inline, out of reach of css/api-docs.css.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "persistAuthorization": False, "displayRequestDuration": True,
                            "syntaxHighlight": False},
}

# No page uses any of these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in ["camera", "microphone", "geolocation", "payment", "usb", "fullscreen", "autoplay"]
}

# Everything to stderr (gunicorn and systemd/docker keep it): unhandled
# exceptions with their traceback, and every line with the request's id,
# method, path and user id; never a form body or a password.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "web.request_log.RequestContextFilter"}},
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s [%(request_id)s %(method)s %(path)s user=%(user_id)s] "
            "%(name)s: %(message)s",
        },
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "filters": ["request"], "formatter": "line"},
    },
    "root": {"handlers": ["stderr"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own default handlers (mail to admins, console only with DEBUG) are replaced.
        "django": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        # A line per step of every PDF otherwise.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Narratives and other long texts: room to spare over the seed's longest
# narrative (over 3,000 characters, docs/domain.md).
LONG_TEXT_MAX_LENGTH = 50_000
# The text fields of one post (files not counted). A quarter report may carry
# seven narratives of 50,000 Thai characters (3 bytes each in UTF-8, 9 when
# URL-encoded): about 1 MB as multipart, 3.2 MB URL-encoded. 8 MB leaves room
# for an over-long paste to reach the form's own check, which keeps the text
# and says how long it is; only beyond that does config.oversized_post answer.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=8 * 1024 * 1024)

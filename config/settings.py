"""Settings, read from the environment (django-environ) with safe defaults so a
fresh checkout runs with no configuration at all."""

from pathlib import Path

import environ
import fontpkg_sarabun

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
# The fallback key only serves local runs; production sets SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Behind HTTPS in production: SECURE_COOKIES=1 keeps session and CSRF cookies off plain HTTP.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "bootstrap",  # django-bootstrap-static: Bootstrap 5.3 as static files
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "indicators",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A post over DATA_UPLOAD_MAX_MEMORY_SIZE: a Thai page, not a bare 400.
    "config.oversized_post.OversizedPostMiddleware",
    # Every page needs a signed-in user unless its view opts out.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
                "indicators.context_processors.review_notices",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rendered indicator pages (indicators/sheet_cache.py). Local memory by
# default; in production e.g. redis://127.0.0.1:6379/1 or
# dbcache://kpi_cache_table (after `manage.py createcachetable`). Entries are
# keyed by version, so app servers with caches of their own stay correct.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://kpi")}

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

# Uploaded evidence lives outside the static root and is served only through
# a view that checks permissions.
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Narratives and other long texts: the limit DOMAIN.md asks for.
LONG_TEXT_MAX_LENGTH = 50_000
# The text fields of one post (files not counted). A quarter report may carry
# seven narratives of 50,000 Thai characters (3 bytes each in UTF-8, 9 when
# URL-encoded): about 1 MB as multipart, 3.2 MB URL-encoded. 8 MB leaves room
# for an over-long paste to reach the form's own check, which keeps the text
# and says how long it is; only beyond that does config.oversized_post answer.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=8 * 1024 * 1024)

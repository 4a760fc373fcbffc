"""Django settings for Accord.

Configuration comes from the environment (never from the repository):

- ``ACCORD_ENV``: ``development`` (default) or ``production``.
- ``SECRET_KEY``: required in production. In development a random key is
  generated once into ``var/secret_key``.
- ``DATABASE_URL``: e.g. ``postgres://user:pass@host:5432/accord``. Default:
  embedded SQLite at ``var/accord.sqlite3``.
- ``ACCORD_VAR_DIR``: where the SQLite database, secret key and collected
  static files live (default ``var/`` in the checkout).
- ``ALLOWED_HOSTS``: comma-separated host names for production.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

REPO_ROOT = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("ACCORD_VAR_DIR", REPO_ROOT / "var"))
ACCORD_ENV = os.environ.get("ACCORD_ENV", "development")
PRODUCTION = ACCORD_ENV == "production"
DEBUG = not PRODUCTION and os.environ.get("ACCORD_DEBUG", "1") == "1"


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h] or (
    [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "accord.platform",
    "accord.web",
    "accord.background",
    # The capabilities: each declares its pages, API, CLI and reference data in
    # its AppConfig (accord.platform.capabilities); adding one is one line here.
    "accord.procurement",
    "accord.mobility",
    "accord.missions",
    "accord.dialogue",
    "accord.commitments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "accord.platform.limits.InputLimitsMiddleware",
    "accord.platform.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accord.platform.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accord.platform.refusals.RefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "accord.urls"
WSGI_APPLICATION = "accord.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accord.web.context.accord_context",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'accord.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Wait for the write lock instead of failing at once under concurrent writes.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Take the write lock when a transaction begins, so a writer waits for another
    # (up to the timeout) instead of failing when it upgrades a read to a write.
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs (Django's tasks framework, django-tasks with django-tasks-db).
# ACCORD_TASKS=in-process (default): a job runs in the process that submits it,
# so the embedded set-up needs no worker. ACCORD_TASKS=worker: jobs wait in a
# database queue for `accord worker` processes (any number, any machine).
ACCORD_TASKS = os.environ.get("ACCORD_TASKS", "in-process")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if ACCORD_TASKS == "worker"
        else "django_tasks.backends.immediate.ImmediateBackend",
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

LOGIN_URL = "web:sign-in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

# GOV.UK Frontend's compiled CSS looks for fonts and images under /assets/,
# so static files are served from there.
STATIC_URL = "/assets/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    REPO_ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "assets",
    ("govuk", REPO_ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
]
STATICFILES_DIRS = [
    d for d in STATICFILES_DIRS if Path(d[1] if isinstance(d, tuple) else d).is_dir()
]
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # collected by `accord setup`

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sign-in throttling: after this many failures for one user name or one
# address within the window, sign-in is refused until the window has passed.
LOGIN_THROTTLE_FAILURES = int(os.environ.get("ACCORD_LOGIN_THROTTLE_FAILURES", "5"))
LOGIN_THROTTLE_WINDOW_SECONDS = int(os.environ.get("ACCORD_LOGIN_THROTTLE_WINDOW", "900"))

# Largest upload accepted (bills of materials, data files).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = os.environ.get("ACCORD_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = [
        o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o
    ]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

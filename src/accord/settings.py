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
- ``REDIS_URL``: e.g. ``redis://cache:6379/0``; when set, the shared cache
  lives in Redis instead of the database.
- ``ACCORD_TRUSTED_PROXIES``: comma-separated addresses of the TLS proxies in
  front of `accord serve`; only their ``X-Forwarded-Proto`` and
  ``X-Forwarded-For`` headers are believed.
- ``ACCORD_SESSION_IDLE_SECONDS`` / ``ACCORD_SESSION_MAX_SECONDS``: a session
  ends after this long without a request / this long after sign-in.
- ``ACCORD_LOGIN_THROTTLE_FAILURES`` / ``ACCORD_LOGIN_THROTTLE_WINDOW``:
  failed sign-ins allowed for one user name from one address, and for how
  many seconds the lock then lasts.

docs/operations.md and the README's configuration table say more.
"""

from __future__ import annotations

import datetime as dt
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
        # Written whole under another name, then linked into place: two
        # processes starting at once (two `accord setup`s) never read a
        # half-written key, and the first one's key wins.
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        temporary = VAR_DIR / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        temporary.write_text(secrets.token_urlsafe(50))
        temporary.chmod(0o600)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
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
    "axes",
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
    "accord.platform.sessions.IdleSessionTimeoutMiddleware",
    "accord.platform.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accord.platform.refusals.RefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the sign-in view's answer and replaces it with the
    # lockout page when django-axes refused the attempt.
    "axes.middleware.AxesMiddleware",
]

# django-axes refuses sign-ins after too many failures (web and admin alike:
# both go through authenticate()); then Django's own backend checks passwords.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
            # `safe_url` in every template: stored links are shown only if http(s).
            "builtins": ["accord.web.templatetags.links"],
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
    # SQLite under several threads or processes (https://sqlite.org/wal.html,
    # https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-notes):
    # - WAL lets readers go on while one connection writes;
    # - the busy timeout makes a writer wait up to 20 s for the lock instead of
    #   failing with "database is locked";
    # - IMMEDIATE transactions take the write lock when they begin: a deferred
    #   transaction that reads and then writes cannot wait for the lock (SQLite
    #   answers SQLITE_BUSY at once to avoid a deadlock), which is what made
    #   concurrent writers fail.
    # synchronous stays FULL (SQLite's default): every acknowledged write is on
    # disk before the answer, even through a power cut.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;PRAGMA busy_timeout=20000",
        }
    )

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
    ("accessible-autocomplete", REPO_ROOT / "node_modules" / "accessible-autocomplete" / "dist"),
]
STATICFILES_DIRS = [d for d in STATICFILES_DIRS if Path(d[1] if isinstance(d, tuple) else d).is_dir()]
WHITENOISE_USE_FINDERS = not PRODUCTION

# Email (accord.web.notifications): SMTP when EMAIL_HOST is set in the environment, files under
# EMAIL_FILE_PATH if that is set, else the console (development). No password in the repository.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "1") == "1"
elif os.environ.get("EMAIL_FILE_PATH"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Accord <notifications@accord.invalid>")
ACCORD_BASE_URL = os.environ.get("ACCORD_BASE_URL", "http://127.0.0.1:8000")
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # collected by `accord setup`

# One cache shared by every server process: Redis where configured, else a
# table in the database (created by `accord setup`, a migration of the platform).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    try:
        import redis  # noqa: F401  (Django's Redis cache needs the redis package)
    except ImportError as exc:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("REDIS_URL is set: install the redis package (pip install redis)") from exc
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "accord_cache"}}

# Sign-in throttling (django-axes, attempts stored in the database so every
# process sees them): after this many failures for one user name from one
# address, that user name is refused from that address until the window has
# passed. Keyed by both, so one address (an office behind one proxy) cannot
# lock out every user behind it.
LOGIN_THROTTLE_FAILURES = int(os.environ.get("ACCORD_LOGIN_THROTTLE_FAILURES", "5"))
LOGIN_THROTTLE_WINDOW_SECONDS = int(os.environ.get("ACCORD_LOGIN_THROTTLE_WINDOW", "900"))
AXES_FAILURE_LIMIT = LOGIN_THROTTLE_FAILURES
AXES_COOLOFF_TIME = dt.timedelta(seconds=LOGIN_THROTTLE_WINDOW_SECONDS)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_CALLABLE = "accord.web.views.signin_locked_out"
AXES_CLIENT_IP_CALLABLE = "accord.platform.sessions.client_address"
AXES_USERNAME_CALLABLE = "accord.platform.sessions.attempted_username"
AXES_VERBOSE = False

# The TLS proxies in front of the server: only from these addresses are
# X-Forwarded-Proto and X-Forwarded-For believed (by `accord serve`'s
# server and by the sign-in throttle).
TRUSTED_PROXIES = [a.strip() for a in os.environ.get("ACCORD_TRUSTED_PROXIES", "").split(",") if a.strip()]

# Sessions: stored in the database (shared by every process); they end after
# ACCORD_SESSION_IDLE_SECONDS without a request and at the latest
# ACCORD_SESSION_MAX_SECONDS after sign-in (Django's default is two weeks).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_SECONDS = int(os.environ.get("ACCORD_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_COOKIE_AGE = int(os.environ.get("ACCORD_SESSION_MAX_SECONDS", str(12 * 3600)))

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
    # HSTS is sent on every HTTPS response, whether or not Accord itself
    # redirects HTTP to HTTPS (the proxy may do that instead).
    SECURE_HSTS_SECONDS = int(os.environ.get("ACCORD_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = os.environ.get("ACCORD_SSL_REDIRECT", "1") == "1"
    # A request is HTTPS when the TLS proxy says so. `accord serve` passes
    # the header on only from ACCORD_TRUSTED_PROXIES (waitress trusted_proxy,
    # gunicorn forwarded_allow_ips) and strips it from anyone else.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

"""The one settings module. Every value can be overridden from the environment
(docs/configuration.md lists each variable); the defaults suit the embedded setup: one machine,
SQLite in the data dir, email printed to the console."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ceasefire.core.config import (
    env_bool,
    env_dir,
    env_int,
    env_list,
    env_secret,
    env_str,
    secret_key,
)

PACKAGE_DIR = Path(__file__).resolve().parent

DATA_DIR = env_dir("CEASEFIRE_DATA_DIR", Path.home() / ".local" / "share" / "ceasefire")
# Keys live apart from the database and its backups; inside the data dir only by default.
KEY_DIR = env_dir("CEASEFIRE_KEY_DIR", DATA_DIR / "keys")

# The exported log (tiles, checkpoint) for static hosting. It also holds the largest checkpoint
# ever published, which the mission must never contradict: keep it outside the database.
LOG_DIR = env_dir("CEASEFIRE_LOG_DIR", DATA_DIR / "log")

DEBUG = env_bool("CEASEFIRE_DEBUG", False)
SECRET_KEY = secret_key(KEY_DIR)
ALLOWED_HOSTS = env_list("CEASEFIRE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CEASEFIRE_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("CEASEFIRE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Unset, the default name is shown in the reader's language.
MISSION_NAME = env_str("CEASEFIRE_MISSION_NAME", "") or _("Ceasefire monitoring mission")
# The log's name in its checkpoints and key, e.g. `mission.example/log`.
LOG_ORIGIN = env_str(
    "CEASEFIRE_LOG_ORIGIN", f"{urlparse(SITE_URL).hostname or 'localhost'}/ceasefire-log"
)
# Seconds between a commit and the checkpoint that signs it: a burst of writes is signed once.
LOG_CHECKPOINT_DELAY = env_int("CEASEFIRE_CHECKPOINT_SECONDS", 1, minimum=0)
# Witnesses that cosign each checkpoint: `URL=VERIFIERKEY` pairs or a JSON file (witnessing.py).
LOG_WITNESSES = env_str("CEASEFIRE_WITNESSES", "")
# A JSON file overriding the default disclosure of entry fields: {"type": {"field": "sealed"}}.
DISCLOSURE_POLICY_FILE = env_str("CEASEFIRE_DISCLOSURE_POLICY", "")

INSTALLED_APPS = [
    "ceasefire.core",
    "ceasefire.accounts",
    "ceasefire.ledger",
    "ceasefire.places",
    "ceasefire.registry",
    "ceasefire.audit",
    "ceasefire.positions",
    "ceasefire.incidents",
    "ceasefire.convoys",
    "ceasefire.fieldsync",
    "ceasefire.people",
    "ceasefire.operations",
    "ceasefire.reports",
    "ceasefire.holdings",
    "ceasefire.stores",
    "ceasefire.caches",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ceasefire.accounts.middleware.TokenAuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before the access check, so refused writes are recorded too; outside axes, so the
    # trail sees the lockout answer.
    "ceasefire.audit.middleware.AuditMiddleware",
    "ceasefire.accounts.middleware.TwoFactorMiddleware",
    "ceasefire.core.access.AccessMiddleware",
    "ceasefire.core.errors.ErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ceasefire.urls"
WSGI_APPLICATION = "ceasefire.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
AUTHENTICATION_BACKENDS = [
    "ceasefire.accounts.backends.ThrottledBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Django's own form templates, rendered by Jinja2: a list page's filter form took a third of
# its time through the template engine.
FORM_RENDERER = "django.forms.renderers.Jinja2"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ceasefire.core.context_processors.navigation",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'ceasefire.sqlite3'}")
    try:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database URL Ceasefire knows: {exc}"
        ) from None
    engine = str(config["ENGINE"])
    if engine == "django.db.backends.sqlite3":
        # Django's, with writers queued on a lock file rather than SQLite's sleeps.
        config["ENGINE"] = "ceasefire.core.sqlite"
        # Tests run in memory, as with Django's own engine (which test runners recognise).
        config["TEST"] = {"NAME": ":memory:"}
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock when a
        # transaction starts, so two writers queue on busy_timeout instead of failing with
        # "database is locked" when one upgrades a read lock. Connections are kept between
        # requests (CONN_MAX_AGE, as for PostgreSQL): opening one and closing it, which
        # checkpoints the WAL, cost half of a field submission's time. Reading through a
        # memory map spares each worker re-reading the pages another process wrote.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;PRAGMA foreign_keys=ON;"
                "PRAGMA mmap_size=1073741824;"
            ),
        }
    elif engine != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            f"DATABASE_URL: Ceasefire runs on SQLite or PostgreSQL, not {engine}."
        )
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages of the mission. Azerbaijani is written in Latin script.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("hy", _("Armenian")),
    ("az", _("Azerbaijani")),
]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Strings of the top-level modules (cli.py, permissions.py, ...) live in core's catalogue; naming
# it here is also what makes `makemessages`, run from src/ceasefire, put them there (docs/i18n.md).
LOCALE_PATHS = [PACKAGE_DIR / "core" / "locale"]
# Django ships no date and number formats for Armenian; ours are in ceasefire/formats/hy.
FORMAT_MODULE_PATH = ["ceasefire.formats"]
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = env_str("CEASEFIRE_TIME_ZONE", "UTC")
# The daily situation report is taken at this time of day (HH:MM; 00:00 is the end of the day),
# in this time zone (reports/config.py checks both at start).
REPORT_CUTOFF = env_str("CEASEFIRE_REPORT_CUTOFF", "18:00")
REPORT_TIME_ZONE = env_str("CEASEFIRE_REPORT_TIME_ZONE", TIME_ZONE)
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env_dir("CEASEFIRE_STATIC_DIR", DATA_DIR / "static")
MEDIA_ROOT = env_dir("CEASEFIRE_MEDIA_DIR", DATA_DIR / "uploads")
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

TASKS = {
    "default": {
        "BACKEND": env_str("CEASEFIRE_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("CEASEFIRE_EMAIL_HOST", "")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("CEASEFIRE_EMAIL_HOST", "")
EMAIL_PORT = env_int("CEASEFIRE_EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("CEASEFIRE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_secret("CEASEFIRE_EMAIL_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("CEASEFIRE_EMAIL_TLS", True)
DEFAULT_FROM_EMAIL = env_str("CEASEFIRE_EMAIL_FROM", "ceasefire@localhost")

# The map's base layer: a tile URL template (`https://{s}.tile.example/{z}/{x}/{y}.png`) for
# connected deployments. Empty, the map draws a graticule and the mission's own layers offline.
MAP_TILE_URL = env_str("CEASEFIRE_MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("CEASEFIRE_MAP_TILE_ATTRIBUTION", "")
_tile_origin = urlparse(MAP_TILE_URL.replace("{s}", "*"))
MAP_TILE_SOURCES = [f"{_tile_origin.scheme}://{_tile_origin.netloc}"] if _tile_origin.netloc else []

# Security headers. Pages carry no inline script or style and no eval: scripts live in static
# files and htmx is used without hx-on, so the policy can stay this strict.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *MAP_TILE_SOURCES],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HTTPS = env_bool("CEASEFIRE_HTTPS", False)
# Behind a TLS-terminating proxy: Django then sees requests as secure and sends HSTS.
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("CEASEFIRE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("CEASEFIRE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading binds the whole registered domain to HTTPS in browsers for months, past any
    # change of mind: the operator asks for it; Django's reminder is silenced until then.
    SECURE_HSTS_PRELOAD = env_bool("CEASEFIRE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("CEASEFIRE_SESSION_HOURS", 12, minimum=1) * 3600
# Reverse proxies in front of the server that append to X-Forwarded-For; 0 trusts REMOTE_ADDR
# only. The client address is what login throttling and the audit trail record.
PROXY_COUNT = env_int("CEASEFIRE_PROXY_COUNT", 0, minimum=0)

# Login throttling (django-axes): after this many failures for one username from one address,
# that pair is locked out for the cool-off period.
AXES_FAILURE_LIMIT = env_int("CEASEFIRE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CEASEFIRE_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "ceasefire.audit.client.client_ip"
AXES_LOCKOUT_CALLABLE = "ceasefire.accounts.views.locked_out"
# Logins are in the audit trail already; one record is enough.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Two-factor: TOTP codes from an authenticator app, named after the mission in the app.
OTP_TOTP_ISSUER = "Ceasefire"
# Uploads larger than this are refused (ceasefire.core.uploads); callers may set a lower limit.
UPLOAD_MAX_BYTES = env_int("CEASEFIRE_UPLOAD_MAX_MB", 50, minimum=1) * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # No secret from a URL path reaches the log (ceasefire/logs.py).
    "filters": {"hide_secrets": {"()": "ceasefire.logs.HideSecrets"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["hide_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("CEASEFIRE_LOG_LEVEL", "INFO")},
    # axes notes every failed login at INFO; lockouts (WARNING) are what an operator needs.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# API pagination: page sizes a client may ask for.
API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 500

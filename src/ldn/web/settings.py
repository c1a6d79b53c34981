"""Settings: the only module that reads the environment.

Every variable is parsed by a small helper that raises ImproperlyConfigured naming the
variable and what it accepts, so a typo stops the app at start-up instead of running with a
silent default.
"""

from __future__ import annotations

import base64
import os
import secrets
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
import platformdirs
from django.core.exceptions import ImproperlyConfigured

WEB_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def _env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, "").strip() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value


def _env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None


def _data_dir() -> Path:
    raw = os.environ.get("LDN_DATA_DIR", "").strip()
    return (
        Path(raw).expanduser().resolve()
        if raw
        else Path(platformdirs.user_data_dir("ldn-companion"))
    )


# SQLite that holds concurrent writes (Django 5.2): every transaction takes the write lock when
# it begins (IMMEDIATE), so two requests never deadlock upgrading a read lock (which SQLite
# answers at once with "database is locked", without waiting); a writer waits up to `timeout`
# seconds for the lock (sqlite3's busy timeout); WAL lets readers go on while one writer writes; synchronous=NORMAL is
# durable in WAL mode except for the last transactions on power loss (never corrupting).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL",
}


def _database(data_dir: Path) -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if url is None:
        data_dir.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(data_dir / "ldn.sqlite3"),
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    if not url.strip():
        raise ImproperlyConfigured(
            "DATABASE_URL is set but empty; unset it for the embedded SQLite database or give "
            "a URL such as postgres://user:password@host:5432/dbname"
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60)
    except Exception as exc:  # dj-database-url raises several types for a malformed URL
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a valid database URL ({exc}); expected e.g. "
            "postgres://user:password@host:5432/dbname or sqlite:////path/to/db.sqlite3"
        ) from None
    engine = str(config.get("ENGINE", ""))
    if engine not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must use postgres:// or sqlite://; got the engine {engine or 'unknown'!r}"
        )
    if engine == "django.db.backends.postgresql" and not config.get("NAME"):
        raise ImproperlyConfigured(
            "DATABASE_URL names no database; add it after the host, e.g. /ldn"
        )
    if engine == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **dict(config.get("OPTIONS") or {})}
    return config


def _secret_key(data_dir: Path, production: bool) -> str:
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        if production and len(key) < 50:
            raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production")
        return key
    if production:
        raise ImproperlyConfigured("SECRET_KEY must be set when LDN_ENV=production")
    # A local instance keeps its own random key beside its database, so sessions survive restarts.
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


LDN_ENV = _env_choice("LDN_ENV", "local", ("local", "production"))
PRODUCTION = LDN_ENV == "production"
DATA_DIR = _data_dir()
DEBUG = _env_bool("LDN_DEBUG", False)
SECRET_KEY = _secret_key(DATA_DIR, PRODUCTION)
ALLOWED_HOSTS = _env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must list the site's host names when LDN_ENV=production"
    )
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "ldn.web.accounts.apps.LdnAdminConfig",  # the admin, behind the second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ldn.web.accounts",
    "ldn.web.journal",
    "ldn.web.pages",
    "ldn.web.learn",
    "ldn.web.science",
    "ldn.web.therapy",
    "ldn.web.insights",
    "ldn.web.clinic",
    "ldn.web.living",
    "ldn.web.push",
    "ldn.web.pwa",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes
    "axes",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ldn.web.accounts.middleware.touch_session",
    "ldn.web.pwa.middleware.user_key_header",  # whose page it is, for the service worker's cache
    "ldn.web.clinic.middleware.TwoFactorMiddleware",
    "ldn.web.clinic.middleware.ShareEndedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ldn.web.urls"
WSGI_APPLICATION = "ldn.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ldn.web.therapy.context.safety",
            ],
        },
    },
]

DATABASES = {"default": _database(DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Axes first: it refuses a locked-out account before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

SESSION_COOKIE_AGE = _env_int("LDN_SESSION_SECONDS", 60 * 60 * 12)
# A clinician's session ends after this long without a request (ldn.web.clinic.middleware).
LDN_CLINICIAN_IDLE_SECONDS = _env_int("LDN_CLINICIAN_IDLE_SECONDS", 30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# The clock seam (ldn.web.accounts.clock.now): days added to "now" so a development server can
# show a patient's day 90 without waiting. Refused outside DEBUG so production always runs on the
# real clock; tests set LDN_CLOCK_SHIFT (a timedelta) directly.
_clock_shift_days = _env_int("LDN_CLOCK_SHIFT_DAYS", 0)
if _clock_shift_days and not DEBUG:
    raise ImproperlyConfigured(
        "LDN_CLOCK_SHIFT_DAYS is only honoured with LDN_DEBUG=1 (a development server); "
        f"got {_clock_shift_days} with LDN_DEBUG off"
    )
LDN_CLOCK_SHIFT = timedelta(days=_clock_shift_days)
# Idle sessions end: a request pushes the expiry on by SESSION_COOKIE_AGE, no further; the
# session is saved for it at most once per LDN_SESSION_TOUCH_SECONDS (ldn.web.accounts.middleware).
SESSION_SAVE_EVERY_REQUEST = False
# Sessions are read from the cache (Redis, or files) and written through to the database: a
# request then reads no session row. Sessions are deleted through the engine only (logout,
# accounts.deletion.end_sessions), never by deleting rows, so no cached copy outlives its row.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
LDN_SESSION_TOUCH_SECONDS = _env_int("LDN_SESSION_TOUCH_SECONDS", 60)

# Lock-out after repeated failed logins, for every account (patients and clinicians alike).
AXES_FAILURE_LIMIT = _env_int("LDN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=_env_int("LDN_LOGIN_COOLOFF_MINUTES", 15))
# Counted per account (AXES_FAILURE_LIMIT) and, separately and higher, per address, so that
# one person's typos cannot lock out a colleague behind the same address (ldn.web.accounts.lockout).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "ldn.web.accounts.lockout.AccountFirstHandler"
LDN_LOGIN_ADDRESS_FAILURE_LIMIT = _env_int("LDN_LOGIN_ADDRESS_FAILURE_LIMIT", 50)
# X-Forwarded-For is read only behind this many trusted proxies (0: never).
LDN_TRUSTED_PROXY_COUNT = _env_int("LDN_TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "ldn.web.accounts.lockout.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "clinic/lockout.html"
AXES_VERBOSE = False
# Two-factor sign-in (TOTP): required for clinicians, optional for patients.
OTP_TOTP_ISSUER = "LDN Companion"

EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = _env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "LDN Companion <noreply@localhost>")
# Seconds any one step of an SMTP conversation may take; a send never blocks for ever.
EMAIL_TIMEOUT = _env_int("EMAIL_TIMEOUT", 30)
# How long a worker owns a reminder it is sending (ldn.web.therapy.reminders). A worker that dies
# mid-send holds it this long; then the next run sends it. Longer than a slow SMTP send can take.
LDN_REMINDER_LEASE = timedelta(seconds=_env_int("LDN_REMINDER_LEASE_SECONDS", 10 * 60))
if LDN_REMINDER_LEASE.total_seconds() < 1 or EMAIL_TIMEOUT < 1:
    raise ImproperlyConfigured(
        "LDN_REMINDER_LEASE_SECONDS and EMAIL_TIMEOUT must be whole numbers of at least 1"
    )

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [WEB_DIR / "static"]
# collectstatic writes here in production; locally WhiteNoise serves from the package itself.
STATIC_ROOT = (
    Path(os.environ.get("STATIC_ROOT", "").strip() or DATA_DIR / "static") if PRODUCTION else None
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Locally the app serves its static files straight from the package, without collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION

# Content-Security-Policy (django-csp 4): only our own scripts, styles and images; no inline
# <script>, <style> or style="" anywhere (charts use SVG attributes and classes instead), no
# plugins, no framing. The PDF report's <style> is rendered for WeasyPrint only, never served.
# In development (LDN_DEBUG=1) browsers also POST violations to /csp-report/, which logs them.
CSP_REPORT_PATH = "/csp-report/"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "manifest-src": ["'self'"],  # the web app manifest (ldn.web.pwa)
        "worker-src": ["'self'"],  # the service worker at /sw.js
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **({"report-uri": [CSP_REPORT_PATH]} if DEBUG else {}),
    },
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = _env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Task queue (reminder e-mails): Huey on an SQLite file beside the database, or Redis when set.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"REDIS_URL must start with redis://, rediss:// or unix://; got {REDIS_URL!r}"
    )
if not REDIS_URL:
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # the queue's SQLite file lives beside the data
HUEY = (
    {"huey_class": "huey.RedisHuey", "name": "ldn", "url": REDIS_URL, "immediate": False}
    if REDIS_URL
    else {
        "huey_class": "huey.SqliteHuey",
        "name": "ldn",
        "filename": str(DATA_DIR / "tasks.sqlite3"),
        "immediate": False,
        # The queue's file is written by the web process and every worker: WAL and a busy
        # timeout as for the database above (huey's own defaults are WAL and 5 seconds).
        "journal_mode": "wal",
        "timeout": 20,
    }
)

# The cache holds precomputed statistics (ldn.web.insights); the worker fills it and the web
# processes read it, so it must be shared between processes: Redis when set, else files.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}

# Absolute links in reminder e-mails (the worker has no request to take the host from).
LDN_BASE_URL = os.environ.get("LDN_BASE_URL", "").strip().rstrip("/") or "http://127.0.0.1:8000"


def _vapid_private_key() -> str:
    """The VAPID signing key for Web Push (RFC 8292): a PEM private key, or the base64url raw
    32-byte P-256 key that `npx web-push generate-vapid-keys` prints. Empty: ldn.web.push.vapid
    makes one at first use in the data folder (docs/reminders.md)."""
    raw = os.environ.get("LDN_VAPID_PRIVATE_KEY", "").strip().replace("\\n", "\n")
    if not raw:
        return raw
    if raw.startswith("-----BEGIN"):
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        try:
            load_pem_private_key(raw.encode(), password=None)
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured(
                f"LDN_VAPID_PRIVATE_KEY is not a readable unencrypted PEM private key: {exc}"
            ) from None
        return raw
    try:
        size = len(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except ValueError:
        size = -1
    if size != 32:
        raise ImproperlyConfigured(
            "LDN_VAPID_PRIVATE_KEY must be a PEM private key or a base64url P-256 key of 32 bytes;"
            f" got {len(raw)} characters that are neither"
        )
    return raw


LDN_VAPID_PRIVATE_KEY = _vapid_private_key()
LDN_VAPID_KEY_FILE = DATA_DIR / "vapid_private_key.pem"
# Who the push services may contact about our messages (RFC 8292 "sub").
LDN_VAPID_SUBJECT = os.environ.get("LDN_VAPID_SUBJECT", "").strip() or "mailto:" + (
    parseaddr(DEFAULT_FROM_EMAIL)[1] or "noreply@localhost"
)
if not LDN_VAPID_SUBJECT.startswith(("mailto:", "https://")):
    raise ImproperlyConfigured(
        f"LDN_VAPID_SUBJECT must start with mailto: or https://; got {LDN_VAPID_SUBJECT!r}"
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

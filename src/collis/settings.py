"""Django settings for Collis, read once from the environment.

Development needs no configuration: SQLite under ``var/``, console email, in-process jobs.
Production sets ``DEBUG=false`` and must then give a real ``SECRET_KEY``; ``DATABASE_URL`` and
``CELERY_BROKER_URL`` switch to PostgreSQL and Redis.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("COLLIS_HOME", BASE_DIR.parent.parent))
VAR_DIR = Path(os.environ.get("COLLIS_VAR_DIR", PROJECT_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=True)

_DEV_SECRET_KEY = "collis-development-only-key-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY is too weak for production: use 50+ random characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

CLINIC_TIME_ZONE = os.environ.get("CLINIC_TIME_ZONE", "America/Chicago")
try:
    ZoneInfo(CLINIC_TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError) as exc:
    raise ImproperlyConfigured(
        f"CLINIC_TIME_ZONE {CLINIC_TIME_ZONE!r} is not a known zone"
    ) from exc
TIME_ZONE = CLINIC_TIME_ZONE
USE_TZ = True
LANGUAGE_CODE = "en"
USE_I18N = True
# Patient-facing languages (issue #17). No URL prefixes: LocaleMiddleware picks the language from
# the cookie, then Accept-Language; collis.lib.i18n adds ?lang= links and the patient's record.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["collis.formats"]  # ISO first in es date inputs (browsers need it)
LANGUAGE_COOKIE_NAME = "collis_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Public URL used in emails (booking links, recall letters).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves Swagger UI from static files, not a CDN (CSP: 'self' only)
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "corsheaders",
    "oauth2_provider",
    "collis.accounts",
    "collis.audit",
    "collis.providers",
    "collis.education",
    "collis.patients",
    "collis.scales",
    "collis.injections",
    "collis.diary",
    "collis.jobs",
    "collis.ops",
    "collis.interop",
    "collis.scheduling",
    "collis.recordings",
    "collis.checkins",
    "collis.supply",
    "collis.chart",
    "collis.demo",
]

MIDDLEWARE = [
    "collis.lib.logs.RequestIdMiddleware",  # first: every later log line carries the id
    "collis.lib.nul_bytes.RejectNulBytesMiddleware",  # 400, not a PostgreSQL 500, on NUL
    "corsheaders.middleware.CorsMiddleware",  # CORS for registered SMART apps (/fhir/, /o/)
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # cookie, then Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # JSON body and a same-site Origin for API writes (ninja skips Django's CSRF check).
    "collis.api.middleware.ApiWriteGuardMiddleware",
    # After auth: ?lang= from email links, then a signed-in patient's saved language.
    "collis.lib.i18n.LanguageChoiceMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "collis.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so it turns a lockout flagged during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "collis.urls"
WSGI_APPLICATION = "collis.wsgi.application"
ASGI_APPLICATION = "collis.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "collis.providers.context_processors.clinic",
            ],
            # Django 5.2 wraps these loaders in its cached loader (templates compiled once per
            # process) whatever DEBUG is; tests/lib/test_fragments.py checks it stays so.
            "libraries": {"publiccache": "collis.lib.fragment_tags"},
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'collis.sqlite3'}"),
        # Persistent connections by default: opening one per request cost 2.5x the throughput
        # on PostgreSQL (issue #20: 66 vs 164 req/s). 0 closes after each request (use it
        # behind a transaction-mode pooler such as PgBouncer, which then owns the pooling).
        conn_max_age=env_int("DB_CONN_MAX_AGE", 600),
        # A persistent connection is pinged before reuse, so a database restart costs the
        # requests in flight, not every request of every worker afterwards.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers work while one writer holds the lock; IMMEDIATE takes the write lock at
    # BEGIN so two booking transactions serialise instead of failing mid-way on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
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
# Axes first: it refuses locked-out credentials before any backend checks a password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout after repeated failures, keyed on the username and IP address together, so an attacker
# cannot lock every account out from one address, nor guess one account from many tries.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# And a ceiling per account across all addresses (collis.accounts.lockout): past it, sign-in
# from addresses the account never used pauses with a growing backoff; the owner is emailed.
ACCOUNT_FAILURE_CEILING = env_int("ACCOUNT_FAILURE_CEILING", 20)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "collis.accounts.views.locked_out"  # "try again in N minutes" page
AXES_HTTP_RESPONSE_CODE = 429
AXES_DISABLE_ACCESS_LOG = True  # successful and failed sign-ins go to the audit trail instead
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)  # X-Forwarded-For is client-controlled
AXES_VERBOSE = False
# Second factor: TOTP (authenticator app) plus single-use backup codes.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Collis")
OTP_TOTP_THROTTLE_FACTOR = 1  # each wrong code doubles the wait before the next try
OTP_STATIC_THROTTLE_FACTOR = 1
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:start"
LOGOUT_REDIRECT_URL = "home"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
# Private media (uploads, annotated frames, FHIR exports): local disk by default (one machine);
# STORAGE_BACKEND=s3 puts them in a private S3-compatible bucket so any web server or worker on
# any host reads the same files (django-storages). Credentials come from the usual
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY environment (or the instance's role).
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local")
if STORAGE_BACKEND not in {"local", "s3"}:
    raise ImproperlyConfigured(f"STORAGE_BACKEND must be local or s3, not {STORAGE_BACKEND!r}")
# With S3, the audited file views either stream the object through the web server (default;
# the bucket's address never reaches a browser) or, with S3_PRESIGNED_REDIRECT, answer a
# redirect to a URL signed for S3_PRESIGNED_SECONDS (the bucket must be reachable by browsers;
# its origin is added to the CSP's img-src and media-src).
S3_PRESIGNED_REDIRECT = env_bool("S3_PRESIGNED_REDIRECT", default=False)
S3_PRESIGNED_SECONDS = env_int("S3_PRESIGNED_SECONDS", 60)
_default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if STORAGE_BACKEND == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", "collis-private"),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION", "us-east-1"),
            "addressing_style": os.environ.get("S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
            "default_acl": None,  # objects inherit the bucket's private policy; never public-read
            "querystring_auth": True,  # every URL is signed ...
            "querystring_expire": S3_PRESIGNED_SECONDS,  # ... and short-lived
            "file_overwrite": False,
        },
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded clinical media (photos, videos) are private: there is no MEDIA_URL route; files are
# streamed by a view that checks access and writes an audit entry.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Collis clinic <no-reply@collis.invalid>")

# How long a freed slot offered to a waitlisted patient from the desk stays held for them.
WAITLIST_HOLD_HOURS = int(os.environ.get("WAITLIST_HOLD_HOURS", "24"))

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With the broker down, publishing gives up in about a second; the job stays queued and
# visible, and the periodic re-dispatch sends it once the broker is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
# A task whose worker died unacknowledged is redelivered after this many seconds (Redis).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 600)}
# A running job's worker renews its heartbeat every quarter of this; a job without a heartbeat
# for this long may be claimed again (on PostgreSQL an advisory lock says "dead" at once).
JOBS_LEASE_SECONDS = env_int("JOBS_LEASE_SECONDS", 60)
# Backups of health data are encrypted at rest with this key (URL-safe base64 of 32 bytes;
# `manage.py backup_key` makes one). The clinic keeps a copy away from the server: without it
# no backup can be restored. Required for backups when DEBUG is false.
BACKUP_ENCRYPTION_KEY = os.environ.get("BACKUP_ENCRYPTION_KEY", "")
# Rate limits count requests in the cache; give all workers one Redis in production.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        # Degrades when Redis is down: page cache misses, rate limits count per process.
        {"BACKEND": "collis.lib.cache.ResilientRedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Public page fragments shared by anonymous visitors (collis.lib.fragments): on by default only
# with a shared cache, where an edit on one server retires every server's copy at once.
PUBLIC_FRAGMENT_CACHE = env_bool("PUBLIC_FRAGMENT_CACHE", default=bool(CACHE_URL))
PUBLIC_FRAGMENT_CACHE_SECONDS = env_int("PUBLIC_FRAGMENT_CACHE_SECONDS", 600)
# Booking submissions (web form and API) per client address; loopback load tests raise it.
BOOKING_RATE_LIMIT = os.environ.get("BOOKING_RATE_LIMIT", "20/m")
# Waitlist sign-ups per client address: each one registers a patient record and sends email.
WAITLIST_RATE_LIMIT = os.environ.get("WAITLIST_RATE_LIMIT", "5/h")
# "thread" (in-process; the default without CELERY_BROKER_URL), "celery" (the default with
# one), or "sync" (run at commit in the caller's thread: tests, commands). Empty: the default.
JOBS_BACKEND = os.environ.get("JOBS_BACKEND", "")

# Home video check-ins (issue #16). The video is deleted once measured unless kept; the
# annotated still and the measurements stay.
CHECKINS_KEEP_VIDEO = os.environ.get("CHECKINS_KEEP_VIDEO", "") == "1"
# Objective early wearing-off: resting deviation back to this fraction of the pre-injection
# baseline before this week, on two check-ins in a row [U: issue #16 defaults].
CHECKINS_WEAR_OFF_FRACTION = float(os.environ.get("CHECKINS_WEAR_OFF_FRACTION", "0.8"))
CHECKINS_WEAR_OFF_BEFORE_WEEK = float(os.environ.get("CHECKINS_WEAR_OFF_BEFORE_WEEK", "10"))

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # idle expiry: the 30-minute window restarts on activity
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "collis.accounts.views.csrf_failure"


# Strict Content-Security-Policy: no inline script or style anywhere; Swagger UI and the admin
# load their assets from our own static files. data: images are needed by the admin's widgets.
# SMART on FHIR authorisation server (django-oauth-toolkit): authorization code with PKCE,
# refresh tokens, revocation, OpenID Connect id_tokens carrying fhirUser. The signing key comes
# from COLLIS_OIDC_RSA_PRIVATE_KEY (PEM); without it, development makes one under var/.
def _oidc_private_key() -> str:
    pem = os.environ.get("COLLIS_OIDC_RSA_PRIVATE_KEY", "")
    if pem:
        return pem
    path = VAR_DIR / "oidc-rsa.pem"
    if not path.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside then renamed: processes starting together (test workers) never read
        # a half-written key; the last rename wins and every reader sees a whole file.
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        partial.chmod(0o600)
        os.replace(partial, path)
    return path.read_text()


OAUTH2_PROVIDER = {
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,  # nosec B105 - a lifetime, not a secret
    "REFRESH_TOKEN_EXPIRE_SECONDS": 90 * 24 * 3600,
    "ROTATE_REFRESH_TOKEN": True,  # nosec B105 - a switch, not a secret
    "OAUTH2_VALIDATOR_CLASS": "collis.interop.smart.validator.SmartValidator",
    "SCOPES_BACKEND_CLASS": "collis.interop.smart.validator.SmartScopes",
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _oidc_private_key(),
    # Plain-http redirects only for development (loopback apps); production requires https.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"] if DEBUG else ["https"],
    # RFC 9700 (OAuth 2.0 Security BCP): no implicit or password grants, S256 PKCE only, tokens
    # never in the query string, `iss` in the authorization response, refresh-token replay
    # revokes the token family.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    # Access and refresh tokens are stored as SHA-256 checksums only: a copy of the database
    # (a backup, a replica) holds no usable bearer token.
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
}
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"  # noqa: S105  # nosec B105 - a model name
# CORS: only the FHIR server and the OAuth endpoints, only for origins registered on an app
# (oauth2_provider Application.allowed_origins; see collis.interop.smart.cors).
CORS_URLS_REGEX = r"^/(fhir|o)/.*$"
CORS_ALLOW_HEADERS = ["authorization", "content-type", "prefer", "accept", "if-none-match"]
CORS_EXPOSE_HEADERS = ["location", "content-location", "etag", "last-modified"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if STORAGE_BACKEND == "s3" and S3_PRESIGNED_REDIRECT:
    _bucket_origin = os.environ.get("S3_ENDPOINT_URL", "https://*.amazonaws.com")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(_bucket_origin)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["media-src"] = ["'self'", _bucket_origin]
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER: tuple[str, str] | None = None
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # X-Forwarded-Proto is client-controlled unless a proxy in front rewrites it: trust it
    # only when the operator says one does (TRUSTED_PROXY=true, see README "Security").
    if env_bool("TRUSTED_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Structured JSON logs in production (one object per line, for log shippers); text in development.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
# Every line: ISO 8601 UTC time, and the request id (also on the jobs a request enqueued).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "collis.lib.logs.ContextFilter"}},
    "formatters": {
        "json": {
            "()": "collis.lib.logs.UTCJsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d "
            "%(request_id)s %(job_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {
            "()": "collis.lib.logs.UTCTextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s "
            "req=%(request_id)s job=%(job_id)s %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        # One line per request (route pattern, status, ms); gunicorn's access log is off.
        "collis.request": {"level": os.environ.get("ACCESS_LOG_LEVEL", "INFO")},
    },
}
# Celery workers log through LOGGING above (UTC, request and job ids), not their own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

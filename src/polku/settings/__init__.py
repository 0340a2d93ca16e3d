"""Polku settings: the module DJANGO_SETTINGS_MODULE names, configured from environment variables (see
README, "Configuration"). Every setting is named here; the modules beside it read the environment
strictly (environment.py), check the keys (keys.py), build the database connection (database.py) and
the logging (logs.py).

Outside debug mode the settings refuse to boot half-configured: a missing secret key or allowed hosts
is an error at start, not a warning at the first request.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from polku.settings import keys
from polku.settings.database import database
from polku.settings.environment import env_bool, env_int, env_list
from polku.settings.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = BASE_DIR.parent.parent

DEBUG = env_bool("POLKU_DEBUG", False)

SECRET_KEY = keys.secret_key(debug=DEBUG)

ALLOWED_HOSTS = env_list("POLKU_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured("POLKU_ALLOWED_HOSTS must be set when POLKU_DEBUG is off.")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
CSRF_TRUSTED_ORIGINS = env_list("POLKU_CSRF_TRUSTED_ORIGINS")

# Personal identity codes are stored encrypted and found through a keyed hash (keys.py).
IDENTITY_CODE_KEYS, IDENTITY_LOOKUP_KEY = keys.identity_code_keys(debug=DEBUG, secret_key=SECRET_KEY)
# The audit chain's anchor (audit/README.md, keys.py): keep it, or every older event fails verification.
AUDIT_ANCHOR_KEY = keys.audit_anchor_key(debug=DEBUG, secret_key=SECRET_KEY)
# `manage.py seal_audit` appends a signed checkpoint of the chain head here every minute (and logs it to
# `polku.audit.checkpoint`); ship the file or the log elsewhere, where the database's writers cannot reach.
AUDIT_CHECKPOINT_FILE = Path(
    os.environ.get("POLKU_AUDIT_CHECKPOINT_FILE", BASE_DIR.parents[1] / "var" / "audit-checkpoints.jsonl")
)

# A personal worker who opens a client outside their teams ("break the glass") sees them this long.
BREAK_GLASS_HOURS = env_int("POLKU_BREAK_GLASS_HOURS", 8)
# Audit events are linked into the hash chain after their commit, by at most one sealing run per this
# many seconds in each process (audit/README.md); `manage.py seal_audit` seals what is left waiting.
AUDIT_SEAL_INTERVAL = float(os.environ.get("POLKU_AUDIT_SEAL_SECONDS") or 0.2)

# Behind a reverse proxy, the client address is the N-th from the right in X-Forwarded-For. The login
# rate limits (allauth) and the audit log both read it from here; 0 means REMOTE_ADDR is the client.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("POLKU_TRUSTED_PROXY_COUNT", 0)

# Staff who have not set up two-factor authentication can reach nothing but its set-up page.
REQUIRE_MFA = env_bool("POLKU_REQUIRE_MFA", True)

INSTALLED_APPS = [
    "polku.accounts.apps.PolkuAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "polku.accounts",
    "polku.audit",
    "polku.core",
    "polku.clients",
    "polku.instruments",
    "polku.api",
    "django_tasks",
    "django_tasks_db",
    "polku.screening",
    "polku.intake",
    "polku.assessments",
    "polku.plans",
    "polku.network",
    "polku.placements",
    "polku.employment",
    "polku.insights",
    "polku.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "polku.audit.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "polku.accounts.sessions.SessionTouchMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "polku.accounts.middleware.ActiveMembershipMiddleware",
    "polku.accounts.middleware.RequireMFAMiddleware",
    "polku.portal.session.ClientSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "polku.urls"
WSGI_APPLICATION = "polku.wsgi.application"

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
                "csp.context_processors.nonce",
                "polku.accounts.context_processors.membership",
            ],
        },
    },
]

# DATABASE_URL, or SQLite in var/ (database.py).
DATABASES = {"default": database(sqlite_path=REPO_DIR / "var" / "polku.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# allauth's backend only: every password check goes through its rate limits and second factor.
# allauth's backend (passwords, e-mail login) reading the session's user with their active memberships.
AUTHENTICATION_BACKENDS = ["polku.accounts.backends.AuthenticationBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Login, sessions (django-allauth) ---
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "polku.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = {
    # Twenty failures from one address in 15 minutes refuse further tries from it for the rest of the
    # window. Five wrong passwords for one account (from anywhere) lock nothing: from then on, each
    # address that fails for it waits before its next try, POLKU_LOGIN_BACKOFF_SECONDS doubled at each
    # of its failures (accounts/throttle.py). Five wrong two-factor codes for one user refuse further
    # codes (only someone who knows the password gets that far).
    "login_failed": os.environ.get("POLKU_LOGIN_FAILED_LIMIT", "20/15m/ip,5/15m/key"),
}
LOGIN_BACKOFF_SECONDS = env_int("POLKU_LOGIN_BACKOFF_SECONDS", 15)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Polku"
MFA_ADAPTER = "polku.accounts.adapter.MFAAdapter"

SESSION_IDLE_MINUTES = env_int("POLKU_SESSION_IDLE_MINUTES", 30)
# The cookie age is an idle timeout: a request pushes the expiry on when it was last pushed more than
# SESSION_TOUCH_SECONDS ago (accounts/sessions.py), so most requests write nothing.
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_TOUCH_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

HTTPS = env_bool("POLKU_HTTPS", not DEBUG)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The `__Host-` prefix makes browsers refuse these cookies unless they come over HTTPS for this
    # host only (Secure, Path=/, no Domain): a sibling subdomain or a plain-HTTP page cannot plant a
    # session or a CSRF token. Django sends both cookies that way already; a deploy check keeps it so.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("POLKU_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "polku.core.views.csrf_failure"

# Content Security Policy: no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- The client's own Polku (portal/README.md): identification over OpenID Connect ---
# `make run` starts a test provider on loopback (scripts/portal_idp.py) and these defaults point to it;
# production sets the real provider's issuer, the client id it registered and Polku's keys.
POLKU_PORTAL_OIDC_ISSUER = os.environ.get(
    "POLKU_PORTAL_OIDC_ISSUER", "http://127.0.0.1:9400" if DEBUG else ""
).rstrip("/")
# The provider's metadata; empty: <issuer>/.well-known/openid-configuration.
POLKU_PORTAL_OIDC_METADATA_URL = os.environ.get("POLKU_PORTAL_OIDC_METADATA_URL", "")
POLKU_PORTAL_OIDC_CLIENT_ID = os.environ.get("POLKU_PORTAL_OIDC_CLIENT_ID", "polku-demo" if DEBUG else "")
POLKU_PORTAL_OIDC_CLIENT_SECRET = os.environ.get(
    "POLKU_PORTAL_OIDC_CLIENT_SECRET", "polku-demo-secret" if DEBUG else ""
)
# client_secret_basic, or private_key_jwt (a client assertion signed with Polku's "sig" key).
POLKU_PORTAL_OIDC_CLIENT_AUTH = os.environ.get("POLKU_PORTAL_OIDC_CLIENT_AUTH", "client_secret_basic")
# The authentication request as a signed request object (JAR), and ID tokens encrypted to Polku's "enc" key.
POLKU_PORTAL_OIDC_SIGNED_REQUEST = env_bool("POLKU_PORTAL_OIDC_SIGNED_REQUEST", False)
POLKU_PORTAL_OIDC_ENCRYPTED_ID_TOKEN = env_bool("POLKU_PORTAL_OIDC_ENCRYPTED_ID_TOKEN", False)
# Polku's private keys as a JWK set (JSON, or the path of a file holding it): one key with "use": "sig"
# and one with "use": "enc". Their public halves are published at /portal/oidc/jwks.json.
POLKU_PORTAL_OIDC_KEYS = os.environ.get("POLKU_PORTAL_OIDC_KEYS", "")
POLKU_PORTAL_OIDC_SCOPE = os.environ.get("POLKU_PORTAL_OIDC_SCOPE", "openid")
# The claim holding the personal identity code.
POLKU_PORTAL_OIDC_IDENTITY_CLAIM = os.environ.get(
    "POLKU_PORTAL_OIDC_IDENTITY_CLAIM", "personal_identity_code"
)
# How long a started login may take, and how long a client session lasts without a request.
POLKU_PORTAL_LOGIN_SECONDS = env_int("POLKU_PORTAL_LOGIN_SECONDS", 600)
POLKU_PORTAL_IDLE_SECONDS = env_int("POLKU_PORTAL_IDLE_SECONDS", 15 * 60)
# Whom a person who is not a client should contact (shown on the "not a client" page).
POLKU_PORTAL_HELP_CONTACT = os.environ.get("POLKU_PORTAL_HELP_CONTACT", "")
if POLKU_PORTAL_OIDC_ISSUER:
    # Logging out posts to Polku, which sends the browser on to the provider to end its session too.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(POLKU_PORTAL_OIDC_ISSUER)

# --- Language and time ---
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["polku.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Helsinki"
USE_TZ = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files ---
STATIC_URL = "/static/"
STATIC_ROOT = REPO_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_MANIFEST = env_bool("POLKU_STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if STATIC_MANIFEST:
    # Production serves the collected, hashed files itself (`manage.py collectstatic` at deploy);
    # `make run` and the tests serve them straight from the apps' static folders.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

# --- Service network ---
# A sent referral with no answer, or an accepted one not started, within these days is overdue on the
# personal worker's caseload; a host's feedback link expires after its days.
POLKU_REFERRAL_ANSWER_DAYS = env_int("POLKU_REFERRAL_ANSWER_DAYS", 14)
POLKU_REFERRAL_START_DAYS = env_int("POLKU_REFERRAL_START_DAYS", 30)
POLKU_PLACEMENT_FEEDBACK_LINK_DAYS = env_int("POLKU_PLACEMENT_FEEDBACK_LINK_DAYS", 14)

# --- Knowledge-based management ---
# Counts under this are hidden on every page, export and PDF of figures (MEASURES.md, "Small cells").
POLKU_INSIGHTS_THRESHOLD = env_int("POLKU_INSIGHTS_THRESHOLD", 5)
# The key of the research extract's pseudonyms: its own secret, never the identity code lookup key.
POLKU_INSIGHTS_PSEUDONYM_KEY = os.environ.get(
    "POLKU_INSIGHTS_PSEUDONYM_KEY", "demo-pseudonym-key" if DEBUG else ""
)
# The daily benefit amount the cost estimate uses (euros; the average labour market subsidy in 2025).
POLKU_INSIGHTS_DAILY_AMOUNT = os.environ.get("POLKU_INSIGHTS_DAILY_AMOUNT", "36.17")

# --- Email ---
EMAIL_BACKEND = os.environ.get(
    "POLKU_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("POLKU_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("POLKU_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("POLKU_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("POLKU_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("POLKU_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("POLKU_DEFAULT_FROM_EMAIL", "Polku <noreply@polku.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Cache: login rate limits and throttles live here, so several server processes must share it
# (Redis). With more than one web process (POLKU_WEB_WORKERS, the same default as gunicorn.conf.py)
# and no Redis, gunicorn refuses to start and `check --deploy` reports an error (accounts/checks.py):
# each process would count failed logins on its own. ---
WEB_WORKERS = env_int("POLKU_WEB_WORKERS", (os.cpu_count() or 1) + 1)
if os.environ.get("POLKU_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["POLKU_REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background tasks (django-tasks): immediate when embedded and in tests; in production set
# POLKU_TASKS_BACKEND=database and run `manage.py db_worker` in one or more worker processes. ---
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[os.environ.get("POLKU_TASKS_BACKEND", "immediate")]
    }
}
# Registry extracts wait here (readable by the server user only) until their import has run.
REGISTRY_EXTRACT_DIR = Path(
    os.environ.get("POLKU_REGISTRY_EXTRACT_DIR", BASE_DIR.parents[1] / "var" / "extracts")
)
# The largest file any import reads (registry extracts, HSDS catalogues), refused before it is read.
IMPORT_MAX_MB = env_int("POLKU_IMPORT_MAX_MB", 100)
REGISTRY_EXTRACT_MAX_MB = env_int("POLKU_REGISTRY_EXTRACT_MAX_MB", IMPORT_MAX_MB)
# An extract of more rows, or an XLSX whose parts unpack to more, is refused before its rows are checked
# (a 2 MB workbook can unpack to gigabytes). A municipality's extract is at most a few 100,000 rows.
REGISTRY_EXTRACT_MAX_ROWS = env_int("POLKU_REGISTRY_EXTRACT_MAX_ROWS", 500_000)
REGISTRY_EXTRACT_MAX_UNPACKED_MB = env_int("POLKU_REGISTRY_EXTRACT_MAX_UNPACKED_MB", 300)
# Checking stops after this many problems: the first ones say what is wrong with the file, and the
# problems of a file of bad lines would otherwise grow with the file (memory, time, database rows).
REGISTRY_EXTRACT_MAX_PROBLEMS = env_int("POLKU_REGISTRY_EXTRACT_MAX_PROBLEMS", 1000)
# An extract still checking or saving this long after its last sign of life lost its process (a worker
# killed or restarted); the next import or look at the extracts marks it failed.
REGISTRY_EXTRACT_STALE_MINUTES = env_int("POLKU_REGISTRY_EXTRACT_STALE_MINUTES", 30)

# --- API ---
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["polku.api.permissions.HasActiveMembership"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "polku.api.exceptions.handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Polku API",
    "DESCRIPTION": "Polku: services for people with partial work ability.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # drf-spectacular ignores the framework's default permissions; the schema is closed like the API.
    "SERVE_PERMISSIONS": ["polku.api.permissions.HasActiveMembership"],
}

# --- Logging: identity codes are masked in every log line, whoever writes it (logs.py). ---
LOGGING = logging_config(level=os.environ.get("POLKU_LOG_LEVEL", "INFO"))

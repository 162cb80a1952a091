"""Tradeloop settings. Everything that differs between machines comes from the environment.

Embedded default: SQLite in the data folder, local-memory cache, Celery on a SQLite broker.
Scaled out: DATABASE_URL (PostgreSQL), REDIS_URL (cache, sessions, Celery broker).
"""

import os
from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("TRADELOOP_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # Swagger UI's files from ninja's static folder: /api/v1/docs works without a CDN
    "tradeloop.core",
    "tradeloop.accounts",
    "tradeloop.catalog",
    "tradeloop.pricing",
    "tradeloop.inventory",
    "tradeloop.promotions",
    "tradeloop.ledger",
    "tradeloop.payments",
    "tradeloop.orders",
    "tradeloop.checkout",
    "tradeloop.fulfilment",
    "tradeloop.aftersales",
    "tradeloop.invoicing",
    "tradeloop.conversations",
    "tradeloop.negotiation",
    "tradeloop.notifications",
    "tradeloop.reviews",
    "tradeloop.search",
    "tradeloop.analytics",
    "tradeloop.crm",
    "tradeloop.feedback",
    "tradeloop.trust",
    "tradeloop.sponsored",
    "tradeloop.b2b",
    "tradeloop.c2c",
    "tradeloop.o2o",
    "tradeloop.storefront",
    "tradeloop.console",
    "tradeloop.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "tradeloop.storefront.seo.LanguageParamMiddleware",  # ?lang=zh-hans: a crawlable URL per language
    "tradeloop.core.page_cache.PageCacheMiddleware",  # a cached anonymous page, before URL resolution
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tradeloop.core.busy.BusyMiddleware",
]

ROOT_URLCONF = "tradeloop.urls"
WSGI_APPLICATION = "tradeloop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tradeloop.checkout.context_processors.cart",
                "tradeloop.core.page_cache.context",  # a cached page's CSRF token is a marker filled per request
            ],
            "builtins": ["django.templatetags.i18n", "tradeloop.core.templatetags.money"],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # Persistent connections (one per process or thread, re-checked before reuse) by default; TRADELOOP_DB_POOL=
    # "MIN,MAX" (e.g. "2,8") uses psycopg's pool instead, one per process, shared by its threads (docs/operations.md).
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if (pool := os.environ.get("TRADELOOP_DB_POOL", "")) and DATABASES["default"]["ENGINE"].endswith("postgresql"):
        min_size, max_size = (pool.split(",") + [""])[:2]
        DATABASES["default"].update(CONN_MAX_AGE=0, CONN_HEALTH_CHECKS=False)  # the pool keeps and checks them
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(min_size or 1),
            "max_size": int(max_size or min_size or 4),
            "timeout": env_int("TRADELOOP_DB_POOL_TIMEOUT", 10),  # seconds a request waits for a free connection
            "max_idle": 300,
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "tradeloop.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
            },
        }
    }
DATABASES["default"].setdefault("TEST", {})
if os.environ.get("TRADELOOP_TEST_DB_NAME"):
    DATABASES["default"]["TEST"]["NAME"] = os.environ["TRADELOOP_TEST_DB_NAME"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "storefront:home"
LOGOUT_REDIRECT_URL = "storefront:home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    # Room for the cached storefront pages (core.page_cache, ~20 kB each): Django's default keeps only 300 entries.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]  # the project-wide design system (tradeloop/app.css)
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
SERVE_MEDIA = env_bool("TRADELOOP_SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# JSON bodies sent to the API: larger ones answer 413 (image uploads keep DATA_UPLOAD_MAX_MEMORY_SIZE).
API_MAX_BODY_BYTES = int(os.environ.get("TRADELOOP_API_MAX_BODY_BYTES", str(1024 * 1024)))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Tradeloop <noreply@tradeloop.local>")

# Celery: Redis when REDIS_URL is set, else tasks and results as files in the data folder's jobs/.
if REDIS_URL:
    CELERY_BROKER_URL = CELERY_RESULT_BACKEND = REDIS_URL
else:
    from tradeloop.core import file_broker

    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT = "tradeloop.core.file_broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = file_broker.options(DATA_DIR / "jobs")
    CELERY_RESULT_BACKEND = file_broker.results_url(DATA_DIR / "jobs")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

TRADELOOP_DEFAULT_CURRENCY = os.environ.get("TRADELOOP_DEFAULT_CURRENCY", "CNY")
TRADELOOP_INVITATION_DAYS = 7
# Where this site is reachable from its own workers (the sandbox gateway POSTs its webhooks here).
TRADELOOP_BASE_URL = os.environ.get("TRADELOOP_BASE_URL", "http://127.0.0.1:8000")
# The sandbox gateway's webhook signing secret; empty: derived from SECRET_KEY.
TRADELOOP_SANDBOX_SECRET = os.environ.get("TRADELOOP_SANDBOX_SECRET", "")
# Carriers sign their status webhooks (POST /api/v1/fulfilment/carrier-webhook) with it; empty: all are refused.
TRADELOOP_CARRIER_SECRET = os.environ.get("TRADELOOP_CARRIER_SECRET", "")
# B2C rules (issue 3): how long stock waits for a payment, the seller's time to ship, the buyer's return window.
TRADELOOP_PAYMENT_TIMEOUT_MINUTES = int(os.environ.get("TRADELOOP_PAYMENT_TIMEOUT_MINUTES", "15"))
TRADELOOP_SHIP_WITHIN_DAYS = int(os.environ.get("TRADELOOP_SHIP_WITHIN_DAYS", "3"))
TRADELOOP_RETURN_WINDOW_DAYS = int(os.environ.get("TRADELOOP_RETURN_WINDOW_DAYS", "7"))
TRADELOOP_DEFAULT_COMMISSION = Decimal(os.environ.get("TRADELOOP_DEFAULT_COMMISSION", "0.05"))
TRADELOOP_AUTO_CANCEL_UNSHIPPED = env_bool("TRADELOOP_AUTO_CANCEL_UNSHIPPED", True)
# B2B rules (issue 7): a prepay company order waits days for its (bank) payment, a held order for its approver;
# an RFQ takes this many quotes; a deposit invoice falls due this many days after the order is confirmed.
TRADELOOP_B2B_PAYMENT_DAYS = int(os.environ.get("TRADELOOP_B2B_PAYMENT_DAYS", "7"))
TRADELOOP_B2B_SHIP_WITHIN_DAYS = int(os.environ.get("TRADELOOP_B2B_SHIP_WITHIN_DAYS", "7"))
TRADELOOP_APPROVAL_DAYS = int(os.environ.get("TRADELOOP_APPROVAL_DAYS", "7"))
TRADELOOP_RFQ_MAX_QUOTES = int(os.environ.get("TRADELOOP_RFQ_MAX_QUOTES", "10"))
TRADELOOP_RFQ_FILE_MAX_BYTES = int(os.environ.get("TRADELOOP_RFQ_FILE_MAX_BYTES", str(5 * 1024 * 1024)))
TRADELOOP_DEPOSIT_DUE_DAYS = int(os.environ.get("TRADELOOP_DEPOSIT_DUE_DAYS", "7"))

# C2C (docs/c2c.md): listings, offers, escrow, disputes, ratings
TRADELOOP_C2C_LISTING_DAYS = env_int("TRADELOOP_C2C_LISTING_DAYS", 120)
TRADELOOP_C2C_OFFER_HOURS = env_int("TRADELOOP_C2C_OFFER_HOURS", 48)
TRADELOOP_C2C_MAX_OFFERS = env_int("TRADELOOP_C2C_MAX_OFFERS", 5)  # per buyer and listing
TRADELOOP_C2C_PAYMENT_MINUTES = env_int("TRADELOOP_C2C_PAYMENT_MINUTES", 24 * 60)
TRADELOOP_C2C_SHIP_WITHIN_DAYS = env_int("TRADELOOP_C2C_SHIP_WITHIN_DAYS", 5)
# days after shipment until receipt is auto-confirmed, by delivery speed
TRADELOOP_C2C_CONFIRM_DAYS = {
    "express": env_int("TRADELOOP_C2C_CONFIRM_DAYS_EXPRESS", 10),
    "post": env_int("TRADELOOP_C2C_CONFIRM_DAYS_POST", 30),
    "virtual": env_int("TRADELOOP_C2C_CONFIRM_DAYS_VIRTUAL", 3),
}
TRADELOOP_C2C_EXTEND_DAYS = env_int("TRADELOOP_C2C_EXTEND_DAYS", 3)
TRADELOOP_C2C_DISPUTE_ANSWER_DAYS = env_int("TRADELOOP_C2C_DISPUTE_ANSWER_DAYS", 3)
TRADELOOP_C2C_RETURN_DAYS = env_int("TRADELOOP_C2C_RETURN_DAYS", 10)  # return-then-refund: the seller confirms by then
TRADELOOP_C2C_RATING_BLIND_DAYS = env_int("TRADELOOP_C2C_RATING_BLIND_DAYS", 7)

# O2O local services (o2o): payments, vouchers, redemption, bookings, reviews, requests
TRADELOOP_O2O_PAYMENT_MINUTES = env_int("TRADELOOP_O2O_PAYMENT_MINUTES", 15)
TRADELOOP_O2O_UNDO_MINUTES = env_int("TRADELOOP_O2O_UNDO_MINUTES", 60)  # a mistaken redemption can be undone
TRADELOOP_O2O_WRONG_CODES = env_int("TRADELOOP_O2O_WRONG_CODES", 10)  # per staff account and place ...
TRADELOOP_O2O_WRONG_CODES_MINUTES = env_int("TRADELOOP_O2O_WRONG_CODES_MINUTES", 15)  # ... in this window
TRADELOOP_O2O_BOOKING_REVIEW_HOURS = env_int("TRADELOOP_O2O_BOOKING_REVIEW_HOURS", 12)  # unanswered: lapses
TRADELOOP_O2O_REMIND_HOURS = env_int("TRADELOOP_O2O_REMIND_HOURS", 24)  # booking reminder before it starts
TRADELOOP_O2O_REQUEST_DAYS = env_int("TRADELOOP_O2O_REQUEST_DAYS", 7)  # a consumer request stays open
TRADELOOP_REVIEW_EDIT_DAYS = env_int("TRADELOOP_REVIEW_EDIT_DAYS", 30)
TRADELOOP_REVIEW_MAX_PER_DAY = env_int("TRADELOOP_REVIEW_MAX_PER_DAY", 5)  # per person in 24 hours, against spam
TRADELOOP_REVIEW_PHOTO_MAX_BYTES = env_int("TRADELOOP_REVIEW_PHOTO_MAX_BYTES", 5 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

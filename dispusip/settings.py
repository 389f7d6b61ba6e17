"""The only settings module. Everything that differs between machines comes
from environment variables (listed in README.md) through dispusip.env."""

import os
import sys
from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from dispusip import embedded
from dispusip.env import (
    celery_url_from_redis,
    database_from_url,
    email_from_url,
    env_bool,
    env_int,
    env_list,
    env_rate,
    env_required,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)
PRODUCTION_ONLY = "when DJANGO_DEBUG is off (production)"

# pytest imports these settings itself; its runs use their own Celery queue so a
# developer's running worker never picks up a test's task (see CELERY_TASK_DEFAULT_QUEUE).
TESTING = "pytest" in sys.modules

if DEBUG:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
else:
    SECRET_KEY = env_required("DJANGO_SECRET_KEY", why=PRODUCTION_ONLY)
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or [
        env_required("DJANGO_ALLOWED_HOSTS", why=PRODUCTION_ONLY)
    ]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "dispusip",
    "katalog",
    "sirkulasi",
    "serah_simpan",
    "pembinaan",
    "kearsipan",
    "literasi",
    "dispusip.apps.DispusipAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "template_partials",
    "import_export",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dispusip.middleware.BahasaMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dispusip.urls"
WSGI_APPLICATION = "dispusip.wsgi.application"

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
                "dispusip.context_processors.portal",
            ],
        },
    },
]

# --- Data ------------------------------------------------------------------

if env_str("DATABASE_URL"):
    DATABASE_URL = env_str("DATABASE_URL")
elif DEBUG:
    DATABASE_URL = embedded.postgres_url(VAR_DIR)  # development only
else:
    DATABASE_URL = env_required("DATABASE_URL", why=PRODUCTION_ONLY)

DATABASES = {"default": database_from_url(DATABASE_URL)}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A second connection to the same database: job progress written from inside a
# long transaction goes through it, so the polling page sees it at once.
DATABASES["progress"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if env_str("REDIS_URL"):
    REDIS_URL = env_str("REDIS_URL")
elif DEBUG:
    REDIS_URL = embedded.redis_url(VAR_DIR)  # development only
else:
    REDIS_URL = env_required("REDIS_URL", why=PRODUCTION_ONLY)

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # A test run keeps its keys (rate-limit counters…) apart from parallel runs and workers.
        "KEY_PREFIX": f"dispusip-test-{os.getpid()}" if TESTING else "dispusip",
    }
}

MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

# --- Accounts ----------------------------------------------------------------

AUTH_USER_MODEL = "dispusip.Pengguna"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins
    "dispusip.auth_backends.PenggunaBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dasbor"
LOGOUT_REDIRECT_URL = "beranda"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# django-axes: lock a username from one address after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/terkunci.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "dispusip.http.alamat_klien"
DJANGO_PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0, minimum=0)

# Requests per client address per window ("<requests>/<seconds>"; 0/60 turns a
# limit off): the public search page and the JSON API for kiosks and the call centre.
OPAC_RATE = env_rate("OPAC_RATE", "120/60")
OPAC_API_RATE = env_rate("OPAC_API_RATE", "60/60")
# Members activating online access (number + birth date + code) per client address.
AKTIVASI_RATE = env_rate("AKTIVASI_RATE", "10/300")

# Circulation: a member owing more than this (Rp) may not borrow without an
# override; a hold waits this many open days on the pickup shelf.
SIRKULASI_BATAS_DENDA = env_int("SIRKULASI_BATAS_DENDA", 10000, minimum=0)
# Loan and visit history older than this many days loses the member link
# (UU 27/2022); statistics keep category, age band, sex, branch and dates. 0 = keep.
SIRKULASI_ANONIM_SETELAH_HARI = env_int("SIRKULASI_ANONIM_SETELAH_HARI", 730, minimum=0)
# A member's card scanned again at the same entrance within this many minutes is one visit.
SIRKULASI_JEDA_KUNJUNGAN_MENIT = env_int("SIRKULASI_JEDA_KUNJUNGAN_MENIT", 120, minimum=0)
# Hours a freed e-book licence stays offered to the next member in its queue.
SIRKULASI_JAM_TAWARAN_DIGITAL = env_int("SIRKULASI_JAM_TAWARAN_DIGITAL", 48, minimum=1)
# Replacement cost (Rp) of a lost copy that has no price on record.
SIRKULASI_BIAYA_GANTI = env_int("SIRKULASI_BIAYA_GANTI", 100000, minimum=1)
SIRKULASI_HARI_AMBIL_RESERVASI = env_int("SIRKULASI_HARI_AMBIL_RESERVASI", 3, minimum=1)
# Channels that reach members, in order of preference (sirkulasi/pemberitahuan.py).
SIRKULASI_SALURAN = env_list("SIRKULASI_SALURAN", ["email"])
# Notices: days before the due date ("due soon"), days after it for the 1st, 2nd
# and 3rd overdue notice, days before a membership ends.
SIRKULASI_HARI_SEBELUM_TEMPO = env_int("SIRKULASI_HARI_SEBELUM_TEMPO", 2, minimum=0)
try:
    SIRKULASI_HARI_TERLAMBAT = [
        int(h) for h in env_list("SIRKULASI_HARI_TERLAMBAT", ["1", "7", "14"])
    ]
    if (
        len(SIRKULASI_HARI_TERLAMBAT) != 3
        or sorted(set(SIRKULASI_HARI_TERLAMBAT)) != SIRKULASI_HARI_TERLAMBAT
    ):
        raise ValueError
except ValueError:
    raise ImproperlyConfigured(
        "SIRKULASI_HARI_TERLAMBAT must be three increasing numbers of days, e.g. 1,7,14"
    ) from None
SIRKULASI_HARI_SEBELUM_BERAKHIR = env_int("SIRKULASI_HARI_SEBELUM_BERAKHIR", 14, minimum=1)
AXES_VERBOSE = False

# --- Email -------------------------------------------------------------------

globals().update(
    email_from_url(env_str("EMAIL_URL", "console://" if DEBUG else "smtp://localhost"))
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Dispusip DKI Jakarta <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Admin", a) for a in env_list("DJANGO_ADMINS")]

# --- Language and time -------------------------------------------------------

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Security ----------------------------------------------------------------

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer probes over plain HTTP
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Behind a TLS-terminating proxy set e.g. DJANGO_SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https
if proxy_header := env_list("DJANGO_SECURE_PROXY_SSL_HEADER"):
    if len(proxy_header) != 2:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "DJANGO_SECURE_PROXY_SSL_HEADER must be 'HEADER,value', "
            "e.g. HTTP_X_FORWARDED_PROTO,https"
        )
    SECURE_PROXY_SSL_HEADER = tuple(proxy_header)

# --- Celery ------------------------------------------------------------------

CELERY_BROKER_URL = celery_url_from_redis(REDIS_URL)
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TASK_DEFAULT_QUEUE = env_str(
    "CELERY_QUEUE",
    f"dispusip-test-{os.getpid()}" if TESTING else "dispusip",
)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 6 * 60 * 60, minimum=60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
# Longer than the longest job, or Redis hands an unacknowledged job to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 60 * 60}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = CELERY_BROKER_TRANSPORT_OPTIONS
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Result files of finished jobs take disk space; keep them JOB_RETENTION_DAYS.
    "hapus-berkas-job-lama": {
        "task": "dispusip.tasks.hapus_berkas_job_lama_task",
        "schedule": crontab(hour=2, minute=15),
    },
    # A job whose worker died for good would otherwise show "running" forever.
    "tandai-job-macet": {
        "task": "dispusip.tasks.tandai_job_macet_task",
        "schedule": crontab(minute=40),
    },
}
JOB_RETENTION_DAYS = env_int("JOB_RETENTION_DAYS", 30, minimum=1)

# --- Logging -----------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # pgserver reports every attach and detach at INFO; only its problems matter here.
    "loggers": {
        "axes": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
        "pyBarcode": {"level": "WARNING"},
    },
}

# Worker processes that prepare records during a big import (0: none, in the
# importing process only); by default one per CPU.
IMPOR_PROSES = env_int("IMPOR_PROSES", os.cpu_count() or 1, minimum=0)

"""Settings shared by every environment.

Everything comes from the environment (django-environ). With no environment at all the
project runs on SQLite with Celery tasks executed in-process: a fresh clone needs no server.
"""

import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# The project-wide templates/ and static/: the repository's own in the checkout; inside the
# package (mentorat/_site/, copied there by setup.py) when installed with `pip install .`.
PACKAGED_SITE_DIR = Path(__file__).resolve().parent.parent / "_site"
INSTALLED_AS_PACKAGE = PACKAGED_SITE_DIR.is_dir()
SITE_DIR = PACKAGED_SITE_DIR if INSTALLED_AS_PACKAGE else BASE_DIR
# What the embedded default writes (the SQLite database, the collected static files, and where
# it reads .env): the checkout in development; installed, MENTORAT_DATA_DIR or the current
# directory, never site-packages.
DATA_DIR = Path(
    os.environ.get("MENTORAT_DATA_DIR") or (Path.cwd() if INSTALLED_AS_PACKAGE else BASE_DIR)
).resolve()

env = environ.Env()
if (DATA_DIR / ".env").exists():
    env.read_env(DATA_DIR / ".env")

SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key-only-for-local-use-0123456789abcdef")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "mentorat.apps.MentoratAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Widget templates are looked up like any template (FORM_RENDERER below).
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "phonenumber_field",
    "simple_history",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Project apps, from the bottom layer up.
    "users",
    "mentors",
    "mentees",
    "matching",
    "sessions.apps.MentoringSessionsConfig",
    "evaluations",
    "reminders",
    # Prescribers (schools, Missions Locales…) refer young people: above matching, whose pairs
    # give a referral its stage, below sessions and evaluations, which a prescriber never reads.
    "prescribers",
    # The pages above the domain (each reads the apps before it), then the demo that fills them.
    "mentorat.privacy",
    "mentorat.spaces",
    "mentorat.staff",
    "mentorat.pages",
    "mentorat.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Staff who owe the second factor reach nothing but the code page (needs OTPMiddleware).
    "users.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mentorat.urls"
# Form widgets render through TEMPLATES, so that templates/ can fix a widget of Django's
# admin (templates/admin/widgets/: labelled date and time boxes).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "mentorat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mentorat.pages.context_processors.programme",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A connection kept across requests (CONN_MAX_AGE) is checked before a request reuses it: after
# a database restart the web processes reconnect by themselves, without being restarted.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several people at once. Django's SQLite defaults fail a
    # write that meets another ("database is locked"); here writers queue instead: WAL lets
    # readers go on beside the one writer, every transaction takes the write lock when it
    # begins (IMMEDIATE: a lock taken midway can fail without waiting), and a writer waits up
    # to `timeout` seconds for its turn. synchronous=NORMAL is durable enough with WAL.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles any query it estimates costly: 15 ms spent compiling the
    # matching page's candidate query, which then runs in 50. Web requests are short queries.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The pages above the domain apps that these apps link to (redirects, breadcrumbs, e-mails):
# the configuration names them, so that no domain app names a URL of an app above it.
# Python reads `settings.PAGE_URLS[…]`, templates `{% url page_urls.… %}` (context processor).
PAGE_URLS = {
    "home": "home",
    "privacy_notice": "privacy",
    "member_home": "spaces:home",
    # With the pair's id.
    "member_pair": "spaces:pair",
    # With the pair's id: the member's closure questionnaire, the référent's closure interview.
    "closure_questionnaire": "evaluations:closure",
    "closure_interview": "admin:closure_interview",
}
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "landing"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# --- Sessions and cookies. Production forces Secure; local http development cannot use it.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)

# --- Content Security Policy: only this site's own files run, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws its form icons as data: SVG; the TOTP QR code is one too.
        "img-src": [SELF, "data:"],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Password guessing: 5 failures lock that account from that address for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "users/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# People log in with their e-mail address, in the form's "username" field, in any case.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "users.views.login_username"
# The client address as django-ratelimit reads it (RATELIMIT_IP_META_KEY, below).
AXES_CLIENT_IP_CALLABLE = "users.views.client_ip"

# --- Second factor (TOTP). Coordinators see everybody's personal data: on unless turned off.
OTP_REQUIRED_FOR_COORDINATORS = env.bool("OTP_REQUIRED_FOR_COORDINATORS", default=True)
OTP_REQUIRED_FOR_REFERENTS = env.bool("OTP_REQUIRED_FOR_REFERENTS", default=False)
# Prescribers read the stage of the young people they referred: the second factor, as staff.
OTP_REQUIRED_FOR_PRESCRIBERS = env.bool("OTP_REQUIRED_FOR_PRESCRIBERS", default=True)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Mentorat AJE")
# After each wrong code the next try waits 1, 2, 4, 8… seconds: guessing codes is hopeless.
OTP_TOTP_THROTTLE_FACTOR = 1
# Nobody, not even a coordinator, reads another person's TOTP secret in the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
PHONENUMBER_DEFAULT_REGION = "FR"
PHONENUMBER_DEFAULT_FORMAT = "NATIONAL"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(DATA_DIR / "staticfiles")))
STATICFILES_DIRS = [SITE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Redis: broker and shared cache. Without it, tasks run in-process and the cache is local.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis redelivers a task not acknowledged within this time: no task is ever scheduled further
# ahead than this (retries back off to a few minutes at most).
# A broker that does not answer is given up after socket_connect_timeout seconds per attempt:
# a request queueing a task after its commit never hangs on it (mentorat/celery.py).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2}
# One static schedule: the daily sweep at 09:00 Paris time, the weekly digests on Monday.
CELERY_BEAT_SCHEDULE = {
    "daily-reminders": {
        "task": "reminders.tasks.daily_sweep",
        "schedule": crontab(hour=9, minute=0),
    },
    "weekly-digests": {
        "task": "reminders.tasks.weekly_digests",
        "schedule": crontab(day_of_week="mon", hour=8, minute=30),
    },
    # RGPD retention: people past their retention period are anonymised every night.
    "nightly-retention": {
        "task": "mentorat.privacy.tasks.apply_retention",
        "schedule": crontab(hour=3, minute=15),
    },
    # The outbox (users/outbox.py): the owed e-mails not sent yet (a broker that was down, a
    # retry's backoff over, a worker that died while sending), every minute.
    "owed-emails": {"task": "users.tasks.send_owed_emails", "schedule": 60.0},
    # The reminders a daily sweep wrote while the broker was down: queued again.
    "stalled-reminders": {"task": "reminders.tasks.requeue_stalled_reminders", "schedule": 300.0},
    "prune-owed-emails": {
        "task": "users.tasks.prune_owed_emails",
        "schedule": crontab(hour=3, minute=30),
    },
}
# While Redis is unreachable the cache falls back to each process's local memory and logs a
# warning (mentorat/cache.py): forms keep working, rate limits count per process.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "mentorat.cache.FallbackRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# django-ratelimit counts in the cache; the local-memory cache is per process, which is
# acceptable for the single-process embedded default only.
SILENCED_SYSTEM_CHECKS = [] if REDIS_URL else ["django_ratelimit.E003", "django_ratelimit.W001"]
# Behind a reverse proxy, set this to the header the proxy fills with the client address.
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default=None)
REGISTRATION_RATE_LIMIT = env("REGISTRATION_RATE_LIMIT", default="10/h")
# Password-reset requests per address and, separately, per client IP: beyond it the answer is
# the same but no e-mail leaves, so the form cannot flood somebody's inbox.
PASSWORD_RESET_RATE_LIMIT = env("PASSWORD_RESET_RATE_LIMIT", default="5/h")

# --- E-mail
# The outbox (users/outbox.py): a row not sent this long after it was written is sent by the
# sweep; a worker that claimed a row and did not finish within the claim (it died) leaves it to
# the sweep too (longer than any send: EMAIL_TIMEOUT per exchange with the server); sent rows
# are kept this many days (the failed ones a year).
OWED_EMAIL_SWEEP_DELAY_SECONDS = env.int("OWED_EMAIL_SWEEP_DELAY_SECONDS", default=120)
OWED_EMAIL_CLAIM_SECONDS = env.int("OWED_EMAIL_CLAIM_SECONDS", default=600)
OWED_EMAIL_RETENTION_DAYS = 90
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Mentorat AJE <mentorat@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- The programme
PROGRAMME_NAME = env("PROGRAMME_NAME", default="Mentorat AJE")
ASSOCIATION_NAME = env("ASSOCIATION_NAME", default="Association Jeunesse et Entreprises")
# "Name <address>" items separated by commas.
PROGRAMME_CONTACTS = [
    {"name": name, "email": address}
    for name, address in getaddresses(
        [
            env(
                "PROGRAMME_CONTACTS",
                default="Camille Martin <camille.martin@example.org>,"
                "Karim Benali <karim.benali@example.org>",
            )
        ]
    )
    if address
]
MENTOR_CHARTER_VERSION = env("MENTOR_CHARTER_VERSION", default="2026-01")
PRIVACY_NOTICE_VERSION = env("PRIVACY_NOTICE_VERSION", default="2026-01")
GUARDIAN_CONSENT_LINK_MAX_AGE_DAYS = env.int("GUARDIAN_CONSENT_LINK_MAX_AGE_DAYS", default=14)
# The link a referred young person receives to complete their registration.
REFERRAL_LINK_MAX_AGE_DAYS = env.int("REFERRAL_LINK_MAX_AGE_DAYS", default=30)
# An honorability check (casier judiciaire, FIJAIS) is renewed after this many days.
SCREENING_VALIDITY_DAYS = env.int("SCREENING_VALIDITY_DAYS", default=3 * 365)
# Batch matching keeps one byte per (young person, mentor) pair: this bounds its memory (the
# whole national waiting list, 10,000 × 5,000 mentors, in one batch: README « Benchmarks »).
MATCHING_BATCH_MAX_MENTEES = env.int("MATCHING_BATCH_MAX_MENTEES", default=10_000)
RETENTION_YEARS_AFTER_LAST_PAIR = env.int("RETENTION_YEARS_AFTER_LAST_PAIR", default=2)
RETENTION_MONTHS_AFTER_REJECTION = env.int("RETENTION_MONTHS_AFTER_REJECTION", default=6)
# The programme's target on the coordinator dashboard: young people mentored by a date
# (each association sets its own share of the national scheme).
PROGRAMME_TARGET = env.int("PROGRAMME_TARGET", default=500)
PROGRAMME_TARGET_DATE = env.str("PROGRAMME_TARGET_DATE", default="2027-12-31")
# The most approved mentors one référent accompanies.
REFERENT_CASELOAD_CAP = env.int("REFERENT_CASELOAD_CAP", default=25)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

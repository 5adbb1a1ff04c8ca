import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
STRONG_SECRET = "s" * 20 + "-production-secret-key-for-tests-0123456789"

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "broker": settings.CELERY_BROKER_URL,
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "cache": settings.CACHES["default"]["BACKEND"],
}))
"""


# The variables the settings read that a test sets itself, or leaves unset.
CONFIGURATION = {
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "CONN_MAX_AGE",
}


def run_python(code: str, settings_module: str, **env):
    # Start from an empty configuration: only what the test passes is set.
    base = {key: value for key, value in os.environ.items() if key not in CONFIGURATION}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": settings_module, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_with_no_environment_it_runs_on_sqlite_with_in_process_tasks():
    result = run_python(PROBE, "mentorat.settings.dev")
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert config["engine"] == "django.db.backends.sqlite3"
    assert config["eager"] is True
    assert config["broker"] == "memory://"
    assert config["cache"].endswith("LocMemCache")


def test_database_and_redis_urls_switch_to_postgresql_and_a_real_broker():
    result = run_python(
        PROBE,
        "mentorat.settings.dev",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/mentorat",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert config["engine"] == "django.db.backends.postgresql"
    assert config["eager"] is False
    assert config["broker"] == "redis://127.0.0.1:6379/0"
    assert config["cache"].endswith("RedisCache")


def test_production_refuses_to_start_without_a_secret_key():
    result = run_python(
        "import django; django.setup()",
        "mentorat.settings.production",
        ALLOWED_HOSTS="mentorat.example.org",
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_python(
        "import django; django.setup()", "mentorat.settings.production", SECRET_KEY=STRONG_SECRET
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = run_python(
        "from django.core.management import execute_from_command_line;"
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        "mentorat.settings.production",
        SECRET_KEY=STRONG_SECRET,
        ALLOWED_HOSTS="mentorat.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout


SPEED_PROBE = """
import json, django
from django.conf import settings
from django.template import engines
django.setup()
print(json.dumps({
    "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "health_checks": settings.DATABASES["default"]["CONN_HEALTH_CHECKS"],
    "loaders": [loader[0] if isinstance(loader, tuple) else loader
                for loader in engines["django"].engine.loaders],
}))
"""


@pytest.mark.parametrize(("given", "kept"), [({}, 60), ({"CONN_MAX_AGE": "0"}, 0)])
def test_production_keeps_database_connections_and_compiled_templates(given, kept):
    result = run_python(
        SPEED_PROBE,
        "mentorat.settings.production",
        SECRET_KEY=STRONG_SECRET,
        ALLOWED_HOSTS="mentorat.example.org",
        **given,
    )
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert config["conn_max_age"] == kept
    assert config["health_checks"] is True
    assert config["loaders"] == ["django.template.loaders.cached.Loader"]


COOKIE_PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    name: getattr(settings, name)
    for name in [
        "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE", "OTP_REQUIRED_FOR_COORDINATORS",
    ]
}))
"""


def test_production_cookies_are_secure_http_only_and_same_site():
    result = run_python(
        COOKIE_PROBE,
        "mentorat.settings.production",
        SECRET_KEY=STRONG_SECRET,
        ALLOWED_HOSTS="mentorat.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SAMESITE": "Lax",
        "OTP_REQUIRED_FOR_COORDINATORS": True,
    }


def test_local_http_development_gets_cookies_it_can_send_back():
    result = run_python(COOKIE_PROBE, "mentorat.settings.dev")
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["CSRF_COOKIE_SECURE"] is False
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/", "/compte/connexion/", "/admin/login/", "/mentors/inscription/", "/inconnue/"]
)
def test_every_response_carries_a_content_security_policy_without_inline_scripts(client, url):
    response = client.get(url)

    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_postgresql_runs_the_web_queries_without_jit_compilation():
    # The JIT costs ~15 ms of compilation on the matching page's candidate query, every time.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"
    else:
        assert "options" not in settings.DATABASES["default"].get("OPTIONS", {})


def test_a_connection_kept_across_requests_is_checked_before_it_is_reused():
    # After a database restart the web processes reconnect by themselves (issue 16).
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True

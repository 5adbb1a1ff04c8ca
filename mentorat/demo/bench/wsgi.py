"""The benchmark's gunicorn application: the site's own (Django's WSGI application, as
`mentorat.wsgi` builds it, with the settings of DJANGO_SETTINGS_MODULE), and one more path
that only the benchmark knows, to show that two web processes share one cache.

`/__bench__/cache?token=…&key=…&value=…` stores `value` under `key` in this process's cache
(Django's `cache`, as the site configures it), and without `value` reads it; the answer, in
JSON, says which process answered, with which cache backend, and whether that cache is
degraded to the process's own memory (mentorat/cache.py). The token is a random one the
benchmark gives both processes (BENCH_TOKEN); without it, or with another, the request is the
site's like any other. The benchmark's gunicorn runs this module; nothing else does.
"""

import hmac
import json
import os
from urllib.parse import parse_qs

from django.core.wsgi import get_wsgi_application

# The benchmark's servers set DJANGO_SETTINGS_MODULE (load.Server); the demo does not import
# the configuration package (its layer is below it).
site = get_wsgi_application()

PATH = "/__bench__/cache"
KEY_PREFIX = "bench:"
SECONDS = 300


def _cache_answer(query: dict[str, list[str]]) -> dict:
    from django.core.cache import caches

    cache = caches["default"]
    key = KEY_PREFIX + query.get("key", [""])[0]
    if "value" in query:
        cache.set(key, query["value"][0], SECONDS)
    circuit = getattr(cache, "_circuit", None)
    return {
        "pid": os.getpid(),
        "backend": f"{type(cache).__module__}.{type(cache).__name__}",
        "degraded": bool(circuit and circuit.degraded),
        "value": cache.get(key),
    }


def application(environ, start_response):
    token = os.environ.get("BENCH_TOKEN", "")
    if not token or environ.get("PATH_INFO") != PATH:
        return site(environ, start_response)
    query = parse_qs(environ.get("QUERY_STRING", ""))
    if not hmac.compare_digest(query.get("token", [""])[0], token):
        return site(environ, start_response)
    body = json.dumps(_cache_answer(query)).encode()
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]

"""The shared cache on Redis, degrading to a per-process cache while Redis is unreachable.

Django's Redis cache raises `redis.exceptions.ConnectionError` from every call while Redis is
down: the registration rate limiter reads the cache before the form is validated, so a
registration answered 500 and nothing was saved. Here the degradation is decided once, for
every user of the cache (the rate limiters of django-ratelimit, the staff figures, the
dashboard): a call that cannot reach Redis goes to a local-memory cache of this process
instead, and a warning is logged. For RETRY_SECONDS after a failure no call tries Redis (a
request never waits on a dead server more than once per period); then the next call tries
again, and once Redis answers, the shared cache is used again and the local one emptied.

While degraded, rate limits count per process (a limiter still limits, but each web process
keeps its own budget) and cached figures are recomputed by each process. django-redis's
IGNORE_EXCEPTIONS would instead make every read a miss and every write a no-op: django-
ratelimit would then see no count and refuse everybody (or, with RATELIMIT_FAIL_OPEN, let
everybody through).
"""

import logging
import threading
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# How long Redis is left alone after a failed call, and so the longest a recovered Redis waits
# before the processes use it again. At most one warning per process per period. The cache's
# OPTIONS may set another (RETRY_SECONDS).
RETRY_SECONDS = 15
# A dead server must not hold a request: connecting and each command give up after this.
SOCKET_TIMEOUT_SECONDS = 1

UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class _Circuit:
    """Whether Redis is being used, shared by every thread's cache object of one location
    (Django keeps one cache object per thread; the fallback's data is shared by name)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.retry_at = 0.0
        self.degraded = False

    def open(self) -> bool:
        """True when the next call may try Redis."""
        return time.monotonic() >= self.retry_at


_circuits: dict[str, _Circuit] = {}
_circuits_lock = threading.Lock()


def _circuit(location: str) -> _Circuit:
    with _circuits_lock:
        return _circuits.setdefault(location, _Circuit())


class FallbackRedisCache(RedisCache):
    """Django's Redis cache; while Redis is unreachable, a local-memory cache of the process."""

    def __init__(self, server, params):
        options = {
            "socket_connect_timeout": SOCKET_TIMEOUT_SECONDS,
            "socket_timeout": SOCKET_TIMEOUT_SECONDS,
            **params.get("OPTIONS", {}),
        }
        # Ours, not redis-py's: how long Redis is left alone after a failure.
        self._retry_seconds = options.pop("RETRY_SECONDS", RETRY_SECONDS)
        super().__init__(server, {**params, "OPTIONS": options})
        self._location = server if isinstance(server, str) else ",".join(server)
        self._circuit = _circuit(self._location)
        local_params = {
            name: params[name]
            for name in ("TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION")
            if name in params
        }
        self._fallback = LocMemCache(f"redis-fallback:{self._location}", local_params)

    @property
    def degraded(self) -> bool:
        """True while the calls go to the local cache."""
        return self._circuit.degraded

    def _call(self, name: str, *args, **kwargs):
        circuit = self._circuit
        if circuit.open():
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except UNREACHABLE as error:
                self._went_down(error)
            else:
                if circuit.degraded:
                    self._came_back()
                return result
        return getattr(self._fallback, name)(*args, **kwargs)

    def _went_down(self, error: Exception) -> None:
        circuit = self._circuit
        with circuit.lock:
            if not circuit.open():  # another thread saw it first
                return
            circuit.retry_at = time.monotonic() + self._retry_seconds
            circuit.degraded = True
        logger.warning(
            "Redis cache unreachable (%s): this process uses its local cache, rate limits "
            "count per process; Redis is tried again in %s s.",
            error,
            self._retry_seconds,
        )

    def _came_back(self) -> None:
        circuit = self._circuit
        with circuit.lock:
            if not circuit.degraded:
                return
            circuit.degraded = False
        # What was counted locally must not resurface at the next outage.
        self._fallback.clear()
        logger.warning("Redis cache reachable again: this process uses the shared cache.")

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        return self._call("clear")

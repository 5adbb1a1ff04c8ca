"""Throughput under load: gunicorn (2 workers) on loopback, driven by wrk (2 threads, 8
connections, bounded in time) on each URL, requests per second compared with the bare view's.

The server runs the development settings with DEBUG off (the production ones insist on HTTPS
and a real secret), on the benchmark's database, keeping its database connections as
production does (CONN_MAX_AGE=60, unless the environment says otherwise). When wrk is
missing, a small Python load generator bounded in count and time stands in (it shares the CPU
with the server: slower).
"""

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from mentorat.demo.bench.measure import Measure

WORKERS = 2
THREADS, CONNECTIONS, SECONDS = 2, 8, 10
# The Python stand-in's bound: at most this many requests per URL.
MAX_REQUESTS = 3_000
STARTUP_TIMEOUT_S = 60
# Issue 18: each public registration form's GET serves at least this share of the bare view's
# requests per second, measured in the same run.
FORM_THROUGHPUT_RATIO = 0.2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/sante/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer within a minute")


def throughput(urls: list[tuple[str, str]], *, database_url: str) -> list[Measure]:
    """One informative measure per (label, path): requests per second under load."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "mentorat.settings.dev",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "mentorat.wsgi", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}"]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=log)
        try:
            _wait_until_up(base, process)
            return [_drive(label, f"{base}{path}") for label, path in urls]
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def hold_to_ratio(measure: Measure, bare: Measure, *, ratio: float) -> Measure:
    """Add the target « at least `ratio` of the bare view's requests per second »."""
    reached = bool(measure.rate and bare.rate and measure.rate >= ratio * bare.rate)
    measure.checks.append((f"≥ {ratio:g} × bare view's req/s", reached))
    return measure


def _drive(label: str, url: str) -> Measure:
    wrk = shutil.which("wrk")
    if wrk:
        rate, errors, tool = _wrk(wrk, url)
    else:
        rate, errors, tool = _python_load(url)
    measure = Measure(f"load: {label}", value=f"{rate:.0f} req/s", rate=rate)
    measure.checks.append((f"no error ({tool})", errors == 0))
    return measure


def _wrk(wrk: str, url: str) -> tuple[float, int, str]:
    command = [wrk, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "5s", url]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=SECONDS + 30
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors:.*?timeout (\d+)", output)
    failed = int(errors.group(1)) if errors else 0
    failed += int(socket_errors.group(1)) if socket_errors else 0
    return rate, failed, "wrk"


def _python_load(url: str) -> tuple[float, int, str]:
    """CONNECTIONS keep-alive clients in threads, until SECONDS or MAX_REQUESTS."""
    host, _, path = url.removeprefix("http://").partition("/")
    address, port = host.split(":")
    deadline = time.monotonic() + SECONDS
    lock = threading.Lock()
    counts = {"done": 0, "errors": 0}

    def client() -> None:
        connection = http.client.HTTPConnection(address, int(port), timeout=5)
        while time.monotonic() < deadline:
            with lock:
                if counts["done"] >= MAX_REQUESTS:
                    return
                counts["done"] += 1
            connection.request("GET", f"/{path}")
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                with lock:
                    counts["errors"] += 1
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts["done"] / (time.monotonic() - started), counts["errors"], "python"

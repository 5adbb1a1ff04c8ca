"""The embedded default's SQLite waits for its turn instead of failing a concurrent write."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
django.setup()
from django.db import connection
cursor = connection.cursor()
pragmas = ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")
print(json.dumps({
    "pragmas": {name: cursor.execute(f"PRAGMA {name}").fetchone()[0] for name in pragmas},
    "transaction_mode": connection.transaction_mode,
}))
"""


def test_with_no_database_url_sqlite_runs_in_wal_with_a_busy_timeout_and_immediate_writes(
    tmp_path,
):
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={
            **environment,
            "DJANGO_SETTINGS_MODULE": "mentorat.settings.dev",
            "MENTORAT_DATA_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.splitlines()[-1])
    # WAL: readers never wait for the writer; NORMAL (1): no fsync per commit, safe with WAL.
    assert probe["pragmas"] == {
        "journal_mode": "wal",
        "synchronous": 1,
        "busy_timeout": 20_000,
        "foreign_keys": 1,
    }
    assert probe["transaction_mode"] == "IMMEDIATE"

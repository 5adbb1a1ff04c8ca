"""`python -m mentorat.demo.bench.createdb URL`: create the PostgreSQL database of URL when it is
absent (before `migrate`, which needs it to exist). Used by `make bench`."""

import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


def create_database(url: str) -> bool:
    """True when the database was created."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


if __name__ == "__main__":
    if create_database(sys.argv[1]):
        print(f"Database {urlsplit(sys.argv[1]).path.lstrip('/')} created.")

"""The database connection from DATABASE_URL (SQLite in var/ when unset), with what each engine needs
for Polku's many small queries and its audit chain's writes."""

import os
from pathlib import Path

import dj_database_url

from polku.settings.environment import env_bool, env_int


def database(*, sqlite_path: Path) -> dj_database_url.DBConfig:
    config = dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{sqlite_path}",
        conn_max_age=env_int("POLKU_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Pages run many small queries: JIT compilation, which PostgreSQL switches on whenever its
        # estimates run high (stale statistics after a bulk load), cost the client overview 70 ms
        # (bench/README.md).
        config.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
        if env_bool("POLKU_DB_PREPARED_STATEMENTS", True):
            # Parameters bound on the server, and each statement a connection has run twice prepared:
            # PostgreSQL then parses and plans the pages' joins once per connection instead of on every
            # request (1-2 ms a query, bench/README.md). Turn off behind a pooler in transaction mode
            # (PgBouncer before 1.21), which cannot keep prepared statements per client.
            config["OPTIONS"].update(server_side_binding=True, prepare_threshold=2)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE transactions take the write lock up front, so two requests appending to the audit
        # chain cannot both read the same chain head and then fail with "database is locked".
        config.setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
        config["OPTIONS"]["timeout"] = 20
        config["CONN_MAX_AGE"] = 0
    return config

"""gunicorn's settings for Polku: `gunicorn -c gunicorn.conf.py polku.wsgi --pythonpath src`.

The same file serves production and `bench/http_load.py`, so that what is measured is what runs.
Command-line options override it; `POLKU_WEB_WORKERS` and `POLKU_WEB_THREADS` set the two sizes (the
connection cap below follows the threads, so set threads here rather than with `--threads`).
"""

import os

# Pages are CPU-bound in Python (the GIL), so one process per core plus one, which runs while another
# waits for PostgreSQL. A second thread in a process only takes turns at the same GIL, and two requests
# that share it both finish late: on two cores, in runs interleaved with each other, 3 processes of 1
# thread answered the client overview at p95 132-158 ms (six runs) where 3 of 2 took 149-175 ms (five),
# at the same throughput (bench/README.md, 5 Dec 2026, second session; 3x4, 4x2, 2x3, 3x3, 4x1 and
# 6x1 did worse still, 2x2 and `sync` workers no better). A long request (a PDF export) holds its
# process's thread meanwhile and the other processes take the rest: where many run at once, raise the
# threads.
workers = int(os.environ.get("POLKU_WEB_WORKERS") or (os.cpu_count() or 1) + 1)
threads = int(os.environ.get("POLKU_WEB_THREADS") or 1)
worker_class = "gthread"

# No keep-alive, and a process takes no more connections than it has threads: a request waits in the
# kernel's listen backlog until any process has a free thread, which balances the processes. With
# keep-alive (gunicorn's default: up to 1000 connections a process), a connection stays with the
# process that accepted it, and whichever process woke first took most of them: measured with 20
# connections on 3 processes, one connection alone on its process was answered in 12 ms while the 19
# sharing the other two waited 174 ms (p95 267 ms); capping connections at threads + 3 still queued
# requests inside busy processes (p95 150-170 ms); this answered the same load at p95 127 ms. It is
# also what gunicorn sees behind a reverse proxy, which opens a connection per request by default.
# The proxy (TLS, slow clients) keeps the browsers' connections alive.
worker_connections = threads
keepalive = 0
backlog = 256


def post_worker_init(worker: object) -> None:
    """Move what the process has loaded (Django, the apps, the URL configuration) out of the garbage
    collector's generations: it lives as long as the process, and each full collection that a page's
    objects set off walked all of it again. Measured in one process: the caseload's collections took
    0.18-0.24 ms a request before, 0.09-0.10 ms after (bench/README.md)."""
    import gc

    gc.freeze()


def on_starting(server: object) -> None:
    """Refuse to start several processes in production without a shared cache (POLKU_REDIS_URL): the
    login limits and throttles live in the cache, and with a cache per process each process would
    count failed logins on its own (three processes let 15 wrong passwords through for one account
    where 5 were meant). Checked here, after the command line has had its say on `--workers`."""
    debug = os.environ.get("POLKU_DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
    count = server.cfg.workers  # type: ignore[attr-defined]
    if count > 1 and not debug and not os.environ.get("POLKU_REDIS_URL", "").strip():
        raise SystemExit(
            f"Polku: {count} web processes need a shared cache for the login limits. Set POLKU_REDIS_URL "
            "(e.g. redis://127.0.0.1:6379/0), or run one process (POLKU_WEB_WORKERS=1)."
        )

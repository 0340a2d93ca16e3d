"""gunicorn's settings for Polku: `gunicorn -c gunicorn.conf.py polku.wsgi --pythonpath src`.

The same file serves production and `bench/http_load.py`, so that what is measured is what runs.
Command-line options override it; `POLKU_WEB_WORKERS` and `POLKU_WEB_THREADS` set the two sizes (the
connection cap below follows the threads, so set threads here rather than with `--threads`).
"""

import os

# Pages are CPU-bound in Python (the GIL), so about one process per core plus one, each with a second
# thread that runs while the first waits for PostgreSQL. More threads only share the same GIL: on two
# cores, 3 processes of 2 threads answered the client overview at p95 115-129 ms where 3 of 4 took
# 164-169 ms at no more throughput (bench/README.md, 5 Dec 2026; 2x3, 3x3, 4x1, 4x2 and 6x1 lay between).
# A long request (a PDF export) holds its thread meanwhile: where many run at once, raise the threads.
workers = int(os.environ.get("POLKU_WEB_WORKERS") or (os.cpu_count() or 1) + 1)
threads = int(os.environ.get("POLKU_WEB_THREADS") or 2)
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

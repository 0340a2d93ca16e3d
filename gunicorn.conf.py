"""gunicorn's settings for Polku: `gunicorn -c gunicorn.conf.py polku.wsgi --pythonpath src`.

The same file serves production and `bench/http_load.py`, so that what is measured is what runs.
Command-line options override it; `POLKU_WEB_WORKERS` and `POLKU_WEB_THREADS` set the two sizes (the
connection cap below follows the threads, so set threads here rather than with `--threads`).
"""

import os

# Pages are CPU-bound in Python (the GIL), so about one process per core plus one, each with threads
# to cover the waits for PostgreSQL (bench/README.md: on 2 cores, 3 processes of 4 threads did best).
workers = int(os.environ.get("POLKU_WEB_WORKERS") or (os.cpu_count() or 1) + 1)
threads = int(os.environ.get("POLKU_WEB_THREADS") or 4)
worker_class = "gthread"

# A process accepts new connections while it holds fewer than `worker_connections` (gunicorn's
# default: 1000). Uncapped, whichever process wakes first takes most keep-alive connections and
# serves them on one core while the others idle: measured with 20 connections on 3 processes, one
# connection alone on its process was answered in 12 ms while the 19 others waited 174 ms. With the
# cap at the threads plus three, a busy process leaves further connections in the listen backlog for
# the others. Idle keep-alive connections never fill the cap: gunicorn closes a connection after its
# response once a process already keeps `worker_connections - threads` (here 3) idle ones.
worker_connections = threads + 3
keepalive = 5
backlog = 256

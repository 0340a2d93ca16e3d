"""HTTP load benchmark: Polku under gunicorn on PostgreSQL with the demo data and `bench.scale_seed`'s
synthetic clients.

    .venv/bin/python bench/http_load.py --setup      # create, migrate and seed the database first
    .venv/bin/python bench/http_load.py              # serve and measure (`make bench` does both)

Production settings (debug off, HTTPS off since there is no proxy, persistent connections, Redis
cache). Staff need two-factor authentication, so the script logs its workers in the way a finished
login leaves a session: Django's session store with the auth keys, the chosen membership and the
flag that the second factor is done. Each of the concurrent connections is a different personal worker
(the demo worker first), on its own HTTP/1.1 connection (opened again whenever the server closes it
after an answer, as gunicorn.conf.py has it), and asks for (a) the caseload,
(b) the client overview cycling over that worker's clients, (c) /healthz/, the ceiling: the same
server answering without touching the database. One asyncio process drives all connections; its own
CPU use is reported, since it shares the two cores with gunicorn and PostgreSQL.
"""

# ruff: noqa: S603 - the script starts manage.py and gunicorn from this checkout, with fixed arguments

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

# The load client, a sibling script found through sys.path.
from load_client import Worker, cpu_times, drive, percentile

REPO = Path(__file__).resolve().parent.parent
PYTHON = REPO / ".venv" / "bin" / "python"
GUNICORN = REPO / ".venv" / "bin" / "gunicorn"

# Benchmark-only keys: the data is synthetic. Seeding and serving must use the same identity keys.
BENCH_ENV = {
    "POLKU_DEBUG": "0",
    "POLKU_SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
    "POLKU_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "POLKU_HTTPS": "0",
    "POLKU_IDENTITY_CODE_KEYS": "cG9sa3UtYmVuY2gtb25seS1pZGVudGl0eS1rZXktMDE=",
    "POLKU_IDENTITY_LOOKUP_KEY": "polku-bench-only-lookup-key-0123456789abcdef",
    "POLKU_AUDIT_ANCHOR_KEY": "polku-bench-only-audit-anchor-key-0123456789abcdef",
    "POLKU_CONN_MAX_AGE": "60",
    "POLKU_REDIS_URL": "redis://127.0.0.1:6379/1",
    "POLKU_LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "polku.settings",
}
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/polku_bench"


def bench_env(database_url: str) -> dict[str, str]:
    return {**os.environ, **BENCH_ENV, "DATABASE_URL": database_url}


# --- Setting up the database -----------------------------------------------------------------------


def setup(database_url: str, scale: int) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    server = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}.")
    env = bench_env(database_url)
    manage = [str(PYTHON), str(REPO / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], env=env, check=True)
    subprocess.run([*manage, "seed_demo", "--allow-production"], env=env, check=True)
    started = time.monotonic()
    subprocess.run([str(PYTHON), "-m", "bench.scale_seed", f"--scale={scale}"], env=env, check=True, cwd=REPO)
    print(f"bench.scale_seed --scale {scale}: {time.monotonic() - started:.0f} s")


# --- Sessions --------------------------------------------------------------------------------------


def wsgi_get(handler: Any, path: str, cookie: str) -> bytes:
    """One signed-in GET through a WSGI handler in this process (no server, no client library), for
    the in-process measurements; the page must answer 200."""
    statuses: list[str] = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT": "text/html",
        "HTTP_COOKIE": cookie,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    response = handler(environ, lambda status, headers: statuses.append(status))
    body = b"".join(response)
    response.close()
    assert statuses[0].startswith("200"), statuses[0]
    return body


def log_in_workers(database_url: str, count: int) -> list[Worker]:
    """Sessions as a finished login with two-factor authentication leaves them, for the demo worker
    and the synthetic personal workers after it, each with the clients on their caseload."""
    os.environ.update(bench_env(database_url))
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection

    from polku.accounts.middleware import MFA_READY_KEY
    from polku.accounts.middleware import SESSION_KEY as MEMBERSHIP_KEY
    from polku.accounts.models import Membership, Role
    from polku.clients.selectors import caseload

    active = (
        Membership.objects.active()
        .filter(role=Role.PERSONAL_WORKER)
        .select_related("user", "unit__organisation")
    )
    memberships = list(active.filter(user__email="worker@oulu.polku.example"))
    memberships += list(
        active.filter(user__email__startswith="personalworker.oulu.").order_by("user__email")[:count]
    )
    if not memberships:
        raise SystemExit("No workers to log in as: run with --setup first.")
    workers = []
    for membership in memberships[:count]:
        user = membership.user
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[MEMBERSHIP_KEY] = membership.pk
        session[MFA_READY_KEY] = True
        session.create()
        clients = [str(case.client.public_id) for case in caseload(viewer=membership)]
        workers.append(Worker(user.email, f"{settings.SESSION_COOKIE_NAME}={session.session_key}", clients))
    connection.close()
    return workers


def settle(database_url: str) -> None:
    """Start every run from the same state: the tables that churn on each page view vacuumed (the
    audit sealing queue, whose rows are deleted as they are sealed; the chain head; sessions) and the
    dirty pages of earlier work written out. This machine's PostgreSQL runs with autovacuum off (its CI
    configuration), which production leaves on: without this, runs grew slower one after another as
    the queue's dead rows piled up, and a run right after seeding or a migration met the checkpoint
    of that work (client overview p95 174 ms, 135 ms after a CHECKPOINT)."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE) audit_pendingseal, audit_chainhead, django_session")
        connection.execute("CHECKPOINT")


# --- The load generator ----------------------------------------------------------------------------


# --- The server ------------------------------------------------------------------------------------


def start_server(args: argparse.Namespace, database_url: str) -> subprocess.Popen[bytes]:
    command = [
        str(GUNICORN),
        "experiment_wsgi:application" if args.experiments else "polku.wsgi:application",
        f"--config={REPO / 'gunicorn.conf.py'}",
        f"--bind=127.0.0.1:{args.port}",
        *([f"--worker-class={args.worker_class}"] if args.worker_class else []),
        *([f"--worker-connections={args.worker_connections}"] if args.worker_connections else []),
        "--log-level=warning",
        "--chdir",
        str(REPO / "src"),
        "--pythonpath",
        str(REPO / "bench"),
    ]
    print(
        f"POLKU_WEB_WORKERS={args.workers} POLKU_WEB_THREADS={args.threads} gunicorn " + " ".join(command[1:])
    )
    # The sizes go through the environment: gunicorn.conf.py derives its connection cap from the threads.
    env = {
        **bench_env(database_url),
        "BENCH_EXPERIMENTS": args.experiments,
        "POLKU_WEB_WORKERS": str(args.workers),
        "POLKU_WEB_THREADS": str(args.threads),
    }
    if args.experiments:
        print(f"experiments: {args.experiments}")
    server = subprocess.Popen(command, env=env, start_new_session=True)
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz/", timeout=1) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz/ within 20 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


# --- Main ------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--setup", action="store_true", help="create, migrate and seed the database, then stop"
    )
    parser.add_argument("--scale", type=int, default=100_000, help="clients to seed with --setup")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--concurrency", type=int, default=20, help="connections, one worker each")
    parser.add_argument("--seconds", type=float, default=30, help="measured time per page")
    parser.add_argument("--warmup", type=float, default=5, help="unmeasured time per page before it")
    parser.add_argument("--worker-class", default="", help="gunicorn.conf.py's (gthread) unless given")
    parser.add_argument(
        "--worker-connections",
        type=int,
        default=0,
        help="connections a process holds at most (gunicorn.conf.py: as many as threads unless given)",
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--pages", default="caseload,client,healthz")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--experiments",
        default="",
        help="what-if changes, comma-separated: audit-off, server-side-binding, prepared, no-seal, "
        "no-health-checks "
        "(bench/experiment_*.py)",
    )
    args = parser.parse_args()
    if args.setup:
        setup(args.database_url, args.scale)
        return

    workers = log_in_workers(args.database_url, args.concurrency)
    settle(args.database_url)
    print(
        f"{len(workers)} connections, each a personal worker ({workers[0].email} first) with "
        f"{statistics.mean(len(w.clients) for w in workers):.0f} open cases on average"
    )
    server = start_server(args, args.database_url)
    rows: dict[str, dict[str, Any]] = {}
    try:
        for page in args.pages.split(","):
            asyncio.run(drive(args.port, workers, page, args.warmup, measure=False))
            busy, total = cpu_times()
            own = time.process_time()
            started = time.monotonic()
            result = asyncio.run(drive(args.port, workers, page, args.seconds, measure=True))
            wall = time.monotonic() - started
            busy, total = cpu_times()[0] - busy, cpu_times()[1] - total
            assert result is not None
            n = len(result.latencies)
            rows[page] = {
                "requests": n,
                "rps": n / wall,
                "p50_ms": 1000 * percentile(result.latencies, 0.50) if n else None,
                "p95_ms": 1000 * percentile(result.latencies, 0.95) if n else None,
                "p99_ms": 1000 * percentile(result.latencies, 0.99) if n else None,
                "errors": sum(result.errors.values()),
                "error_kinds": result.errors,
                "kb_per_response": result.bytes / n / 1024 if n else 0,
                "machine_cpu": busy / total if total else 0,
                "load_generator_cpu": (time.process_time() - own) / wall,
            }
            print(f"  {page}: {n} requests in {wall:.1f} s", flush=True)
    finally:
        stop_server(server)

    ceiling = rows.get("healthz", {}).get("rps")
    print(
        f"\n{'page':<10} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} "
        f"{'KiB':>6} {'CPU':>5} {'loadgen':>8} {'of ceiling':>10}"
    )
    for page, row in rows.items():
        share = f"{row['rps'] / ceiling:.0%}" if ceiling else "–"
        print(
            f"{page:<10} {row['rps']:>8.1f} {row['p50_ms'] or 0:>8.1f} {row['p95_ms'] or 0:>8.1f} "
            f"{row['p99_ms'] or 0:>8.1f} {row['errors']:>7} {row['kb_per_response']:>6.1f} "
            f"{row['machine_cpu']:>5.0%} {row['load_generator_cpu']:>8.0%} {share:>10}"
        )
        if row["error_kinds"]:
            print(f"           errors: {row['error_kinds']}")
    print(
        "CPU: the machine's busy share during the page's run (all cores); loadgen: this script's own CPU "
        "(share of one core)."
    )
    if args.json:
        config = {
            k: getattr(args, k)
            for k in (
                "concurrency",
                "seconds",
                "warmup",
                "worker_class",
                "worker_connections",
                "workers",
                "threads",
                "experiments",
            )
        }
        args.json.write_text(json.dumps({"config": config, "pages": rows}, indent=2))


if __name__ == "__main__":
    main()

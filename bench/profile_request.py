"""Where one request's time goes: cProfile over repeated in-process requests, each query with its time,
and EXPLAIN ANALYZE of the caseload query, on the benchmark database (`bench/http_load.py --setup`).

    .venv/bin/python bench/profile_request.py [--page caseload|client] [--requests 50]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_load import DEFAULT_DATABASE, log_in_workers, wsgi_get


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--page", choices=["caseload", "client"], default="caseload")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()

    worker = log_in_workers(args.database_url, 1)[0]
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from polku.accounts.models import Membership
    from polku.clients import selectors

    # The WSGI handler itself, as gunicorn calls it: Django's test client would also copy every
    # template context for its assertions, which costs more than rendering.
    handler = WSGIHandler()
    paths = ["/caseload/"] if args.page == "caseload" else [f"/clients/{c}/" for c in worker.clients]

    def get(n: int) -> None:
        wsgi_get(handler, paths[n % len(paths)], worker.cookie)

    for n in range(10):  # warm: templates compiled, connection open
        get(n)

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        get(0)
        elapsed = time.perf_counter() - started
    in_db = sum(float(q["time"]) for q in queries.captured_queries)
    print(
        f"{paths[0]}: {elapsed * 1000:.1f} ms in process, {len(queries)} queries, "
        f"{in_db * 1000:.1f} ms in them"
    )
    for q in queries.captured_queries:
        print(f"  {float(q['time']) * 1000:6.2f} ms  {q['sql'][:150]}")

    started = time.perf_counter()
    for n in range(args.requests):
        get(n)
    plain = (time.perf_counter() - started) / args.requests
    print(f"\n{args.requests} requests without profiling: {plain * 1000:.1f} ms each")

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for n in range(args.requests):
        get(n)
    profiler.disable()
    per_request = (time.perf_counter() - started) / args.requests
    print(
        f"\n{args.requests} requests under cProfile: {per_request * 1000:.1f} ms each "
        "(profiling adds overhead)"
    )
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
        print(out.getvalue().split("\n", 4)[-1])

    if args.page == "caseload":
        membership = Membership.objects.select_related("unit").get(user__email=worker.email)
        print("EXPLAIN ANALYZE of the caseload page's query (first page):")
        print(selectors.caseload(viewer=membership)[:25].explain(analyze=True, buffers=True))


if __name__ == "__main__":
    main()

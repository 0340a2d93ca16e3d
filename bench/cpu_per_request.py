"""CPU of one process per request (time.process_time), the caseload and the client overview called
in-process through the WSGI handler as gunicorn calls it, with the share spent rendering templates.
Unlike the load test, it does not count the time spent waiting for PostgreSQL or for the other
processes on a shared machine, so old and new code can be compared on a busy machine by alternating
runs (bench/README.md, "Plain Django (issue 19)").

    .venv/bin/python bench/cpu_per_request.py [--requests 40] [--database-url ...]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_load import DEFAULT_DATABASE, log_in_workers, settle, wsgi_get


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE))
    args = parser.parse_args()

    # The same start as the load test's: the audit sealing queue's dead rows vacuumed (autovacuum is off
    # here), else each run reads more of them than the one before.
    settle(args.database_url)
    worker = log_in_workers(args.database_url, 1)[0]
    from django.core.handlers.wsgi import WSGIHandler

    import polku.clients.caseload_views as caseload_views
    import polku.clients.views as views

    handler = WSGIHandler()
    rendering = [0.0]
    render = views.render

    def timed_render(*render_args: Any, **render_kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return render(*render_args, **render_kwargs)
        finally:
            rendering[0] += time.process_time() - started

    # the modules' name for Django's render, so the views call this one
    views.render = timed_render
    caseload_views.render = timed_render

    def get(path: str) -> bytes:
        return wsgi_get(handler, path, worker.cookie)

    pages = {"caseload": ["/caseload/"], "client": [f"/clients/{c}/" for c in worker.clients]}
    for page, paths in pages.items():
        for n in range(10):  # warm: templates compiled, connection open
            get(paths[n % len(paths)])
        size = len(get(paths[0]))
        runs = []
        for _ in range(3):
            rendering[0] = 0.0
            started = time.process_time()
            for n in range(args.requests):
                get(paths[n % len(paths)])
            runs.append(
                ((time.process_time() - started) / args.requests * 1000, rendering[0] / args.requests * 1000)
            )
        total, rendered = min(runs)
        print(
            f"{page}: {size} bytes, CPU {total:.2f} ms a request (best of 3), of which rendering "
            f"{rendered:.2f}; all runs: {', '.join(f'{t:.2f}/{r:.2f}' for t, r in runs)}",
            flush=True,
        )


if __name__ == "__main__":
    main()

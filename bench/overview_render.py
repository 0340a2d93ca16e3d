"""CPU of rendering the client overview's template alone: the contexts of one page view of each of the
demo worker's clients are captured, then rendered again and again in this process (no database, no
middleware). Steadier than a whole request on a shared machine, so template changes can be compared
run by run (bench/README.md, "Plain Django (issue 19)").

    .venv/bin/python bench/overview_render.py [--rounds 10] [--database-url ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_load import DEFAULT_DATABASE, log_in_workers, settle, wsgi_get


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE))
    args = parser.parse_args()

    settle(args.database_url)
    worker = log_in_workers(args.database_url, 1)[0]
    from django.core.handlers.wsgi import WSGIHandler
    from django.template.loader import render_to_string
    from django.utils import translation

    import polku.clients.views as views

    handler = WSGIHandler()
    captured: list[tuple[Any, str, Any]] = []
    render = views.render

    def capture(*render_args: Any, **render_kwargs: Any) -> Any:
        request, template_name, context = render_args[:3]
        captured.append((request, template_name, context))
        return render(*render_args, **render_kwargs)

    views.render = capture  # the module's name for Django's render, so the view calls this one
    for public_id in worker.clients:
        wsgi_get(handler, f"/clients/{public_id}/", worker.cookie)
    views.render = render

    pages = captured[:20]
    translation.activate("fi")
    runs = []
    for _ in range(7):
        started = time.process_time()
        for _ in range(args.rounds):
            for request, template_name, context in pages:
                render_to_string(template_name, context, request)
        runs.append((time.process_time() - started) / (args.rounds * len(pages)) * 1000)
    print(
        f"client overview template: {min(runs):.3f} ms of CPU a render (best of 7, median "
        f"{statistics.median(runs):.3f}), {len(pages)} clients' pages"
    )


if __name__ == "__main__":
    main()

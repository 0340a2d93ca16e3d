"""CPU per call of each read the caseload and the client overview make (time.process_time, best of 3 runs
of N calls), on the benchmark database (`bench/http_load.py --setup`), for the demo worker and their
clients. Each call runs in its own `permissions.decided_once` block with the facts the page reads once
for every read (the viewer's facts about the client, the consents valid today) already read, as on the
page; "facts" is what reading those costs.

    .venv/bin/python bench/read_costs.py [--calls 100] [--database-url ...]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_load import DEFAULT_DATABASE, log_in_workers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE))
    args = parser.parse_args()

    worker = log_in_workers(args.database_url, 1)[0]
    from polku.accounts import permissions
    from polku.accounts.models import Membership
    from polku.clients import access, extensions, pages, selectors, timeline
    from polku.clients.models import Client
    from polku.clients.views import _current_case
    from polku.core import plugins

    viewer = Membership.objects.select_related("user", "unit__organisation").get(
        user__email=worker.email, role="personal_worker"
    )
    clients = list(Client.objects.filter(public_id__in=worker.clients).order_by("pk"))
    client = clients[0]
    cases = selectors.cases_of(client, viewer=viewer)
    current = _current_case(cases, viewer)
    page = list(
        selectors.caseload_page(viewer=viewer, filters=selectors.CaseloadFilters(), number="1", size=25)
    )

    def facts() -> None:
        access.client_facts(viewer, client.pk)
        access.disclosers(viewer, client)

    reads: dict[str, Callable[[], Any]] = {
        "facts (client facts, consents valid today)": facts,
        "client": lambda: selectors.client_for(viewer=viewer, public_id=client.public_id),
        "cases": lambda: selectors.cases_of(client, viewer=viewer),
        "break-the-glass reason": lambda: selectors.break_glass_reason(client, viewer=viewer),
        "timeline page": lambda: timeline.page_for(client, viewer=viewer, page=None),
        "team": lambda: selectors.team_of(current),
        "consents": lambda: selectors.consents_of(client),
    }
    for panel in sorted(plugins.contributions(extensions.Panel), key=lambda p: (p.order, p.key)):
        reads[f"panel {panel.key}"] = lambda panel=panel: panel.context(client, current, viewer)
    reads["caseload page (count and rows)"] = lambda: list(
        selectors.caseload_page(viewer=viewer, filters=selectors.CaseloadFilters(), number="1", size=25)
    )
    for flag in plugins.contributions(extensions.CaseloadFlag):
        reads[f"flag {flag.key}"] = lambda flag=flag: flag.case_ids(viewer, page)
    reads["caseload rows (pages.CaseloadRow)"] = lambda: pages.CaseloadRow.all_of(page)

    for name, read in reads.items():
        runs = []
        for _ in range(3):
            spent = 0.0
            for _ in range(args.calls):
                with permissions.decided_once():
                    if read is not facts:
                        facts()
                    started = time.process_time()
                    read()
                    spent += time.process_time() - started
            runs.append(spent / args.calls * 1000)
        print(f"{name:45} {min(runs):6.2f} ms", flush=True)


if __name__ == "__main__":
    main()

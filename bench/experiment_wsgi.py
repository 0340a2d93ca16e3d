"""WSGI entry for what-if runs; see experiment_settings.py. One more experiment lives here:

- audit-off: page views write no audit event at all, the upper bound of anything done to the audit
  log's cost (not a design: every read must be logged). Nothing is written, so the chain stays intact.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "experiment_settings"
application = get_wsgi_application()

if "audit-off" in os.environ.get("BENCH_EXPERIMENTS", ""):
    from polku.audit import services

    services.record = lambda *args, **kwargs: None  # type: ignore[assignment]

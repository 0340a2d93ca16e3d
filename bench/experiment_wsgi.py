"""WSGI entry for what-if runs; see experiment_settings.py. One more experiment lives here:

- audit-off: page views write no audit event, the upper bound of taking the hash chain's lock off the
  request path (for example events inserted unchained and linked by a background sealer). Nothing is
  written, so the benchmark database's chain stays intact.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "experiment_settings"
application = get_wsgi_application()

if "audit-off" in os.environ.get("BENCH_EXPERIMENTS", ""):
    from polku.audit import services

    services.record = lambda *args, **kwargs: None  # type: ignore[assignment]

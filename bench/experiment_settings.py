"""Settings for what-if runs (`http_load.py --experiments ...`): production settings with the changes
named in BENCH_EXPERIMENTS, to measure what a proposed change would buy before anyone makes it.

- server-side-binding: psycopg binds parameters on the server, so repeated queries are prepared once
  per connection and PostgreSQL skips parsing and planning them again
- prepared: server-side binding with psycopg's prepared statements (PostgreSQL parses and plans each
  statement once per connection)
- no-seal: audit events wait in the sealing queue (sealed afterwards by `manage.py seal_audit`), the
  upper bound of moving sealing out of the request processes altogether
- no-health-checks: no `SELECT 1` before a request's first query (`CONN_HEALTH_CHECKS` off), the upper
  bound of checking only connections that have been idle a while
"""

import os

from polku.settings import *  # noqa: F403
from polku.settings import DATABASES

EXPERIMENTS = {name.strip() for name in os.environ.get("BENCH_EXPERIMENTS", "").split(",") if name.strip()}

if "server-side-binding" in EXPERIMENTS:
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
if "prepared" in EXPERIMENTS:
    # psycopg prepares a statement once a connection has run it this many times (Django turns this off
    # by default for the sake of transaction-mode poolers such as PgBouncer); needs server-side binding
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=2)
if "no-seal" in EXPERIMENTS:
    AUDIT_SEAL_INTERVAL = 10**9
if "no-health-checks" in EXPERIMENTS:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False

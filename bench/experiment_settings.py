"""Settings for what-if runs (`http_load.py --experiments ...`): production settings with the changes
named in BENCH_EXPERIMENTS, to measure what a proposed change would buy before anyone makes it.

- session-no-save: SESSION_SAVE_EVERY_REQUEST off (no session UPDATE and commit on every request)
- jit-off: PostgreSQL's JIT compilation off for the application's connections
"""

import os

from polku.settings import *  # noqa: F403
from polku.settings import DATABASES

EXPERIMENTS = {name.strip() for name in os.environ.get("BENCH_EXPERIMENTS", "").split(",") if name.strip()}

if "session-no-save" in EXPERIMENTS:
    SESSION_SAVE_EVERY_REQUEST = False
if "jit-off" in EXPERIMENTS:
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

"""Append-only audit log of every access and change, chained by hashes (ARCHITECTURE.md rule 2).

Other apps call `audit.record(...)`; it is importable before the app registry is ready.
"""

from typing import Any


def record(*args: Any, **kwargs: Any) -> Any:
    from polku.audit.services import record as _record

    return _record(*args, **kwargs)

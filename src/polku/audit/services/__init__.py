"""Writing and verifying the audit chain: recording events (recording.py), sealing them into the chain and
writing checkpoints (sealing.py) and verifying the chain against the newest checkpoint (verification.py).
Callers import the package."""

from polku.audit.services.recording import *  # noqa: F403
from polku.audit.services.sealing import *  # noqa: F403
from polku.audit.services.verification import *  # noqa: F403

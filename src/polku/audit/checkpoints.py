"""Checkpoints of the chain head kept outside the database: event count, newest event, head hash and
time, signed with the anchor key. `manage.py seal_audit` appends one a minute to
`settings.AUDIT_CHECKPOINT_FILE` (one JSON object a line) and logs the same line to
`polku.audit.checkpoint`; `verify_chain` compares the chain with the newest. Someone who deletes the
newest events and rewinds the head in the database cannot take back what was written here."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from polku.audit import anchor

logger = logging.getLogger("polku.audit.checkpoint")


@dataclass(frozen=True)
class Checkpoint:
    count: int
    event_id: int | None
    hash: str
    at: str  # ISO 8601, UTC
    signature: str = ""

    def signed_content(self) -> bytes:
        return f"polku-audit-checkpoint:{self.count}:{self.event_id}:{self.hash}:{self.at}".encode()

    def signed(self) -> Checkpoint:
        return Checkpoint(self.count, self.event_id, self.hash, self.at, anchor.sign(self.signed_content()))

    @property
    def is_authentic(self) -> bool:
        return bool(self.signature) and anchor.is_signed(self.signed_content(), self.signature)

    def line(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    def __str__(self) -> str:
        return f"the checkpoint of {self.at}"


class CheckpointFileError(ValueError):
    """A line of the checkpoint file that is not a checkpoint signed with the anchor key."""


def append(checkpoint: Checkpoint, path: Path) -> None:
    """Append the signed checkpoint to the file and to the log; the file is flushed to disk before the
    function returns, since its point is to outlive what happens to the database next."""
    line = checkpoint.line()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        file.write(line + "\n")
        file.flush()
        os.fsync(file.fileno())
    logger.info("%s", line)


def latest(path: Path) -> Checkpoint | None:
    """The newest checkpoint in the file (its last line), without reading the rest: the writer looks at
    it every minute, and the file grows by a line a minute."""
    if not path.exists():
        return None
    with path.open("rb") as file:
        file.seek(0, os.SEEK_END)
        file.seek(max(0, file.tell() - 4096))
        lines = [line for line in file.read().decode("utf-8", "replace").splitlines() if line.strip()]
    return _parse(lines[-1], f"the last line of {path}") if lines else None


def _parse(text: str, where: str) -> Checkpoint:
    try:
        fields = json.loads(text)
        checkpoint = Checkpoint(
            count=int(fields["count"]),
            event_id=None if fields["event_id"] is None else int(fields["event_id"]),
            hash=str(fields["hash"]),
            at=str(fields["at"]),
            signature=str(fields["signature"]),
        )
    except (ValueError, KeyError, TypeError):
        raise CheckpointFileError(f"{where} is not a checkpoint.") from None
    if not checkpoint.is_authentic:
        raise CheckpointFileError(f"{where} is not signed with the anchor key: the file was changed.")
    return checkpoint


def read(path: Path) -> list[Checkpoint]:
    """Every checkpoint in the file, oldest first; none when there is no file yet. Raises
    `CheckpointFileError` naming the first line that is not a checkpoint signed with the anchor key, or
    that records fewer events than the one before it (the chain was rewound between them)."""
    if not path.exists():
        return []
    found: list[Checkpoint] = []
    with path.open(encoding="utf-8") as file:
        for number, text in enumerate(file, start=1):
            if not text.strip():
                continue
            checkpoint = _parse(text, f"line {number} of {path}")
            if found and checkpoint.count < found[-1].count:
                raise CheckpointFileError(
                    f"{checkpoint} (line {number} of {path}) recorded {checkpoint.count} events, fewer than "
                    f"the {found[-1].count} of {found[-1].at}: the chain was rewound between them."
                )
            found.append(checkpoint)
    return found

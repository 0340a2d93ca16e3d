"""Keeps personal identity codes (henkilötunnus) out of the audit log and out of log files."""

import logging
import re
from typing import Any

# Six digits of birth date, a century sign (+, -, A-F, or the signs Y X W V U added in 2023), a
# three-digit individual number and a check character. Matches are masked whether valid or not: a
# mistyped code is still somebody's code.
IDENTITY_CODE = re.compile(r"(?<![0-9A-Za-z])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![0-9A-Za-z])", re.IGNORECASE)
MASK = "[henkilötunnus]"


def mask_identity_codes(text: str) -> str:
    return IDENTITY_CODE.sub(MASK, text)


def mask_value(value: Any) -> Any:
    if isinstance(value, str):
        return mask_identity_codes(value)
    if isinstance(value, dict):
        return {str(key): mask_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [mask_value(item) for item in value]
    return value


class MaskIdentityCodesFilter(logging.Filter):
    """Logging filter: formats the message once and masks identity codes in it (and in tracebacks)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_identity_codes(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_identity_codes(record.exc_text)
        return True

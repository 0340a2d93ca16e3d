"""Keeps the hosts' single-use feedback links out of log files."""

import logging
import re

# /feedback/<token>/ as the request and server loggers write the path; the form and thanks pages
# carry no token.
FEEDBACK_LINK = re.compile(r"/feedback/(?!form/|thanks/)[^/\s\"?]+")
MASK = "/feedback/[link]"


def mask_feedback_links(text: str) -> str:
    return FEEDBACK_LINK.sub(MASK, text)


class MaskFeedbackLinksFilter(logging.Filter):
    """Logging filter for Django's request and server loggers: a 4xx answer to a used or unknown link
    is logged with its path, and the path holds the token."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_feedback_links(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True

"""Logging: identity codes are masked in every log line, whoever writes it, and placement feedback
links in the request logs."""

from typing import Any


def logging_config(*, level: str) -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "mask_identity_codes": {"()": "polku.audit.redaction.MaskIdentityCodesFilter"},
            "mask_feedback_links": {"()": "polku.placements.logs.MaskFeedbackLinksFilter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["mask_identity_codes"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
            # Logger filters run before any handler, the test suite's capturing handlers included.
            "django.request": {"filters": ["mask_feedback_links"]},
            "django.server": {"filters": ["mask_feedback_links"]},
        },
    }

"""Identity codes are masked in every log line, whoever writes it; other numbers are left alone."""

import io
import logging

import pytest

from polku.audit.redaction import MASK, MaskIdentityCodesFilter, mask_identity_codes

IDENTITY_CODE = "010190-900P"  # synthetic: individual numbers 900-999 are never given to real people
IDENTITY_CODE_NEW_CENTURY_SIGN = "010101Y901S"


@pytest.fixture
def log():
    """A logger writing through the filter, as the configured console handler does; returns (logger, output)."""
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(MaskIdentityCodesFilter())
    logger = logging.getLogger("tests.audit.redaction")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    yield logger, output
    logger.handlers = []


def test_a_code_in_the_message_is_masked(log):
    logger, output = log
    logger.info(f"Haettiin asiakas {IDENTITY_CODE}")
    assert output.getvalue() == f"INFO Haettiin asiakas {MASK}\n"


def test_a_code_passed_as_an_argument_is_masked(log):
    logger, output = log
    logger.warning("Client %s not found in %s", IDENTITY_CODE, "registry")
    assert output.getvalue() == f"WARNING Client {MASK} not found in registry\n"


def test_a_code_with_a_new_century_sign_is_masked(log):
    logger, output = log
    logger.info("codes %s and %s", IDENTITY_CODE_NEW_CENTURY_SIGN, IDENTITY_CODE.lower())
    assert output.getvalue() == f"INFO codes {MASK} and {MASK}\n"


def test_a_code_in_an_exception_and_its_traceback_is_masked(log):
    logger, output = log
    try:
        raise ValueError(f"no client with identity code {IDENTITY_CODE}")
    except ValueError:
        logger.exception("Lookup failed for %s", IDENTITY_CODE)
    text = output.getvalue()
    assert IDENTITY_CODE not in text
    assert f"Lookup failed for {MASK}" in text
    assert f"ValueError: no client with identity code {MASK}" in text
    assert "Traceback (most recent call last)" in text


def test_the_filter_never_drops_a_record():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hetu %s", (IDENTITY_CODE,), None)
    assert MaskIdentityCodesFilter().filter(record) is True
    assert record.getMessage() == f"hetu {MASK}"


@pytest.mark.parametrize(
    "text",
    [
        "Processed 123456 rows in 2024-01-31 12:30:45",
        "Meeting on 31.12.2024 at 14.00, room 101",
        "Business ID 1234567-1, invoice 20240131-1200",
        "Phone 040-1234567 and postcode 90100",
        "Order 1234567890 total 123456.78 EUR",
        "uuid 8f0be58a-9363-f553-91ca-e15c01236777",
        "Date 010190 and number 900",
    ],
)
def test_ordinary_numbers_and_dates_are_left_alone(log, text):
    logger, output = log
    logger.info("%s", text)
    assert output.getvalue() == f"INFO {text}\n"
    assert mask_identity_codes(text) == text


def test_a_record_without_a_code_is_left_untouched():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "user %s", ("u-42",), None)
    MaskIdentityCodesFilter().filter(record)
    assert record.msg == "user %s"
    assert record.args == ("u-42",)


def test_the_configured_console_handler_masks_codes():
    handlers = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, MaskIdentityCodesFilter) for f in h.filters)
    ]
    assert handlers, "the root logger's console handler has no identity code filter"
    django_handlers = logging.getLogger("django").handlers
    assert any(isinstance(f, MaskIdentityCodesFilter) for h in django_handlers for f in h.filters)

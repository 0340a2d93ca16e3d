"""The failed-login limits as the setting writes them (accounts/throttle.py)."""

import pytest

from polku.accounts.throttle import Rate, parse_rates


def test_the_default_limit_reads_as_per_address_and_per_account():
    assert parse_rates("20/15m/ip,5/15m/key") == [Rate(20, 900, "ip"), Rate(5, 900, "key")]


@pytest.mark.parametrize(
    ("text", "rate"),
    [("10/m", Rate(10, 60, "ip")), ("3/2h/key", Rate(3, 7200, "key")), ("1/30s/ip", Rate(1, 30, "ip"))],
)
def test_units_and_the_default_per_address(text, rate):
    assert parse_rates(text) == [rate]


def test_an_empty_setting_sets_no_limit():
    assert parse_rates("") == []


def test_a_misspelt_limit_stops_instead_of_allowing_everything():
    with pytest.raises(ValueError, match="Not a rate"):
        parse_rates("20 per 15 minutes")

"""The GAS T-score against examples computed by hand."""

import math

import pytest

from polku.plans.gas import t_score


def test_all_goals_at_the_expected_level_give_50():
    assert t_score([0, 0, 0]) == 50


def test_two_goals_both_plus_one_with_equal_weights():
    # 50 + 10·2 / sqrt(0.7·2 + 0.3·4) = 50 + 20 / sqrt(2.6)
    assert t_score([1, 1]) == pytest.approx(62.4035, abs=1e-4)
    assert t_score([1, 1]) == pytest.approx(50 + 20 / math.sqrt(2.6))


def test_one_goal_is_its_level_in_tens():
    # sqrt(0.7 + 0.3) = 1: one goal at -2 is 30, at +2 is 70.
    assert t_score([-2]) == pytest.approx(30)
    assert t_score([2]) == pytest.approx(70)


def test_unequal_weights():
    # Σwx = 2·1 + 1·(-1) = 1; Σw² = 5; (Σw)² = 9; sqrt(0.7·5 + 0.3·9) = sqrt(6.2)
    assert t_score([1, -1], weights=[2, 1]) == pytest.approx(50 + 10 / math.sqrt(6.2))
    assert t_score([1, -1], weights=[2, 1]) == pytest.approx(54.0161, abs=1e-4)


def test_three_goals_with_weights_and_another_correlation():
    # Σwx = 3·2 + 1·0 + 2·(-1) = 4; Σw² = 14; (Σw)² = 36; rho 0.5: sqrt(7 + 18) = 5
    assert t_score([2, 0, -1], weights=[3, 1, 2], rho=0.5) == pytest.approx(58)


def test_weights_default_to_one():
    assert t_score([1, -2, 0]) == t_score([1, -2, 0], weights=[1, 1, 1])


@pytest.mark.parametrize(
    ("levels", "weights", "message"),
    [
        ([], None, "At least one goal"),
        ([3], None, "from -2 to 2"),
        ([-3, 0], None, "from -2 to 2"),
        ([0.5], None, "from -2 to 2"),
        ([True], None, "from -2 to 2"),
        ([1, 1], [1], "2 level(s) but 1 weight(s)"),
        ([1], [0], "more than zero"),
        ([1], [-1], "more than zero"),
        ([1], ["a"], "must be a number"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(levels, weights, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        t_score(levels, weights)


def test_a_correlation_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError, match="inter-goal correlation"):
        t_score([1], rho=1)

from datetime import datetime, timedelta

import pytest

from uitstroom.domain.daypass import (
    day_password_problem,
    may_try_at,
    wait_after,
    wait_text,
)


@pytest.mark.parametrize(
    ("text", "good"),
    [
        ("12345", False),
        ("111111", False),
        ("123456", False),
        ("654321", False),
        ("483920", True),
        ("kort", False),
        ("zeven77", False),
        ("fietsbel8", True),
    ],
)
def test_a_pincode_of_six_digits_or_a_password_of_eight(text: str, good: bool) -> None:
    assert (day_password_problem(text) is None) is good


def test_five_tries_are_free_then_each_wait_doubles_to_fifteen_minutes() -> None:
    assert [wait_after(n) for n in range(5)] == [timedelta(0)] * 5
    assert wait_after(5) == timedelta(seconds=30)
    assert wait_after(6) == timedelta(seconds=60)
    assert wait_after(9) == timedelta(minutes=8)
    assert wait_after(10) == timedelta(minutes=15)
    assert wait_after(50) == timedelta(minutes=15)


def test_the_next_try_is_taken_after_the_wait_from_the_last_failure() -> None:
    last = datetime(2027, 3, 31, 23, 59, 50)
    assert may_try_at(4, last) is None
    assert may_try_at(5, last) == datetime(2027, 4, 1, 0, 0, 20)
    assert may_try_at(7, None) is None
    assert wait_text(timedelta(seconds=29.2)) == "30 seconden"
    assert wait_text(timedelta(minutes=8)) == "8 minuten"

"""How late or near a due day is, in the words the Vandaag and Nazorg lists show."""

from __future__ import annotations

from datetime import date

import pytest

from uitstroom.domain.dates import late_or_near


@pytest.mark.parametrize(
    ("due", "today", "said"),
    [
        (date(2027, 4, 1), date(2027, 3, 31), "morgen"),
        (date(2027, 4, 1), date(2027, 4, 1), "vandaag"),
        (date(2027, 4, 1), date(2027, 4, 2), "1 dag te laat"),
        (date(2027, 4, 1), date(2027, 4, 11), "10 dagen te laat"),
        # Over the turn of the year and a leap day: days, not dates, are counted.
        (date(2026, 12, 31), date(2027, 1, 1), "1 dag te laat"),
        (date(2028, 2, 28), date(2028, 3, 1), "2 dagen te laat"),
        (date(2028, 2, 29), date(2028, 2, 28), "morgen"),
    ],
)
def test_late_today_and_tomorrow_are_said_in_words(due: date, today: date, said: str) -> None:
    assert late_or_near(due, today) == said


def test_a_later_day_is_left_to_the_list() -> None:
    """Vandaag says 'over 2 dagen', Nazorg the weekday and date: each its own way."""
    assert late_or_near(date(2027, 4, 1), date(2027, 3, 30)) is None
    assert late_or_near(date(2027, 4, 1), date(2026, 9, 1)) is None

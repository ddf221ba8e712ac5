"""Dates as a Dutch reader writes them: '1 april', '1 april 2027'."""

from __future__ import annotations

from datetime import date

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


def dutch_day(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


def dutch_date(day: date | None) -> str:
    return "" if day is None else f"{dutch_day(day)} {day.year}"

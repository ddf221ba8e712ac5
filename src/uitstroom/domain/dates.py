"""Dates as a Dutch reader writes them: '1 april', '1 april 2027'."""

from __future__ import annotations

from datetime import date

from uitstroom.domain.plural import counted

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def dutch_day(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


def dutch_date(day: date | None) -> str:
    return "" if day is None else f"{dutch_day(day)} {day.year}"


def dutch_weekday_date(day: date) -> str:
    """'dinsdag 10 februari 2026': for an invitation, where the weekday prevents mistakes."""
    return f"{WEEKDAYS[day.weekday()]} {dutch_date(day)}"


SHORT_WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")


def dutch_date_with_weekday(day: date | None) -> str:
    """'do 1 april 2027': on paper a date says which day it is, so a Saturday shows."""
    return "" if day is None else f"{SHORT_WEEKDAYS[day.weekday()]} {dutch_date(day)}"


def late_or_near(due: date, today: date) -> str | None:
    """'3 dagen te laat', 'vandaag' or 'morgen' in a list of what is due; None for a later
    day, which each list writes its own way ('over 12 dagen', 'vr 18-06')."""
    days = (due - today).days
    if days < 0:
        return f"{counted(-days, 'dag', 'dagen')} te laat"
    return {0: "vandaag", 1: "morgen"}.get(days)


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it has no such day
    (31 August + 3 months = 30 November; 29 February + 12 months = 28 February)."""
    # Imported here: 11 ms and 2 MB a start without nazorg dates to plan does without.
    from dateutil.relativedelta import relativedelta

    later: date = day + relativedelta(months=months)
    return later

"""Deadlines and tasks as an .ics file for Outlook or Google Calendar.

Calendars get synced to phones and shared with colleagues, so event texts carry no
special-category data: a pupil is named by roepnaam, the initial of the achternaam and the klas,
and the text says only what has to happen."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import cast

from uitstroom.domain.calendar import Anchor, SchoolCalendar

PRODID = "-//Uitstroom//Uitstroom//NL"


@dataclass(frozen=True)
class CalendarTask:
    """One open task of one pupil, with a stable id so a re-export updates, not duplicates."""

    uid: str
    pupil_label: str  # "Noa J. (PRO4A)"
    title: str
    due: date


def pupil_label(roepnaam: str, achternaam: str, klas: str) -> str:
    initial = f" {achternaam.strip()[:1].upper()}." if achternaam.strip() else ""
    return f"{roepnaam.strip()}{initial}" + (f" ({klas})" if klas else "")


SCHOOL_DEADLINES = (
    (Anchor.BIJSTEL_START, "Begin bijstelperiode: uitstroombestemming bekijken"),
    (Anchor.BIJSTEL_END, "Einde bijstelperiode"),
    (Anchor.UITSTROOMOVERLEG, "Uitstroomoverleg met de gemeente (route arbeid)"),
    (Anchor.APRIL_1, "1 april: uiterste aanmelddatum mbo; gesprekken met leerbedrijven"),
    (Anchor.LAST_SCHOOL_DAY, "Laatste schooldag: warme overdracht gedaan"),
)


@dataclass(frozen=True)
class AllDayEvent:
    """One all-day event that does not block the day; `uid` is stable so a re-export updates."""

    uid: str
    summary: str
    day: date


def ics_file(name: str, events: Iterable[AllDayEvent], stamp: datetime) -> bytes:
    """The one place an .ics file is made: a named calendar of all-day events."""
    # icalendar on first use: the start screen never writes a calendar.
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for item in events:
        event = Event()
        event.add("uid", f"{item.uid}@uitstroom")
        event.add("dtstamp", stamp)
        event.add("summary", item.summary)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return cast(bytes, calendar.to_ical())


def build_ics(
    school_calendar: SchoolCalendar,
    tasks: Iterable[CalendarTask],
    name: str,
    stamp: datetime,
) -> bytes:
    """The school year's fixed deadlines and the open tasks of pupils."""
    deadlines = [
        AllDayEvent(
            f"deadline-{anchor.value}-{school_calendar.year.label}",
            summary,
            school_calendar.anchor_date(anchor),
        )
        for anchor, summary in SCHOOL_DEADLINES
    ]
    chores = [
        AllDayEvent(task.uid, f"{task.pupil_label}: {task.title}", task.due) for task in tasks
    ]
    return ics_file(name, deadlines + chores, stamp)

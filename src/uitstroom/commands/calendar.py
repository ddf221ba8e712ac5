"""Headless school-year commands: what the Vandaag view shows, and the .ics calendar export."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO

from uitstroom.commands import Handler, add_date, add_json, print_json

if TYPE_CHECKING:
    from uitstroom.domain.attention import AttentionItem

if TYPE_CHECKING:
    from uitstroom.services.database import Database

EXIT_OK = 0


def register(commands: Any) -> dict[str, Handler]:
    attention = commands.add_parser(
        "attention", help="toon wat vandaag aandacht nodig heeft (wat het scherm Vandaag toont)"
    )
    add_date(attention, "2027-03-20", "kijk op deze datum (standaard vandaag)")
    add_json(attention)
    _filters(attention)

    calendar = commands.add_parser(
        "calendar", help="schrijf de deadlines en open taken naar een .ics-agenda"
    )
    calendar.add_argument("file", metavar="BESTAND", type=Path, help="bijv. uitstroom.ics")
    _filters(calendar)
    return {"attention": _attention, "calendar": _calendar}


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mentor", metavar="MENTOR", help="alleen de leerlingen van deze mentor")
    parser.add_argument("--klas", metavar="KLAS", help="alleen de leerlingen van deze klas")


def item_json(item: AttentionItem) -> dict[str, Any]:
    return {
        "group": item.group.value,
        "group_label": item.group.label,
        "pupil_id": item.pupil_id,
        "name": item.name,
        "klas": item.klas,
        "text": item.text,
        "due": item.due.isoformat() if item.due else None,
        "task": item.code,
    }


def _attention(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from uitstroom.domain.attention import Group, countdown_text
    from uitstroom.services.planning import PlanningService

    today = args.date or date.today()
    service = PlanningService(db.sessions, actor=db.actor)
    items = service.attention(today, mentor=args.mentor, klas=args.klas)
    if args.json:
        print_json([item_json(i) for i in items], out)
        return EXIT_OK
    if not items:
        print(f"Op {today:%d-%m-%Y} heeft niemand aandacht nodig.", file=out)
        return EXIT_OK
    for group in Group:
        found = [i for i in items if i.group is group]
        if not found:
            continue
        heading = group.label
        if group is Group.APRIL:
            heading += f" ({countdown_text(today, service.calendar())})"
        print(f"{heading} ({len(found)})", file=out)
        for item in found:
            print(f"  {item.name} ({item.klas or 'geen klas'}): {item.text}", file=out)
        print(file=out)
    return EXIT_OK


def _calendar(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from uitstroom.services.files import write_atomically
    from uitstroom.services.planning import PlanningService

    name = "Uitstroom" + "".join(f" {f}" for f in (args.klas, args.mentor) if f)
    data = PlanningService(db.sessions, actor=db.actor).ics(
        date.today(), mentor=args.mentor, klas=args.klas, name=name
    )

    def write(stream: IO[bytes]) -> None:
        stream.write(data)

    write_atomically(args.file, write)
    events = data.count(b"BEGIN:VEVENT")
    print(f"Agenda geschreven naar {args.file}: {events} afspraken.", file=out)
    return EXIT_OK

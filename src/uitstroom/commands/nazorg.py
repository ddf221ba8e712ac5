"""Headless nazorg: the week's calls (what the Nazorg view shows) and the anonymous outcome
figures for the Inspectie and the regional programme."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO

from uitstroom.commands import Handler, add_date, add_json, add_out, command_group, print_json
from uitstroom.domain.plural import counted
from uitstroom.services.errors import ValidationError

if TYPE_CHECKING:
    from uitstroom.domain.nazorg import AgendaItem
    from uitstroom.services.database import Database

EXIT_OK = 0


def register(commands: Any) -> dict[str, Handler]:
    nazorg_commands = command_group(
        commands,
        "nazorg",
        "nazorg_command",
        help="nazorg na school: de gesprekken van deze week",
        description="Nazorg na school: wie u deze week moet bellen, en wie al te laat is.",
    )
    agenda = nazorg_commands.add_parser(
        "agenda",
        help="toon de nazorggesprekken van deze week en de te late (wat het scherm Nazorg toont)",
    )
    add_date(agenda, "2027-10-09", "kijk op deze datum (standaard vandaag)")
    agenda.add_argument(
        "--mentor", metavar="MENTOR", help="alleen de oud-leerlingen van deze mentor"
    )
    add_json(agenda)

    report_commands = command_group(
        commands,
        "report",
        "report_command",
        metavar="SOORT",
        help="schrijf anonieme cijfers naar Excel",
        description=(
            "Anonieme cijfers voor de Inspectie en het regionale programma: geen namen, geen "
            "leerlingnummers, en geen aantal onder de 5 als getal."
        ),
    )
    outcomes = report_commands.add_parser(
        "outcomes",
        help="waar de oud-leerlingen van een cohort zijn: bij vertrek, na 6, 12 en 24 maanden",
    )
    outcomes.add_argument(
        "--cohort",
        metavar="JJJJ-JJJJ",
        required=True,
        help="het schooljaar waarin de leerlingen van school gingen, bijv. 2026-2027",
    )
    add_out(outcomes, "het .xlsx-bestand", "BESTAND")
    add_date(outcomes, "2027-10-09", "de cijfers zoals ze op deze datum waren (standaard vandaag)")
    exits = report_commands.add_parser(
        "exits",
        help="mbo: redenen van vertrek en vervolg per opleiding en niveau, uit de exitgesprekken",
    )
    exits.add_argument(
        "--year",
        metavar="JJJJ-JJJJ",
        required=True,
        help="het schooljaar van de gesprekken, bijv. 2026-2027",
    )
    add_out(exits, "het .xlsx-bestand", "BESTAND")
    return {"nazorg": _nazorg, "report": _report}


def item_json(item: AgendaItem) -> dict[str, Any]:
    return {
        "pupil_id": item.pupil_id,
        "name": item.name,
        "mentor": item.mentor,
        "moment_id": item.moment_id,
        "months": item.months,
        "due": item.due.isoformat(),
        "overdue": item.overdue,
        "attempts": item.attempts,
        "last_status": item.last_status.value if item.last_status else None,
        "last_status_label": item.last_status.label if item.last_status else None,
    }


def _nazorg(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from uitstroom.domain.dates import dutch_date
    from uitstroom.services.nazorg import NazorgService

    today = args.date or date.today()
    items = NazorgService(db.sessions, actor=db.actor).agenda(today, mentor=args.mentor)
    if args.json:
        print_json([item_json(i) for i in items], out)
        return EXIT_OK
    if not items:
        print(f"Op {today:%d-%m-%Y} staat er geen nazorggesprek open.", file=out)
        return EXIT_OK
    for heading, overdue in (("Te laat", True), ("Deze week", False)):
        found = [i for i in items if i.overdue is overdue]
        if not found:
            continue
        print(f"{heading} ({len(found)})", file=out)
        for item in found:
            extra = []
            if item.last_status is not None:
                extra.append(f"laatst: {item.last_status.label.lower()}")
            if item.attempts:
                extra.append(f"{counted(item.attempts, 'keer', 'keer')} niet bereikt")
            tail = f" ({'; '.join(extra)})" if extra else ""
            print(
                f"  {dutch_date(item.due)}: {item.name}, gesprek na {counted(item.months, 'maand', 'maanden')}"
                f"{tail} [{item.mentor or 'geen mentor'}]",
                file=out,
            )
        print(file=out)
    return EXIT_OK


def _report(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from uitstroom.domain.schoolyear import SchoolYear
    from uitstroom.services.nazorg import NazorgService

    if args.report_command == "exits":
        return _report_exits(db, args, out)
    try:
        SchoolYear.parse(args.cohort)
    except ValueError as exc:
        raise ValidationError([str(exc)]) from None
    today = args.date or date.today()
    service = NazorgService(db.sessions, actor=db.actor)
    service.export_outcomes(args.cohort, today, args.out)
    print(
        f"Anonieme nazorgcijfers van cohort {args.cohort} geschreven naar {args.out}.",
        file=out,
    )
    return EXIT_OK


def _report_exits(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from uitstroom.domain.schoolyear import SchoolYear
    from uitstroom.services.exit import ExitService

    try:
        year = SchoolYear.parse(args.year).label
    except ValueError as exc:
        raise ValidationError([str(exc)]) from None
    ExitService(db.sessions, actor=db.actor).export_figures(year, args.out)
    print(f"Anonieme cijfers van de exitgesprekken {year} geschreven naar {args.out}.", file=out)
    return EXIT_OK

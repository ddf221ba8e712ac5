"""Headless work of the school beyond the pupil's file: `uitstroom brief` (letters to parents
for a klas, one PDF), `uitstroom cijfers` (Cohort in cijfers as PDF and/or XLSX) and
`uitstroom handleiding --out F.pdf` (the manual, needs no database)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from uitstroom.commands import Handler, add_out, klas_pupil_ids
from uitstroom.domain.letters import LetterKind, Meeting
from uitstroom.domain.schoolyear import SchoolYear
from uitstroom.services.errors import ValidationError

if TYPE_CHECKING:  # --version and --help load no database layer (tests/test_start_imports.py)
    from uitstroom.services.database import Database

EXIT_OK = 0


def _day(text: str) -> date:
    from uitstroom.domain.validation import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(commands: Any) -> dict[str, Handler]:
    brief = commands.add_parser(
        "brief",
        help="maak uitnodigingsbrieven voor een klas, samen in één PDF",
        description=(
            "Maak voor elke leerling van een klas een brief (met de tekst die de school "
            "heeft bewaard, of de standaardtekst), samen in één PDF om af te drukken."
        ),
    )
    brief.add_argument(
        "kind",
        metavar="SOORT",
        choices=[kind.value for kind in LetterKind],
        help="transitieplan, uitstroomoverleg of exitgesprek",
    )
    brief.add_argument("--klas", metavar="KLAS", required=True, help="de klas")
    brief.add_argument("--datum", metavar="DD-MM-JJJJ", type=_day, help="de dag van het gesprek")
    brief.add_argument("--tijd", metavar="TIJD", default="", help="bijv. '15.30 uur'")
    brief.add_argument("--plaats", metavar="PLAATS", default="", help="bijv. 'lokaal 12'")
    add_out(brief)

    cijfers = commands.add_parser(
        "cijfers",
        help="Cohort in cijfers: één pagina PDF voor de directie en/of een Excel-werkmap",
        description=(
            "De cijfers van één cohort: per profiel, route en status, op tijd aangemeld, "
            "bestemming bij vertrek en de peildata van de sectormonitor. De werkmap bevat "
            "namen en is voor eigen gebruik op school."
        ),
    )
    cijfers.add_argument("--cohort", metavar="JJJJ-JJJJ", help="schooljaar; anders het nieuwste")
    cijfers.add_argument("--pdf", metavar="PAD", type=Path, help="de PDF voor de directie")
    cijfers.add_argument("--xlsx", metavar="PAD", type=Path, help="de Excel-werkmap (met namen)")

    manual = commands.add_parser(
        "handleiding", help="schrijf de handleiding als PDF om af te drukken"
    )
    add_out(manual)
    manual.set_defaults(without_database=True)
    return {"brief": _letters, "cijfers": _figures, "handleiding": _manual}


def _letters(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from uitstroom.services.letters import LetterService

    today = date.today()
    pupil_ids = klas_pupil_ids(db, args.klas)
    kind = LetterKind(args.kind)
    count = LetterService(db.sessions, actor=db.actor).write_letters(
        kind,
        pupil_ids,
        Meeting(args.datum, args.tijd.strip(), args.plaats.strip()),
        today,
        args.out,
    )
    noun = "brief" if count == 1 else "brieven"
    print(f"{count} {noun} ({kind.label}) geschreven naar {args.out}.", file=out)
    return EXIT_OK


def _figures(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from uitstroom.services.figures import FiguresService
    from uitstroom.services.pupils import PupilService

    if args.pdf is None and args.xlsx is None:
        raise ValidationError(["Zeg waar de cijfers heen moeten: --pdf PAD en/of --xlsx PAD."])
    if args.cohort:
        try:
            label = SchoolYear.parse(args.cohort).label
        except ValueError as exc:
            raise ValidationError([str(exc)]) from None
    else:
        cohorts = PupilService(db.sessions, actor=db.actor).cohorts()
        label = cohorts[-1].label if cohorts else SchoolYear.of(date.today()).label
    service = FiguresService(db.sessions, actor=db.actor)
    report = service.report(label, date.today())
    for target, write in ((args.pdf, service.write_pdf), (args.xlsx, service.write_xlsx)):
        if target is not None:
            write(report, target)
            print(f"Cohort in cijfers {label} geschreven naar {target}.", file=out)
    return EXIT_OK


def _manual(_db: Database | None, args: argparse.Namespace, out: TextIO) -> int:
    from uitstroom.services.manual import write_manual

    write_manual(args.out)
    print(f"De handleiding is geschreven naar {args.out}.", file=out)
    return EXIT_OK

"""Headless uitstroomoverleg: `uitstroom overleg bespreeklijst` (the list to take to the meeting
with a gemeente) and `uitstroom overleg verslag` (what was agreed there), the window's PDFs."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO

from uitstroom.commands import Handler, add_date, add_out, command_group
from uitstroom.services.errors import NotFoundError

if TYPE_CHECKING:  # --version and --help load no database layer (tests/test_start_imports.py)
    from uitstroom.services.database import Database

EXIT_OK = 0


def register(commands: Any) -> dict[str, Handler]:
    overleg_commands = command_group(
        commands,
        "overleg",
        "overleg_command",
        help="uitstroomoverleg met de gemeente: bespreeklijst en verslag als PDF",
        description=(
            "Het uitstroomoverleg met de gemeente. Op de bespreeklijst staan alleen leerlingen "
            "met toestemming om met deze gemeente te delen; de anderen worden geteld."
        ),
    )
    for name, text in (
        ("bespreeklijst", "de lijst om mee te nemen naar het overleg (liggend A4)"),
        ("verslag", "wat er in het overleg op die datum is afgesproken"),
    ):
        sub = overleg_commands.add_parser(name, help=text)
        sub.add_argument(
            "--gemeente",
            metavar="NAAM",
            required=True,
            help="de gemeente uit de sociale kaart, bijv. 'Werkplein Lekstroom'",
        )
        add_date(
            sub,
            "2027-10-09",
            "de datum van het overleg" + (" (standaard: geen)" if name != "verslag" else ""),
            required=name == "verslag",
        )
        add_out(sub)
    return {"overleg": _overleg}


def _overleg(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from uitstroom.domain.overleg import NO_CONSENT
    from uitstroom.services.overleg import OverlegService

    service = OverlegService(db.sessions, actor=db.actor)
    organisation_id = service.find_gemeente(args.gemeente)
    today = date.today()
    if args.overleg_command == "bespreeklijst":
        lijst = service.write_bespreeklijst(organisation_id, args.out, today, args.date)
        print(
            f"Bespreeklijst voor {lijst.gemeente} geschreven naar {args.out}: "
            f"{len(lijst.rows)} met naam, {lijst.unnamed} zonder naam ({NO_CONSENT}).",
            file=out,
        )
        return EXIT_OK
    found = [o for o in service.overleggen(organisation_id) if o.held_on == args.date]
    if not found or found[0].id is None:
        dates = ", ".join(o.held_on.isoformat() for o in service.overleggen(organisation_id))
        raise NotFoundError(
            f"Er is geen overleg op {args.date.isoformat()} vastgelegd. "
            + (f"Wel op: {dates}." if dates else "Er is nog geen overleg met deze gemeente.")
        )
    verslag = service.write_verslag(found[0].id, args.out, today)
    print(
        f"Verslag van {verslag.gemeente} ({args.date.isoformat()}) geschreven naar {args.out}: "
        f"{len(verslag.lines)} afspraken.",
        file=out,
    )
    return EXIT_OK

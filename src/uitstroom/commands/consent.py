"""Headless consent on paper: `uitstroom toestemming formulier`, the toestemmingsformulier for
one pupil or a whole klas in one PDF to print (the same service as the window)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO

from uitstroom.commands import (
    Handler,
    Later,
    add_out,
    add_pupil_or_klas,
    chosen_pupil_ids,
    command_group,
    receivers,
)
from uitstroom.domain.plural import counted

if TYPE_CHECKING:  # --version and --help load no database layer (tests/test_start_imports.py)
    from uitstroom.services.database import Database

EXIT_OK = 0


def register(commands: Any) -> dict[str, Handler]:
    consent_commands = command_group(
        commands,
        "toestemming",
        "consent_command",
        help="toestemming op papier: het toestemmingsformulier als PDF",
        description=(
            "Het toestemmingsformulier om af te drukken: voor één leerling (--pupil) of een "
            "hele klas (--klas, alle formulieren in één PDF). Wie tekent (de leerling vanaf 16, "
            "anders een ouder) staat er per leerling op."
        ),
    )
    form = consent_commands.add_parser("formulier", help="maak het toestemmingsformulier")
    add_pupil_or_klas(form)
    form.add_argument(
        "--receiver",
        metavar="ONTVANGER",
        choices=Later(receivers),
        required=True,
        help="mbo, gemeente, werkgever, jobcoach, doorstroompunt of anders",
    )
    form.add_argument(
        "--organisation", metavar="NAAM", help="de organisatie uit het adresboek (mag leeg)"
    )
    add_out(form)
    return {"toestemming": _form}


def _form(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from uitstroom.domain.handover import Receiver
    from uitstroom.services.consent_forms import ConsentFormService
    from uitstroom.services.handover import HandoverService

    handover = HandoverService(db.sessions, actor=db.actor)
    forms = handover.alongside(ConsentFormService)
    receiver = Receiver(args.receiver)
    organisation_id = (
        handover.find_organisation(args.organisation).id if args.organisation else None
    )
    pupil_ids = chosen_pupil_ids(db, args)
    forms.write_forms(pupil_ids, receiver, organisation_id, args.out, date.today())
    forms_written = counted(len(pupil_ids), "formulier", "formulieren")
    print(f"{forms_written} ({receiver.label}) geschreven naar {args.out}.", file=out)
    return EXIT_OK

"""Headless documents: `uitstroom document transitieplan|paspoort|overdracht`, for one pupil or
a whole klas, on the same service as the window (logged the same way)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from uitstroom.commands import (
    Handler,
    Later,
    add_out,
    add_pupil_or_klas,
    klas_pupil_ids,
    numbered_pupil,
    receivers,
)
from uitstroom.services.errors import ValidationError

if TYPE_CHECKING:
    from uitstroom.services.database import Database

EXIT_OK = 0


def _kinds() -> list[str]:
    from uitstroom.domain.handover import DocumentKind

    return [kind.value for kind in DocumentKind]


def register(commands: Any) -> dict[str, Handler]:
    document = commands.add_parser(
        "document",
        help="maak een transitieplan, Paspoort voor Succes of overdracht als PDF",
        description=(
            "Maak een document als PDF, voor één leerling (--pupil) of voor een hele klas "
            "(--klas, één bestand per leerling). Elk gemaakt document komt in het logboek. "
            "Een overdracht bevat alleen de delen waarvoor toestemming is vastgelegd; zonder "
            "toestemming of wettelijke grond wordt er niets gemaakt."
        ),
    )
    document.add_argument(
        "kind",
        metavar="SOORT",
        choices=Later(_kinds),
        help="transitieplan, paspoort of overdracht",
    )
    add_pupil_or_klas(document)
    document.add_argument(
        "--receiver",
        metavar="ONTVANGER",
        choices=Later(receivers),
        help="voor een overdracht: mbo, gemeente, werkgever, jobcoach, doorstroompunt of anders",
    )
    document.add_argument(
        "--organisation",
        metavar="NAAM",
        help="voor een overdracht: de organisatie uit het adresboek, bijv. 'ROC Midden Nederland'",
    )
    add_out(document, "het PDF-bestand (met --pupil) of de map voor de bestanden (met --klas)")
    return {"document": _document}


def _document(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from uitstroom.domain.handover import DocumentKind, Receiver
    from uitstroom.services.files import FileWriteError, write_error_message
    from uitstroom.services.handover import DocumentService, HandoverService

    kind = DocumentKind(args.kind)
    receiver = Receiver(args.receiver) if args.receiver else None
    if kind is DocumentKind.OVERDRACHT and receiver is None:
        raise ValidationError(
            ["Zeg voor wie de overdracht is, met --receiver (bijv. --receiver mbo)."]
        )
    if kind is not DocumentKind.OVERDRACHT and (receiver is not None or args.organisation):
        raise ValidationError(
            ["--receiver en --organisation horen alleen bij een overdracht. Laat ze weg."]
        )
    service = HandoverService(db.sessions, actor=db.actor)
    organisation_id = service.find_organisation(args.organisation).id if args.organisation else None
    today = date.today()
    target: Path = args.out
    if args.pupil:
        pupil = numbered_pupil(db, args.pupil)
        assert pupil.id is not None
        service.alongside(DocumentService).write_document(
            kind, pupil.id, target, today, receiver, organisation_id
        )
        print(f"{kind.label} van {pupil.name} geschreven naar {target}.", file=out)
        return EXIT_OK
    pupil_ids = klas_pupil_ids(db, args.klas)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileWriteError(write_error_message(target / "x.pdf", exc)) from exc
    result = service.alongside(DocumentService).write_batch(
        kind,
        pupil_ids,
        target,
        today,
        one_file=False,
        receiver=receiver,
        organisation_id=organisation_id,
    )
    noun = "bestand" if len(result) == 1 else "bestanden"
    print(f"{len(result)} {noun} geschreven in {target}.", file=out)
    if result.skipped:
        print(
            f"Niet gemaakt, want er is geen toestemming vastgelegd: {', '.join(result.skipped)}.",
            file=out,
        )
    return EXIT_OK

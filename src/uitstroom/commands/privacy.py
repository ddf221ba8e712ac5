"""Headless privacy commands: the audit trail, the retention purge, inzage and erasure."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from uitstroom.commands import Handler, add_date, add_json, add_out, print_json
from uitstroom.services.errors import ServiceError

if TYPE_CHECKING:
    from uitstroom.domain.audit import AuditEntry, ChainAnchor

if TYPE_CHECKING:
    from uitstroom.services.audit import ChainReport
    from uitstroom.services.database import Database

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2


def register(commands: Any) -> dict[str, Handler]:
    audit = commands.add_parser(
        "audit",
        help="toon het logboek (wie deed wat, wanneer); afsluitcode 1 als de keten niet klopt",
    )
    audit.add_argument(
        "--check", action="store_true", help="alleen controleren of het logboek compleet is"
    )
    add_json(audit)
    audit.add_argument(
        "--anker",
        metavar="BESTAND",
        type=Path,
        action="append",
        default=[],
        help="vergelijk ook met de kop van het logboek in dit bestand (een inzage-JSON)",
    )

    purge = commands.add_parser(
        "purge",
        help="wis wat over de bewaartermijn is (eerst een back-up); --preview toont alleen",
    )
    add_date(
        purge,
        "2026-08-01",
        "kijk op deze datum (standaard vandaag; een latere datum alleen met --preview)",
    )
    purge.add_argument(
        "--preview", action="store_true", help="alleen tonen wat verlopen is, niets wissen"
    )

    inzage = commands.add_parser(
        "inzage", help="schrijf alles over één leerling naar een PDF en een JSON-bestand"
    )
    inzage.add_argument("--pupil", metavar="LEERLINGNUMMER", required=True)
    add_out(inzage, "een bestaande map", "MAP")

    erase = commands.add_parser(
        "wis", help="wis één leerling op verzoek, met alles wat erbij hoort (niet terug te draaien)"
    )
    erase.add_argument("--pupil", metavar="LEERLINGNUMMER", required=True)
    erase.add_argument("--yes", action="store_true", help="bevestig dat de leerling weg mag")
    return {"audit": _audit, "purge": _purge, "inzage": _inzage, "wis": _erase}


def _purge(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from uitstroom.services.retention import RetentionService, purge_backup

    today = args.date or date.today()
    service = RetentionService(db.sessions, backup=purge_backup(db), actor=db.actor)
    if not args.preview:
        service.check_date(today)
    preview = service.preview(today)
    # Leerlingnummers, no names: this output may well end up in a scheduler's log file.
    for item in preview.items:
        print(
            f"  {item.leerlingnummer:<12} cohort {item.cohort_label}  {item.category.label}: "
            f"{item.what}; verlopen sinds {item.since:%d-%m-%Y}",
            file=out,
        )
    if args.preview or not preview.items:
        print(preview.summary, file=out)
        if preview.items:
            print("Er is niets gewist (--preview).", file=out)
        return EXIT_OK
    result = service.purge(today, expected=preview)
    print(result.summary, file=out)
    if result.backup is not None:
        print(f"Vooraf is een back-up gemaakt: {result.backup}", file=out)
    print(_AFTER_PURGE, file=out)
    return EXIT_OK


def _inzage(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from uitstroom.services.rights import RightsService

    service = RightsService(db.sessions, actor=db.actor)
    files = service.export_inzage(service.find(args.pupil), args.out)
    print(f"Inzage geschreven:\n  {files.pdf}\n  {files.json}", file=out)
    return EXIT_OK


def _erase(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from uitstroom.services.rights import RightsService

    service = RightsService(db.sessions, actor=db.actor)
    pupil_id = service.find(args.pupil)
    if not args.yes:
        print(
            f"Leerling {args.pupil.strip()} wordt gewist met alles wat erbij hoort. Dat kan niet "
            "ongedaan worden gemaakt. Voeg --yes toe om te bevestigen; er is niets gewist.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    erased = service.erase(pupil_id, args.pupil)
    print(
        f"Gewist: de leerling met {erased.guardians} ouders/verzorgers, {erased.stages} stages "
        f"en {erased.timeline} regels op de tijdlijn. De aantallen per cohort blijven bewaard, "
        "zonder naam.",
        file=out,
    )
    print(_AFTER_PURGE, file=out)
    return EXIT_OK


_AFTER_PURGE = (
    "De gewiste gegevens staan nog in de back-ups van de afgelopen weken; die worden binnen "
    "ongeveer vijf weken vervangen, daarna zijn ze ook daar weg."
)


def _audit(db: Database, args: argparse.Namespace, out: TextIO) -> int:

    from uitstroom.services.audit import AuditService, anchor_in_file
    from uitstroom.services.backups import anchors as backup_anchors

    try:
        given = [anchor_in_file(file) for file in args.anker]
    except ValueError as exc:
        raise ServiceError(str(exc)) from None

    def anchors() -> list[ChainAnchor]:
        if db.path is None or db.backup_dir is None:
            return given
        return backup_anchors(db.path, db.backup_dir) + given

    service = AuditService(db.sessions, actor=db.actor, anchors=anchors)
    report = service.check()
    if args.json:
        body: dict[str, Any] = {"check": _report_json(report)}
        if not args.check:
            body["entries"] = [_entry_json(e) for e in service.entries(newest_first=False)]
        print_json(body, out)
    else:
        if not args.check:
            for entry in service.entries(newest_first=False):
                print(_entry_line(entry), file=out)
        print(report.summary, file=out)
        for broken in report.breaks:
            print(f"  {broken.message}", file=out)
    return EXIT_OK if report.whole else EXIT_REFUSED


def _entry_line(entry: AuditEntry) -> str:
    pupil = f"leerling {entry.pupil_id}" if entry.pupil_id is not None else "-"
    parts = [
        f"{entry.id:>6}",
        f"{entry.at:%d-%m-%Y %H:%M:%S}",
        f"{entry.os_user} / {entry.actor}",
        entry.action.label,
        pupil,
        entry.detail,
    ]
    return "  ".join(parts).rstrip()


def _entry_json(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "os_user": entry.os_user,
        "actor": entry.actor,
        "action": entry.action.value,
        "action_label": entry.action.label,
        "pupil_id": entry.pupil_id,
        "detail": entry.detail,
        "previous_hash": entry.previous_hash,
        "hash": entry.hash,
    }


def _report_json(report: ChainReport) -> dict[str, Any]:
    return {
        "whole": report.whole,
        "lines": report.lines,
        "guarded": report.guarded,
        "breaks": [{"line": b.entry_id, "message": b.message} for b in report.breaks],
        "anchor_problems": list(report.anchor_problems),
        "anchors_agreed": report.anchors_agreed,
        "summary": report.summary,
    }

"""Agenda exporteren (.ics): the deadlines and open tasks for Outlook or Google Agenda, for
everyone, one mentor or one klas. The service keeps special-category data out of the events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from uitstroom.services.errors import ServiceError
from uitstroom.services.files import write_atomically
from uitstroom.ui.forms import ChoiceField, FormDialog
from uitstroom.ui.record_table import natural_key

if TYPE_CHECKING:
    from uitstroom.services.planning import PlanningService

# What the calendar covers: None for everyone, ("mentor", name) or ("klas", klas).
Scope = tuple[str, str] | None


def scope_choices(mentors: Sequence[str], klassen: Sequence[str]) -> tuple[tuple[str, object], ...]:
    choices: list[tuple[str, object]] = [("Alle leerlingen", None)]
    choices += [(f"Mentor: {m}", ("mentor", m)) for m in sorted({m for m in mentors if m})]
    choices += [
        (f"Klas: {k}", ("klas", k)) for k in sorted({k for k in klassen if k}, key=natural_key)
    ]
    return tuple(choices)


def file_stem(scope: Scope) -> str:
    if scope is None:
        return "uitstroom-agenda"
    safe = "".join(ch if ch.isalnum() else "-" for ch in scope[1]).strip("-")
    return f"uitstroom-agenda-{safe or scope[0]}"


def export_calendar(
    parent: QWidget,
    planning: PlanningService,
    today: date,
    mentors: Sequence[str],
    klassen: Sequence[str],
    folder: Path | None = None,
) -> Path | None:
    """Ask what to export and where; write the file whole or not at all. Returns the file."""
    dialog = FormDialog(
        "Agenda exporteren",
        (ChoiceField(name="scope", label="Voor", choices=scope_choices(mentors, klassen)),),
        intro=(
            "Een agendabestand (.ics) met de vaste data van het schooljaar en de open taken, om "
            "te openen in Outlook of Google Agenda. Leerlingen staan erin met voornaam, "
            "voorletter en klas; er staat niets in over ondersteuning of notities."
        ),
        accept_text="Verder…",
        parent=parent,
    )
    if dialog.exec() != FormDialog.DialogCode.Accepted:
        return None
    scope = cast(Scope, dialog.values["scope"])
    suggestion = (folder or Path.home()) / f"{file_stem(scope)}.ics"
    path, _ = QFileDialog.getSaveFileName(
        parent, "Agenda opslaan", str(suggestion), "Agenda (*.ics)"
    )
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() != ".ics":
        target = target.with_suffix(".ics")
    mentor = scope[1] if scope is not None and scope[0] == "mentor" else None
    klas = scope[1] if scope is not None and scope[0] == "klas" else None
    name = "Uitstroom" if scope is None else f"Uitstroom — {scope[1]}"
    try:
        data = planning.ics(today, mentor=mentor, klas=klas, name=name)
        write_atomically(target, lambda stream: stream.write(data))
    except ServiceError as exc:
        QMessageBox.warning(parent, "Agenda exporteren is niet gelukt", str(exc))
        return None
    return target

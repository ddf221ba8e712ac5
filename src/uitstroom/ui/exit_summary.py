"""Samenvatting voor de student: the exitgesprek's summary in the PDF preview, to print and hand
over at the end of the conversation, or to save and e-mail."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from uitstroom.services.errors import ServiceError
from uitstroom.services.files import atomic_output
from uitstroom.ui.forms import problems_of
from uitstroom.ui.pdf_preview import PdfPreviewDialog

if TYPE_CHECKING:
    from uitstroom.services.exit import ExitService

INTRO = (
    "Geef deze samenvatting aan de student mee, of sla hem op en mail hem. Er staat in wat "
    "jullie hebben besproken, wat er nu gebeurt en wie de student kan bellen."
)


def summary_preview(
    parent: QWidget | None,
    exit_service: ExitService,
    pupil_id: int,
    today: date,
) -> PdfPreviewDialog:
    """The preview with the summary as stored now (not shown yet: the caller exec()s it).
    Raises ServiceError when there is nothing to summarise."""
    made = exit_service.make_summary(pupil_id, today)

    def save(target: Path) -> object:
        # The bytes shown, and the version they were made from: rendered once.
        with atomic_output(target) as out:
            out.write(made.pdf)
        exit_service.log_summary(pupil_id, printed=False, version=made.data_version)
        return target

    return PdfPreviewDialog(
        f"Samenvatting exitgesprek — {made.student_name}",
        made.pdf,
        made.file_name,
        save,
        lambda: exit_service.log_summary(pupil_id, printed=True, version=made.data_version),
        intro=INTRO,
        parent=parent,
    )


def show_exit_summary(
    parent: QWidget | None,
    exit_service: ExitService,
    pupil_id: int,
    today: date,
) -> None:
    try:
        dialog = summary_preview(parent, exit_service, pupil_id, today)
    except ServiceError as exc:
        QMessageBox.warning(parent, "Samenvatting exitgesprek", "\n".join(problems_of(exc)))
        return
    dialog.exec()

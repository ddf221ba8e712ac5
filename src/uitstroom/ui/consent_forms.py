"""Toestemmingsformulieren from the window: one pupil's form in the preview (print or save),
or a klas in one PDF to print, made in the worker with progress and Annuleren."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from uitstroom.domain.handover import Receiver
from uitstroom.domain.model import Pupil
from uitstroom.services.consent_forms import ConsentFormService
from uitstroom.services.errors import ServiceError
from uitstroom.services.handover import HandoverService
from uitstroom.ui.document_actions import ask_for_whom
from uitstroom.ui.forms import ChoiceField, problems_of
from uitstroom.ui.pdf_preview import PdfPreviewDialog, safe_file_name
from uitstroom.ui.worker import run_with_progress

TITLE = "Toestemmingsformulier"


def print_consent_form(
    parent: QWidget, handover: HandoverService, pupil: Pupil, today: date
) -> PdfPreviewDialog | None:
    """For whom, then the form in the preview; printing or saving it is logged."""
    if pupil.id is None:
        return None
    pupil_id = pupil.id
    forms = handover.alongside(ConsentFormService)
    organisations = handover.organisations()

    def submit(values: dict[str, Any]) -> bytes:
        return forms.render_form(pupil_id, values["receiver"], values["organisation_id"], today)

    dialog = ask_for_whom(
        TITLE,
        organisations,
        f"Voor wie vraagt u toestemming om gegevens van {pupil.name} te delen? Het "
        "formulier noemt deze ontvanger, met een hokje voor elk deel van het Paspoort.",
        "Voorbeeld tonen",
        parent,
        submit,
    )
    if dialog is None:
        return None
    receiver = dialog.values["receiver"]
    organisation_id = dialog.values["organisation_id"]
    pdf = dialog.result_value
    assert isinstance(pdf, bytes)

    def save(target: Path) -> object:
        return forms.write_forms([pupil_id], receiver, organisation_id, target, today)

    preview = PdfPreviewDialog(
        f"{TITLE} — {pupil.name} — voor {receiver.label}",
        pdf,
        f"{TITLE} {pupil.name}.pdf",
        save,
        lambda: forms.log_forms([pupil_id], receiver),
        parent=parent,
    )
    preview.exec()
    return preview


def print_klas_forms(
    parent: QWidget,
    handover: HandoverService,
    klassen: Sequence[str],
    today: date,
    on_finished: Callable[[str], None] | None = None,
) -> None:
    """Which klas and for whom, where to save; then every form in one PDF, in the worker."""
    if not klassen:
        QMessageBox.information(parent, TITLE, "Er zijn nog geen klassen met leerlingen.")
        return
    forms = handover.alongside(ConsentFormService)
    organisations = handover.organisations()
    dialog = ask_for_whom(
        "Toestemmingsformulieren voor een klas",
        organisations,
        "Eén PDF met een formulier voor elke leerling van de klas, om af te drukken en mee "
        "te geven. Wie tekent (de leerling vanaf 16, anders een ouder) staat er per "
        "leerling op.",
        "Verder",
        parent,
        first=(ChoiceField(name="klas", label="Klas", choices=tuple((k, k) for k in klassen)),),
        values={"klas": klassen[0]},
    )
    if dialog is None:
        return
    klas = str(dialog.values["klas"])
    receiver: Receiver = dialog.values["receiver"]
    organisation_id = dialog.values["organisation_id"]
    suggestion = Path.home() / safe_file_name(f"Toestemmingsformulieren {klas}.pdf")
    path, _ = QFileDialog.getSaveFileName(
        parent, "Opslaan als", str(suggestion), "PDF-document (*.pdf)"
    )
    if not path:
        return
    target = Path(path)
    try:
        pupil_ids = handover.pupil_ids(klas)
    except ServiceError as exc:
        QMessageBox.warning(parent, TITLE, "\n".join(problems_of(exc)))
        return

    def work(progress: Callable[[int, int], bool]) -> bool:
        return forms.write_forms(pupil_ids, receiver, organisation_id, target, today, progress)

    def done(written: bool) -> None:
        message = (
            f"{len(pupil_ids)} toestemmingsformulieren (klas {klas}) opgeslagen in:\n{target}"
            if written
            else "Geannuleerd. Er is geen bestand gemaakt."
        )
        QMessageBox.information(parent, TITLE, message)
        if on_finished is not None:
            on_finished(message)

    def failed(error: BaseException) -> None:
        text = "\n".join(problems_of(error)) if isinstance(error, ServiceError) else str(error)
        QMessageBox.warning(parent, "Formulieren maken is niet gelukt", text)

    run_with_progress(
        parent,
        f"Toestemmingsformulieren maken voor klas {klas}…",
        work,
        on_done=done,
        on_error=failed,
        on_cancelled=lambda: done(False),
    )

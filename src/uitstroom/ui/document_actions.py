"""Making documents from the program: one pupil's transitieplan, paspoort or overdracht shown
in the preview, and a batch for a klas or a selection in the background with progress.

What is stored is what goes out: the caller settles unsaved edits first. An overdracht asks
for whom first; without a recorded basis the service refuses, and its Dutch message says what
to record, in the same dialog, so the coordinator can choose another receiver.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.handover import (
    DocumentKind,
    Organisation,
    Receiver,
)
from uitstroom.domain.model import Pupil, PupilSummary
from uitstroom.services.handover import DocumentService, MadeDocument
from uitstroom.ui.consent_tab import organisation_choices
from uitstroom.ui.forms import (
    ChoiceEdit,
    ChoiceField,
    Field,
    FormDialog,
    MessageBanner,
    enum_choices,
)
from uitstroom.ui.pdf_preview import PdfPreviewDialog, safe_file_name
from uitstroom.ui.record_table import natural_key
from uitstroom.ui.worker import run_with_progress

if TYPE_CHECKING:
    from uitstroom.services.handover import HandoverService

FILE_WORD = {
    DocumentKind.TRANSITIEPLAN: "Transitieplan",
    DocumentKind.PASPOORT: "Paspoort",
    DocumentKind.OVERDRACHT: "Overdracht",
}


@dataclass(frozen=True)
class Recipient:
    receiver: Receiver
    organisation_id: int | None
    organisation: str = ""

    @property
    def text(self) -> str:
        return (
            f"{self.receiver.label}: {self.organisation}"
            if self.organisation
            else (self.receiver.label)
        )


def recipient_fields(organisations: Sequence[Organisation]) -> tuple[ChoiceField, ...]:
    return (
        ChoiceField(name="receiver", label="Voor", choices=enum_choices(Receiver)),
        ChoiceField(
            name="organisation_id",
            label="Organisatie",
            choices=organisation_choices(organisations, Receiver.MBO),
        ),
    )


def follow_receiver(dialog: FormDialog, organisations: Sequence[Organisation]) -> None:
    """The organisation list shows the chosen receiver's kind only."""
    receiver = dialog.form.editor("receiver")
    assert isinstance(receiver, ChoiceEdit)

    def changed() -> None:
        chosen = receiver.field_value()
        dialog.form.set_choices(
            "organisation_id",
            organisation_choices(organisations, chosen if isinstance(chosen, Receiver) else None),
        )

    receiver.edited.connect(changed)


def ask_for_whom(
    title: str,
    organisations: Sequence[Organisation],
    intro: str,
    accept_text: str,
    parent: QWidget,
    submit: Callable[[dict[str, Any]], object] | None = None,
    first: tuple[Field, ...] = (),
    values: dict[str, Any] | None = None,
) -> FormDialog | None:
    """The question 'for whom' (a receiver and one of its organisations from the address
    book, the list following the receiver), after the fields in `first`: the dialog once
    accepted, None when the user cancelled."""
    dialog = FormDialog(
        title,
        (*first, *recipient_fields(organisations)),
        {"receiver": Receiver.MBO, **(values or {})},
        intro=intro,
        accept_text=accept_text,
        submit=submit,
        parent=parent,
    )
    follow_receiver(dialog, organisations)
    return dialog if dialog.exec() == FormDialog.DialogCode.Accepted else None


def ask_recipient(
    parent: QWidget,
    handover: HandoverService,
    pupil: Pupil,
    today: date,
) -> tuple[Recipient, MadeDocument] | None:
    """Overdracht maken…: for whom; rendered at once, so a refusal shows in this dialog, and
    the preview shows what was rendered here."""
    assert pupil.id is not None
    pupil_id = pupil.id
    organisations = handover.organisations()
    names = {o.id: o.name for o in organisations}

    def submit(values: dict[str, Any]) -> MadeDocument:
        return handover.alongside(DocumentService).make(
            DocumentKind.OVERDRACHT, pupil_id, today, values["receiver"], values["organisation_id"]
        )

    dialog = ask_for_whom(
        "Overdracht maken",
        organisations,
        f"Voor wie is de overdracht van {pupil.name}? Er komen alleen de delen in waarvoor "
        "toestemming of een wettelijke grond is vastgelegd (tab Toestemming).",
        "Voorbeeld tonen",
        parent,
        submit,
    )
    if dialog is None:
        return None
    organisation_id = dialog.values["organisation_id"]
    recipient = Recipient(
        dialog.values["receiver"], organisation_id, names.get(organisation_id, "")
    )
    assert isinstance(dialog.result_value, MadeDocument)
    return recipient, dialog.result_value


def preview_document(
    parent: QWidget,
    handover: HandoverService,
    kind: DocumentKind,
    pupil: Pupil,
    today: date,
    recipient: Recipient | None = None,
    made: MadeDocument | None = None,
) -> PdfPreviewDialog:
    """The preview dialog for one pupil's document (not shown yet: the caller exec()s it).
    Rendered once: Opslaan and Afdrukken send out and log the bytes that are shown."""
    assert pupil.id is not None
    documents = handover.alongside(DocumentService)
    if made is None:
        receiver = None if recipient is None else recipient.receiver
        organisation_id = None if recipient is None else recipient.organisation_id
        made = documents.make(kind, pupil.id, today, receiver, organisation_id)
    shown = made
    title = f"{kind.label} — {pupil.name}"
    if recipient is not None:
        title += f" — voor {recipient.text}"
    return PdfPreviewDialog(
        title,
        shown.pdf,
        shown.file_name,
        lambda target: documents.save_made(shown, target),
        lambda: documents.log_made(shown),
        parent=parent,
    )


# --- batch -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class BatchChoice:
    kind: DocumentKind
    pupil_ids: tuple[int, ...]
    one_file: bool
    target: Path
    recipient: Recipient | None
    scope: str  # 'klas PRO4A', '3 gekozen leerlingen'


class BatchDialog(QDialog):
    """Documenten voor een klas of selectie…: what, for whom, one PDF or one per pupil, where."""

    def __init__(
        self,
        handover: HandoverService,
        klassen: Sequence[str],
        selected: Sequence[PupilSummary],
        folder: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Documenten voor een klas of selectie")
        self.setMinimumWidth(560)
        self._handover = handover
        self._selected = [s for s in selected if not s.archived]
        self._folder = folder or Path.home()
        self._organisations = handover.organisations()
        self.choice: BatchChoice | None = None

        layout = QVBoxLayout(self)
        intro = QLabel(
            "Maak hetzelfde document voor een hele klas of voor de leerlingen die u in de lijst "
            "hebt gekozen (Ctrl+klik of Shift+klik). Het maken gebeurt op de achtergrond; u kunt "
            "het onderweg annuleren.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.banner = MessageBanner(self)
        layout.addWidget(self.banner)

        what = QGroupBox("Welk document", self)
        grid = QGridLayout(what)
        self.kind = ChoiceEdit(enum_choices(DocumentKind), what)
        self.kind.setObjectName("kind")
        self.receiver = ChoiceEdit(enum_choices(Receiver), what)
        self.receiver.setObjectName("receiver")
        self.organisation = ChoiceEdit(
            organisation_choices(self._organisations, Receiver.MBO), what
        )
        self.organisation.setObjectName("organisation_id")
        self.receiver_label = QLabel("&Voor", what)
        self.receiver_label.setBuddy(self.receiver)
        self.organisation_label = QLabel("O&rganisatie", what)
        self.organisation_label.setBuddy(self.organisation)
        kind_label = QLabel("&Document", what)
        kind_label.setBuddy(self.kind)
        for row, (label, editor) in enumerate(
            (
                (kind_label, self.kind),
                (self.receiver_label, self.receiver),
                (self.organisation_label, self.organisation),
            )
        ):
            grid.addWidget(label, row, 0)
            grid.addWidget(editor, row, 1)
        self.skip_hint = QLabel(
            "Leerlingen zonder toestemming of wettelijke grond voor deze ontvanger worden "
            "overgeslagen; aan het eind ziet u wie.",
            what,
        )
        self.skip_hint.setWordWrap(True)
        self.skip_hint.setStyleSheet("QLabel { color: #555; }")
        grid.addWidget(self.skip_hint, 3, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        layout.addWidget(what)

        who = QGroupBox("Voor welke leerlingen", self)
        grid = QGridLayout(who)
        self.by_klas = QRadioButton("&Klas", who)
        self.klas = ChoiceEdit(
            tuple((k, k) for k in sorted({k for k in klassen if k}, key=natural_key)), who
        )
        self.klas.setObjectName("klas")
        count = len(self._selected)
        self.by_selection = QRadioButton(
            f"De gekozen leerlingen in de &lijst ({count})" if count else "De gekozen leerlingen",
            who,
        )
        self.by_selection.setEnabled(count > 0)
        scope = QButtonGroup(self)
        scope.addButton(self.by_klas)
        scope.addButton(self.by_selection)
        (self.by_selection if count > 1 else self.by_klas).setChecked(True)
        grid.addWidget(self.by_klas, 0, 0)
        grid.addWidget(self.klas, 0, 1)
        grid.addWidget(self.by_selection, 1, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        layout.addWidget(who)

        how = QGroupBox("Hoe opslaan", self)
        grid = QGridLayout(how)
        self.one_file = QRadioButton("Eén &PDF met alle leerlingen achter elkaar", how)
        self.per_pupil = QRadioButton("Eén &bestand per leerling, in een map", how)
        output = QButtonGroup(self)
        output.addButton(self.one_file)
        output.addButton(self.per_pupil)
        self.per_pupil.setChecked(True)
        self.target = QLineEdit(how)
        self.target.setObjectName("target")
        self.target.setPlaceholderText("Kies een map of bestand")
        self.target_label = QLabel("Opslaan &in", how)
        self.target_label.setBuddy(self.target)
        self.browse = QPushButton("K&iezen…", how)
        self.browse.setAutoDefault(False)
        self.browse.clicked.connect(self.choose_target)
        grid.addWidget(self.one_file, 0, 0, 1, 3)
        grid.addWidget(self.per_pupil, 1, 0, 1, 3)
        grid.addWidget(self.target_label, 2, 0)
        grid.addWidget(self.target, 2, 1)
        grid.addWidget(self.browse, 2, 2)
        grid.setColumnStretch(1, 1)
        layout.addWidget(how)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Maken")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.kind.edited.connect(self._update)
        self.receiver.edited.connect(self._receiver_changed)
        self.one_file.toggled.connect(self._update)
        self.by_klas.toggled.connect(self._update)
        self.klas.edited.connect(self._update)
        self._update()
        self.kind.setFocus()

    def _receiver_changed(self) -> None:
        chosen = self.receiver.field_value()
        self.organisation.set_choices(
            organisation_choices(
                self._organisations, chosen if isinstance(chosen, Receiver) else None
            )
        )

    def _update(self) -> None:
        overdracht = self.kind.field_value() is DocumentKind.OVERDRACHT
        for widget in (
            self.receiver,
            self.receiver_label,
            self.organisation,
            self.organisation_label,
            self.skip_hint,
        ):
            widget.setVisible(overdracht)
        self.klas.setEnabled(self.by_klas.isChecked())
        suggestion = self._suggestion()
        current = self.target.text().strip()
        if not current or current == getattr(self, "_last_suggestion", ""):
            self.target.setText(str(suggestion))
        self._last_suggestion = str(suggestion)

    def _scope_word(self) -> str:
        if self.by_klas.isChecked():
            return f"klas {self.klas.field_value() or ''}".strip()
        return "selectie"

    def _suggestion(self) -> Path:
        kind = self.kind.field_value()
        word = FILE_WORD[kind] if isinstance(kind, DocumentKind) else "Documenten"
        stem = safe_file_name(f"{word} {self._scope_word()}")
        return self._folder / (f"{stem}.pdf" if self.one_file.isChecked() else stem)

    def choose_target(self) -> None:
        if self.one_file.isChecked():
            path, _ = QFileDialog.getSaveFileName(
                self, "Opslaan als", self.target.text(), "PDF-document (*.pdf)"
            )
        else:
            path = QFileDialog.getExistingDirectory(self, "Map kiezen", str(self._folder))
        if path:
            self.target.setText(path)

    def pupil_ids(self) -> tuple[int, ...]:
        if self.by_klas.isChecked():
            klas = self.klas.field_value()
            return tuple(self._handover.pupil_ids(str(klas))) if klas else ()
        return tuple(s.id for s in self._selected)

    def accept(self) -> None:
        problems = []
        ids = self.pupil_ids()
        if not ids:
            problems.append(
                "Er zijn geen leerlingen gekozen. Kies een klas of kies leerlingen in de lijst."
            )
        text = self.target.text().strip()
        if not text:
            problems.append("Kies waar de documenten moeten komen.")
        target = Path(text).expanduser()
        if text and self.one_file.isChecked():
            if target.suffix.lower() != ".pdf":
                target = target.with_suffix(".pdf")
            if not target.parent.is_dir():
                problems.append(f"De map {target.parent} bestaat niet.")
        elif text and target.exists() and not target.is_dir():
            problems.append(f"{target} is een bestand, geen map. Kies een map.")
        if problems:
            self.banner.show_problems(problems)
            return
        kind = self.kind.field_value()
        assert isinstance(kind, DocumentKind)
        recipient = None
        if kind is DocumentKind.OVERDRACHT:
            receiver = self.receiver.field_value()
            organisation_id = self.organisation.field_value()
            assert isinstance(receiver, Receiver)
            names = {o.id: o.name for o in self._organisations}
            recipient = Recipient(
                receiver,
                organisation_id if isinstance(organisation_id, int) else None,
                names.get(organisation_id, "") if isinstance(organisation_id, int) else "",
            )
        scope = self._scope_word()
        if scope == "selectie":
            scope = f"{len(ids)} gekozen leerlingen"
        self.choice = BatchChoice(kind, ids, self.one_file.isChecked(), target, recipient, scope)
        super().accept()


@dataclass(frozen=True)
class BatchOutcome:
    written: tuple[Path, ...]
    skipped: tuple[str, ...]
    cancelled: bool


def run_batch(
    parent: QWidget,
    handover: HandoverService,
    choice: BatchChoice,
    today: date,
    on_finished: Callable[[str], None] | None = None,
) -> None:
    """write_batch in the worker, with progress and Annuleren; at the end a summary in Dutch.
    After Annuleren the service has removed what it wrote and logged nothing."""
    recipient = choice.recipient
    receiver = None if recipient is None else recipient.receiver
    organisation_id = None if recipient is None else recipient.organisation_id

    def work(progress: Callable[[int, int], bool]) -> BatchOutcome:
        stopped: list[bool] = []

        def report(done: int, total: int) -> bool:
            going = progress(done, total)
            if not going:
                stopped.append(True)
            return going

        if not choice.one_file:
            choice.target.mkdir(parents=True, exist_ok=True)
        result = handover.alongside(DocumentService).write_batch(
            choice.kind,
            choice.pupil_ids,
            choice.target,
            today,
            one_file=choice.one_file,
            progress=report,
            receiver=receiver,
            organisation_id=organisation_id,
        )
        skipped = tuple(getattr(result, "skipped", ()))
        return BatchOutcome(tuple(result), skipped, bool(stopped))

    def done(result: BatchOutcome) -> None:
        if result.cancelled:
            cancelled()
            return
        made = len(choice.pupil_ids) - len(result.skipped)
        what = (
            choice.kind.label.lower() if choice.kind is not DocumentKind.PASPOORT else ("paspoort")
        )
        if choice.one_file:
            lines = [
                f"Eén PDF met {made} {'leerling' if made == 1 else 'leerlingen'} "
                f"({what}, {choice.scope}) is opgeslagen:",
                str(result.written[0] if result.written else choice.target),
            ]
        else:
            count = len(result.written)
            lines = [
                f"{count} {'bestand' if count == 1 else 'bestanden'} ({what}, {choice.scope}) "
                "opgeslagen in:",
                str(choice.target),
            ]
        if result.skipped:
            who = ", ".join(result.skipped)
            lines += [
                "",
                f"Overgeslagen, omdat er geen toestemming of wettelijke grond is vastgelegd voor "
                f"{recipient.text if recipient else 'deze ontvanger'}: {who}.",
            ]
        summary = "\n".join(lines)
        QMessageBox.information(parent, "Documenten gemaakt", summary)
        if on_finished is not None:
            on_finished(summary)

    def cancelled() -> None:
        message = "Geannuleerd. De bestanden die al waren gemaakt, zijn weer verwijderd."
        QMessageBox.information(parent, "Documenten maken", message)
        if on_finished is not None:
            on_finished(message)

    def failed(error: BaseException) -> None:
        QMessageBox.warning(parent, "Documenten maken is niet gelukt", str(error))
        if on_finished is not None:
            on_finished(str(error))

    run_with_progress(
        parent,
        f"{choice.kind.label} maken voor {choice.scope}…",
        work,
        on_done=done,
        on_error=failed,
        on_cancelled=cancelled,
    )

"""Brieven…: a letter of the school (invitation to a talk) for a klas or the chosen pupils,
with the school's own text, a preview of the first letter while the text is edited, and all
letters as one PDF to print."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QTimer
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.letters import DEFAULT_TEXTS, FIELDS, LetterKind, LetterText, Meeting
from uitstroom.domain.model import PupilSummary
from uitstroom.services.errors import ServiceError
from uitstroom.services.letters import LetterService
from uitstroom.ui.forms import ChoiceEdit, DateEdit, MessageBanner, enum_choices, problems_of
from uitstroom.ui.pdf_preview import PdfPreviewDialog, safe_file_name
from uitstroom.ui.widgets import add_labelled_rows, button_row, done_label, push_button
from uitstroom.ui.worker import ProgressFn, run_with_progress

SELECTION = "__selectie__"
PREVIEW_DELAY_MS = 400


class LettersDialog(QDialog):
    def __init__(
        self,
        service: LetterService,
        klassen: Sequence[str],
        pupil_ids_of_klas: Callable[[str], Sequence[int]],
        selected: Sequence[PupilSummary],
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Brieven")
        self.setObjectName("brieven")
        self._service = service
        self._pupil_ids_of_klas = pupil_ids_of_klas
        self._selected = [s.id for s in selected if not s.archived]
        self._today = today
        self.saved_to: Path | None = None
        self.letters_preview: PdfPreviewDialog | None = None

        intro = QLabel(
            "Nodig ouders (of een mbo-student) uit voor een gesprek. Elke leerling krijgt een "
            "eigen brief met de velden ingevuld; alle brieven samen worden één PDF om af te "
            "drukken. Rechts ziet u de eerste brief zoals hij wordt.",
            self,
        )
        intro.setWordWrap(True)
        self.banner = MessageBanner(self)

        self.kind = ChoiceEdit(enum_choices(LetterKind), self)
        self.kind.setObjectName("soort")
        who: list[tuple[str, object]] = [(f"Klas {klas}", klas) for klas in klassen]
        if self._selected:
            count = len(self._selected)
            who.insert(0, (f"De gekozen leerlingen ({count})", SELECTION))
        self.who = ChoiceEdit(tuple(who) or (("Geen leerlingen", None),), self)
        self.who.setObjectName("voor")
        self.day = DateEdit(self)
        self.time = QLineEdit(self)
        self.time.setPlaceholderText("bijv. 15.30 uur")
        self.place = QLineEdit(self)
        self.place.setPlaceholderText("bijv. lokaal 12 of de aula")
        self.subject = QLineEdit(self)
        self.body = QPlainTextEdit(self)
        self.body.setTabChangesFocus(True)
        fields_help = QLabel(
            "Velden: " + ", ".join(f"{{{name}}}" for name in FIELDS),
            self,
        )
        fields_help.setWordWrap(True)
        fields_help.setToolTip("\n".join(f"{{{name}}}: {what}" for name, what in FIELDS.items()))
        fields_help.setStyleSheet("QLabel { color: #52606d; }")
        self.reset_button = push_button(self, "&Standaardtekst terugzetten", self.reset_text)
        self.keep_button = push_button(self, "Tekst be&waren voor de school", self.keep_text)

        form = QFormLayout()
        add_labelled_rows(
            form,
            self,
            (
                ("Soort &brief", self.kind),
                ("&Voor", self.who),
                ("&Datum gesprek", self.day),
                ("&Tijd", self.time),
                ("&Plaats", self.place),
                ("O&nderwerp", self.subject),
                ("Te&kst", self.body),
            ),
        )
        form.addRow("", fields_help)
        text_buttons = button_row(self.keep_button, self.reset_button)
        form.addRow("", text_buttons)
        self.saved_label = done_label(self)
        form.addRow("", self.saved_label)

        self._bytes = QByteArray()
        self._buffer: QBuffer | None = None
        self.document = QPdfDocument(self)
        self.preview = QPdfView(self)
        self.preview.setDocument(self.document)
        self.preview.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.preview.setMinimumWidth(420)
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(intro)
        left_layout.addWidget(self.banner)
        left_layout.addLayout(form, 1)
        sides = QHBoxLayout()
        sides.addWidget(left, 1)
        sides.addWidget(self.preview, 1)

        buttons = QDialogButtonBox(self)
        self.make_button = buttons.addButton(
            "Brieven &maken…", QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton("S&luiten", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.make_letters)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(sides, 1)
        layout.addWidget(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.show_preview)
        self.kind.edited.connect(self._load_text)
        for edited in (self.who.edited, self.day.edited):
            edited.connect(self._timer.start)
        for line in (self.time, self.place, self.subject):
            line.textChanged.connect(self._timer.start)
        self.body.textChanged.connect(self._timer.start)
        self.body.textChanged.connect(self.saved_label.clear)
        self._load_text()
        self.resize(1200, 700)

    # --- what is chosen ----------------------------------------------------------------
    @property
    def letter_kind(self) -> LetterKind:
        kind = self.kind.field_value()
        assert isinstance(kind, LetterKind)
        return kind

    def pupil_ids(self) -> list[int]:
        who = self.who.field_value()
        if who is None:
            return []
        if who == SELECTION:
            return list(self._selected)
        return list(self._pupil_ids_of_klas(str(who)))

    def text(self) -> LetterText:
        return LetterText(self.subject.text(), self.body.toPlainText())

    def meeting(self) -> Meeting:
        return Meeting(self.day.field_value(), self.time.text().strip(), self.place.text().strip())

    # --- text ----------------------------------------------------------------------------
    def _load_text(self) -> None:
        self._set_text(self._service.text(self.letter_kind))

    def _set_text(self, text: LetterText) -> None:
        self.subject.setText(text.subject)
        self.body.setPlainText(text.body)
        self.show_preview()

    def reset_text(self) -> None:
        self._set_text(DEFAULT_TEXTS[self.letter_kind])

    def keep_text(self) -> bool:
        try:
            self._service.save_text(self.letter_kind, self.text())
        except ServiceError as exc:
            self.banner.show_problems(problems_of(exc))
            return False
        self.banner.clear_message()
        self.saved_label.setText("De tekst is bewaard: volgende keer begint deze brief zo.")
        return True

    # --- preview and letters ----------------------------------------------------------------
    def _checked_meeting(self) -> Meeting | None:
        """The meeting, or None with the problem in the banner (a date that is no date)."""
        try:
            return self.meeting()
        except ValueError as exc:
            self.banner.show_problems([f"Datum gesprek: {exc}"])
            return None

    def _letters(self, pupil_ids: Sequence[int]) -> bytes | None:
        meeting = self._checked_meeting()
        if meeting is None:
            return None
        try:
            pdf = self._service.letters(
                self.letter_kind, pupil_ids, meeting, self._today, self.text()
            )
        except ServiceError as exc:
            self.banner.show_problems(problems_of(exc))
            return None
        self.banner.clear_message()
        return pdf

    def show_preview(self) -> None:
        self._timer.stop()
        ids = self.pupil_ids()[:1]
        pdf = self._letters(ids) if ids else None
        self.document.close()
        if pdf is None:
            return
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)

    def make_letters(self) -> None:
        ids = self.pupil_ids()
        if not ids:
            self.banner.show_problems(["Kies een klas of kies eerst leerlingen in de lijst."])
            return
        if self._service.text(self.letter_kind) != self.text():
            answer = QMessageBox.question(
                self,
                "Brieven",
                "U hebt de tekst veranderd. Wilt u deze tekst bewaren voor de volgende keer?",
                QMessageBox.StandardButton.Yes
                | QMessageBox.StandardButton.No
                | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Yes and not self.keep_text():
                return
        meeting = self._checked_meeting()
        if meeting is None:
            return
        kind, today, text = self.letter_kind, self._today, self.text()
        who = self.who.currentText()

        def work(progress: ProgressFn) -> bytes:
            progress(0, len(ids))
            return self._service.letters(kind, ids, meeting, today, text)

        def save(target: Path) -> object:
            return self._service.write_letters(kind, ids, meeting, today, target, text)

        def show(pdf: bytes) -> None:
            noun = "brief" if len(ids) == 1 else "brieven"
            dialog = PdfPreviewDialog(
                f"{kind.label} — {len(ids)} {noun}",
                pdf,
                safe_file_name(f"Brieven {kind.value} {who}.pdf"),
                save,
                lambda: None,
                parent=self,
            )
            self.letters_preview = dialog
            dialog.exec()
            self.saved_to = dialog.saved_to

        def failed(error: BaseException) -> None:
            if not isinstance(error, ServiceError):
                raise error
            self.banner.show_problems(problems_of(error))

        # A klas of thirty letters takes a second or two: the window stays alive meanwhile.
        run_with_progress(self, "Brieven maken…", work, on_done=show, on_error=failed)

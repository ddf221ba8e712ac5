"""Privacy → Bewaartermijnen en opschonen: the school's periods, what has expired, and the purge.

The same dialog opens at start-up, at most once a month, when something has expired; there
the coordinator purges or postpones ("Later": asked again in a week).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.retention import CATEGORY_SCOPE, MAX_MONTHS, RetentionCategory
from uitstroom.services.errors import ServiceError
from uitstroom.services.retention import PurgePreview, PurgeResult, RetentionService
from uitstroom.ui.forms import MessageBanner, confirm, problems_of
from uitstroom.ui.record_table import Column, RecordTableModel, natural_key, record_table, text_key
from uitstroom.ui.widgets import button_row
from uitstroom.ui.worker import run_with_progress

POSTPONE_DAYS = 7
UNSAVED = (
    "De termijnen zijn gewijzigd maar nog niet opgeslagen. Kies ‘Termijnen opslaan’; daarna "
    "ziet u hier wat er met de nieuwe termijnen verlopen is."
)

PREVIEW_COLUMNS = (
    Column("Leerling", lambda i: i.name, lambda i: text_key(i.name), chars=24),
    Column(
        "Leerlingnummer",
        lambda i: i.leerlingnummer,
        lambda i: natural_key(i.leerlingnummer),
        chars=17,
    ),
    Column("Cohort", lambda i: i.cohort_label, chars=10),
    Column("Wat wordt gewist", lambda i: i.what, chars=34, stretch=True),
    Column("Verlopen sinds", lambda i: f"{i.since:%d-%m-%Y}", lambda i: i.since, chars=16),
)

BACKUP_NOTE = (
    "Vóór het opschonen maakt Uitstroom een back-up. Daarin staan de gewiste gegevens nog tot "
    "de back-ups na ongeveer vijf weken zijn vervangen; daarna zijn ze ook daar weg. Hoeveel "
    "leerlingen per cohort welke route en welk uitstroomprofiel hadden, blijft bewaard, "
    "zonder namen."
)


class RetentionDialog(QDialog):
    """Signals: purged(PurgeResult) after a purge was committed."""

    purged = Signal(object)

    def __init__(
        self,
        service: RetentionService,
        today: date,
        at_start_up: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._today = today
        self._preview = PurgePreview(today, ())
        self.postponed = False
        self.setWindowTitle("Bewaartermijnen en opschonen")
        self.resize(900, 640)
        layout = QVBoxLayout(self)

        if at_start_up:
            intro_text = (
                "Van een aantal leerlingen is de bewaartermijn verlopen: de school mag deze "
                "gegevens niet langer bewaren. Kijk de lijst na en kies ‘Nu opschonen’. "
                f"Kiest u ‘Later’, dan vraagt Uitstroom het over {POSTPONE_DAYS} dagen opnieuw."
            )
        else:
            intro_text = (
                "Hoe lang bewaart de school wat? Een termijn telt vanaf het einde van de "
                "nazorg: voor pro en vso twee jaar na het schooljaar waarin de leerling van "
                "school gaat, voor mbo één jaar."
            )
        intro = QLabel(intro_text, self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.banner = MessageBanner(self)
        layout.addWidget(self.banner)

        periods = QGroupBox("Bewaartermijnen, in maanden na het einde van de nazorg", self)
        form = QFormLayout(periods)
        self.period_edits: dict[RetentionCategory, QSpinBox] = {}
        rules = service.rules()
        for category in RetentionCategory:
            edit = QSpinBox(periods)
            edit.setRange(0, MAX_MONTHS)
            edit.setSuffix(" maanden")
            edit.setSpecialValueText("0: direct na de nazorg")
            edit.setMinimumWidth(
                edit.fontMetrics().horizontalAdvance("0: direct na de nazorg") + 48
            )
            edit.setObjectName(category.value)
            edit.setValue(rules[category])
            edit.setToolTip(f"Wat hieronder valt: {CATEGORY_SCOPE[category]}.")
            edit.valueChanged.connect(self._periods_edited)
            row = QHBoxLayout()
            row.addWidget(edit)
            scope = QLabel(CATEGORY_SCOPE[category], periods)
            scope.setStyleSheet("color: #555;")
            row.addWidget(scope, 1)
            label = QLabel(f"&{category.label}", periods)
            label.setBuddy(edit)
            form.addRow(label, row)
            self.period_edits[category] = edit
        self.save_periods_button = QPushButton("Termijnen op&slaan", periods)
        self.save_periods_button.setAutoDefault(False)
        self.save_periods_button.setEnabled(False)
        self.save_periods_button.clicked.connect(self.save_periods)
        save_row = button_row(self.save_periods_button)
        form.addRow("", save_row)
        layout.addWidget(periods)

        expired_box = QGroupBox(f"Verlopen op {today:%d-%m-%Y}", self)
        box_layout = QVBoxLayout(expired_box)
        self.model = RecordTableModel(PREVIEW_COLUMNS, (), self)
        self.table = record_table(self.model, expired_box, "preview")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)
        box_layout.addWidget(self.table, 1)
        self.summary = QLabel(expired_box)
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        box_layout.addWidget(self.summary)
        layout.addWidget(expired_box, 1)

        note = QLabel(BACKUP_NOTE, self)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout.addWidget(note)
        self.result_line = QLabel(self)
        self.result_line.setObjectName("result")
        self.result_line.setWordWrap(True)
        self.result_line.setStyleSheet(
            "QLabel { background: #e8f5e9; color: #1b5e20; border-left: 4px solid #2e7d32;"
            " padding: 8px 10px; border-radius: 3px; }"
        )
        self.result_line.hide()
        layout.addWidget(self.result_line)

        buttons = QDialogButtonBox(self)
        self.purge_button = QPushButton("Nu o&pschonen…", self)
        self.purge_button.setAutoDefault(False)
        self.purge_button.clicked.connect(self.purge)
        buttons.addButton(self.purge_button, QDialogButtonBox.ButtonRole.ActionRole)
        close_text = "&Later" if at_start_up else "S&luiten"
        self.close_button = buttons.addButton(close_text, QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setAutoDefault(False)
        buttons.rejected.connect(self._close)
        layout.addWidget(buttons)
        self._at_start_up = at_start_up
        self.refresh()
        # At start-up the list is what matters; from the menu, the periods.
        (
            self.table if at_start_up else self.period_edits[RetentionCategory.BEGELEIDINGSNOTITIES]
        ).setFocus()

    # --- the periods ---------------------------------------------------------------------
    def periods(self) -> dict[RetentionCategory, int]:
        return {c: edit.value() for c, edit in self.period_edits.items()}

    def _periods_edited(self) -> None:
        dirty = self.periods() != self._service.rules()
        self.save_periods_button.setEnabled(dirty)
        self._update_purge_button(dirty)
        self.summary.setText(UNSAVED if dirty else self._preview.summary)

    def save_periods(self) -> None:
        try:
            self._service.save_rules(self.periods())
        except ServiceError as exc:
            self.banner.show_problems(problems_of(exc))
            return
        self.banner.clear_message()
        self.save_periods_button.setEnabled(False)
        self.refresh()

    # --- the preview and the purge -------------------------------------------------------
    def refresh(self) -> None:
        self._preview = self._service.preview(self._today)
        self.model.set_rows(self._preview.items)
        self.summary.setText(self._preview.summary)
        self._update_purge_button(self.save_periods_button.isEnabled())

    def _update_purge_button(self, periods_unsaved: bool) -> None:
        self.purge_button.setEnabled(bool(self._preview.items) and not periods_unsaved)
        self.purge_button.setToolTip(
            "Sla eerst de gewijzigde termijnen op." if periods_unsaved else ""
        )

    @property
    def preview(self) -> PurgePreview:
        return self._preview

    def purge(self) -> None:
        preview = self._preview
        if not preview.items or not confirm(
            self,
            "Opschonen",
            f"{preview.summary}\n\nDit kan niet ongedaan worden gemaakt, behalve door een "
            "back-up terug te zetten. Eerst wordt een back-up gemaakt.",
            "Opschonen",
        ):
            return
        self.purge_button.setEnabled(False)
        service, today = self._service, self._today
        run_with_progress(
            self,
            "Back-up maken en opschonen…",
            lambda _progress: service.purge(today, expected=preview),
            on_done=self._purged,
            on_error=self._purge_failed,
        )

    def _purged(self, result: PurgeResult) -> None:
        self.banner.clear_message()
        self.result_line.setText("✓ " + result.summary)
        self.result_line.show()
        self.refresh()
        self.close_button.setText("S&luiten")
        self._at_start_up = False
        self.purged.emit(result)

    def _purge_failed(self, error: BaseException) -> None:
        message = problems_of(error) if isinstance(error, ServiceError) else [str(error)]
        self.banner.show_problems(message)
        self.refresh()

    def _close(self) -> None:
        self.postponed = self._at_start_up
        self.reject()


# --- at start-up -------------------------------------------------------------------------------


def _postpone_key(location: str) -> str:
    # Per database, without writing its path into the settings file.
    return "privacy/purge_postponed_until_" + hashlib.sha256(location.encode()).hexdigest()[:16]


def offer_purge(
    parent: QWidget,
    service: RetentionService,
    today: date,
    settings: QSettings | None,
    location: str,
    on_purged: Callable[[PurgeResult], None],
) -> bool:
    """At start-up: show the dialog when a month has passed since the last purge (or there
    never was one), something has expired, and the coordinator did not postpone it for now.
    Writes nothing unless the coordinator purges. Returns whether the dialog was shown."""
    if not service.is_due(today):
        return False
    if settings is not None:
        postponed = settings.value(_postpone_key(location))
        if isinstance(postponed, str) and postponed and date.fromisoformat(postponed) > today:
            return False
    if not service.preview(today).items:
        return False
    dialog = RetentionDialog(service, today, at_start_up=True, parent=parent)
    dialog.purged.connect(on_purged)
    dialog.exec()
    if dialog.postponed and settings is not None:
        settings.setValue(
            _postpone_key(location), (today + timedelta(days=POSTPONE_DAYS)).isoformat()
        )
    return True

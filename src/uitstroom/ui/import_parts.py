"""The parts of the import dialog that are not its steps: the field groups and their short labels,
mnemonics that do not collide, the banner, and the tables of problems and changes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QStyle,
    QTableView,
    QWidget,
)

from uitstroom.domain.importing import (
    GUARDIAN_FIELDS,
    ImportField,
)
from uitstroom.services.importing import (
    PupilChange,
)
from uitstroom.ui.record_table import Column, RecordTableModel, record_table

F = ImportField
FIELD_GROUPS: tuple[tuple[str, tuple[ImportField, ...]], ...] = (
    (
        "Leerling",
        (
            F.LEERLINGNUMMER,
            F.ROEPNAAM,
            F.TUSSENVOEGSEL,
            F.ACHTERNAAM,
            F.GEBOORTEDATUM,
            F.KLAS,
            F.MENTOR,
            F.WOONGEMEENTE,
            F.TELEFOON,
            F.EMAIL,
        ),
    ),
    ("Ouders/verzorgers", tuple(GUARDIAN_FIELDS)),
    (
        "Uitstroomprofiel en mbo",
        (F.UITSTROOMPROFIEL, F.MBO_OPLEIDING, F.MBO_CREBO, F.MBO_NIVEAU, F.MBO_LEERWEG),
    ),
)
# Inside the group "Ouders/verzorgers" the short name says enough and leaves room for the list.
_ATTRIBUTE_WORDS = {"name": "Naam", "relation": "Relatie", "phone": "Telefoon", "email": "E-mail"}
SHORT_LABELS = {
    field: f"{_ATTRIBUTE_WORDS[attribute]} ouder {position + 1}"
    for field, (position, attribute) in GUARDIAN_FIELDS.items()
}


def with_mnemonics(texts: Sequence[str], reserved: set[str]) -> list[str]:
    """An '&' in every text, each on its own letter where the letters allow it.

    First each text gets the start of one of its words, in order (so "Roepnaam" gets R); the
    rest share out the letters left by matching texts to letters. A text left without a letter
    of its own shares one, and Alt+letter then cycles between those controls.
    """
    chosen: dict[int, str] = {}
    used = set(reserved)
    for index, text in enumerate(texts):
        start = next((ch for ch in _word_starts(text) if ch.isalnum() and ch not in used), "")
        if start:
            chosen[index] = start
            used.add(start)
    options = {
        index: [ch for ch in dict.fromkeys(text.casefold()) if ch.isalnum() and ch not in used]
        for index, text in enumerate(texts)
        if index not in chosen
    }
    owner: dict[str, int] = {}

    def claim(index: int, seen: set[str]) -> bool:
        for ch in options[index]:
            if ch not in seen:
                seen.add(ch)
                if ch not in owner or claim(owner[ch], seen):
                    owner[ch] = index
                    return True
        return False

    for index in options:
        claim(index, set())
    chosen.update({index: ch for ch, index in owner.items()})
    marked = []
    for index, text in enumerate(texts):
        fallback = next((ch for ch in text.casefold() if ch.isalnum() and ch not in reserved), "")
        position = text.casefold().find(chosen.get(index, fallback) or "\0")
        marked.append(text if position < 0 else f"{text[:position]}&{text[position:]}")
    return marked


def _word_starts(text: str) -> str:
    return "".join(word[0] for word in text.casefold().replace("-", " ").split() if word)


class Banner(QFrame):
    """A coloured strip with an icon: red when something stops the import, green when done."""

    _STYLES: ClassVar[dict[str, tuple[str, str, str, QStyle.StandardPixmap]]] = {
        "error": ("#fdecea", "#c5221f", "#7a1212", QStyle.StandardPixmap.SP_MessageBoxCritical),
        "success": ("#e6f4ea", "#1e8e3e", "#0d4f20", QStyle.StandardPixmap.SP_DialogApplyButton),
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self._icon = QLabel()
        self._icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self._icon)
        layout.addWidget(self.text, 1)
        self.kind = ""
        self.hide()

    def show_message(self, kind: str, text: str) -> None:
        background, border, ink, icon = self._STYLES[kind]
        self.kind = kind
        self.setStyleSheet(
            f"QFrame#banner {{ background: {background}; border: 1px solid {border}; "
            f"border-radius: 4px; }} QFrame#banner QLabel {{ color: {ink}; }}"
        )
        self._icon.setPixmap(self.style().standardIcon(icon).pixmap(24, 24))
        self.text.setText(text)
        self.setAccessibleName("Fout" if kind == "error" else "Gelukt")
        self.setAccessibleDescription(text)
        self.show()

    def clear(self) -> None:
        self.kind = ""
        self.text.clear()
        self.hide()


def table_view(model: RecordTableModel, wrap: bool = False) -> QTableView:
    return record_table(model, wrap=wrap)


def cell_text(row: Sequence[str], index: int) -> str:
    return row[index] if index < len(row) else ""


def change_text(change: PupilChange, cohort_label: str) -> str:
    """'klas of groep: PRO4A → PRO4B; mentor of slb'er: (leeg) → dhr. P. Lindeman'"""
    if change.kind == "nieuw":
        return "Nieuwe leerling"
    parts = [
        f"{item.field.lower_label}: {item.old or '(leeg)'} → {item.new or '(leeg)'}"
        for item in change.changes
    ]
    if change.moved_from:
        parts.append(f"schooljaar: {change.moved_from} → {cohort_label}")
    return "; ".join(parts) or "Geen wijziging"


def kept_text(change: PupilChange) -> str:
    return "; ".join(
        f"{item.field.lower_label}: {item.old or '(leeg)'} (in het bestand: {item.new or '(leeg)'})"
        for item in change.kept
    )


PROBLEM_COLUMNS = (
    Column("Rij", lambda p: "" if p.row is None else str(p.row), lambda p: p.row or 0, chars=5),
    Column("Kolom", lambda p: p.column or "", chars=18),
    Column("Wat is er mis", lambda p: p.message, chars=60, stretch=True),
)


class TextTableModel(RecordTableModel):
    """A list whose long cells are cut off in the table: the tooltip holds the whole text."""

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            text = self.columns[index.column()].display(self.row_at(index.row()))
            return text or None
        return super().data(index, role)


CHANGE_COLUMNS = (
    Column("Leerling", lambda r: r[0], chars=28),
    Column("Wat verandert", lambda r: r[1], chars=40, stretch=True),
    Column("Blijft staan (met de hand gewijzigd)", lambda r: r[2], chars=40, stretch=True),
)

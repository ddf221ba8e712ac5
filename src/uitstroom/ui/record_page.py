"""One record of a pupil, edited on a tab of the pupil pane (the transitieplan, the paspoort):
shown, compared with what was loaded, stored, with who changed it last beneath it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from uitstroom.ui.widgets import scroll_page

if TYPE_CHECKING:
    from uitstroom.services.handover import HandoverService


class Stamped(Protocol):
    @property
    def updated_on(self) -> date | None: ...

    @property
    def updated_by(self) -> str: ...


R = TypeVar("R", bound=Stamped)


def hint_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet("QLabel { color: #555; }")
    return label


class RecordPage(QWidget, Generic[R]):
    """Signal: edited() on every user edit (the pupil view re-checks its dirty state).

    A page builds its fields into `self.content` (laid out by `self.form`), then calls
    `finish_page`; it says how to read its fields (`current`), fill them (`_fill`), load and
    store the record (`_load`, `_store`)."""

    edited = Signal()

    def __init__(
        self, handover: HandoverService, empty: R, placeholder: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self._handover = handover
        self._pupil_id: int | None = None
        self._empty = empty
        self._loaded = empty
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(0, 0, 0, 0)
        self.placeholder = hint_label(placeholder, self)
        self.placeholder.setContentsMargins(8, 8, 8, 8)
        self._outer.addWidget(self.placeholder)
        self.content = QWidget()
        self.form = QVBoxLayout(self.content)

    def finish_page(self) -> None:
        self.updated_label = hint_label("", self.content)
        self.form.addWidget(self.updated_label)
        self.form.addStretch(1)
        self.scroll_area = scroll_page(self)
        # The pane is narrow: text wraps and tables squeeze rather than scroll sideways.
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self.content)
        self._outer.addWidget(self.scroll_area, 1)
        self._open(None)

    # --- what a page says ----------------------------------------------------------------
    def current(self) -> R:
        raise NotImplementedError

    def _fill(self, record: R) -> None:
        raise NotImplementedError

    def _load(self, pupil_id: int) -> R:
        raise NotImplementedError

    def _store(self, pupil_id: int, record: R) -> R:
        raise NotImplementedError

    def _update_buttons(self) -> None:
        pass

    # --- loading and storing ---------------------------------------------------------------
    @property
    def pupil_id(self) -> int | None:
        return self._pupil_id

    def _open(self, pupil_id: int | None) -> None:
        self._pupil_id = pupil_id
        self.placeholder.setVisible(pupil_id is None)
        self.scroll_area.setVisible(pupil_id is not None)
        self._show(self._empty if pupil_id is None else self._load(pupil_id))

    def _show(self, record: R) -> None:
        self._loaded = record
        self._fill(record)
        if record.updated_on is not None:
            by = f" door {record.updated_by}" if record.updated_by else ""
            self.updated_label.setText(f"Laatst bijgewerkt op {record.updated_on:%d-%m-%Y}{by}.")
        else:
            self.updated_label.setText("")
        self._update_buttons()

    def is_dirty(self) -> bool:
        return self._pupil_id is not None and self.current() != self._loaded

    def discard(self) -> None:
        self._show(self._loaded)

    def save(self) -> None:
        """Store the record; raises ServiceError (ValidationError) with Dutch problems."""
        if self._pupil_id is None or not self.is_dirty():
            return
        self._show(self._store(self._pupil_id, self.current()))

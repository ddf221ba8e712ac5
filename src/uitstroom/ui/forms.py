"""Forms built from a list of fields, so that dialogs differing by two fields share one class.

A field spec knows its label and how to make its editor; every editor offers `field_value()`,
`set_field_value()` and an `edited` signal. A `Form` lays the editors out and reads them into a
dict whose keys are the field names, ready for `dataclasses.replace` or a record's constructor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, cast

from PySide6.QtCore import QSize, Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.enums import LabelledEnum
from uitstroom.domain.validation import parse_date
from uitstroom.services.errors import ServiceError, ValidationError
from uitstroom.ui.file_edits import FileEdit, ImageEdit

Choices = tuple[tuple[str, object], ...]


class FormError(Exception):
    """What the user typed cannot be read (a date that does not exist, ...): Dutch messages."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class Editor(Protocol):
    edited: SignalInstance

    def field_value(self) -> Any: ...

    def set_field_value(self, value: Any) -> None: ...


def enum_choices(
    members: Iterable[LabelledEnum], empty: str | None = None
) -> tuple[tuple[str, object], ...]:
    """Combobox choices from enum members; `empty` adds a first choice that means None."""
    head: Choices = ((empty, None),) if empty is not None else ()
    return head + tuple((member.label, member) for member in members)


def problems_of(error: ServiceError) -> list[str]:
    return list(error.problems) if isinstance(error, ValidationError) else [str(error)]


# --- field specs -----------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Field:
    name: str
    label: str
    tooltip: str = ""

    def create(self, parent: QWidget | None) -> QWidget:
        raise NotImplementedError


@dataclass(frozen=True, kw_only=True)
class TextField(Field):
    placeholder: str = ""
    multiline: bool = False
    max_length: int = 0

    def create(self, parent: QWidget | None) -> QWidget:
        if self.multiline:
            return NotesEdit(self.placeholder, parent)
        return TextEdit(self.placeholder, self.max_length, parent)


@dataclass(frozen=True, kw_only=True)
class DateField(Field):
    def create(self, parent: QWidget | None) -> QWidget:
        return DateEdit(parent)


@dataclass(frozen=True, kw_only=True)
class ChoiceField(Field):
    choices: Choices = ()

    def create(self, parent: QWidget | None) -> QWidget:
        return ChoiceEdit(self.choices, parent)


@dataclass(frozen=True, kw_only=True)
class CheckField(Field):
    text: str = ""

    def create(self, parent: QWidget | None) -> QWidget:
        return CheckEdit(self.text, parent)


@dataclass(frozen=True, kw_only=True)
class NumberField(Field):
    minimum: int = 0
    maximum: int = 99
    suffix: str = ""

    def create(self, parent: QWidget | None) -> QWidget:
        return NumberEdit(self.minimum, self.maximum, self.suffix, parent)


@dataclass(frozen=True, kw_only=True)
class ChecksField(Field):
    """Several checkboxes that together make a frozenset of the chosen values."""

    choices: Choices = ()

    def create(self, parent: QWidget | None) -> QWidget:
        return ChecksEdit(self.choices, parent)


@dataclass(frozen=True, kw_only=True)
class ImageField(Field):
    """A PNG kept as bytes, such as the school logo on documents."""

    def create(self, parent: QWidget | None) -> QWidget:
        return ImageEdit(parent)


@dataclass(frozen=True, kw_only=True)
class FileField(Field):
    """A file chosen from disk, kept as (file name, bytes); the service checks what it holds."""

    file_filter: str = ""
    max_bytes: int = 10_000_000

    def create(self, parent: QWidget | None) -> QWidget:
        return FileEdit(self.file_filter, self.max_bytes, parent)


# --- editors ---------------------------------------------------------------------------------
class TextEdit(QLineEdit):
    edited = Signal()

    def __init__(self, placeholder: str = "", max_length: int = 0, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        if max_length:
            self.setMaxLength(max_length)
        self.textChanged.connect(self.edited)

    def field_value(self) -> str:
        return self.text().strip()

    def set_field_value(self, value: str | None) -> None:
        text = value or ""
        if text == self.text():
            return  # read back after Opslaan: the field being typed in is left as it is
        self.setText(text)
        # From its start: setText puts the cursor at the end, and a value wider than the field
        # then showed only its end ('ima.8@leerling.voorbeeldschool.nl' for fatima.8@…). Not
        # in the field that has the keyboard: the next letter typed goes where the last went.
        if not self.hasFocus():
            self.setCursorPosition(0)


class NotesEdit(QPlainTextEdit):
    edited = Signal()

    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        # Tab moves on to the next field, as everywhere else in a form.
        self.setTabChangesFocus(True)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.textChanged.connect(self.edited)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), self.fontMetrics().lineSpacing() * 5 + 12)

    def field_value(self) -> str:
        return self.toPlainText().strip()

    def set_field_value(self, value: str | None) -> None:
        self.setPlainText(value or "")


class DateEdit(QLineEdit):
    """A date typed as dd-mm-jjjj; empty means unknown. Typing is faster than a calendar popup,
    and an empty field is honest where a QDateEdit would always show some date."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("dd-mm-jjjj")
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("00-00-00000") + 24)
        self.textChanged.connect(self.edited)
        self.textChanged.connect(lambda: self._mark(None))
        self.editingFinished.connect(self._tidy)

    def field_value(self) -> date | None:
        text = self.text().strip()
        return parse_date(text) if text else None

    def set_field_value(self, value: date | None) -> None:
        self.setText(f"{value:%d-%m-%Y}" if value else "")

    def _tidy(self) -> None:
        """'1-2-2009' becomes '01-02-2009' when the user leaves the field; a wrong date is marked."""
        try:
            value = self.field_value()
        except ValueError as exc:
            self.show_problem(str(exc))
            return
        if value is not None and self.text() != f"{value:%d-%m-%Y}":
            self.set_field_value(value)

    def show_problem(self, problem: str) -> None:
        self._mark(problem)

    def _mark(self, problem: str | None) -> None:
        self.setProperty("invalid", problem is not None)
        self.setToolTip(problem or "Schrijf de datum als dd-mm-jjjj, bijvoorbeeld 14-05-2009.")
        self.setStyleSheet("QLineEdit { border: 2px solid #c62828; }" if problem else "")


class ChoiceEdit(QComboBox):
    """Choices are (label, value) pairs; the values stay Python objects (enum members, None)."""

    edited = Signal()

    def __init__(self, choices: Choices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: list[object] = []
        self.set_choices(choices)
        self.currentIndexChanged.connect(self.edited)

    def set_choices(self, choices: Choices) -> None:
        current = self.field_value() if self._values else None
        self.blockSignals(True)
        self.clear()
        self._values = []
        for label, value in choices:
            self.addItem(label)
            self._values.append(value)
        self.blockSignals(False)
        if self._values:
            self.set_field_value(current if current in self._values else self._values[0])

    def field_value(self) -> object:
        index = self.currentIndex()
        return self._values[index] if 0 <= index < len(self._values) else None

    def set_field_value(self, value: object) -> None:
        if value not in self._values:
            # A value this list does not offer (an old profile, say) is shown, never dropped.
            self.addItem(value.label if isinstance(value, LabelledEnum) else str(value))
            self._values.append(value)
        self.setCurrentIndex(self._values.index(value))


class CheckEdit(QCheckBox):
    edited = Signal()

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.toggled.connect(self.edited)

    def field_value(self) -> bool:
        return self.isChecked()

    def set_field_value(self, value: bool) -> None:
        self.setChecked(bool(value))


class NumberEdit(QSpinBox):
    """A whole number or nothing: one below the minimum shows as '—' and means None."""

    edited = Signal()

    def __init__(
        self, minimum: int, maximum: int, suffix: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setRange(minimum - 1, maximum)
        self.setSpecialValueText("—")
        self.setSuffix(suffix)
        self.setMaximumWidth(140)
        self.valueChanged.connect(self.edited)

    def field_value(self) -> int | None:
        number = self.value()
        return None if number == self.minimum() else number

    def set_field_value(self, value: int | None) -> None:
        self.setValue(self.minimum() if value is None else value)


class ChecksEdit(QWidget):
    edited = Signal()

    def __init__(self, choices: Choices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self._boxes: list[tuple[QCheckBox, object]] = []
        for label, value in choices:
            box = QCheckBox(label, self)
            box.toggled.connect(self.edited)
            layout.addWidget(box)
            self._boxes.append((box, value))

    def field_value(self) -> frozenset[object]:
        return frozenset(value for box, value in self._boxes if box.isChecked())

    def set_field_value(self, value: Iterable[object] | None) -> None:
        chosen = set(value or ())
        for box, item in self._boxes:
            box.setChecked(item in chosen)


# --- the form --------------------------------------------------------------------------------
def plain_label(label: str) -> str:
    """A label as the user reads it: without the '&' that marks its Alt-letter."""
    return label.replace("&&", "\0").replace("&", "").replace("\0", "&")


def values_of_forms(forms: Iterable[Form]) -> dict[str, Any]:
    """The values of several forms shown as one (the pupil's sections, the exit interview's
    steps); raises FormError listing what cannot be read in any of them."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for form in forms:
        try:
            values.update(form.values())
        except FormError as exc:
            problems += exc.problems
    if problems:
        raise FormError(problems)
    return values


class Form(QWidget):
    """Editors for a list of fields in a QFormLayout. `edited` fires on user edits only: the
    editors' signals are chained to it in Qt, and blocked while the form is being filled."""

    edited = Signal()

    def __init__(self, fields: Sequence[Field], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fields = {f.name: f for f in fields}
        self._editors: dict[str, QWidget] = {}
        self._layout = QFormLayout(self)
        self._layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self._layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for spec in fields:
            editor = spec.create(self)
            editor.setObjectName(spec.name)
            if spec.tooltip:
                editor.setToolTip(spec.tooltip)
            cast(Editor, editor).edited.connect(self.edited)
            if spec.label or isinstance(spec, CheckField):
                # A checkbox says what it is itself; it lines up with the other editors.
                self._layout.addRow(spec.label, editor)
            else:
                self._layout.addRow(editor)
            self._editors[spec.name] = editor

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._editors)

    def editor(self, name: str) -> QWidget:
        return self._editors[name]

    def values(self) -> dict[str, Any]:
        """Every field's value; raises FormError listing each field that cannot be read."""
        values: dict[str, Any] = {}
        problems: list[str] = []
        for name, editor in self._editors.items():
            try:
                values[name] = cast(Editor, editor).field_value()
            except ValueError as exc:
                problems.append(f"{plain_label(self._fields[name].label)}: {exc}")
        if problems:
            raise FormError(problems)
        return values

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Fill the editors without it counting as an edit."""
        blocked = self.blockSignals(True)
        try:
            for name, editor in self._editors.items():
                if name in values:
                    cast(Editor, editor).set_field_value(values[name])
        finally:
            self.blockSignals(blocked)

    def set_label(self, name: str, text: str) -> None:
        """Another word for the same field (the mbo's 'SLB'er' for 'Mentor')."""
        label = self._layout.labelForField(self._editors[name])
        if isinstance(label, QLabel):
            label.setText(text)

    def set_row_visible(self, name: str, visible: bool) -> None:
        self._layout.setRowVisible(self._editors[name], visible)

    def set_choices(self, name: str, choices: Choices) -> None:
        editor = self._editors[name]
        assert isinstance(editor, ChoiceEdit)
        blocked = self.blockSignals(True)
        try:
            editor.set_choices(choices)
        finally:
            self.blockSignals(blocked)

    def label_width(self) -> int:
        widths = [
            label.sizeHint().width()
            for editor in self._editors.values()
            if (label := self._layout.labelForField(editor)) is not None
        ]
        return max(widths, default=0)

    def set_label_width(self, width: int) -> None:
        for editor in self._editors.values():
            label = self._layout.labelForField(editor)
            if isinstance(label, QLabel):
                label.setMinimumWidth(width)
                label.setAlignment(self._layout.labelAlignment())

    def highlight_problems(self) -> None:
        """Mark the fields that cannot be read, after a save was refused because of them."""
        for editor in self._editors.values():
            try:
                cast(Editor, editor).field_value()
            except ValueError as exc:
                mark = getattr(editor, "show_problem", None)
                if mark is not None:
                    mark(str(exc))

    def first_editor(self) -> QWidget | None:
        return next(iter(self._editors.values()), None)


def heading(text: str, parent: QWidget) -> QLabel:
    """The large bold first line of a dialog that stands before the window (unlock, recovery)."""
    label = QLabel(text, parent)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    label.setFont(font)
    return label


class MessageBanner(QLabel):
    """A calm, visible line next to a form: what went wrong and what to do. Hidden when empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet(
            "QLabel { background: #fdecea; color: #7f1d1d; border: 1px solid #f5c2c0;"
            " border-left: 4px solid #c62828; border-radius: 3px; padding: 8px 10px; }"
        )
        self.hide()

    def show_problems(self, problems: Sequence[str]) -> None:
        if len(problems) == 1:
            self.setText(problems[0])
        else:
            self.setText("Nog niet opgeslagen:\n" + "\n".join(f"• {p}" for p in problems))
        self.show()

    def clear_message(self) -> None:
        self.clear()
        self.hide()


class FormDialog(QDialog):
    """A small modal form. `check` returns problems found in the values; `submit` stores them
    through a service and may raise ServiceError. The dialog stays open, with everything typed
    still there, until both pass."""

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        values: Mapping[str, Any] | None = None,
        *,
        intro: str = "",
        accept_text: str = "Opslaan",
        check: Callable[[dict[str, Any]], list[str]] | None = None,
        submit: Callable[[dict[str, Any]], object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self._check = check
        self._submit = submit
        self.values: dict[str, Any] = {}
        self.result_value: object = None
        layout = QVBoxLayout(self)
        if intro:
            text = QLabel(intro, self)
            text.setWordWrap(True)
            layout.addWidget(text)
        self.banner = MessageBanner(self)
        layout.addWidget(self.banner)
        self.form = Form(fields, self)
        self.form.set_values(values or {})
        layout.addWidget(self.form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(accept_text)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            values = self.form.values()
        except FormError as exc:
            self.form.highlight_problems()
            self.banner.show_problems(exc.problems)
            return
        problems = self._check(values) if self._check else []
        if problems:
            self.banner.show_problems(problems)
            return
        if self._submit is not None:
            try:
                self.result_value = self._submit(values)
            except ServiceError as exc:
                self.banner.show_problems(problems_of(exc))
                return
        self.values = values
        super().accept()


def ask_to_save(parent: QWidget, what: str) -> QMessageBox.StandardButton:
    """'Wijzigingen opslaan?' with Opslaan / Niet opslaan / Annuleren; returns the button."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Wijzigingen opslaan?")
    box.setText("Wijzigingen opslaan?")
    box.setInformativeText(f"U hebt {what} gewijzigd, maar nog niet opgeslagen.")
    save = QMessageBox.StandardButton.Save
    discard = QMessageBox.StandardButton.Discard
    cancel = QMessageBox.StandardButton.Cancel
    box.setStandardButtons(save | discard | cancel)
    box.button(save).setText("Opslaan")
    box.button(discard).setText("Niet opslaan")
    box.button(cancel).setText("Annuleren")
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    for choice in (save, discard):
        if clicked is box.button(choice):
            return choice
    return cancel


def confirm(parent: QWidget, title: str, text: str, yes_text: str) -> bool:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton("Annuleren", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes

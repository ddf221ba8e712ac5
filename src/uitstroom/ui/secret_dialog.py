"""Changing a secret of the database: the recovery passphrase or the dagwachtwoord, each with
its own words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from uitstroom import APP_NAME
from uitstroom.services import vault
from uitstroom.services.errors import ServiceError
from uitstroom.ui.forms import MessageBanner
from uitstroom.ui.unlock import (
    add_passphrase_field,
    add_show_typing,
)
from uitstroom.ui.widgets import wait_cursor


@dataclass(frozen=True)
class SecretTexts:
    """The words of one change dialog: the recovery passphrase or the dagwachtwoord."""

    title: str
    intro: str
    current: str  # label of the field with the current secret; "" asks for none
    new: str
    repeat: str
    missing_current: str
    same_as_current: str
    ok: str = "&Wijzigen"


RECOVERY_TEXTS = SecretTexts(
    title="Herstelwachtwoord wijzigen",
    intro=(
        "Met het herstelwachtwoord opent u de database als deze computer de sleutel kwijt is, "
        "of als u uw dagwachtwoord vergeten bent. Kies een nieuw herstelwachtwoord van minstens "
        "12 tekens, bijvoorbeeld vier losse woorden. Daarna kunt u een nieuw herstelblad "
        "bewaren; het oude herstelblad klopt dan niet meer."
    ),
    current="&Huidig herstelwachtwoord:",
    new="&Nieuw herstelwachtwoord:",
    repeat="Nieuw herstelwachtwoord, &nog een keer:",
    missing_current="Vul het huidige herstelwachtwoord in.",
    same_as_current="Het nieuwe herstelwachtwoord is hetzelfde als het huidige.",
)
DAY_INTRO = (
    "Met uw dagwachtwoord ontgrendelt u Uitstroom na het vergrendelen, en opent u de database "
    "op een computer die de sleutel niet zelf bewaart. Het is van u alleen: het herstelblad "
    "blijft in de kast. Kies een pincode van minstens 6 cijfers of een wachtwoord van minstens "
    "8 tekens. Vergeten? Dan werkt het herstelwachtwoord ook, en kiest u een nieuw."
)
DAY_TEXTS = SecretTexts(
    title="Dagwachtwoord wijzigen",
    intro=DAY_INTRO,
    current="&Huidig dagwachtwoord (of het herstelwachtwoord):",
    new="&Nieuw dagwachtwoord:",
    repeat="Nieuw dagwachtwoord, &nog een keer:",
    missing_current="Vul uw huidige dagwachtwoord in, of het herstelwachtwoord.",
    same_as_current="Het nieuwe dagwachtwoord is hetzelfde als het huidige.",
)
FIRST_DAY_TEXTS = SecretTexts(
    title="Uw dagwachtwoord kiezen",
    intro=DAY_INTRO,
    current="",
    new="&Dagwachtwoord:",
    repeat="Dagwachtwoord, &nog een keer:",
    missing_current="",
    same_as_current="",
    ok="&Opslaan",
)


class ChangeSecretDialog(QDialog):
    """The current secret (unless `texts.current` is empty), then the new one twice.
    `change(current, new)` raises a ServiceError with a Dutch message when it cannot; the
    dialog then stays open. `problem` says what is wrong with a new secret, or None."""

    def __init__(
        self,
        change: Callable[[str, str], None],
        texts: SecretTexts = RECOVERY_TEXTS,
        problem: Callable[[str], str | None] = vault.passphrase_problem,
        parent: QWidget | None = None,
        cancel_text: str = "&Annuleren",
    ) -> None:
        super().__init__(parent)
        self._change = change
        self._texts = texts
        self._problem = problem
        self.new_passphrase = ""
        self.setWindowTitle(f"{APP_NAME} — {texts.title}")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = QLabel(texts.intro, self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.fields: dict[str, QLineEdit] = {}
        for name, text in (
            ("current", texts.current),
            ("new", texts.new),
            ("repeat", texts.repeat),
        ):
            if text:
                self.fields[name] = add_passphrase_field(layout, self, text, name)
        self.show_text = add_show_typing(layout, self, self.fields.values)
        self.banner = MessageBanner(self)
        self.banner.setObjectName("problem")
        layout.addWidget(self.banner)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton(texts.ok, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(cancel_text, QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.try_accept)
        cancel.clicked.connect(self.reject)
        layout.addWidget(buttons)
        next(iter(self.fields.values())).setFocus()

    def _refuse(self, message: str, field: str) -> None:
        self.banner.show_problems([message])
        self.adjustSize()  # grow with the message instead of squeezing the wrapped texts
        self.fields[field].selectAll()
        self.fields[field].setFocus()

    def try_accept(self) -> None:
        asks_current = "current" in self.fields
        current = self.fields["current"].text() if asks_current else ""
        new = self.fields["new"].text()
        if asks_current and not current:
            self._refuse(self._texts.missing_current, "current")
            return
        problem = self._problem(new)
        if problem:
            self._refuse(problem, "new")
            return
        if self.fields["repeat"].text() != new:
            self._refuse("De twee nieuwe wachtwoorden zijn niet gelijk. Typ ze opnieuw.", "repeat")
            return
        if asks_current and new == current:
            self._refuse(self._texts.same_as_current, "new")
            return
        with wait_cursor():
            try:
                self._change(current, new)
            except ServiceError as exc:
                self._refuse(str(exc), "current" if asks_current else "new")
                return
        self.new_passphrase = new
        self.accept()


# The name the window and the tests knew it by: the recovery passphrase's change dialog.
ChangePassphraseDialog = ChangeSecretDialog

"""Gebruikers en rollen: the coordinator says who may work in a shared database, and how.

A list of people on the left and one person's details on the right; everything is stored at
once with Opslaan. Keyboard: Alt+N for a new user, Alt+V to remove one, the labels' letters to
jump to a field, Enter to save.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.actor import Role, User
from uitstroom.services.errors import ServiceError
from uitstroom.services.users import UserService
from uitstroom.ui.forms import MessageBanner, problems_of
from uitstroom.ui.widgets import add_labelled_rows, push_button

INTRO = (
    "Wie mag in deze database werken, en hoe? Een coördinator mag alles. Een mentor of SLB'er "
    "ziet en wijzigt alleen de leerlingen bij wie zijn of haar naam als mentor staat. Met "
    "‘alleen lezen’ ziet iemand de lijsten en cijfers, maar geen ondersteuningsbehoefte of "
    "notities. Zonder gebruikers in de lijst is iedereen coördinator."
)
ADVISORY = (
    "Let op: deze database is één bestand. De rollen helpen om vergissingen te voorkomen, "
    "maar beveiligen niets: wie het bestand en het wachtwoord heeft, kan met een ander "
    "programma alles lezen en wijzigen. Moeten mensen echt alleen hun eigen leerlingen zien, "
    "gebruik dan de schoolserver."
)


class UsersDialog(QDialog):
    def __init__(self, service: UserService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Gebruikers en rollen")
        self._service = service
        self.users: list[User] = service.users()
        self._showing = -1

        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        self.advisory = QLabel(ADVISORY, self)
        self.advisory.setObjectName("advisory")
        self.advisory.setWordWrap(True)
        self.advisory.setVisible(not service.roles_enforced())
        me = service.who_is_working()
        self.me_label = QLabel(f"U bent nu ingelogd als ‘{me.login}’.", self)
        self.me_label.setStyleSheet("QLabel { color: #555; }")
        self.banner = MessageBanner(self)

        self.list = QListWidget(self)
        self.list.setObjectName("users")
        self.list.setMinimumWidth(220)
        self.list.currentRowChanged.connect(self._show)
        self.add_button = push_button(self, "&Nieuwe gebruiker", self.add_user)
        self.remove_button = push_button(self, "&Verwijderen", self.remove_user)
        left = QVBoxLayout()
        list_label = QLabel("&Gebruikers", self)
        list_label.setBuddy(self.list)
        left.addWidget(list_label)
        left.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        left.addLayout(buttons)

        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("name")
        self.login_edit = QLineEdit(self)
        self.login_edit.setObjectName("login")
        self.login_edit.setPlaceholderText("de inlognaam op de computer of de server")
        self.role_combo = QComboBox(self)
        self.role_combo.setObjectName("role")
        for role in Role:
            self.role_combo.addItem(role.label, role.value)
        self.mentor_edit = QLineEdit(self)
        self.mentor_edit.setObjectName("mentor_name")
        self.mentor_edit.setPlaceholderText("zoals in het veld mentor, bijv. mw. A. Kramer")
        form = QFormLayout()
        add_labelled_rows(
            form,
            self,
            (
                ("Na&am", self.name_edit),
                ("&Inlognaam", self.login_edit),
                ("&Rol", self.role_combo),
                ("Naam als &mentor", self.mentor_edit),
            ),
        )
        for edit in (self.name_edit, self.login_edit, self.mentor_edit):
            edit.textEdited.connect(self._store_shown)
        self.role_combo.currentIndexChanged.connect(self._store_shown)
        self.details = QWidget(self)
        self.details.setLayout(form)

        middle = QHBoxLayout()
        middle.addLayout(left)
        middle.addWidget(self.details, 1)

        box = QDialogButtonBox(self)
        self.save_button = box.addButton("Opslaan", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        box.addButton("Annuleren", QDialogButtonBox.ButtonRole.RejectRole)
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.advisory)
        layout.addWidget(self.me_label)
        layout.addWidget(self.banner)
        layout.addLayout(middle, 1)
        layout.addWidget(box)
        self.resize(720, 420)
        self._fill_list(0)

    # --- the list ------------------------------------------------------------------------
    def _label(self, user: User) -> str:
        name = user.name or "(nieuwe gebruiker)"
        return f"{name} — {user.role.in_sentence}"

    def _fill_list(self, current: int) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for user in self.users:
            self.list.addItem(self._label(user))
        self.list.blockSignals(False)
        has_users = bool(self.users)
        self.details.setEnabled(has_users)
        self.remove_button.setEnabled(has_users)
        if has_users:
            self.list.setCurrentRow(max(0, min(current, len(self.users) - 1)))
        else:
            self._showing = -1
            for edit in (self.name_edit, self.login_edit, self.mentor_edit):
                edit.clear()

    def _show(self, row: int) -> None:
        self._showing = row
        if not 0 <= row < len(self.users):
            return
        user = self.users[row]
        self.name_edit.setText(user.name)
        self.login_edit.setText(user.login)
        self.role_combo.blockSignals(True)
        self.role_combo.setCurrentIndex(self.role_combo.findData(user.role.value))
        self.role_combo.blockSignals(False)
        self.mentor_edit.setText(user.mentor_name)

    def _store_shown(self) -> None:
        row = self._showing
        if not 0 <= row < len(self.users):
            return
        self.users[row] = replace(
            self.users[row],
            name=self.name_edit.text(),
            login=self.login_edit.text(),
            role=Role(self.role_combo.currentData()),
            mentor_name=self.mentor_edit.text(),
        )
        item = self.list.item(row)
        if item is not None:
            item.setText(self._label(self.users[row]))

    def add_user(self) -> None:
        self.users.append(User(name="", login="", role=Role.MENTOR))
        self._fill_list(len(self.users) - 1)
        self.name_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def remove_user(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.users):
            del self.users[row]
            self._fill_list(row)
            self.list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- saving --------------------------------------------------------------------------
    def save(self) -> None:
        self._store_shown()
        try:
            self.users = self._service.save_users(self.users)
        except ServiceError as exc:
            self.banner.show_problems(problems_of(exc))
            return
        self.accept()

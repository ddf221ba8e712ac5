"""The auto-lock: after a while without keyboard or mouse, and on Ctrl+L, the window shows no
names until the recovery passphrase is typed again.

Locking hides, it does not close: the cohort, the detail view with any unsaved edits and every
open dialog stay in memory exactly as they were (not lost, not saved). The main window shows a
calm lock panel instead of its content; every other open window is covered and disabled. When a
dialog was open, it blocks the main window, so the passphrase is then asked in a small dialog of
its own on top.

Unlocking with the operating system's login instead of the passphrase would need a different
mechanism on each platform (PAM, LocalAuthentication, Windows Hello) and no portable, well-kept
library offers it; the recovery passphrase works everywhere.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from uitstroom import APP_NAME
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.daypass import day_password_problem
from uitstroom.services import audit, vault
from uitstroom.services.database import Database
from uitstroom.services.errors import ServiceError
from uitstroom.ui.forms import MessageBanner
from uitstroom.ui.secret_dialog import (
    DAY_TEXTS,
    FIRST_DAY_TEXTS,
    RECOVERY_TEXTS,
    ChangeSecretDialog,
)
from uitstroom.ui.unlock import (
    RecoverySheetDialog,
    add_passphrase_field,
    add_show_typing,
)
from uitstroom.ui.widgets import wait_cursor

LOCKED_TITLE = f"{APP_NAME} — vergrendeld"
# Often enough that a laptop waking from sleep locks within seconds: Qt's timers do not count
# the time asleep, the wall clock does.
CHECK_EVERY_MS = 5_000

# Only real input from the user counts as activity; paint, timer and focus events do not.
# A key that is a shortcut (Ctrl+S) never arrives as KeyPress, only as ShortcutOverride.
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletMove,
    }
)

Verify = Callable[[str], None]


class IdleWatcher(QObject):
    """Emits `idle` when nobody has touched keyboard or mouse for `timeout` seconds. The event
    filter sees every event of the application, so it only notes the time; a timer compares."""

    idle = Signal()

    def __init__(
        self,
        timeout: float = 0,
        parent: QObject | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self._timeout = 0.0
        self._running = False
        self._filtering = False
        self._last_input = clock()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            # Back from sleep or from another program: look at the clock straight away.
            app.applicationStateChanged.connect(self._on_state_changed)
        self.set_timeout(timeout)

    def _on_state_changed(self, _state: object) -> None:
        self.check()

    @property
    def timeout(self) -> float:
        return self._timeout

    def set_timeout(self, seconds: float) -> None:
        """0 switches the watcher off, and takes its event filter away."""
        self._timeout = max(0.0, float(seconds))
        self._timer.setInterval(max(50, min(CHECK_EVERY_MS, int(self._timeout * 1000 / 4))))
        self._apply()

    def start(self) -> None:
        self._running = True
        self._last_input = self.clock()
        self._apply()

    def stop(self) -> None:
        self._running = False
        self._apply()

    @property
    def active(self) -> bool:
        return self._running and self._timeout > 0

    def _apply(self) -> None:
        app = QApplication.instance()
        wanted = self.active and app is not None
        if wanted and not self._filtering:
            assert app is not None
            app.installEventFilter(self)
            self._filtering = True
        elif not wanted and self._filtering and app is not None:
            app.removeEventFilter(self)
            self._filtering = False
        if wanted:
            if not self._timer.isActive():
                self._timer.start()
        else:
            self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self._last_input = self.clock()
        return False

    def check(self) -> None:
        if not self.active:
            return
        now = self.clock()
        idle_for = now - self._last_input
        if idle_for < 0:  # the clock was set back: start counting again
            self._last_input = now
        elif idle_for >= self._timeout:
            self.idle.emit()


def passphrase_checker(database: Database) -> Verify:
    """Checks what was typed on the lock screen: the dagwachtwoord (or, the way back when it is
    forgotten, the recovery passphrase), rate-limited; without a dagwachtwoord yet, the recovery
    passphrase. It must unwrap the very key the database was opened with. Raises
    vault.UnlockError with a Dutch message."""

    def verify(passphrase: str) -> None:
        assert database.path is not None and database.key is not None
        if vault.has_day_password(database.path):
            vault.check_secret(database.path, database.key, passphrase, datetime.now())
            return
        if not passphrase:
            raise vault.UnlockError("Vul het herstelwachtwoord in.")
        key = vault.unlock(database.path, passphrase)
        if not hmac.compare_digest(key, database.key):
            raise vault.UnlockError(
                "Dit herstelwachtwoord hoort bij een andere database. Gebruik het "
                "herstelwachtwoord van deze database."
            )

    return verify


class LockPanel(QWidget):
    """'Uitstroom is vergrendeld' and the passphrase field. Emits `unlocked` when it is right."""

    unlocked = Signal()

    def __init__(
        self,
        verify: Verify,
        compact: bool = False,
        parent: QWidget | None = None,
        day_password: bool = False,
    ):
        super().__init__(parent)
        self._verify = verify
        self.day_password = day_password
        self.setObjectName("lock_panel")

        card = QFrame(self)
        card.setObjectName("lock_card")
        card.setMaximumWidth(560)
        if not compact:
            card.setStyleSheet(
                "QFrame#lock_card { background: #f4f7fb; border: 1px solid #c9d6e6;"
                " border-radius: 6px; }"
            )
        layout = QVBoxLayout(card)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(10)
        heading = QLabel("Uitstroom is vergrendeld", card)
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        secret = "uw dagwachtwoord" if day_password else "het herstelwachtwoord"
        text = QLabel(
            f"Zo ziet niemand de gegevens van de leerlingen terwijl u weg bent. Vul {secret} "
            "in om verder te werken. Wat u nog niet had opgeslagen, staat er dan nog gewoon."
            + (
                " Dagwachtwoord vergeten? Dan werkt het herstelwachtwoord ook."
                if day_password
                else ""
            ),
            card,
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        label = "&Dagwachtwoord:" if day_password else "&Herstelwachtwoord:"
        self.passphrase = add_passphrase_field(layout, card, label, "passphrase")
        self.passphrase.returnPressed.connect(self.try_unlock)
        self.show_text = add_show_typing(layout, card, lambda: [self.passphrase])
        self.banner = MessageBanner(card)
        self.banner.setObjectName("problem")
        layout.addWidget(self.banner)
        row = QHBoxLayout()
        row.addStretch(1)
        self.unlock_button = QPushButton("&Ontgrendelen", card)
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.try_unlock)
        row.addWidget(self.unlock_button)
        layout.addLayout(row)

        outer = QVBoxLayout(self)
        if compact:
            layout.addStretch(1)  # room the dialog has to spare goes below, not between lines
            outer.setContentsMargins(0, 0, 0, 0)
            outer.addWidget(card)
            return
        outer.addStretch(1)
        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(card, 3)
        middle.addStretch(1)
        outer.addLayout(middle)
        outer.addStretch(2)

    def reset(self) -> None:
        self.passphrase.clear()
        self.show_text.setChecked(False)
        self.banner.clear_message()

    def focus(self) -> None:
        self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)

    def try_unlock(self) -> None:
        # scrypt takes a moment on purpose (it makes guessing slow): show that it is working.
        with wait_cursor():
            try:
                self._verify(self.passphrase.text())
            except ServiceError as exc:
                self.banner.show_problems([str(exc)])
                window = self.window()
                if isinstance(window, QDialog):
                    # Grow with the message: a dialog does not, and would squeeze its wrapped
                    # texts.
                    window.adjustSize()
                self.passphrase.selectAll()
                self.focus()
                return
        self.reset()
        self.unlocked.emit()


class LockDialog(QDialog):
    """The passphrase on top of an open dialog, which would block the main window's panel.
    Only the right passphrase closes it; Esc and the close button do nothing."""

    def __init__(
        self, verify: Verify, parent: QWidget | None = None, day_password: bool = False
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(LOCKED_TITLE)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        self.panel = LockPanel(verify, compact=True, parent=self, day_password=day_password)
        layout.addWidget(self.panel)

    def reject(self) -> None:
        """Esc and the close button: the lock stays until the passphrase is right."""


class _Cover(QWidget):
    """Lies over a dialog's content while locked, so no name in it can be read."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lock_cover")
        self.setAutoFillBackground(True)
        layout = QVBoxLayout(self)
        text = QLabel("Uitstroom is vergrendeld.", self)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setWordWrap(True)
        text.setStyleSheet("QLabel { color: #52606d; }")
        layout.addWidget(text)
        self.setGeometry(parent.rect())
        self.raise_()
        self.show()


@dataclass
class _Covered:
    widget: QWidget
    cover: _Cover
    title: str
    enabled: bool


class WindowLock(QObject):
    """Locks a main window: on demand (`lock_action`, Ctrl+L) and after `minutes` without input.
    Also offers `change_passphrase_action`. Without a database file and its key file there is
    nothing to check a passphrase against, and both actions stay disabled."""

    locked = Signal()
    unlocked = Signal()

    def __init__(
        self,
        window: QMainWindow,
        database: Database | None,
        minutes: int,
        *,
        school_name: Callable[[], str] = lambda: "",
        has_unsaved: Callable[[], bool] = lambda: False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._database = database
        self._school_name = school_name
        self._has_unsaved = has_unsaved
        self._verify: Verify | None = None
        if database is not None and database.path is not None and database.key is not None:
            self._verify = passphrase_checker(database)
        self._locked = False
        self._content: QWidget | None = None
        self._panel: LockPanel | None = None
        self._dialog: LockDialog | None = None
        self._covered: list[_Covered] = []
        self._saved_title = ""
        self._bars: list[tuple[QWidget, bool, bool]] = []
        self._focus: QWidget | None = None

        self.lock_action = QAction("&Vergrendelen", window)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setToolTip("Verberg alle gegevens tot het herstelwachtwoord is ingevuld.")
        self.lock_action.triggered.connect(lambda _checked=False: self.lock(asked=True))
        self.change_passphrase_action = QAction("&Herstelwachtwoord wijzigen…", window)
        self.change_passphrase_action.triggered.connect(
            lambda _checked=False: self.change_passphrase()
        )
        self.change_day_password_action = QAction("&Dagwachtwoord wijzigen…", window)
        self.change_day_password_action.triggered.connect(
            lambda _checked=False: self.change_day_password()
        )
        for action in (
            self.lock_action,
            self.change_passphrase_action,
            self.change_day_password_action,
        ):
            action.setEnabled(self.available)

        self.watcher = IdleWatcher(0, self, clock)
        self.watcher.idle.connect(self._on_idle)
        self.set_idle_minutes(minutes)
        self.watcher.start()

    @property
    def available(self) -> bool:
        return self._verify is not None

    def _has_day_password(self) -> bool:
        database = self._database
        return bool(database and database.path and vault.has_day_password(database.path))

    @property
    def is_locked(self) -> bool:
        return self._locked

    @property
    def panel(self) -> LockPanel | None:
        return self._panel if self._locked else None

    @property
    def dialog(self) -> LockDialog | None:
        return self._dialog if self._locked else None

    def set_idle_minutes(self, minutes: int) -> None:
        self.watcher.set_timeout(minutes * 60 if self.available else 0)

    # --- locking ---------------------------------------------------------------------------
    def _on_idle(self) -> None:
        # A window that was closed shows nothing, and may be about to be deleted.
        if self._window.isVisible():
            self.lock(asked=False)

    def lock(self, asked: bool = True) -> bool:
        """Hide everything; True when the window is locked afterwards."""
        if self._locked:
            return True
        if self._verify is None or not self._keyfile_present():
            if asked:
                QMessageBox.information(
                    self._window,
                    "Vergrendelen",
                    "Deze database heeft geen sleutelbestand met een herstelwachtwoord, dus "
                    "Uitstroom kan hem niet vergrendelen en weer openen.",
                )
            return False
        verify = self._verify
        self._locked = True
        self.watcher.stop()
        self._close_popups()
        focus = QApplication.focusWidget()
        self._focus = focus if focus is not None and focus is not self._window else None

        window = self._window
        self._saved_title = window.windowTitle()
        window.setWindowTitle(LOCKED_TITLE)
        self._bars = []
        for bar in (window.menuBar(), window.statusBar()):
            self._bars.append((bar, bar.isVisible(), bar.isEnabled()))
            bar.setEnabled(False)
            bar.hide()
        day = self._has_day_password()
        if self._panel is None or self._panel.day_password != day:
            if self._panel is not None:
                self._panel.deleteLater()
            self._panel = LockPanel(verify, day_password=day)
            self._panel.unlocked.connect(self._unlock)
        self._content = window.takeCentralWidget()
        window.setCentralWidget(self._panel)
        self._panel.show()  # now, not on Qt's queued show: no moment with an empty window
        self._panel.reset()

        for widget in QApplication.topLevelWidgets():
            self._cover(widget)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._ask_where_possible()
        self.locked.emit()
        return True

    def _keyfile_present(self) -> bool:
        database = self._database
        return (
            database is not None and database.path is not None and vault.has_keyfile(database.path)
        )

    @staticmethod
    def _close_popups() -> None:
        QToolTip.hideText()
        for _ in range(10):  # menus open from menus: close them one by one
            popup = QApplication.activePopupWidget()
            if popup is None:
                break
            popup.close()

    def _cover(self, widget: QWidget) -> None:
        if (
            widget is self._window
            or widget is self._dialog
            or not widget.isWindow()
            or not widget.isVisible()
            or any(c.widget is widget for c in self._covered)
        ):
            return
        if widget.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
            widget.close()
            return
        covered = _Covered(widget, _Cover(widget), widget.windowTitle(), widget.isEnabled())
        self._covered.append(covered)
        widget.setWindowTitle(LOCKED_TITLE)
        widget.setEnabled(False)

    def _ask_where_possible(self) -> None:
        """The panel in the main window takes the passphrase, unless a dialog blocks it."""
        assert self._panel is not None and self._verify is not None
        modal = QApplication.activeModalWidget()
        if modal is None:
            if self._dialog is not None:
                self._dialog.hide()
            self._window.activateWindow()
            self._panel.focus()
            return
        if modal is self._dialog:
            self._dialog.panel.focus()
            return
        if self._dialog is None or self._dialog.panel.day_password != self._panel.day_password:
            if self._dialog is not None:
                self._dialog.deleteLater()
            self._dialog = LockDialog(self._verify, self._window, self._panel.day_password)
            self._dialog.panel.unlocked.connect(self._unlock)
        # Shown again, so that it is the top one of the modal windows.
        self._dialog.hide()
        self._dialog.panel.reset()
        self._dialog.show()
        self._dialog.raise_()
        self._dialog.activateWindow()
        self._dialog.panel.focus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """While locked: cover windows that open meanwhile, keep covers fitting, and keep the
        main window open while it holds unsaved edits."""
        kind = event.type()
        if kind == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            if watched is not self._window and watched is not self._dialog:
                self._cover(watched)
                if watched.isModal():
                    QTimer.singleShot(0, self._ask_where_possible_if_locked)
        elif kind == QEvent.Type.Resize and isinstance(watched, QWidget):
            for covered in self._covered:
                if covered.widget is watched:
                    covered.cover.setGeometry(watched.rect())
        elif kind == QEvent.Type.Close and watched is self._window and self._has_unsaved():
            event.ignore()
            return True
        return False

    def _ask_where_possible_if_locked(self) -> None:
        if shiboken6.isValid(self) and shiboken6.isValid(self._window) and self._locked:
            self._ask_where_possible()

    # --- unlocking -------------------------------------------------------------------------
    def _unlock(self) -> None:
        if not self._locked:
            return
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self._dialog is not None:
            self._dialog.hide()
        window = self._window
        # Taken out first: setCentralWidget() would delete the panel, and the content with it.
        window.takeCentralWidget()
        if self._content is not None:
            window.setCentralWidget(self._content)
            self._content.show()
            self._content = None
        for bar, visible, enabled in self._bars:
            bar.setEnabled(enabled)
            bar.setVisible(visible)
        window.setWindowTitle(self._saved_title)
        for covered in self._covered:
            if not shiboken6.isValid(covered.widget):
                continue
            if shiboken6.isValid(covered.cover):
                covered.cover.deleteLater()
            covered.widget.setWindowTitle(covered.title)
            covered.widget.setEnabled(covered.enabled)
        self._covered = []
        self._locked = False
        modal = QApplication.activeModalWidget()
        target = modal or window
        target.activateWindow()
        focus = self._focus
        if focus is not None and shiboken6.isValid(focus) and focus.window() is target:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self._focus = None
        self.watcher.start()
        self.unlocked.emit()

    # --- changing the passphrase -----------------------------------------------------------
    def change_passphrase(self) -> bool:
        """Ask for the current and a new passphrase, re-wrap the key, offer the new herstelblad."""
        database = self._database
        verify = self._verify
        if database is None or database.path is None or database.key is None or verify is None:
            return False
        path, key = database.path, database.key

        def change(current: str, new: str) -> None:
            verify(current)
            vault.change_passphrase(path, key, new)
            audit.record(database.sessions, None, AuditAction.KEY_CHANGED)

        dialog = ChangeSecretDialog(change, RECOVERY_TEXTS, vault.passphrase_problem, self._window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        sheet = vault.recovery_sheet(path, dialog.new_passphrase, self._school_name())
        RecoverySheetDialog(sheet, self._window).exec()
        return True

    # --- the dagwachtwoord -----------------------------------------------------------------
    def change_day_password(self, first: bool = False) -> bool:
        """Choose (`first`: at the first start, no current one asked) or change the
        dagwachtwoord. To change it, the current one or the recovery passphrase is asked."""
        database = self._database
        if database is None or database.path is None or database.key is None:
            return False
        path, key = database.path, database.key
        first = first or not vault.has_day_password(path)

        def change(current: str, new: str) -> None:
            if not first:
                vault.check_secret(path, key, current, datetime.now())
            vault.set_day_password(path, key, new)

        dialog = ChangeSecretDialog(
            change,
            FIRST_DAY_TEXTS if first else DAY_TEXTS,
            day_password_problem,
            self._window,
            "&Later" if first else "&Annuleren",
        )
        return dialog.exec() == QDialog.DialogCode.Accepted

    def offer_day_password(self) -> None:
        """At start-up, while no dagwachtwoord is set: ask for one (it may wait until later)."""
        database = self._database
        if (
            self.available
            and database is not None
            and database.path is not None
            and not vault.has_day_password(database.path)
        ):
            self.change_day_password(first=True)

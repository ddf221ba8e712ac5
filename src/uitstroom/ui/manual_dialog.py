"""Help › Handleiding (F1): the manual's pages in a list with a search field, the page in a
QTextBrowser. F1 opens it at the page of the screen in front: the main window's tab, the pupil
tab in use, or the dialog that is open."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.manual import ManualPage, search
from uitstroom.services.manual import manual_pages, page

# The screen's class (a dialog, a tab) -> the manual page about it.
TOPIC_OF_CLASS: dict[str, str] = {
    "TodayView": "vandaag",
    "NazorgView": "nazorg",
    "NazorgTab": "nazorg",
    "CallDialog": "nazorg",
    "LeavingDialog": "nazorg",
    "OutcomesDialog": "nazorg",
    "ChecklistTab": "checklist",
    "TemplatesDialog": "checklist",
    "TransitieplanTab": "transitieplan",
    "PaspoortTab": "paspoort",
    "ConsentTab": "paspoort",
    "BatchDialog": "brieven",
    "PdfPreviewDialog": "brieven",
    "LettersDialog": "brieven",
    "FiguresDialog": "cijfers",
    "ExitForm": "exitgesprek",
    "ExitWorklistDialog": "exitgesprek",
    "KlasLeavingDialog": "nazorg",
    "AddressBookDialog": "paspoort",
    "ExitFiguresDialog": "exitgesprek",
    "SettingsDialog": "schoolgegevens",
    "AuditDialog": "privacy",
    "RetentionDialog": "privacy",
    "BackupDialog": "backups",
    "PupilView": "leerling",
}


def topic_of(widget: QWidget | None) -> str:
    """The page for the screen `widget` is on: the nearest class up the parent chain that
    has a page; 'beginnen' when none has."""
    while widget is not None:
        for cls in type(widget).__mro__:
            topic = TOPIC_OF_CLASS.get(cls.__name__)
            if topic:
                return topic
        widget = widget.parentWidget()
    return "beginnen"


class ManualDialog(QDialog):
    def __init__(self, key: str = "beginnen", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Handleiding Uitstroom")
        self.setObjectName("handleiding")
        self._pages = manual_pages()
        self.search_field = QLineEdit(self)
        self.search_field.setPlaceholderText("Zoek in de handleiding, bijv. ‘1 april’ of ‘brief’")
        self.search_field.setClearButtonEnabled(True)
        search_label = QLabel("&Zoeken", self)
        search_label.setBuddy(self.search_field)
        self.pages = QListWidget(self)
        self.pages.setObjectName("pages")
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(False)
        self.browser.setObjectName("page")
        self.found_label = QLabel(self)
        self.found_label.setStyleSheet("QLabel { color: #52606d; }")

        top = QHBoxLayout()
        top.addWidget(search_label)
        top.addWidget(self.search_field, 1)
        top.addWidget(self.found_label)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.pages)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([260, 740])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.search_field.textChanged.connect(self._filter)
        self.search_field.returnPressed.connect(self._find_next)
        self.pages.currentItemChanged.connect(self._show_current)
        self._filter("")
        self.open_page(key)
        self.resize(1000, 640)

    @property
    def current_key(self) -> str:
        item = self.pages.currentItem()
        return "" if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def open_page(self, key: str) -> None:
        wanted = page(key).key
        for row in range(self.pages.count()):
            if self.pages.item(row).data(Qt.ItemDataRole.UserRole) == wanted:
                self.pages.setCurrentRow(row)
                return

    def _filter(self, query: str) -> None:
        found = search(self._pages, query)
        keep = self.current_key
        self.pages.blockSignals(True)
        self.pages.clear()
        for found_page in found:
            item = QListWidgetItem(found_page.title, self.pages)
            item.setData(Qt.ItemDataRole.UserRole, found_page.key)
        self.pages.blockSignals(False)
        if query.strip():
            count = len(found)
            self.found_label.setText(
                "niets gevonden" if not count else f"{count} pagina{'' if count == 1 else '’s'}"
            )
        else:
            self.found_label.setText("")
        keys = [p.key for p in found]
        if keep in keys:
            self.pages.setCurrentRow(keys.index(keep))
        elif found:
            self.pages.setCurrentRow(0)
        else:
            self.browser.clear()
        self._find_next(from_top=True)

    def _show_current(self, current: QListWidgetItem | None, _previous: object = None) -> None:
        if current is None:
            return
        shown: ManualPage = page(str(current.data(Qt.ItemDataRole.UserRole)))
        self.browser.setMarkdown(shown.text)
        self._find_next(from_top=True)

    def _find_next(self, from_top: bool = False) -> None:
        """Select the next place on the page where the first search word occurs."""
        words = self.search_field.text().split()
        if not words:
            return
        if from_top:
            cursor = self.browser.textCursor()
            cursor.movePosition(cursor.MoveOperation.Start)
            self.browser.setTextCursor(cursor)
        if not self.browser.find(words[0]) and not from_top:
            self._find_next(from_top=True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_F1:
            return  # already open
        super().keyPressEvent(event)


def show_manual(key: str, parent: QWidget | None) -> ManualDialog:
    dialog = ManualDialog(key, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


class HelpKey(QObject):
    """F1 in any window of the program opens the manual at the page of that window; the main
    window's own F1 (the menu's shortcut) is left to its action."""

    def __init__(self, main_window: QWidget) -> None:
        super().__init__(main_window)
        self._main = main_window
        self.opened: ManualDialog | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() != Qt.Key.Key_F1 or event.modifiers() != Qt.KeyboardModifier.NoModifier:
            return False
        window = QApplication.activeWindow()
        if window is None or window is self._main or isinstance(window, ManualDialog):
            return False
        self.opened = show_manual(topic_of(QApplication.focusWidget() or window), window)
        return True

"""Long work off the UI thread: a progress dialog with "Annuleren" and a QThread behind it.

    run_with_progress(self, "Bestand lezen…", lambda progress: service.read(path, progress),
                      on_done=self.show_table)

`work` runs in a QThread and receives `progress(done, total)`, which returns False once the
user pressed Annuleren; the work then stops by raising (the services raise their own
"cancelled" error). Result, error or cancellation arrive on the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton, QWidget
from shiboken6 import isValid

T = TypeVar("T")
ProgressFn = Callable[[int, int], bool]

# Short work is done before the dialog would appear: no flash of a progress bar.
SHOW_AFTER_MS = 400
POLL_MS = 100

# The jobs at work. A job is no child of the widget that started it: its callbacks may
# hold the last reference to that widget, and a child that deletes its own parent crashes.
_RUNNING: set[Job] = set()


class _Thread(QThread):
    def __init__(self, work: Callable[[ProgressFn], Any], parent: QObject) -> None:
        super().__init__(parent)
        self._work = work
        self.cancel_requested = threading.Event()
        self.latest: tuple[int, int] | None = None
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self._work(self._progress)
        except BaseException as exc:  # handed to the UI thread, never lost
            self.error = exc
        finally:
            self._work = _nothing

    def _progress(self, done: int, total: int) -> bool:
        # Read by the UI thread's timer; emitting a signal per call would flood the event
        # queue, and PySide6 6.12 on Python 3.11 loses a reference to True on every emit().
        self.latest = (done, total)
        return not self.cancel_requested.is_set()


class Job(QObject):
    """Work in a QThread whose outcome is delivered on the UI thread, once: when the thread
    finishes, or at once for someone who needs it before that (`finish_now`). Lives on the UI
    thread: the thread's `finished` runs its slots there."""

    def __init__(
        self,
        work: Callable[[ProgressFn], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None,
    ) -> None:
        super().__init__()
        self._on_done = on_done
        self._on_error = on_error
        self._over = False
        self._thread = _Thread(work, self)
        self._thread.finished.connect(self._finished)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._stop)

    def start(self) -> None:
        _RUNNING.add(self)
        self._thread.start()

    def finish_now(self) -> None:
        """Wait for the work and deliver its outcome now; nothing when it was delivered."""
        self._finished()

    @Slot()
    def _stop(self) -> None:
        """The program quits: ask the work to stop and wait, rather than kill a thread."""
        self._thread.cancel_requested.set()
        self._thread.wait()

    @Slot()
    def _finished(self) -> None:
        if self._over:
            return
        self._over = True
        self._ended()
        thread = self._thread
        thread.wait()
        result, error = thread.result, thread.error
        thread.result = thread.error = None
        try:
            self._deliver(result, error)
        finally:
            # Let go only after this slot has returned: Python then deletes the job.
            QTimer.singleShot(0, self._release)

    def _ended(self) -> None:
        """The work is over, or is waited for: what showed it can go."""

    def _deliver(self, result: Any, error: BaseException | None) -> None:
        if error is None:
            self._on_done(result)
        elif self._on_error is not None:
            self._on_error(error)

    def _release(self) -> None:
        _RUNNING.discard(self)


class _Runner(Job):
    """A job with a progress dialog and "Annuleren"."""

    def __init__(
        self,
        parent: QWidget,
        title: str,
        work: Callable[[ProgressFn], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None,
        on_cancelled: Callable[[], None] | None,
    ) -> None:
        super().__init__(work, on_done, on_error)
        self._parent: QWidget | None = parent
        self._on_cancelled = on_cancelled
        self.dialog = QProgressDialog(title, "", 0, 0, parent)
        self.dialog.setWindowTitle(title.rstrip(".…"))
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumWidth(400)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self._cancel_button = QPushButton("&Annuleren")
        self.dialog.setCancelButton(self._cancel_button)
        # The dialog stays up after Annuleren until the work has really stopped.
        self.dialog.canceled.disconnect(self.dialog.cancel)
        self.dialog.canceled.connect(self._cancel)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self._progressed)

    def start(self) -> None:
        self._poll.start()
        super().start()

    @Slot()
    def _progressed(self) -> None:
        latest = self._thread.latest
        stopping = self._over or self._thread.cancel_requested.is_set()
        if latest is None or stopping or not isValid(self.dialog):
            return
        done, total = latest
        if self.dialog.maximum() != max(total, 0):
            self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total > 0 else 0)

    @Slot()
    def _cancel(self) -> None:
        self._thread.cancel_requested.set()
        self.dialog.setLabelText("Bezig met annuleren…")
        self._cancel_button.setEnabled(False)

    def _ended(self) -> None:
        self._poll.stop()
        if isValid(self.dialog):  # gone when its parent window was closed meanwhile
            self.dialog.hide()
            self.dialog.deleteLater()

    def _deliver(self, result: Any, error: BaseException | None) -> None:
        if error is None:
            # Finished work counts, even when Annuleren came too late to stop it.
            self._on_done(result)
        elif self._thread.cancel_requested.is_set():
            if self._on_cancelled is not None:
                self._on_cancelled()
        elif self._on_error is not None:
            self._on_error(error)
        elif self._parent is not None:
            show_error(self._parent, error)

    def _release(self) -> None:
        self._parent = None
        super()._release()


def run_with_progress(
    parent: QWidget,
    title: str,
    work: Callable[[ProgressFn], T],
    on_done: Callable[[T], None],
    on_error: Callable[[BaseException], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
) -> None:
    """Run `work` in a QThread with a progress dialog; deliver the outcome on the UI thread.

    Without `on_error`, an error is shown in a message box: the services write messages for
    the user, in Dutch, that say what to do."""
    _Runner(parent, title, work, on_done, on_error, on_cancelled).start()


def run_behind(
    work: Callable[[], T],
    on_done: Callable[[T], None],
    on_error: Callable[[BaseException], None],
) -> Job:
    """Run `work` in a QThread without a dialog, for what the user need not wait for (the list
    of all pupils behind the start screen); its outcome is delivered on the UI thread. Whoever
    needs the outcome before it came calls `finish_now()` on the job returned."""
    job = Job(lambda _progress: work(), on_done, on_error)
    job.start()
    return job


def running_jobs() -> int:
    """How many jobs are still at work or delivering; tests wait until this is 0."""
    return len(_RUNNING)


def _nothing(_progress: ProgressFn) -> None:
    return None


def show_error(parent: QWidget, error: BaseException) -> None:
    QMessageBox.warning(parent, "Er ging iets mis", str(error) or type(error).__name__)

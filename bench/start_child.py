"""Run in a fresh process by bench/start.py: start the real program on a database whose key is in
the keychain (bench/keychain.py) and report the moment the Vandaag list is filled and painted,
the moment the start counts. Then open the cohort, time each search keystroke until the table is
repainted, and report the peak memory.

    python -m bench.start_child DATABASE SPAWNED [SCREENSHOT.png]

Prints one line of key=value figures; with SCREENSHOT the window is saved as it was at the
counted moment."""

from __future__ import annotations

import gc
import sys
import time

from bench.floors import cpu_s, peak_mb

# How long the list of all pupils may take to come after the counted moment.
SETTLE_S = 20
KEYSTROKES = ("j", "ja", "jan", "jans", "janse", "jansen", "", "p", "pr", "pro4", "pro4a", "")


def main() -> None:
    database, spawned = sys.argv[1], float(sys.argv[2])
    screenshot = sys.argv[3] if len(sys.argv) > 3 else None
    # As the program does (__main__): the collector off for the imports (run_gui turns it on).
    gc.disable()
    # As the program does (cli.main): the window's module first, then Qt.
    from uitstroom.app import run_gui

    # isort: split
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLineEdit, QTableView

    from uitstroom.ui.main_window import MainWindow
    from uitstroom.ui.today_view import TodayView

    app = QApplication(sys.argv[:1])
    figures: dict[str, float] = {}
    timer = QTimer()

    reload = TodayView.reload

    def count(window: MainWindow) -> None:
        """The counted moment: the window on screen, painted, with its Vandaag list filled."""
        window.repaint()
        figures["vandaag_s"] = time.monotonic() - spawned
        figures["cpu_s"] = cpu_s()
        today = window.today_view
        figures["items"] = today.model.rowCount() if today is not None else 0
        figures["modules"] = len(sys.modules)
        figures["start_peak_mb"] = peak_mb()
        if screenshot:
            window.grab().save(screenshot)
        settle(window)

    def settle(window: MainWindow) -> None:
        """After the counted moment, until what the start leaves for after the first paint is
        done (the list of all pupils read behind the window, for a list longer than its first
        rows, and the pupil's tabs made): the longest the window could not answer, as the
        largest gap between the ticks of a 10 ms timer, and when the list was there."""
        started = last = time.perf_counter()
        largest = 0.0

        def tick() -> None:
            nonlocal last, largest
            now = time.perf_counter()
            largest, last = max(largest, now - last), now
            if window.cohort_is_read() and "list_read_s" not in figures:
                figures["list_read_s"] = now - started
            settled = "list_read_s" in figures and window.detail.editor_ready
            if settled or now - started > SETTLE_S:
                timer.stop()
                figures.setdefault("list_read_s", now - started)
                figures["pause_ms_max"] = largest * 1000
                QTimer.singleShot(0, rest)

        timer.timeout.connect(tick)
        timer.start(10)

    def filled(view: TodayView) -> None:
        reload(view)
        window = view.window()
        if "vandaag_s" not in figures and window.isVisible():
            count(window)  # filled after the window was shown

    def probe() -> None:
        """Filled before the window was shown: counted at the first turn of the event loop."""
        windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
        if "vandaag_s" in figures:
            return
        today = windows[0].today_view if windows else None
        if windows and windows[0].isVisible() and today is not None and not today.stale:
            count(windows[0])
        else:
            QTimer.singleShot(0, probe)

    def rest() -> None:
        window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
        window.show_cohort_page()
        # What the start left for the event loop is done before a keystroke is timed (the
        # pupil's tabs are made right after the first paint, and their layout follows): the
        # figure is a keystroke's, and nobody types in the moment the window appears.
        for _ in range(3):
            app.sendPostedEvents()
            app.processEvents()
        table = window.findChild(QTableView, "cohort")
        table.viewport().repaint()
        figures["rows"] = table.model().rowCount()
        search = window.findChild(QLineEdit, "search")
        timings = []
        for text in KEYSTROKES:
            start = time.perf_counter()
            search.setText(text)
            app.processEvents()
            table.viewport().repaint()
            timings.append((time.perf_counter() - start) * 1000)
        figures["search_ms_max"] = max(timings)
        figures["peak_mb"] = peak_mb()
        window.close()
        app.quit()

    TodayView.reload = filled  # type: ignore[method-assign]
    QTimer.singleShot(0, probe)
    run_gui(database)
    print(" ".join(f"{k}={v:.4f}" for k, v in figures.items()), flush=True)


if __name__ == "__main__":
    main()

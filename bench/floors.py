"""The floors the start benchmarks are measured against, each run in a fresh process by
bench/start.py. They do the same visible work as the program with nothing of the program:

    python -m bench.floors gui DATABASE SPAWNED   a bare PySide6 window: sqlite3 reads every
                                                  row into a QTableView; prints when painted
    python -m bench.floors pdf DATABASE OUT FONT  a bare process: sqlite3 reads one row, reportlab
                                                  writes a two-page PDF with an embedded font

DATABASE is a plain SQLite file with a table `pupils` (made by bench/start.py)."""

from __future__ import annotations

import resource
import sqlite3
import sys
import time


def peak_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_s() -> float:
    """CPU seconds of this process so far: on a shared machine less noisy than wall time."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def gui(database: str, spawned: float) -> None:
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
    from PySide6.QtWidgets import QApplication, QTableView

    rows = sqlite3.connect(database).execute("SELECT * FROM pupils").fetchall()

    class Model(QAbstractTableModel):
        def rowCount(self, parent: object = None) -> int:
            return len(rows)

        def columnCount(self, parent: object = None) -> int:
            return len(rows[0])

        def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
            if role == Qt.ItemDataRole.DisplayRole:
                return str(rows[index.row()][index.column()])
            return None

    app = QApplication(sys.argv[:1])
    view = QTableView()
    view.setModel(Model())
    view.resize(1280, 800)
    view.show()
    view.repaint()
    app.processEvents()
    shown = time.monotonic() - spawned
    print(f"shown={shown:.4f} rows={len(rows)} peak_mb={peak_mb():.1f} cpu_s={cpu_s():.4f}")


def pdf(database: str, out: str, font: str) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    row = sqlite3.connect(database).execute("SELECT * FROM pupils LIMIT 1").fetchone()
    pdfmetrics.registerFont(TTFont("Body", font))
    canvas = Canvas(out, pagesize=A4)
    for page in (1, 2):
        canvas.setFont("Body", 11)
        for line, value in enumerate(row):
            canvas.drawString(72, 760 - 16 * line, f"Pagina {page}: {value} — ë é ï Ç Ō")
        canvas.showPage()
    canvas.save()


if __name__ == "__main__":
    if sys.argv[1] == "gui":
        gui(sys.argv[2], float(sys.argv[3]))
    else:
        pdf(sys.argv[2], sys.argv[3], sys.argv[4])

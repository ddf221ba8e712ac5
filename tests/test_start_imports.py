"""What starting costs: the heavy modules that `import uitstroom.app`, the start up to a filled
Vandaag list, `uitstroom --version` / `--help` and one Paspoort from the command line may load.
Each runs in a fresh Python process (a test process has long imported everything) and prints
sys.modules, so an import added at the top of a module on these paths shows up here
(issue 17; the timings themselves are in bench/start.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from uitstroom.services import vault
from uitstroom.services.database import open_database
from uitstroom.services.demo import insert_demo_cohort
from uitstroom.services.pupils import PupilService

TESTS = Path(__file__).resolve().parent
PASSPHRASE = "een herstelwachtwoord voor de test"
# Each of these is for one job the start does not do: migrating (Alembic and its Mako and
# dialects), PDFs (reportlab, Pillow), spreadsheets, calendars, the PDF preview and the charts,
# and the school server (its driver and SQLAlchemy's PostgreSQL dialect).
ONLY_WHEN_USED = (
    "alembic",
    "mako",
    "reportlab",
    "PIL",
    "openpyxl",
    "icalendar",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtCharts",
    "PySide6.QtPrintSupport",
    "psycopg",
    "sqlalchemy.dialects.postgresql",
)
# Unwrapping a key with the passphrase (a start with the key from the keychain has none), and
# month arithmetic for planning nazorg calls.
NOT_AT_START = ("cryptography", "dateutil")
# The window's dialogs and the services only a menu item needs.
OWN_ONLY_WHEN_USED = (
    "uitstroom.ui.backup_dialog",
    "uitstroom.ui.pdf_preview",
    "uitstroom.ui.outcomes_view",
    "uitstroom.ui.exit_figures",
    "uitstroom.ui.import_dialog",
    "uitstroom.services.export",
    "uitstroom.services.importing",
    "uitstroom.documents.base",
)
# The domains only some commands use: --help names their values without loading them.
DOMAINS_OF_ONE_COMMAND = (
    "uitstroom.domain.handover",
    "uitstroom.domain.exit",
    "uitstroom.domain.overleg",
    "uitstroom.domain.model",
)
QT_AND_DATABASE = ("PySide6", "shiboken6", "sqlalchemy", "sqlcipher3", "keyring")

# Run in the child: the key in an in-memory keychain, as on a school laptop, then `body`.
PRELUDE = """
import sys
sys.path.insert(0, {tests!r})
import keyring
from keyring_double import MemoryKeyring
keyring.set_keyring(MemoryKeyring())
from uitstroom.storage import keychain
from uitstroom.storage.keys import read_keyfile
from pathlib import Path
keychain.store_key(read_keyfile(Path({database!r})).database_id, bytes.fromhex({key!r}))
"""
START_TO_VANDAAG = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from uitstroom.app import run_gui

from uitstroom.ui.today_view import TodayView

app = QApplication([])
seen = []
reload = TodayView.reload

def filled(view):
    # The moment the start counts: the Vandaag list read and shown. What is loaded then.
    reload(view)
    if not seen:
        seen.append((view.model.rowCount(), sorted(sys.modules)))
        QTimer.singleShot(0, app.quit)

TodayView.reload = filled
run_gui({database!r})
print("vandaag-rows", seen[0][0])
for name in seen[0][1]:
    print(name)
sys.exit()
"""

# Until what the start leaves for after the first paint is done: the pupil's tabs, the removal
# of preview copies a crashed run left behind, the backup of the day.
START_AND_AFTER = """
import gc
gc.disable()  # as __main__ does for the imports
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from uitstroom.app import run_gui
from uitstroom.ui.main_window import MainWindow

app = QApplication([])

def settled():
    windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
    if windows and windows[0].detail.editor_ready:
        print("editor-ready frozen", gc.get_freeze_count(), "on", gc.isenabled())
        app.quit()
    else:
        QTimer.singleShot(10, settled)

QTimer.singleShot(0, settled)
run_gui({database!r})
print("after frozen", gc.get_freeze_count())
"""


def modules_after(code: str, passphrase_file: Path | None = None) -> tuple[set[str], str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("UITSTROOM_PASSPHRASE_FILE", None)
    if passphrase_file is not None:
        # The key still comes from the keychain; with the file the window asks no dagwachtwoord.
        env["UITSTROOM_PASSPHRASE_FILE"] = str(passphrase_file)
    code += "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))\n"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return set(result.stdout.split()), result.stdout


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """A demo cohort on disk, its key and one pupil's leerlingnummer."""
    path = tmp_path_factory.mktemp("start") / "uitstroom.db"
    key = vault.set_up(path, PASSPHRASE)
    db = open_database(path, key)
    try:
        insert_demo_cohort(db.sessions, 24)
        number = PupilService(db.sessions).summaries()[0].leerlingnummer
    finally:
        db.close()
    return path, key.hex(), number


def test_importing_the_window_module_loads_nothing_heavy() -> None:
    modules, _ = modules_after("import uitstroom.app")
    assert loaded(modules, ONLY_WHEN_USED + OWN_ONLY_WHEN_USED + NOT_AT_START) == []


def window_run(demo_file: tuple[Path, str, str], folder: Path, body: str) -> tuple[set[str], str]:
    """`body` (START_TO_VANDAAG, START_AND_AFTER) in a fresh process on the demo file, its key in
    the keychain as on a school laptop; what it loaded and printed."""
    path, key, _number = demo_file
    passphrase = folder / "wachtwoord.txt"
    passphrase.write_text(PASSPHRASE, encoding="utf-8")
    code = PRELUDE.format(tests=str(TESTS), database=str(path), key=key)
    return modules_after(code + body.format(database=str(path)), passphrase)


@pytest.fixture(scope="module")
def after_the_start(
    demo_file: tuple[Path, str, str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[set[str], str]:
    """One start followed until what it leaves for after the first paint is done."""
    return window_run(demo_file, tmp_path_factory.mktemp("after"), START_AND_AFTER)


def test_the_start_up_to_a_filled_vandaag_loads_nothing_heavy(
    demo_file: tuple[Path, str, str], tmp_path: Path
) -> None:
    modules, out = window_run(demo_file, tmp_path, START_TO_VANDAAG)
    rows = int(out.split("vandaag-rows")[1].split()[0])
    assert rows > 0  # Vandaag was filled, so its queries ran
    assert loaded(modules, ONLY_WHEN_USED + OWN_ONLY_WHEN_USED + NOT_AT_START) == []


def test_what_the_start_does_after_the_first_paint_loads_no_pdf_print_or_chart_module(
    after_the_start: tuple[set[str], str],
) -> None:
    """The stale preview copies are removed right after the first paint: that took Qt's PDF
    viewer and print modules along (50-70 ms and their libraries) when it lived beside the
    preview."""
    modules, out = after_the_start
    assert "editor-ready" in out and "uitstroom.ui.preview_folders" in modules
    assert loaded(modules, ONLY_WHEN_USED) == []


def test_what_the_start_made_is_left_out_of_the_collectors_passes_while_the_window_runs(
    after_the_start: tuple[set[str], str],
) -> None:
    """Every full pass of Python's collector walked the 100,000 objects the start made (60 ms
    right after the window appeared): they are frozen while the window runs, and let go after;
    the collector, off for the imports, is on again."""
    _modules, out = after_the_start
    assert int(out.split("editor-ready frozen")[1].split()[0]) > 50_000
    assert out.split(" on ")[1].split()[0] == "True"  # off only for the imports
    assert int(out.split("after frozen")[1].split()[0]) == 0


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_version_and_help_load_neither_qt_nor_the_database(option: str) -> None:
    code = f"""
import contextlib, io, sys
from uitstroom.cli import main
with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()) as out:
    main([{option!r}])
assert "uitstroom" in out.getvalue().lower(), out.getvalue()
"""
    modules, _ = modules_after(code)
    assert loaded(modules, QT_AND_DATABASE + ONLY_WHEN_USED + DOMAINS_OF_ONE_COMMAND) == []


def test_a_paspoort_from_the_command_line_loads_no_qt(
    demo_file: tuple[Path, str, str], tmp_path: Path
) -> None:
    path, key, number = demo_file
    pdf = tmp_path / "paspoort.pdf"
    code = PRELUDE.format(tests=str(TESTS), database=str(path), key=key)
    code += f"""
from uitstroom.cli import main
assert main(["--db", {str(path)!r}, "document", "paspoort", "--pupil", {number!r},
             "--out", {str(pdf)!r}]) == 0
"""
    modules, _ = modules_after(code)
    assert pdf.read_bytes().startswith(b"%PDF")
    needed_for_a_pdf = ("reportlab", "PIL", "uitstroom.documents.base")
    unneeded = tuple(n for n in ONLY_WHEN_USED + OWN_ONLY_WHEN_USED if n not in needed_for_a_pdf)
    assert loaded(modules, ("PySide6", "shiboken6", *unneeded)) == []

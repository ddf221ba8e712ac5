"""`uitstroom --self-test`: does this installed program work? For IT departments after an install
and for CI on the built program. It opens a temporary encrypted database, runs every migration
(also from the first schema, after a backup), saves a fictional pupil, makes a document and
reads it back in the PDF preview, and checks Qt's Dutch texts. It prints what it does in Dutch,
leaves nothing behind (not in the keychain either) and exits 0, or 1 with the step that failed.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from uitstroom import APP_NAME, __version__
from uitstroom.domain.plural import counted

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from uitstroom.services.database import Database

EXIT_OK = 0
EXIT_FAILED = 1

# A fictional pupil with the letters Dutch documents must print right.
PUPIL_FIRST_NAME = "Zoë"
PUPIL_LAST_NAME = "Çelik"
COHORT = "2026-2027"

# The system's own keychain per platform, as keyring names its entry points.
NATIVE_KEYCHAIN = {"win32": "Windows", "darwin": "macOS"}
LINUX_KEYCHAIN = "SecretService"


class StepFailed(Exception):
    """A step found something wrong; the message is Dutch."""


@dataclass
class Run:
    folder: Path
    say: Callable[[str], None]
    # Held until the end: closed (the database) or kept alive (Qt's translator) by _clean_up.
    db: Database | None = None
    pupil_id: int | None = None
    pdf: bytes = b""
    qt: list[object] = field(default_factory=list)


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def step_program(run: Run) -> str:
    kind = "gebouwd programma (PyInstaller)" if is_frozen() else "vanuit de broncode"
    import alembic
    import cryptography
    import reportlab
    import sqlalchemy

    versions = (
        f"SQLAlchemy {sqlalchemy.__version__}, Alembic {alembic.__version__}, "
        f"reportlab {reportlab.Version}, keyring {importlib.metadata.version('keyring')}, "
        f"cryptography {cryptography.__version__}"
    )
    return (
        f"Python {platform.python_version()} op {platform.system()} {platform.release()} "
        f"({platform.machine()}), {kind}; {versions}"
    )


def step_server_driver(run: Run) -> str:
    """The shared school server (PostgreSQL) goes through psycopg with its own libpq; SQLAlchemy
    imports it only for a postgresql:// address, so a build could leave it out unnoticed."""
    import psycopg

    libpq = psycopg.pq.version()
    return (
        f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__}), "
        f"libpq {libpq // 10000}.{libpq % 10000}"
    )


def step_sqlcipher(run: Run) -> str:
    import sqlcipher3.dbapi2 as sqlcipher

    connection = sqlcipher.connect(":memory:")
    try:
        row = connection.execute("PRAGMA cipher_version").fetchone()
    finally:
        connection.close()
    if not row or not row[0]:
        raise StepFailed("SQLite is aanwezig, maar zonder versleuteling (SQLCipher ontbreekt)")
    return f"SQLCipher {row[0]} (SQLite {sqlcipher.sqlite_version})"


def step_keychain(run: Run) -> str:
    """keyring's backends must be in the program (it finds them through its metadata); whether
    this computer has a usable keychain right now is reported, not required."""
    from uitstroom.storage import keychain

    wanted = NATIVE_KEYCHAIN.get(sys.platform, LINUX_KEYCHAIN)
    points = {
        point.name: point
        for point in importlib.metadata.entry_points(group="keyring.backends")
        if point.dist is None or point.dist.name == "keyring"
    }
    if wanted not in points:
        raise StepFailed(
            f"de koppeling met de sleutelbos van dit systeem ({wanted}) ontbreekt; "
            f"gevonden: {', '.join(sorted(points)) or 'niets'}"
        )
    points[wanted].load()
    usable = (
        "bruikbaar"
        if keychain.keychain_available()
        else "nu niet bruikbaar; dan opent het herstelwachtwoord de database"
    )
    return f"koppeling {wanted} aanwezig; sleutelbos op deze computer: {usable}"


def step_database(run: Run) -> str:
    from uitstroom.services.database import open_database
    from uitstroom.storage import cipher, migrate
    from uitstroom.storage.keys import new_data_key

    path = run.folder / "zelftest.db"
    key = new_data_key()
    db = open_database(path, key, run.folder / "backups")
    run.db = db
    if cipher.is_plaintext_sqlite(path):
        raise StepFailed(f"{path} is niet versleuteld")
    try:
        cipher.connect(path, new_data_key()).close()
    except cipher.WrongKey:
        pass
    else:
        raise StepFailed("de database gaat open met een verkeerde sleutel")
    revision = migrate.current_revision(db.engine)
    head = migrate.head_revision(db.engine)
    if revision != head:
        raise StepFailed(f"het schema staat op {revision}, verwacht {head}")
    return f"versleuteld bestand in {run.folder}, migraties uitgevoerd tot {head}"


def step_upgrade(run: Run) -> str:
    """A database of the first released schema, brought up to date after a backup copy: what
    an update does to a school's file."""
    from alembic import command

    from uitstroom.services.database import open_database
    from uitstroom.storage import cipher, migrate
    from uitstroom.storage.keys import new_data_key

    path = run.folder / "oud.db"
    key = new_data_key()
    engine = cipher.make_encrypted_engine(path, key)
    first = _first_revision(engine)
    command.upgrade(migrate.alembic_config(engine), first)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"INSERT INTO cohort (label) VALUES ('{COHORT}')")
    engine.dispose()
    db = open_database(path, key, run.folder / "backups")
    try:
        backup = db.backup_before_update
        if backup is None or not backup.exists():
            raise StepFailed("er is geen reservekopie gemaakt voor het bijwerken")
        with db.engine.connect() as connection:
            labels = [row[0] for row in connection.exec_driver_sql("SELECT label FROM cohort")]
        if labels != [COHORT]:
            raise StepFailed(f"na het bijwerken staan er andere gegevens in: {labels}")
        head = migrate.head_revision(db.engine)
    finally:
        db.close()
    return f"schema {first} bijgewerkt tot {head}, eerst gekopieerd naar {backup.name}"


def _first_revision(engine: Engine) -> str:
    from alembic.script import ScriptDirectory

    from uitstroom.storage import migrate

    script = ScriptDirectory.from_config(migrate.alembic_config(engine))
    base = script.get_base()
    if base is None:
        raise StepFailed("er zijn geen migraties in het programma gevonden")
    return base


def step_pupil(run: Run) -> str:
    from uitstroom.domain.model import Pupil, SchoolSettings
    from uitstroom.services.pupils import PupilService, SchoolService

    db = _db(run)
    SchoolService(db.sessions).save_settings(
        SchoolSettings(name="Zelftestschool (verzonnen)", coordinator_name="Zelftest")
    )
    pupils = PupilService(db.sessions)
    record = pupils.create(
        Pupil(
            leerlingnummer="999001",
            roepnaam=PUPIL_FIRST_NAME,
            achternaam=PUPIL_LAST_NAME,
            klas="ZT1",
            geboortedatum=date(2009, 5, 14),
        ),
        COHORT,
    )
    run.pupil_id = record.pupil.id
    assert run.pupil_id is not None
    stored = pupils.record(run.pupil_id).pupil
    if (stored.roepnaam, stored.achternaam) != (PUPIL_FIRST_NAME, PUPIL_LAST_NAME):
        raise StepFailed(f"opgeslagen en teruggelezen naam verschillen: {stored.roepnaam!r}")
    return f"verzonnen leerling {PUPIL_FIRST_NAME} {PUPIL_LAST_NAME} opgeslagen en teruggelezen"


def step_document(run: Run) -> str:
    from uitstroom.domain.handover import DocumentKind
    from uitstroom.services.handover import DocumentService

    db = _db(run)
    assert run.pupil_id is not None
    started = time.perf_counter()
    run.pdf = (
        DocumentService(db.sessions)
        .make(DocumentKind.TRANSITIEPLAN, run.pupil_id, date.today())
        .pdf
    )
    elapsed = time.perf_counter() - started
    if not run.pdf.startswith(b"%PDF"):
        raise StepFailed("het transitieplan is geen PDF")
    if b"DejaVu" not in run.pdf:
        raise StepFailed("de lettertypen zitten niet in het document (DejaVu ontbreekt)")
    if importlib.util.find_spec("_rl_accel") is None:
        # reportlab then does its arithmetic in Python: every document takes longer.
        raise StepFailed("de versneller van reportlab (_rl_accel) ontbreekt")
    return f"transitieplan gemaakt: {len(run.pdf) // 1024} kB, lettertypen ingebed, {elapsed:.1f} s"


def step_qt(run: Run) -> str:
    from uitstroom.app import install_dutch
    from uitstroom.ui import self_check

    app = self_check.start_application()
    translator = install_dutch(app)
    run.qt += [app, translator]
    cancel = self_check.cancel_button_text()
    if translator is None or cancel != "Annuleren":
        raise StepFailed(f"Qt's Nederlandse teksten ontbreken (de knop Annuleren heet '{cancel}')")
    self_check.check_charts()
    self_check.check_icon()
    return (
        f"{self_check.qt_description(app)}; knoppen in het Nederlands ('{cancel}', uit "
        f"{translator.filePath()}), grafieken en pictogram aanwezig"
    )


def step_window_libraries(run: Run) -> str:
    """Linux: the X11 libraries Qt's xcb platform loads (uitstroom.xcb), so IT hears from the
    self-test, not from a window that does not open, which package is missing."""
    if not sys.platform.startswith("linux"):
        return f"niet nodig op {platform.system()}"
    from uitstroom.xcb import XCB_LIBRARIES, advice, missing_libraries

    missing = missing_libraries()
    if missing:
        raise StepFailed(advice(missing).replace("\n", " ").replace("    ", ""))
    return f"alle {len(XCB_LIBRARIES)} X11-bibliotheken voor het venster gevonden"


def step_read_back(run: Run) -> str:
    from uitstroom.ui import self_check

    pages, text = self_check.read_back(run.pdf)
    name = f"{PUPIL_FIRST_NAME} {PUPIL_LAST_NAME}"
    if name not in text:
        raise StepFailed(f"de naam {name} staat niet in het teruggelezen document")
    if "Transitieplan" not in text:
        raise StepFailed("de titel Transitieplan staat niet in het teruggelezen document")
    pages_text = counted(pages, "pagina", "pagina's")
    return f"in de PDF-weergave geopend: {pages_text}, naam en titel gevonden"


def _db(run: Run) -> Database:
    if run.db is None:
        raise StepFailed("de database is niet geopend")
    return run.db


STEPS: tuple[tuple[str, Callable[[Run], str]], ...] = (
    ("Programma", step_program),
    ("Versleuteling", step_sqlcipher),
    ("Sleutelbos", step_keychain),
    ("Koppeling met een schoolserver", step_server_driver),
    ("Tijdelijke database", step_database),
    ("Bijwerken van een oude database", step_upgrade),
    ("Leerling opslaan", step_pupil),
    ("Document maken", step_document),
    ("Qt en Nederlandse teksten", step_qt),
    ("Bibliotheken voor het venster", step_window_libraries),
    ("Document teruglezen", step_read_back),
)


def run_self_test(
    out: TextIO | None = None, steps: Sequence[tuple[str, Callable[[Run], str]]] = STEPS
) -> int:
    out = out or sys.stdout

    def say(text: str) -> None:
        print(text, file=out, flush=True)

    say(f"{APP_NAME} {__version__}: zelftest")
    folder = Path(tempfile.mkdtemp(prefix="uitstroom-zelftest-"))
    run = Run(folder, say)
    started = time.perf_counter()
    try:
        for number, (title, step) in enumerate(steps, start=1):
            say(f"[{number}/{len(steps)}] {title}…")
            try:
                say(f"      {step(run)}")
            except Exception as exc:
                reason = str(exc) or type(exc).__name__
                if not isinstance(exc, StepFailed):
                    reason = f"{type(exc).__name__}: {reason}"
                say(f"      MISLUKT: {reason}")
                say(
                    f"Zelftest mislukt bij stap {number} ({title}). Installeer {APP_NAME} "
                    "opnieuw; helpt dat niet, stuur deze tekst naar de leverancier of de helpdesk."
                )
                return EXIT_FAILED
    finally:
        _clean_up(run)
    say(f"Zelftest geslaagd in {time.perf_counter() - started:.1f} s: {APP_NAME} werkt.")
    return EXIT_OK


def _clean_up(run: Run) -> None:
    if run.db is not None:
        run.db.close()
    shutil.rmtree(run.folder, ignore_errors=True)

"""More than 200 damaged files, each refused with a Dutch message that points at the row (and
the column, where it is about one cell), never with a crash, and never with a change to the
database: its dump is the same before and after, also after trying to apply a refused preview.

The files are written once per session by tests/malformed_files.py; each is its own test."""

from __future__ import annotations

import re
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from factories import dump, fixed_clock, make_database
from import_files import pupil_rows, write_csv, write_xlsx
from malformed_files import Malformed, generate, plan, sheet_xml, write_parts, xlsx_parts
from pg import Backend
from uitstroom.domain.importing import ImportProblem
from uitstroom.services.database import Database
from uitstroom.services.importing import ImportFileError, ImportService

COHORT = "2026-2027"
CASES = plan()

# Words of the messages' own language, and what would betray an English or technical one.
DUTCH = re.compile(r"\b(de|het|een|is|niet|van|in|op|en|bestand|rij|cel|kolom|kies|vul)\b", re.I)
NOT_FOR_USERS = re.compile(
    r"\b(the|error|exception|invalid|unexpected|expected|traceback|errno|line \d+|none)\b|\\x",
    re.I,
)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kapotte-bestanden")
    generate(folder)
    return folder


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Iterator[Database]:
    """A database that already holds a cohort, so that 'unchanged' means something."""
    database = make_database(tmp_path_factory.mktemp("database"), backend=backend)
    service = ImportService(database.sessions, clock=fixed_clock())
    table = service.read(
        write_csv(tmp_path_factory.mktemp("eerder") / "eerder.csv", pupil_rows(5, first=100001))
    )
    preview = service.check(table, COHORT)
    assert service.apply(preview) == 5
    yield database
    database.close()


@pytest.fixture(scope="module")
def service(db: Database) -> ImportService:
    return ImportService(db.sessions, clock=fixed_clock())


def db_dump(db: Database) -> str:
    db.engine.dispose()
    return dump(db)


def refusal(service: ImportService, path: Path) -> tuple[str, tuple[ImportProblem, ...]]:
    """What the coordinator is told about a file: a message for the file as a whole, or the
    problems of the preview. A preview with problems cannot be applied."""
    try:
        table = service.read(path)
        preview = service.check(table, COHORT)
    except ImportFileError as exc:
        return str(exc), exc.problems
    assert preview.problems, f"{path.name} was accepted: {preview.summary}"
    assert preview.changes == ()
    with pytest.raises(ImportFileError, match="Er is niets geïmporteerd"):
        service.apply(preview)
    return "", preview.problems


def test_there_are_more_than_200_files_of_every_kind() -> None:
    assert len(CASES) >= 200
    assert len({case.name for case in CASES}) == len(CASES)
    kinds = Counter(case.kind for case in CASES)
    assert set(kinds) >= {
        "afgebroken-csv",
        "afgebroken-xlsx",
        "codering",
        "formule",
        "xml-bom",
        "miljoen",
        "datum",
        "dubbel",
        "leerlingnummer",
        "kolom-dubbel",
        "kolom",
        "leeg",
        "binair",
        "scheidingsteken",
        "stuurteken",
        "lange-cel",
        "werkmap",
        "structuur",
    }


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_malformed_file_is_refused_and_the_database_stays_as_it_was(
    case: Malformed, files: Path, db: Database, service: ImportService
) -> None:
    before = db_dump(db)
    started = time.perf_counter()
    message, problems = refusal(service, files / case.name)
    took = time.perf_counter() - started
    assert db_dump(db) == before

    texts = [text for text in (message, *(p.message for p in problems)) if text]
    assert texts
    for text in texts:
        assert DUTCH.search(text) and not NOT_FOR_USERS.search(text), text
    if case.says:
        assert any(case.says in text for text in texts), (case.says, texts)
    if case.row is not None:
        in_row = [p for p in problems if p.row == case.row]
        assert in_row, (case.row, [(p.row, p.column) for p in problems])
        if case.column is not None:
            assert case.column in [p.column for p in in_row], [(p.row, p.column) for p in problems]
    for problem in problems:
        # A problem about a cell names its row; a column alone is about the whole column.
        if problem.row is not None:
            assert problem.row >= 1
    assert took < 15, f"{case.name} took {took:.1f} s"


def test_a_million_rows_are_refused_quickly_without_reading_the_whole_file(
    files: Path, service: ImportService
) -> None:
    path = files / next(c.name for c in CASES if c.name.endswith("-rijen.csv"))
    assert path.stat().st_size > 60 * 1024 * 1024
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ImportFileError, match=r"meer dan 100\.000 rijen"):
            service.read(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    took = time.perf_counter() - started
    # Only the first hundred thousand rows are read: less than the file itself, where reading
    # it whole took about 450 MB.
    assert peak < path.stat().st_size, f"{peak // 2**20} MB"
    assert took < 5, f"{took:.1f} s"


# --- the checks do not refuse good files ------------------------------------------------------


def test_a_complete_file_without_a_last_line_break_is_read(
    service: ImportService, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(
        b"Leerlingnummer;Roepnaam;Achternaam;Klas\r\n1;Noa;Jansen;PRO4A\r\n2;Daan;Smit;"
    )
    assert service.read(path).rows[-1] == ("2", "Daan", "Smit", "")


def test_windows_1252_ending_on_an_accent_is_not_taken_for_a_cut_off_letter(
    service: ImportService, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes("Leerlingnummer;Roepnaam;Achternaam\r\n1;Noa;Hervé".encode("cp1252"))
    table = service.read(path)
    assert table.rows == (("1", "Noa", "Hervé"),)
    assert table.description.endswith("Windows-1252")


def test_a_hidden_sheet_beside_the_visible_pupils_is_left_alone(
    service: ImportService, tmp_path: Path
) -> None:
    rows = [["Leerlingnummer", "Roepnaam", "Achternaam"], ["1", "Noa", "Jansen"]]
    path = write_parts(
        tmp_path / "met-verborgen-blad.xlsx",
        dict(
            xlsx_parts(
                [
                    ("Keuzelijsten", "hidden", sheet_xml([["pro", "vso"]])),
                    ("Leerlingen", "visible", sheet_xml(rows)),
                ]
            )
        ),
    )
    table = service.read(path)
    assert table.description == "Excel-werkmap, werkblad 'Leerlingen'"
    assert table.rows == (("1", "Noa", "Jansen"),)


def test_an_equals_sign_inside_a_value_and_excel_text_wrapping_are_no_formulas(
    service: ImportService, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        'Leerlingnummer;Roepnaam;Achternaam;Telefoon\n="000123";Noa;Jansen = Smit;="0612345678"\n'
        "2;=;Smit;\n",
        encoding="utf-8",
    )
    assert service.read(path).rows == (
        ("000123", "Noa", "Jansen = Smit", "0612345678"),
        ("2", "=", "Smit", ""),
    )


def test_a_tab_or_line_break_inside_a_cell_is_tidied_not_refused(
    service: ImportService, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "export.xlsx",
        [["1", "Noa\tMaria", "van\nJansen"]],
        ["Leerlingnummer", "Roepnaam", "Achternaam"],
    )
    table = service.read(path)
    preview = service.check(table, COHORT)
    assert preview.problems == ()


@pytest.mark.parametrize(
    "name", [c.name for c in CASES if c.kind == "te-groot"], ids=lambda n: n.split("-", 2)[2]
)
def test_a_sheet_too_wide_or_too_big_is_refused_within_a_second(
    files: Path, service: ImportService, name: str
) -> None:
    case = next(c for c in CASES if c.name == name)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ImportFileError, match=re.escape(case.says)) as refused:
            service.read(files / name)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    took = time.perf_counter() - started
    assert str(refused.value).startswith(f"Het werkblad in {name} is te groot")
    assert took < 1, f"{took:.2f} s"
    assert peak < 20 * 2**20, f"{peak // 2**20} MB"

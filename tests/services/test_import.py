"""A coordinator imports this year's export, and next month's: real files, a real SQLite file.

Every refused file ends with a Dutch message that names the row and column where it can, and
with a database that is byte for byte what it was.
"""

from __future__ import annotations

import codecs
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import String, select

from factories import dump, fixed_clock, make_database, make_pupil
from import_files import HEADERS, pupil_rows, write_csv, write_xlsx
from pg import Backend
from uitstroom.domain.actor import coordinator
from uitstroom.domain.enums import Route, TimelineKind, Uitstroomprofiel
from uitstroom.domain.importing import MAX_LENGTH, ImportField, guess_mapping
from uitstroom.domain.model import Guardian, Pupil, RouteDetails, Stage
from uitstroom.services import importing
from uitstroom.services.audit import AuditService
from uitstroom.services.database import Database
from uitstroom.services.errors import ConflictError
from uitstroom.services.importing import (
    ImportCancelled,
    ImportFileError,
    ImportPreview,
    ImportService,
)
from uitstroom.services.pupils import PupilService
from uitstroom.storage.models import GuardianRow, PupilRow

F = ImportField
COHORT = "2026-2027"


@pytest.fixture
def db(tmp_path: Path, backend: Backend) -> Iterator[Database]:
    database = make_database(tmp_path, backend=backend)
    yield database
    database.close()


@pytest.fixture
def service(db: Database) -> ImportService:
    return ImportService(db.sessions, clock=fixed_clock(), actor=coordinator("Marloes"))


@pytest.fixture
def pupils(db: Database) -> PupilService:
    return PupilService(db.sessions, clock=fixed_clock())


def check(service: ImportService, path: Path, cohort: str = COHORT) -> ImportPreview:
    table = service.read(path)
    return service.check(table, cohort)


def import_file(service: ImportService, path: Path, author: str = "Marloes") -> ImportPreview:
    preview = check(service, path)
    assert preview.problems == ()
    service.apply(preview)
    return preview


def db_dump(db: Database) -> str:
    db.engine.dispose()
    return dump(db)


# --- reading what schools export -------------------------------------------------------------


@pytest.mark.parametrize(
    ("delimiter", "encoding", "description"),
    [
        (";", "utf-8", "CSV-bestand, gescheiden door puntkomma's, UTF-8"),
        (",", "utf-8", "CSV-bestand, gescheiden door komma's, UTF-8"),
        ("\t", "utf-8", "CSV-bestand, gescheiden door tabs, UTF-8"),
        (";", "utf-8-sig", "CSV-bestand, gescheiden door puntkomma's, UTF-8 met BOM"),
        (";", "cp1252", "CSV-bestand, gescheiden door puntkomma's, Windows-1252"),
        (",", "utf-16", "CSV-bestand, gescheiden door komma's, UTF-16"),
    ],
)
def test_csv_delimiter_and_encoding_are_detected(
    service: ImportService, tmp_path: Path, delimiter: str, encoding: str, description: str
) -> None:
    rows = pupil_rows(3)
    rows[0][1], rows[0][3] = "Zoë", "Çelik"
    rows[1][1], rows[1][2], rows[1][3] = "Renée", "", "Müller, van"  # a comma inside a name
    path = write_csv(tmp_path / "export.csv", rows, delimiter=delimiter, encoding=encoding)
    table = service.read(path)
    assert table.description == description
    assert table.headers == HEADERS
    assert table.rows[0][1:4] == ("Zoë", "", "Çelik")
    assert table.rows[1][3] == "Müller, van"


def test_windows_1252_accents_reach_the_database(
    service: ImportService, pupils: PupilService, tmp_path: Path
) -> None:
    path = tmp_path / "magister.csv"
    path.write_bytes(
        "Stamnummer;Roepnaam;Achternaam;Geb. datum\r\n"
        "300001;Zoë;Çelik;14-05-2009\r\n"
        "300002;François;Hervé;2009-07-01\r\n".encode("cp1252")
    )
    import_file(service, path)
    names = sorted(s.name for s in pupils.summaries())
    assert names == ["François Hervé", "Zoë Çelik"]


def test_xlsx_with_real_date_cells_and_numbers(
    service: ImportService, pupils: PupilService, tmp_path: Path
) -> None:
    rows = pupil_rows(2)
    rows[0][0] = 300001  # a number cell, as Excel keeps a leerlingnummer
    rows[0][4] = datetime(2009, 5, 14)
    rows[1][4] = date(2009, 7, 1)
    rows[1][9] = 612345678  # Excel dropped the leading zero
    path = write_xlsx(tmp_path / "somtoday.xlsx", rows)
    table = service.read(path)
    assert table.description == "Excel-werkmap, werkblad 'Leerlingen'"
    assert table.rows[0][0] == "300001"
    assert table.rows[0][4] == "2009-05-14"
    import_file(service, path)
    first = pupils.find_by_leerlingnummer("300001")
    second = pupils.find_by_leerlingnummer("300002")
    assert first is not None and second is not None
    assert first.pupil.geboortedatum == date(2009, 5, 14)
    assert second.pupil.geboortedatum == date(2009, 7, 1)
    assert second.pupil.guardians[0].phone == "0612345678"


def test_a_title_line_and_empty_rows_keep_the_row_numbers_of_the_file(
    service: ImportService, tmp_path: Path
) -> None:
    path = tmp_path / "eduarte.csv"
    path.write_text(
        "Deelnemers ROC 2026\n"  # row 1
        "\n"  # row 2
        "Studentnummer;Roepnaam;Achternaam;Geboortedatum\n"  # row 3
        "300001;Sanne;Jansen;01-01-2009\n"  # row 4
        ";;;\n"  # row 5, empty: skipped silently
        "300002;Daan;Smit;31-02-2010\n",  # row 6
        encoding="utf-8",
    )
    preview = check(service, path)
    assert preview.table.header_row == 3
    assert [(p.row, p.column) for p in preview.problems] == [(6, "Geboortedatum")]


def test_excel_text_wrapping_is_unwrapped(service: ImportService, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        'Leerlingnummer;Roepnaam;Achternaam;Mobiel\n="000123";Noa;Jansen;="0612345678"\n',
        encoding="utf-8",
    )
    assert service.read(path).rows[0] == ("000123", "Noa", "Jansen", "0612345678")


# --- files that are refused ------------------------------------------------------------------


def refused(service: ImportService, db: Database, path: Path) -> ImportFileError | ImportPreview:
    """Whatever the coordinator gets to see for a bad file; the database must not change."""
    before = db_dump(db)
    outcome: ImportFileError | ImportPreview
    try:
        preview = check(service, path)
    except ImportFileError as exc:
        outcome = exc
    else:
        assert preview.problems, "this file should have been refused"
        assert preview.changes == ()
        with pytest.raises(ImportFileError, match="Er is niets geïmporteerd"):
            service.apply(preview)
        outcome = preview
    assert db_dump(db) == before
    return outcome


@pytest.fixture
def db_with_cohort(db: Database, service: ImportService, tmp_path: Path) -> Database:
    """A database that already holds a cohort, so 'unchanged' means something."""
    import_file(service, write_csv(tmp_path / "eerder.csv", pupil_rows(5, first=100001)))
    return db


def test_an_empty_file(service: ImportService, db_with_cohort: Database, tmp_path: Path) -> None:
    path = tmp_path / "leeg.csv"
    path.write_bytes(b"")
    error = refused(service, db_with_cohort, path)
    assert isinstance(error, ImportFileError)
    assert str(error).startswith("leeg.csv is leeg. Exporteer de leerlingen opnieuw")


def test_a_file_with_only_a_header(
    service: ImportService, db_with_cohort: Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "kop.csv", [])
    error = refused(service, db_with_cohort, path)
    assert "bevat alleen een kopregel en geen leerlingen" in str(error)


def test_a_file_with_blank_lines_only(
    service: ImportService, db_with_cohort: Database, tmp_path: Path
) -> None:
    path = tmp_path / "wit.csv"
    path.write_text("\n;;\n\n", encoding="utf-8")
    assert "bevat geen gegevens" in str(refused(service, db_with_cohort, path))


def test_the_wrong_delimiter_puts_everything_in_one_column(
    service: ImportService, db_with_cohort: Database, tmp_path: Path
) -> None:
    path = tmp_path / "verkeerd.csv"
    path.write_text('"Leerlingnummer;Roepnaam;Achternaam"\n"300001;Noa;Jansen"\n', encoding="utf-8")
    error = refused(service, db_with_cohort, path)
    assert isinstance(error, ImportFileError)
    assert "staat alles in één kolom: 'Leerlingnummer;Roepnaam;Achternaam'" in str(error)
    assert "Tekst naar kolommen" in str(error)


def test_a_missing_name_column(
    service: ImportService, db_with_cohort: Database, tmp_path: Path
) -> None:
    path = tmp_path / "geen-achternaam.csv"
    path.write_text("Leerlingnummer;Roepnaam;Klas\n300001;Noa;PRO4A\n", encoding="utf-8")
    preview = refused(service, db_with_cohort, path)
    assert isinstance(preview, ImportPreview)
    assert [(p.row, p.column) for p in preview.problems] == [(None, None)]
    assert "Er is geen kolom voor de achternaam" in preview.problems[0].message


def test_an_impossible_date_names_row_and_column(
    service: ImportService, db_with_cohort: Database, tmp_path: Path
) -> None:
    rows = pupil_rows(4)
    rows[2][4] = "31-02-2010"
    rows[3][4] = "01-01-2030"
    preview = refused(service, db_with_cohort, write_csv(tmp_path / "data.csv", rows))
    assert isinstance(preview, ImportPreview)
    assert [(p.row, p.column) for p in preview.problems] == [
        (4, "Geboortedatum"),
        (5, "Geboortedatum"),
    ]
    assert preview.problems[0].message.startswith("De datum '31-02-2010' bestaat niet")
    assert "ligt in de toekomst" in preview.problems[1].message


def test_duplicate_leerlingnummers_name_both_rows(
    service: ImportService, db_with_cohort: Database, tmp_path: Path
) -> None:
    rows = pupil_rows(6)
    rows[4][0] = rows[1][0]
    preview = refused(service, db_with_cohort, write_csv(tmp_path / "dubbel.csv", rows))
    assert isinstance(preview, ImportPreview)
    assert len(preview.problems) == 1
    problem = preview.problems[0]
    assert (problem.row, problem.column) == (6, "Leerlingnummer")
    assert "Leerlingnummer 300002 staat twee keer in het bestand: in rij 3 en in rij 6" in (
        problem.message
    )


def test_every_problem_of_the_file_is_listed_not_only_the_first(
    service: ImportService, db_with_cohort: Database, tmp_path: Path
) -> None:
    rows = pupil_rows(5)
    rows[0][3] = ""
    rows[1][4] = "2009-13-01"
    rows[2][9] = "geen idee"
    rows[3][1] = " "
    preview = refused(service, db_with_cohort, write_csv(tmp_path / "veel.csv", rows))
    assert isinstance(preview, ImportPreview)
    assert [(p.row, p.column) for p in preview.problems] == [
        (2, "Achternaam"),
        (3, "Geboortedatum"),
        (4, "Telefoon ouder 1"),
        (5, "Roepnaam"),
    ]


def test_a_binary_file_renamed_to_csv(
    service: ImportService, db_with_cohort: Database, tmp_path: Path
) -> None:
    path = tmp_path / "foto.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    error = refused(service, db_with_cohort, path)
    assert str(error).startswith(
        "Dit bestand is geen CSV- of Excel-bestand, ook al heet het foto.csv."
    )


def test_random_bytes_without_zeros_are_not_read_as_windows_1252(
    service: ImportService, db_with_cohort: Database, tmp_path: Path
) -> None:
    path = tmp_path / "ruis.csv"
    path.write_bytes(bytes(b for b in range(1, 256) if b not in b"\t\n\r") * 50)
    assert "is geen CSV- of Excel-bestand" in str(refused(service, db_with_cohort, path))


def test_an_xlsx_with_formulas_is_refused_cell_by_cell(
    service: ImportService, db_with_cohort: Database, tmp_path: Path
) -> None:
    rows = pupil_rows(5)
    rows[3][2] = '=IF(A5="","","van")'  # cell C5
    path = write_xlsx(tmp_path / "formules.xlsx", rows)
    error = refused(service, db_with_cohort, path)
    assert isinstance(error, ImportFileError)
    assert str(error) == (
        "Cel C5 bevat een formule. Sla het bestand in Excel op met alleen waarden (Kopiëren, "
        "Plakken speciaal, Waarden) en probeer het opnieuw."
    )
    assert [(p.row, p.message.split()[1]) for p in error.problems] == [(5, "C5")]


def test_many_formula_cells_are_counted_and_the_first_named(
    service: ImportService, db_with_cohort: Database, tmp_path: Path
) -> None:
    rows = pupil_rows(40)
    for row in rows:
        row[5] = '="PRO"&"4A"'
    error = refused(service, db_with_cohort, write_xlsx(tmp_path / "veel.xlsx", rows))
    assert isinstance(error, ImportFileError)
    assert str(error).startswith(
        "40 cellen bevatten een formule: F2, F3, F4, F5, F6 en nog 35 andere."
    )
    assert len(error.problems) == importing.shapes.MAX_REPORTED


def test_an_xlsx_that_is_a_zip_of_something_else(
    service: ImportService, db_with_cohort: Database, tmp_path: Path
) -> None:
    path = tmp_path / "leerlingen.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("leerlingen.txt", "Leerlingnummer;Roepnaam\n")
    error = refused(service, db_with_cohort, path)
    assert "geen Excel-werkmap, maar een zip-bestand met iets anders erin" in str(error)


def test_an_xlsx_that_is_no_zip_at_all(
    service: ImportService, db_with_cohort: Database, tmp_path: Path
) -> None:
    path = tmp_path / "leerlingen.xlsx"
    path.write_text("Leerlingnummer;Roepnaam;Achternaam\n", encoding="utf-8")
    assert "is geen CSV- of Excel-bestand" in str(refused(service, db_with_cohort, path))


def test_a_damaged_xlsx(service: ImportService, db_with_cohort: Database, tmp_path: Path) -> None:
    path = tmp_path / "kapot.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook><niet af")
    assert "is misschien beschadigd" in str(refused(service, db_with_cohort, path))


def test_an_old_excel_file(
    service: ImportService, db_with_cohort: Database, tmp_path: Path
) -> None:
    path = tmp_path / "oud.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    error = refused(service, db_with_cohort, path)
    assert "oud.xls is een oud Excel-bestand (.xls)" in str(error)
    assert "Excel-werkmap (.xlsx) of CSV" in str(error)


@pytest.mark.parametrize("name", ["leerlingen.pdf", "leerlingen.docx", "leerlingen"])
def test_unsupported_file_types(
    service: ImportService, db_with_cohort: Database, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_text("Leerlingnummer;Roepnaam;Achternaam\n1;a;b\n", encoding="utf-8")
    error = refused(service, db_with_cohort, path)
    assert "kunnen niet worden geïmporteerd. Kies een CSV-bestand (.csv)" in str(error)


def test_a_file_that_is_not_there(service: ImportService, tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="bestaat niet"):
        service.read(tmp_path / "weg.csv")


def test_too_many_rows(
    service: ImportService,
    db_with_cohort: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(importing.shapes, "MAX_ROWS", 20)
    for path in (
        write_csv(tmp_path / "groot.csv", pupil_rows(40)),
        write_xlsx(tmp_path / "groot.xlsx", pupil_rows(40)),
    ):
        error = refused(service, db_with_cohort, path)
        assert "heeft meer dan 20 rijen" in str(error)
        assert "Exporteer alleen de leerlingen van het laatste jaar" in str(error)


def test_a_cell_far_too_long(
    service: ImportService, db_with_cohort: Database, tmp_path: Path
) -> None:
    rows = pupil_rows(3)
    rows[1][6] = "Mentor " * 100
    preview = refused(service, db_with_cohort, write_csv(tmp_path / "lang.csv", rows))
    assert isinstance(preview, ImportPreview)
    assert [(p.row, p.column) for p in preview.problems] == [(3, "Mentor")]
    assert "Deze cel is te lang" in preview.problems[0].message


def test_a_csv_row_with_more_values_than_headers(
    service: ImportService, db_with_cohort: Database, tmp_path: Path
) -> None:
    path = tmp_path / "scheef.csv"
    path.write_text(
        "Leerlingnummer;Roepnaam;Achternaam\n300001;Noa;Jansen\n300002;Daan;de;Vries\n",
        encoding="utf-8",
    )
    error = refused(service, db_with_cohort, path)
    assert isinstance(error, ImportFileError)
    assert "(rij 3)" in str(error)
    assert error.problems[0].row == 3


def test_an_unknown_uitstroomprofiel(
    service: ImportService, db_with_cohort: Database, tmp_path: Path
) -> None:
    path = tmp_path / "profiel.csv"
    path.write_text(
        "Leerlingnummer;Roepnaam;Achternaam;Uitstroomprofiel\n300001;Noa;Jansen;Havo\n",
        encoding="utf-8",
    )
    preview = refused(service, db_with_cohort, path)
    assert isinstance(preview, ImportPreview)
    assert preview.problems[0].column == "Uitstroomprofiel"
    assert preview.problems[0].message.startswith("'Havo' is geen uitstroomprofiel")


def test_an_unusable_cohort_label(
    service: ImportService, db_with_cohort: Database, tmp_path: Path
) -> None:
    table = service.read(write_csv(tmp_path / "goed.csv", pupil_rows(2)))
    preview = service.check(table, "volgend jaar")
    assert "'volgend jaar' is geen schooljaar" in preview.problems[0].message


# --- importing and re-importing --------------------------------------------------------------


def test_a_first_import_creates_the_cohort(
    service: ImportService, pupils: PupilService, db: Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "oktober.csv", pupil_rows(3))
    preview = check(service, path)
    assert (preview.new_count, preview.changed_count, preview.unchanged_count) == (3, 0, 0)
    assert preview.summary == "3 nieuwe leerlingen, 0 gewijzigd, 0 ongewijzigd."
    assert service.apply(preview) == 3

    record = pupils.find_by_leerlingnummer("300003")
    assert record is not None
    pupil = record.pupil
    assert (pupil.name, pupil.klas, pupil.cohort_label) == ("Noa van der Meer", "PRO4C", COHORT)
    assert pupil.geboortedatum == date(2009, 3, 3)
    assert pupil.guardians == (
        Guardian(name="ouder van Noa", phone="06 20000002", id=pupil.guardians[0].id),
    )
    assert pupil.route.route == Route.ONBEKEND
    assert [(t.author, t.kind, t.text) for t in record.timeline] == [
        ("Marloes", TimelineKind.GEBEURTENIS, "Toegevoegd via import van oktober.csv.")
    ]
    with db.sessions() as session:
        stored = session.scalar(select(PupilRow).where(PupilRow.leerlingnummer == "300003"))
        assert stored is not None
        assert stored.imported_values["klas"] == "PRO4C"
        assert stored.imported_values["geboortedatum"] == "2009-03-03"
        assert stored.imported_values["ouder1_naam"] == "ouder van Noa"


def test_a_second_identical_import_writes_nothing(
    service: ImportService, db: Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "oktober.csv", pupil_rows(4))
    import_file(service, path)
    before = db_dump(db)
    preview = check(service, path)
    assert (preview.new_count, preview.changed_count, preview.unchanged_count) == (0, 0, 4)
    assert service.apply(preview) == 0
    assert db_dump(db) == before


def test_reimport_keeps_hand_edits_and_updates_the_rest(
    service: ImportService, pupils: PupilService, tmp_path: Path
) -> None:
    rows = pupil_rows(3)
    import_file(service, write_csv(tmp_path / "oktober.csv", rows))

    # The coordinator corrects a mentor by hand, plans a route, adds a stage.
    record = pupils.find_by_leerlingnummer("300001")
    assert record is not None
    edited = replace(
        record.pupil,
        mentor="mw. S. Öztürk",
        ondersteuningsbehoefte="Rustige werkplek.",
        route=RouteDetails(route=Route.ARBEID, werkgever="Bakkerij Van Houten"),
    )
    pupils.save(edited, route_reason="Stage loopt goed.")
    pupils.save_stage(edited.id or 0, Stage(leerbedrijf="Bakkerij Van Houten"))

    # Next month the administration moved the pupil to another class and mentor.
    rows[0][5], rows[0][6] = "PRO4D", "dhr. R. de Graaf"
    preview = check(service, write_csv(tmp_path / "november.csv", rows))
    assert (preview.new_count, preview.changed_count, preview.unchanged_count) == (0, 1, 2)
    change = next(c for c in preview.changes if c.leerlingnummer == "300001")
    assert change.kind == "gewijzigd"
    assert [(c.field, c.old, c.new) for c in change.changes] == [(F.KLAS, "PRO4A", "PRO4D")]
    assert [(c.field, c.old, c.new) for c in change.kept] == [
        (F.MENTOR, "mw. S. Öztürk", "dhr. R. de Graaf")
    ]
    assert service.apply(preview) == 1

    after = pupils.find_by_leerlingnummer("300001")
    assert after is not None
    assert after.pupil.klas == "PRO4D"
    assert after.pupil.mentor == "mw. S. Öztürk"
    assert after.pupil.ondersteuningsbehoefte == "Rustige werkplek."
    assert after.pupil.route.route == Route.ARBEID
    assert after.pupil.route.werkgever == "Bakkerij Van Houten"
    assert [s.leerbedrijf for s in after.stages] == ["Bakkerij Van Houten"]
    assert len(after.route_history) == 1
    assert after.pupil.version == edited.version + 2  # the hand edit, then the import
    assert after.timeline[-1].text == (
        "Bijgewerkt via import: klas. Met de hand gewijzigd en bewaard: mentor."
    )

    # The month after, the hand edit still wins; the class is still what the file says.
    preview = check(service, write_csv(tmp_path / "december.csv", rows))
    assert preview.changed_count == 0
    assert next(c.kept for c in preview.changes if c.kept)[0].field == F.MENTOR


def test_a_field_never_imported_but_filled_by_hand_is_kept(
    service: ImportService, pupils: PupilService, tmp_path: Path
) -> None:
    pupils.create(hand_made_pupil(leerlingnummer="300001", klas="PRO3B"), COHORT)
    rows = pupil_rows(1)
    rows[0][4] = "14-05-2009"
    preview = check(service, write_csv(tmp_path / "export.csv", rows))
    change = preview.changes[0]
    assert ("klas", "PRO3B", "PRO4A") in [(c.field.value, c.old, c.new) for c in change.kept]
    # An empty field that was never imported is filled by the import.
    assert (F.WOONGEMEENTE, "", "Utrecht") in [(c.field, c.old, c.new) for c in change.changes]


def hand_made_pupil(**changes: object) -> Pupil:
    """A pupil the coordinator typed in before any import: only a few fields filled."""
    empty: dict[str, object] = {"mentor": "", "woongemeente": "", "telefoon": "", "email": ""}
    return make_pupil(**{**empty, "guardians": (), **changes})


def test_pupils_missing_from_the_file_stay_and_are_listed(
    service: ImportService, pupils: PupilService, tmp_path: Path
) -> None:
    rows = pupil_rows(3)
    import_file(service, write_csv(tmp_path / "oktober.csv", rows))
    preview = check(service, write_csv(tmp_path / "november.csv", rows[:2]))
    assert preview.missing == ("Noa van der Meer (300003)",)
    assert preview.summary.endswith(
        "; 1 leerling staat niet meer in dit bestand en blijft bewaard."
    )
    service.apply(preview)
    gone = pupils.find_by_leerlingnummer("300003")
    assert gone is not None and not gone.pupil.archived


def test_pupils_missing_from_the_file_are_archived_only_when_chosen_with_the_reason(
    service: ImportService, pupils: PupilService, db: Database, tmp_path: Path
) -> None:
    rows = pupil_rows(4)
    import_file(service, write_csv(tmp_path / "oktober.csv", rows))
    preview = check(service, write_csv(tmp_path / "november.csv", rows[:2]))
    assert len(preview.missing) == len(preview.missing_ids) == 2
    assert {name[-8:] for name in preview.missing} == {"(300003)", "(300004)"}
    service.apply(preview, archive_missing=True)
    for number in ("300003", "300004"):
        record = pupils.find_by_leerlingnummer(number)
        assert record is not None and record.pupil.archived
        assert any(
            e.text == "Gearchiveerd bij de import van november.csv: niet meer in de export."
            for e in record.timeline
        )
    kept = pupils.find_by_leerlingnummer("300001")
    assert kept is not None and not kept.pupil.archived
    trail = [e.detail for e in AuditService(db.sessions).entries() if e.pupil_id]
    assert trail.count("archief (bij import: niet meer in de export)") == 2
    # Archived pupils are no longer missing from the next file.
    assert check(service, write_csv(tmp_path / "december.csv", rows[:2])).missing == ()


def test_a_pupil_from_another_cohort_moves_to_the_chosen_one(
    service: ImportService, pupils: PupilService, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "export.csv", pupil_rows(2))
    table = service.read(path)
    service.apply(service.check(table, "2025-2026"))
    preview = service.check(table, COHORT)
    assert [(c.kind, c.moved_from) for c in preview.changes] == [
        ("gewijzigd", "2025-2026"),
        ("gewijzigd", "2025-2026"),
    ]
    service.apply(preview)
    record = pupils.find_by_leerlingnummer("300001")
    assert record is not None
    assert record.pupil.cohort_label == COHORT
    assert record.timeline[-1].text == "Bijgewerkt via import: schooljaar."


def test_guardians_follow_the_same_rule(
    service: ImportService, pupils: PupilService, db: Database, tmp_path: Path
) -> None:
    headers = (*HEADERS, "Naam ouder 2", "E-mail ouder 2")
    rows = [[*row, "", ""] for row in pupil_rows(2)]
    import_file(service, write_csv(tmp_path / "oktober.csv", rows, headers=headers))

    record = pupils.find_by_leerlingnummer("300001")
    assert record is not None
    mother = record.pupil.guardians[0]
    pupils.save(
        replace(record.pupil, guardians=(replace(mother, name="mw. S. Jansen-Bakker"),)),
    )
    rows[0][9] = "06 11111111"  # ouder 1 has a new phone number
    rows[0][10:12] = ["dhr. P. Jansen", "p.jansen@example.nl"]  # and ouder 2 is new
    rows[1][8] = ""  # ouder 1 of the second pupil left the administration
    rows[1][9] = ""
    preview = check(service, write_csv(tmp_path / "november.csv", rows, headers=headers))
    first, second = preview.changes
    assert [c.field for c in first.kept] == [F.OUDER1_NAAM]
    assert [c.field for c in first.changes] == [
        F.OUDER1_TELEFOON,
        F.OUDER2_NAAM,
        F.OUDER2_EMAIL,
    ]
    assert [c.field for c in second.changes] == [F.OUDER1_NAAM, F.OUDER1_TELEFOON]
    service.apply(preview)

    after = pupils.find_by_leerlingnummer("300001")
    assert after is not None
    assert [(g.name, g.phone, g.email) for g in after.pupil.guardians] == [
        ("mw. S. Jansen-Bakker", "06 11111111", ""),
        ("dhr. P. Jansen", "", "p.jansen@example.nl"),
    ]
    assert after.timeline[-1].text == (
        "Bijgewerkt via import: ouders/verzorgers. Met de hand gewijzigd en bewaard: "
        "ouders/verzorgers."
    )
    second_after = pupils.find_by_leerlingnummer("300002")
    assert second_after is not None and second_after.pupil.guardians == ()
    with db.sessions() as session:
        assert (
            session.scalar(select(GuardianRow).where(GuardianRow.name == "ouder van Daan")) is None
        )


def test_unmapped_columns_leave_fields_alone(
    service: ImportService, pupils: PupilService, tmp_path: Path
) -> None:
    rows = pupil_rows(1)
    path = write_csv(tmp_path / "oktober.csv", rows)
    import_file(service, path)
    rows[0][5] = "PRO4D"
    table = service.read(write_csv(tmp_path / "november.csv", rows))
    mapping = guess_mapping(table.headers)
    del mapping[F.KLAS]
    preview = service.check(table, COHORT, mapping)
    assert preview.changed_count == 0
    service.apply(preview)
    record = pupils.find_by_leerlingnummer("300001")
    assert record is not None and record.pupil.klas == "PRO4A"


def test_choices_are_stored_as_their_value(
    service: ImportService, pupils: PupilService, tmp_path: Path
) -> None:
    path = tmp_path / "mbo.csv"
    path.write_text(
        "Studentnummer;Roepnaam;Achternaam;Uitstroomprofiel;Opleiding;Crebo;Niveau;Leerweg\n"
        "300001;Noa;Jansen;Vervolgonderwijs;Medewerker bakkerij;25180;Niveau 2;BBL\n",
        encoding="utf-8",
    )
    import_file(service, path)
    record = pupils.find_by_leerlingnummer("300001")
    assert record is not None
    pupil = record.pupil
    assert pupil.uitstroomprofiel == Uitstroomprofiel.VERVOLGONDERWIJS
    assert (pupil.mbo_opleiding, pupil.mbo_crebo) == ("Medewerker bakkerij", "25180")
    assert (pupil.mbo_niveau, pupil.mbo_leerweg) == ("2", "bbl")


# --- all or nothing --------------------------------------------------------------------------


def test_a_cancelled_apply_writes_nothing(
    service: ImportService, db_with_cohort: Database, tmp_path: Path
) -> None:
    rows = pupil_rows(600)
    preview = check(service, write_csv(tmp_path / "groot.csv", rows))
    before = db_dump(db_with_cohort)
    calls: list[tuple[int, int]] = []

    def cancel_at_the_very_end(done: int, total: int) -> bool:
        calls.append((done, total))
        return done < total  # everything is written, the commit has not happened yet

    with pytest.raises(ImportCancelled, match="Er is niets geïmporteerd"):
        service.apply(preview, cancel_at_the_very_end)
    assert calls[-1][0] == calls[-1][1]
    assert len(calls) > 3
    assert db_dump(db_with_cohort) == before


def test_cancelling_read_and_preview(service: ImportService, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "groot.xlsx", pupil_rows(1200))
    with pytest.raises(ImportCancelled):
        service.read(path, lambda done, total: done < 500)
    table = service.read(path)
    with pytest.raises(ImportCancelled):
        service.check(table, COHORT, progress=lambda done, total: False)


def test_apply_compares_again_and_refuses_when_the_database_changed(
    service: ImportService, pupils: PupilService, db: Database, tmp_path: Path
) -> None:
    rows = pupil_rows(2)
    import_file(service, write_csv(tmp_path / "oktober.csv", rows))
    rows[0][5] = "PRO4D"
    preview = check(service, write_csv(tmp_path / "november.csv", rows))
    assert preview.changed_count == 1
    # Meanwhile the coordinator changes the class by hand in the window.
    record = pupils.find_by_leerlingnummer("300001")
    assert record is not None
    pupils.save(replace(record.pupil, klas="PRO4B"))
    before = db_dump(db)
    with pytest.raises(ConflictError, match="Bekijk het voorbeeld opnieuw"):
        service.apply(preview)
    assert db_dump(db) == before


def test_a_preview_with_problems_cannot_be_applied(service: ImportService, tmp_path: Path) -> None:
    rows = pupil_rows(2)
    rows[1][4] = "31-02-2010"
    preview = check(service, write_csv(tmp_path / "fout.csv", rows))
    with pytest.raises(ImportFileError) as raised:
        service.apply(preview)
    assert str(raised.value).startswith("Er is niets geïmporteerd: het bestand heeft 1 probleem.")
    assert raised.value.problems == preview.problems


def test_import_limits_match_the_database_columns() -> None:
    guardian_columns = {"naam": "name", "relatie": "relation", "telefoon": "phone"}
    for field, limit in MAX_LENGTH.items():
        if field.value.startswith("ouder"):
            attribute = field.value.split("_")[1]
            column = getattr(GuardianRow, guardian_columns.get(attribute, attribute))
        elif field in (F.GEBOORTEDATUM, F.UITSTROOMPROFIEL, F.MBO_NIVEAU, F.MBO_LEERWEG):
            continue  # stored as a date or a short enum value, checked on their own
        else:
            column = getattr(PupilRow, field.value)
        column_type = column.property.columns[0].type
        assert isinstance(column_type, String)
        assert column_type.length == limit, field


def test_utf16_without_a_bom_is_not_mistaken_for_text(
    service: ImportService, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes("Leerlingnummer;Roepnaam\n1;Noa\n".encode("utf-16-le"))
    with pytest.raises(ImportFileError, match="is opgeslagen als UTF-16 zonder kenmerk"):
        service.read(path)
    path.write_bytes(codecs.BOM_UTF16_LE + "Leerlingnummer;Roepnaam\n1;Noa\n".encode("utf-16-le"))
    assert service.read(path).rows == (("1", "Noa"),)

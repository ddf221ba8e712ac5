"""The mbo exitgesprek through the service, as an SLB'er works: start during the conversation,
save half-done, finish, and see what follows (the calls, the refusal, the handover task, the
consent); then the figures, the anonymous export, the import and the student's rights. Real
encrypted databases."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from factories import dump, fixed_clock, make_pupil
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.enums import JaNeeOnbekend, Leerweg, Niveau, SchoolType
from uitstroom.domain.exit import (
    DEFAULT_DROPOUT_REASONS,
    ExitInterview,
    HelpWanted,
    InterviewState,
    LeavingReason,
    NextStep,
)
from uitstroom.domain.handover import Consenter, LegalBasis, Receiver
from uitstroom.domain.model import SchoolSettings
from uitstroom.domain.nazorg import Destination, add_months
from uitstroom.services.audit import AuditService
from uitstroom.services.database import Database
from uitstroom.services.errors import ValidationError
from uitstroom.services.exit import ExitService
from uitstroom.services.handover import HandoverService
from uitstroom.services.nazorg import NazorgService
from uitstroom.services.pupils import PupilService, SchoolService
from uitstroom.services.rights import RightsService, inzage_json

NOW = datetime(2027, 3, 15, 10, 0)
COHORT = "2026-2027"
ACTOR = "Sanne de Wit"
OPLEIDINGEN = (
    ("Medewerker bakkerij", "25180", Niveau.N2),
    ("Logistiek medewerker", "25889", Niveau.N2),
    ("Entree assistent", "25258", Niveau.ENTREE),
    ("Verzorgende IG", "25491", Niveau.N3),
)


def service(database: Database, moment: datetime = NOW) -> ExitService:
    return ExitService(database.sessions, clock=fixed_clock(moment))


def mbo_school(database: Database) -> None:
    # The clock matters: a change of school type re-plans only a school year that is running.
    SchoolService(database.sessions, clock=fixed_clock(NOW)).save_settings(
        SchoolSettings(name="ROC De Vaart", school_type=SchoolType.MBO, coordinator_name="Sanne")
    )


def add_student(database: Database, n: int = 1, **changes: object) -> int:
    opleiding, crebo, niveau = OPLEIDINGEN[n % len(OPLEIDINGEN)]
    changes.setdefault("leerlingnummer", f"5{n:05d}")
    changes.setdefault("geboortedatum", date(2007, 2, 1))
    changes.setdefault("klas", "BAK2A")
    changes.setdefault("mentor", "Sanne de Wit")
    changes.setdefault("mbo_opleiding", opleiding)
    changes.setdefault("mbo_crebo", crebo)
    changes.setdefault("mbo_niveau", niveau)
    changes.setdefault("mbo_leerweg", Leerweg.BOL)
    record = PupilService(database.sessions, clock=fixed_clock(datetime(2026, 9, 1))).create(
        make_pupil(**changes), COHORT
    )
    assert record.pupil.id is not None
    return record.pupil.id


def answers(**changes: object) -> ExitInterview:
    interview = ExitInterview(
        held_on=date(2027, 3, 15),
        left_on=date(2027, 3, 31),
        reason=LeavingReason.UITVAL,
        dropout_reason="Gezondheid",
        next_step=NextStep.WERK,
        next_step_detail="Bakkerij De Korrel",
        help_wanted=frozenset({HelpWanted.GELD}),
        phone_after="06 11223344",
        nazorg_agreed=True,
        mentor="Sanne de Wit",
    )
    return replace(interview, **changes)  # type: ignore[arg-type]


def audit_details(database: Database, pupil_id: int) -> list[str]:
    return [
        e.detail
        for e in AuditService(database.sessions).entries()
        if e.pupil_id == pupil_id and e.action in (AuditAction.EXIT, AuditAction.CONSENT)
    ]


@pytest.fixture
def mbo(database: Database) -> Database:
    mbo_school(database)
    return database


# --- the interview ---------------------------------------------------------------------------


def test_start_fills_in_what_the_school_knows_and_stores_it_at_once(mbo: Database) -> None:
    student = add_student(mbo)
    started = service(mbo).start(student)
    assert started.id is not None
    assert started.state is InterviewState.CONCEPT
    assert started.held_on == NOW.date()
    assert started.mentor == "Sanne de Wit"
    assert started.phone_after == "06 12345678"
    assert started.email_after == "zoe@example.nl"
    assert (started.spare_name, started.spare_relation) == ("mw. I. van der Meer", "moeder")
    assert service(mbo).interview(student) == started


def test_a_half_done_interview_is_saved_and_resumed(mbo: Database) -> None:
    student = add_student(mbo)
    exit_service = service(mbo)
    started = exit_service.start(student)
    half = replace(started, reason=LeavingReason.DIPLOMA, note="Wil eerst op vakantie.")
    exit_service.save_concept(student, half)
    # The laptop closes; the next day the mentor opens the student again.
    resumed = service(mbo, datetime(2027, 3, 16, 9, 0)).start(student)
    assert resumed.reason is LeavingReason.DIPLOMA
    assert resumed.note == "Wil eerst op vakantie."
    assert resumed.held_on == NOW.date()  # not today: the interview keeps its own date
    assert resumed.state is InterviewState.CONCEPT
    assert resumed.id == started.id


def test_a_concept_refuses_only_what_cannot_be_right(mbo: Database) -> None:
    student = add_student(mbo)
    exit_service = service(mbo)
    with pytest.raises(ValidationError) as refused:
        exit_service.save_concept(
            student, ExitInterview(held_on=date(2027, 4, 1), email_after="geen-adres")
        )
    assert "‘Datum van het gesprek’ ligt in de toekomst" in str(refused.value)
    assert "geen e-mailadres" in str(refused.value)
    assert exit_service.interview(student) is None
    assert exit_service.save_concept(student, ExitInterview()).id is not None


def test_finishing_sets_the_leaving_data_and_plans_the_mbo_calls(mbo: Database) -> None:
    student = add_student(mbo)
    result = service(mbo).finish(student, answers())
    assert result.interview.state is InterviewState.AFGEROND
    assert result.nazorg_planned
    assert result.handover is None
    file = NazorgService(mbo.sessions).file(student)
    assert file is not None
    assert file.leaving.left_on == date(2027, 3, 31)
    assert file.leaving.destination is Destination.WERK
    assert file.leaving.employer == "Bakkerij De Korrel"
    assert [(m.months, m.due) for m in file.moments] == [
        (months, add_months(date(2027, 3, 31), months)) for months in (3, 6, 12)
    ]
    assert any("exitgesprek afgerond" in d for d in audit_details(mbo, student))


def test_a_student_who_refuses_nazorg_gets_no_calls_and_the_refusal_is_recorded(
    mbo: Database,
) -> None:
    student = add_student(mbo)
    result = service(mbo).finish(student, answers(nazorg_agreed=False, phone_after=""))
    assert not result.nazorg_planned
    file = NazorgService(mbo.sessions).file(student)
    assert file is not None and file.moments == ()
    record = PupilService(mbo.sessions).record(student)
    assert any("wil geen nazorggesprekken" in entry.text for entry in record.timeline)
    assert any("nazorg geweigerd" in d for d in audit_details(mbo, student))


def test_changing_a_refusal_into_yes_plans_the_calls_after_reopening(mbo: Database) -> None:
    student = add_student(mbo)
    exit_service = service(mbo)
    exit_service.finish(student, answers(nazorg_agreed=False))
    exit_service.reopen(student)
    exit_service.finish(student, answers(nazorg_agreed=True))
    file = NazorgService(mbo.sessions).file(student)
    assert file is not None and [m.months for m in file.moments] == [3, 6, 12]


def test_a_student_without_a_next_step_gets_exactly_one_handover_task(mbo: Database) -> None:
    student = add_student(mbo)
    exit_service = service(mbo)
    nothing = answers(next_step=NextStep.NOG_NIETS, next_step_detail="")
    first = exit_service.finish(student, nothing)
    assert first.handover is not None
    # 20 years old, no startkwalificatie: the Doorstroompunt follows them.
    assert first.handover.receiver is Receiver.DOORSTROOMPUNT
    again = exit_service.finish(student, nothing)
    assert again.handover is None
    exit_service.reopen(student)
    third = exit_service.finish(student, replace(nothing, next_step=NextStep.ONBEKEND))
    assert third.handover is None
    signals = NazorgService(mbo.sessions).signals()
    assert [(f.pupil_id, s.receiver) for f, s in signals] == [(student, Receiver.DOORSTROOMPUNT)]


def test_with_a_startkwalificatie_the_task_is_for_the_gemeente(mbo: Database) -> None:
    student = add_student(mbo)
    result = service(mbo).finish(
        student,
        answers(
            reason=LeavingReason.DIPLOMA,
            dropout_reason="",
            startkwalificatie=JaNeeOnbekend.JA,
            next_step=NextStep.ONBEKEND,
            next_step_detail="",
        ),
    )
    assert result.handover is not None and result.handover.receiver is Receiver.GEMEENTE


def test_consent_for_the_doorstroompunt_is_recorded_with_the_student_as_consenter(
    mbo: Database,
) -> None:
    student = add_student(mbo)
    service(mbo).finish(
        student,
        answers(
            next_step=NextStep.NOG_NIETS,
            next_step_detail="",
            handover_consent=frozenset({Receiver.DOORSTROOMPUNT}),
        ),
    )
    consents = HandoverService(mbo.sessions).consents(student)
    assert len(consents) == 1
    consent = consents[0]
    assert consent.receiver is Receiver.DOORSTROOMPUNT
    assert consent.basis is LegalBasis.TOESTEMMING
    assert consent.consenter is Consenter.LEERLING
    assert consent.consenter_name == "Zoë van der Meer"
    assert consent.given_on == date(2027, 3, 15)
    # Finishing again does not record it twice.
    service(mbo).reopen(student)
    service(mbo).finish(
        student,
        answers(handover_consent=frozenset({Receiver.DOORSTROOMPUNT})),
    )
    assert len(HandoverService(mbo.sessions).consents(student)) == 1


def test_below_16_a_parent_must_have_consented_first(mbo: Database) -> None:
    student = add_student(mbo, geboortedatum=date(2011, 6, 1))
    before = dump(mbo)
    with pytest.raises(ValidationError) as refused:
        service(mbo).finish(student, answers(handover_consent=frozenset({Receiver.GEMEENTE})))
    assert "jonger dan 16: een ouder of verzorger moet toestemming geven" in str(refused.value)
    assert dump(mbo) == before


def test_finishing_is_refused_with_the_dutch_problems_and_nothing_is_written(
    mbo: Database,
) -> None:
    student = add_student(mbo)
    exit_service = service(mbo)
    exit_service.save_concept(student, ExitInterview(held_on=date(2027, 3, 15)))
    before = dump(mbo)
    with pytest.raises(ValidationError) as refused:
        exit_service.finish(student, ExitInterview(held_on=date(2027, 3, 15)))
    problems = refused.value.problems
    assert "Kies een ‘Reden van vertrek’." in problems
    assert (
        "Vraag of de student nazorggesprekken wil, en kies het antwoord bij "
        "‘Mogen we je bellen?’." in problems
    )
    assert dump(mbo) == before
    with pytest.raises(ValidationError) as no_employer:
        exit_service.finish(student, answers(next_step_detail=""))
    assert no_employer.value.problems == [
        "Vul ‘Bij welk bedrijf?’ in, of vink ‘Werkgever nog onbekend’ aan als de student het "
        "niet weet of niet wil zeggen."
    ]
    assert dump(mbo) == before


def test_a_finished_interview_is_not_overwritten_as_a_concept(mbo: Database) -> None:
    student = add_student(mbo)
    exit_service = service(mbo)
    exit_service.finish(student, answers())
    with pytest.raises(ValidationError, match="al afgerond"):
        exit_service.save_concept(student, answers(note="x"))
    assert exit_service.reopen(student).state is InterviewState.CONCEPT


def test_the_school_edits_its_dropout_reasons(mbo: Database) -> None:
    exit_service = service(mbo)
    assert exit_service.dropout_reasons() == DEFAULT_DROPOUT_REASONS
    exit_service.save_dropout_reasons(["Gezondheid", "Werk gevonden", "Anders"])
    assert exit_service.dropout_reasons() == ("Gezondheid", "Werk gevonden", "Anders")
    with pytest.raises(ValidationError, match="maar één keer"):
        exit_service.save_dropout_reasons(["Anders", "anders"])
    exit_service.save_dropout_reasons(DEFAULT_DROPOUT_REASONS)
    assert exit_service.dropout_reasons() == DEFAULT_DROPOUT_REASONS


def test_the_summary_tells_the_student_what_happens_next(mbo: Database) -> None:
    student = add_student(mbo, n=0)
    exit_service = service(mbo)
    exit_service.finish(
        student,
        answers(
            next_step=NextStep.NOG_NIETS,
            next_step_detail="",
            handover_consent=frozenset({Receiver.DOORSTROOMPUNT}),
        ),
    )
    doc = exit_service.summary_doc(student, date(2027, 3, 15))
    assert doc.student_name == "Zoë van der Meer"
    assert (doc.opleiding, doc.crebo, doc.niveau) == ("Medewerker bakkerij", "25180", "Niveau 2")
    assert doc.reason_text == "Gestopt zonder diploma: Gezondheid"
    assert doc.handover_receivers == ("Doorstroompunt",)
    assert doc.help_wanted == ("Geld en schulden",)
    assert any("30 juni 2027" in s for s in doc.what_next)
    assert any("Doorstroompunt" in s for s in doc.what_next)
    assert doc.school.name == "ROC De Vaart"


def test_the_work_list_shows_each_students_state(mbo: Database) -> None:
    first = add_student(mbo, 1, roepnaam="Anouk")
    second = add_student(mbo, 2, roepnaam="Bram", mentor="Kees")
    third = add_student(mbo, 3, roepnaam="Chaima")
    exit_service = service(mbo)
    exit_service.start(first)
    exit_service.finish(third, answers())
    assert [(p, s) for p, _, s in exit_service.open_students()] == [
        (first, InterviewState.CONCEPT),
        (second, None),
        (third, InterviewState.AFGEROND),
    ]
    assert [p for p, _, _ in exit_service.open_students("Kees")] == [second]


# --- figures -----------------------------------------------------------------------------------


def generated(database: Database, count: int, seed: int = 7) -> list[ExitInterview]:
    rng = random.Random(seed)
    made = []
    exit_service = service(database)
    for n in range(count):
        student = add_student(database, n + 1)
        reason = rng.choice(list(LeavingReason))
        step = rng.choice(list(NextStep))
        interview = answers(
            held_on=date(2027, 3, rng.randrange(1, 15)),
            reason=reason,
            dropout_reason=rng.choice(DEFAULT_DROPOUT_REASONS)
            if reason is LeavingReason.UITVAL
            else "",
            startkwalificatie=JaNeeOnbekend.NEE,
            next_step=step,
            next_step_detail="Ergens" if step in (NextStep.WERK, NextStep.OPLEIDING) else "",
        )
        exit_service.finish(student, interview)
        made.append(interview)
    return made


def test_figures_per_opleiding_and_niveau_add_up(mbo: Database) -> None:
    made = generated(mbo, 40)
    figures = service(mbo).figures("2026-2027")
    assert figures.interviews == 40
    for table in (
        figures.by_opleiding,
        figures.next_by_opleiding,
        figures.by_niveau,
        figures.next_by_niveau,
    ):
        assert sum(sum(row.values()) for row in table.values()) == 40
    assert set(figures.by_opleiding) == {o for o, _, _ in OPLEIDINGEN}
    assert set(figures.by_niveau) == {"Niveau 2", "Entree (niveau 1)", "Niveau 3"}
    uitval = sum(
        count
        for row in figures.by_opleiding.values()
        for label, count in row.items()
        if label.startswith("Gestopt zonder diploma: ")
    )
    assert uitval == sum(1 for i in made if i.reason is LeavingReason.UITVAL)
    werk = sum(row.get("Werk", 0) for row in figures.next_by_niveau.values())
    assert werk == sum(1 for i in made if i.next_step is NextStep.WERK)
    assert service(mbo).figures("2025-2026").interviews == 0


def test_concepts_do_not_count(mbo: Database) -> None:
    student = add_student(mbo)
    service(mbo).save_concept(student, answers())
    assert service(mbo).figures("2026-2027").interviews == 0


def test_the_export_has_no_names_no_numbers_and_nothing_below_5(
    mbo: Database, tmp_path: Path
) -> None:
    generated(mbo, 30)
    target = tmp_path / "exitgesprekken.xlsx"
    service(mbo).export_figures("2026-2027", target)
    workbook = load_workbook(target)
    assert workbook.sheetnames[0] == "Uitleg"
    cells = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    texts = " ".join(str(c) for c in cells)
    assert "Zoë" not in texts and "Meer" not in texts
    assert not any(f"5{n:05d}" in texts for n in range(1, 31))
    numbers = [c for c in cells if isinstance(c, int | float)]
    assert numbers and not [n for n in numbers if 0 < n < 5]  # zeros show as 0
    assert "<5" in texts
    assert any(e.action is AuditAction.EXPORTED for e in AuditService(mbo.sessions).entries())


def test_an_empty_year_is_not_exported(mbo: Database, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="nog geen exitgesprek afgerond"):
        service(mbo).export_figures("2026-2027", tmp_path / "leeg.xlsx")
    assert not (tmp_path / "leeg.xlsx").exists()


# --- the student's rights --------------------------------------------------------------------


def test_the_inzage_shows_the_interview_and_erasure_removes_it(mbo: Database) -> None:
    student = add_student(mbo)
    service(mbo).finish(student, answers(note="Wil later misschien terugkomen."))
    rights = RightsService(mbo.sessions, clock=fixed_clock(NOW))
    inzage = rights.inzage(student)
    part = next(p for p in inzage.parts if p.heading == "Exitgesprek")
    shown = {label: value for block in part.blocks for label, value in block.fields}
    assert shown["Reden van vertrek"] == "Gestopt zonder diploma: Gezondheid"
    assert shown["Notitie"] == "Wil later misschien terugkomen."
    assert b"Wil later misschien terugkomen." in inzage_json(inzage)
    rights.erase(student, "500001")
    assert service(mbo).interview(student) is None
    assert "Wil later misschien" not in dump(mbo)


# --- interviews recorded elsewhere ---------------------------------------------------------

HEADER = (
    "Studentnummer;Datum gesprek;Datum vertrek;Reden van vertrek;Reden uitval;Startkwalificatie;"
    "Vervolg;Vervolg toelichting;Hulp gewenst;Telefoon na school;Nazorg gewenst;"
    "Toestemming Doorstroompunt;SLB'er;Status"
)


def write_csv(path: Path, *rows: str, header: str = HEADER) -> Path:
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


def valid_file(path: Path) -> Path:
    return write_csv(
        path,
        "500001;15-03-2027;31-03-2027;uitval;Gezondheid;nee;nog niets;;geld, wonen;06 11223344;"
        "ja;ja;Sanne de Wit;afgerond",
        "500002;14-03-2027;31-03-2027;Diploma behaald;;ja;werk;Bakkerij De Korrel;geen;"
        "06 99887766;nee;nee;;",
        "500003;13-03-2027;;overstap;;onbekend;;;;;;;;concept",
    )


def test_a_valid_file_is_imported_with_the_consequences_of_finishing(
    mbo: Database, tmp_path: Path
) -> None:
    students = [add_student(mbo, n) for n in (1, 2, 3)]
    outcome = service(mbo).import_file(valid_file(tmp_path / "exit.csv"))
    assert outcome.problems == ()
    assert (outcome.rows, outcome.finished, outcome.concepts, outcome.written) == (3, 2, 1, True)
    first = service(mbo).interview(students[0])
    assert first is not None and first.state is InterviewState.AFGEROND
    assert first.help_wanted == {HelpWanted.GELD, HelpWanted.WONEN}
    nazorg = NazorgService(mbo.sessions)
    file = nazorg.file(students[0])
    assert file is not None and [m.months for m in file.moments] == [3, 6, 12]
    assert [f.pupil_id for f, _ in nazorg.signals()] == [students[0]]
    assert HandoverService(mbo.sessions).consents(students[0])[0].consenter is Consenter.LEERLING
    refused = nazorg.file(students[1])
    assert refused is not None and refused.moments == ()
    assert refused.leaving.employer == "Bakkerij De Korrel"
    concept = service(mbo).interview(students[2])
    assert concept is not None and concept.state is InterviewState.CONCEPT
    assert nazorg.file(students[2]) is None


def test_a_dry_run_checks_and_writes_nothing(mbo: Database, tmp_path: Path) -> None:
    for n in (1, 2, 3):
        add_student(mbo, n)
    before = dump(mbo)
    outcome = service(mbo).import_file(valid_file(tmp_path / "exit.csv"), dry_run=True)
    assert outcome.ok and not outcome.written and outcome.finished == 2
    assert dump(mbo) == before


def test_wrong_columns_are_refused_and_nothing_is_written(mbo: Database, tmp_path: Path) -> None:
    add_student(mbo, 1)
    before = dump(mbo)
    path = write_csv(
        tmp_path / "kolommen.csv",
        "500001;15-03-2027;werk",
        header="Nummer;Datum gesprek;Lievelingskleur",
    )
    outcome = service(mbo).import_file(path)
    messages = [(p.row, p.column, p.message) for p in outcome.problems]
    assert any("geen kolom 'Studentnummer'" in m for _, _, m in messages)
    assert any(c == "Lievelingskleur" and "onbekend" in m for _, c, m in messages)
    assert not outcome.written
    assert dump(mbo) == before


def test_wrong_dates_and_unknown_students_are_refused_by_row_and_column(
    mbo: Database, tmp_path: Path
) -> None:
    add_student(mbo, 1)
    add_student(mbo, 2)
    before = dump(mbo)
    path = write_csv(
        tmp_path / "fouten.csv",
        "500001;31-02-2027;31-03-2027;uitval;Gezondheid;nee;werk;Bakker;;06 11223344;ja;nee;;",
        "599999;15-03-2027;31-03-2027;diploma;;ja;werk;Bakker;;06 11223344;ja;nee;;",
        "500002;15-03-2027;31-03-2027;gestopt;;nee;werk;Bakker;vakantie;06 11223344;misschien;nee;;",
        "500002;20-03-2028;31-03-2027;diploma;;ja;werk;Bakker;;06 11223344;ja;nee;;",
    )
    outcome = service(mbo).import_file(path)
    found = {(p.row, p.column) for p in outcome.problems}
    assert (2, "Datum gesprek") in found
    assert (3, "Studentnummer") in found
    assert (4, "Reden van vertrek") in found
    assert (4, "Hulp gewenst") in found
    assert (4, "Nazorg gewenst") in found
    assert (5, "Studentnummer") in found  # twice in the file
    messages = " ".join(p.message for p in outcome.problems)
    assert "De datum '31-02-2027' bestaat niet" in messages
    assert "Er is geen student met studentnummer 599999" in messages
    assert not outcome.written
    assert dump(mbo) == before


def test_an_incomplete_finished_row_names_the_column_to_fill_in(
    mbo: Database, tmp_path: Path
) -> None:
    add_student(mbo, 1)
    path = write_csv(
        tmp_path / "half.csv",
        "500001;15-03-2027;31-03-2027;uitval;;nee;werk;;;;;;;afgerond",
    )
    outcome = service(mbo).import_file(path)
    found = {(p.row, p.column, p.message) for p in outcome.problems}
    assert (2, "Reden uitval", "Kies bij ‘Waarom gestopt?’ de belangrijkste reden.") in found
    assert (
        2,
        "Nazorg gewenst",
        "Vraag of de student nazorggesprekken wil, en kies het antwoord bij ‘Mogen we je bellen?’.",
    ) in found


def test_a_workbook_is_read_like_the_cohort_import(mbo: Database, tmp_path: Path) -> None:
    from openpyxl import Workbook

    student = add_student(mbo, 1)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Exitgesprekken maart"])  # a title line above the header
    sheet.append(HEADER.split(";"))
    sheet.append(
        [
            "500001",
            date(2027, 3, 15),
            date(2027, 3, 31),
            "diploma",
            "",
            "ja",
            "opleiding",
            "Verzorgende IG",
            "",
            "0611223344",
            "ja",
            "nee",
            "",
            "",
        ]
    )
    path = tmp_path / "exit.xlsx"
    workbook.save(path)
    outcome = service(mbo).import_file(path)
    assert outcome.problems == () and outcome.written
    file = NazorgService(mbo.sessions).file(student)
    assert file is not None and file.leaving.opleiding == "Verzorgende IG"


# --- the mbo demo ---------------------------------------------------------------------------


def test_the_mbo_demo_has_students_with_opleidingen_and_a_handful_of_interviews(
    database: Database,
) -> None:
    from uitstroom.services.demo import insert_demo_cohort

    today = date(2027, 3, 15)
    insert_demo_cohort(database.sessions, today=today, school_type=SchoolType.MBO)
    pupils = PupilService(database.sessions).pupils()
    assert all(p.mbo_opleiding and p.mbo_crebo and p.mbo_niveau and p.mbo_leerweg for p in pupils)
    exit_service = service(database, datetime(2027, 3, 15, 12))
    states = [s for _, _, s in exit_service.open_students() if s is not None]
    assert states.count(InterviewState.AFGEROND) == 5
    assert states.count(InterviewState.CONCEPT) == 1
    figures = exit_service.figures("2026-2027")
    reasons = {label for row in figures.by_niveau.values() for label in row}
    assert {"Diploma behaald", "Overstap naar een andere opleiding"} <= reasons
    assert any(r.startswith("Gestopt zonder diploma: ") for r in reasons)
    assert len(NazorgService(database.sessions).signals()) == 1
    assert any("nazorg geweigerd" in e.detail for e in AuditService(database.sessions).entries())


def test_the_pro_demo_has_no_interviews(database: Database) -> None:
    from uitstroom.services.demo import insert_demo_cohort

    insert_demo_cohort(database.sessions, today=date(2027, 3, 15))
    assert all(s is None for _, _, s in service(database).open_students())
    assert all(not p.mbo_crebo for p in PupilService(database.sessions).pupils())


# --- the mbo's own checklist ------------------------------------------------------------------


def task_codes(database: Database, pupil_id: int) -> dict[str, date | None]:
    from uitstroom.services.planning import PlanningService

    return {t.code: t.done_on for t in PlanningService(database.sessions).tasks(pupil_id)}


def test_an_mbo_student_gets_the_mbo_checklist_and_the_interview_ticks_its_task(
    mbo: Database,
) -> None:
    student = add_student(mbo)
    codes = task_codes(mbo, student)
    assert "exitgesprek" in codes
    # The pro school's tasks are not the mbo's: no Paspoort, no uitstroomoverleg, no OPP.
    assert not {"paspoort", "uitstroomoverleg", "opp_evaluatie"} & codes.keys()
    assert codes["exitgesprek"] is None
    service(mbo).finish(student, answers(held_on=date(2027, 3, 14)))
    assert task_codes(mbo, student)["exitgesprek"] == date(2027, 3, 14)


def test_a_school_that_becomes_an_mbo_gets_the_mbo_checklist_for_its_students(
    database: Database,
) -> None:
    pupil = add_student(database)
    assert "paspoort" in task_codes(database, pupil)
    mbo_school(database)
    codes = task_codes(database, pupil)
    assert "exitgesprek" in codes
    assert "paspoort" not in codes


# --- how to reach the student after school ----------------------------------------------------


def test_the_schools_own_address_is_never_the_email_after_school(database: Database) -> None:
    """Student mail stops working on the day the student leaves: the interview does not offer
    it, and refuses it when typed in; a private address is still filled in for the mentor."""
    SchoolService(database.sessions, clock=fixed_clock(NOW)).save_settings(
        SchoolSettings(
            name="ROC De Vaart",
            school_type=SchoolType.MBO,
            email_domains="@ROC-devaart.nl, ",
        )
    )
    assert SchoolService(database.sessions).settings().email_domains == "roc-devaart.nl"
    school_mail = add_student(database, 1, email="noa.jansen@student.roc-devaart.nl")
    own_mail = add_student(database, 2, email="noa2007@example.nl")
    exits = service(database)
    assert exits.start(school_mail).email_after == ""
    assert exits.start(own_mail).email_after == "noa2007@example.nl"

    before = dump(database)
    for address in ("noa.jansen@student.roc-devaart.nl", "docent@ROC-DEVAART.NL"):
        with pytest.raises(ValidationError) as refused:
            exits.save_concept(school_mail, answers(email_after=address))
        assert refused.value.problems == [
            "Bij ‘E-mail na school’ staat een adres van school. Dat werkt niet meer als de "
            "student van school gaat. Vraag een eigen e-mailadres, of laat het leeg."
        ]
        with pytest.raises(ValidationError):
            exits.finish(school_mail, answers(email_after=address))
    assert dump(database) == before
    # A domain that only ends in the same letters is someone else's.
    exits.save_concept(school_mail, answers(email_after="noa@notroc-devaart.nl"))


def test_a_domain_that_is_not_one_is_refused_in_the_settings(database: Database) -> None:
    with pytest.raises(ValidationError, match="Maildomein van school: 'roc' is geen domein"):
        SchoolService(database.sessions).save_settings(
            SchoolSettings(name="ROC De Vaart", email_domains="roc")
        )


def test_the_summary_names_the_gemeente_with_the_right_article(mbo: Database) -> None:
    """27 or older: the gemeente helps, not the Doorstroompunt; 'de gemeente', not 'Het
    Gemeente, Werk en Inkomen'."""
    student = add_student(mbo, geboortedatum=date(1998, 2, 1))
    exits = service(mbo)
    exits.finish(
        student,
        answers(
            reason=LeavingReason.DIPLOMA,
            dropout_reason="",
            startkwalificatie=JaNeeOnbekend.JA,
            next_step=NextStep.NOG_NIETS,
            next_step_detail="",
        ),
    )
    what_next = " ".join(exits.summary_doc(student, date(2027, 3, 15)).what_next)
    assert "De gemeente (Werk en Inkomen) kan je helpen zoeken." in what_next
    assert "Het Gemeente" not in what_next

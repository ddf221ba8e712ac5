"""Checking a spreadsheet of exit interviews row by row before anything is written."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from uitstroom.domain.enums import JaNeeOnbekend
from uitstroom.domain.exit import (
    EXIT_HEADER_ALIASES,
    EXIT_MAX_LENGTH,
    EXIT_REQUIRED,
    ExitField,
    ExitInterview,
    InterviewState,
    concept_problems,
    field_of_problem,
    finish_problems,
    guess_exit_mapping,
    leaving_of,
    parse_help,
    parse_next_step,
    parse_reason,
    parse_startkwalificatie,
    parse_state,
    parse_yes_no,
)
from uitstroom.domain.handover import (
    Receiver,
)
from uitstroom.domain.importing import ImportProblem, duplicate_problems, header_name
from uitstroom.domain.nazorg import (
    leaving_problems,
)
from uitstroom.domain.schoolyear import SchoolYear
from uitstroom.domain.validation import (
    check_email,
    check_phone,
    parse_date,
)
from uitstroom.services.exit.rows import school_domains, stored_dropout_reasons
from uitstroom.storage.models import (
    PupilRow,
)

if TYPE_CHECKING:  # a spreadsheet is read on first use, never at start
    from uitstroom.services.importing import ImportTable

# --- the import's checks ------------------------------------------------------------------------


def data_rows(table: ImportTable) -> int:
    return sum(1 for row in table.rows if any(cell.strip() for cell in row))


def check_table(
    session: Session, table: ImportTable, today: date
) -> tuple[list[ImportProblem], list[tuple[int, int, ExitInterview]]]:
    headers = table.headers
    mapping = guess_exit_mapping(headers)
    problems: list[ImportProblem] = []
    for field in ExitField:
        if field in EXIT_REQUIRED and field not in mapping:
            problems.append(
                ImportProblem(
                    None,
                    None,
                    f"Er is geen kolom '{field.label}'. Voeg een kolom '{field.label}' toe "
                    "(de kopregel staat in rij 1).",
                )
            )
    known = {squash_header(alias) for f in ExitField for alias in _aliases(f)}
    for index, header in enumerate(headers):
        if header.strip() and index not in mapping.values() and squash_header(header) not in known:
            problems.append(
                ImportProblem(
                    None,
                    header_name(headers, index),
                    f"De kolom '{header.strip()}' is onbekend. Gebruik de kolommen van het "
                    f"sjabloon: {', '.join(f.label for f in ExitField)}; of verwijder deze kolom.",
                )
            )
    if problems:
        return problems, []
    column = {field: header_name(headers, index) for field, index in mapping.items()}
    domains = school_domains(session)
    numbers = [
        (table.row_number(i), _cell(row, mapping, ExitField.STUDENTNUMMER))
        for i, row in enumerate(table.rows)
    ]
    wanted = [n for _, n in numbers if n]
    pupils = {
        row.leerlingnummer: row
        for start in range(0, len(wanted), 500)
        for row in session.scalars(
            select(PupilRow).where(PupilRow.leerlingnummer.in_(wanted[start : start + 500]))
        )
    }
    reasons = {r.casefold(): r for r in stored_dropout_reasons(session)}
    problems += duplicate_problems(numbers, column[ExitField.STUDENTNUMMER])
    planned: list[tuple[int, int, ExitInterview]] = []
    for i, cells in enumerate(table.rows):
        if not any(cell.strip() for cell in cells):
            continue
        row_number = table.row_number(i)
        check = _RowCheck(row_number, {f: _cell(cells, mapping, f) for f in mapping}, column)
        values = check.values(pupils, reasons)
        if check.problems:
            problems += check.problems
            continue
        pupil = pupils[values["number"]]
        interview = ExitInterview(
            held_on=values["held_on"],
            left_on=values["left_on"],
            reason=values["reason"],
            dropout_reason=values["dropout"],
            startkwalificatie=values["startkwalificatie"],
            next_step=values["next_step"],
            next_step_detail=check.text(ExitField.NEXT_STEP_DETAIL),
            help_wanted=values["help_wanted"],
            phone_after=check.text(ExitField.PHONE_AFTER),
            email_after=check.text(ExitField.EMAIL_AFTER),
            spare_name=check.text(ExitField.SPARE_NAME),
            spare_relation=check.text(ExitField.SPARE_RELATION),
            spare_phone=check.text(ExitField.SPARE_PHONE),
            nazorg_agreed=values["nazorg_agreed"],
            handover_consent=values["consent"],
            mentor=check.text(ExitField.MENTOR) or pupil.mentor,
            note=check.text(ExitField.NOTE),
            state=values["state"],
        )
        found = concept_problems(interview, today, domains)
        if interview.state is InterviewState.AFGEROND:
            found = finish_problems(interview, today) + found
            if not found:
                found += leaving_problems(
                    leaving_of(interview), today, SchoolYear.of(today).first_day
                )
        for message in dict.fromkeys(found):
            about = field_of_problem(message) or _field_of_other(message)
            where = column.get(about) if about is not None else None
            problems.append(ImportProblem(row_number, where, message))
        if not found:
            planned.append((row_number, pupil.id, interview))
    problems.sort(key=lambda p: p.row or 0)
    return problems, planned


class _RowCheck:
    """One data row of an exit import: its cells read as values, and what is wrong with them
    by column."""

    def __init__(
        self, row: int, texts: dict[ExitField, str], column: Mapping[ExitField, str]
    ) -> None:
        self.row = row
        self.texts = texts
        self.column = column
        self.problems: list[ImportProblem] = []

    def text(self, field: ExitField) -> str:
        return self.texts.get(field, "")

    def bad(self, field: ExitField, message: str) -> None:
        self.problems.append(ImportProblem(self.row, self.column.get(field), message))

    def parsed(self, field: ExitField, parse: Callable[[str], Any], default: Any = None) -> Any:
        try:
            return parse(self.text(field))
        except ValueError as exc:
            self.bad(field, str(exc))
            return default

    def day(self, field: ExitField) -> date | None:
        return self.parsed(field, parse_date) if self.text(field) else None

    def values(self, pupils: Mapping[str, PupilRow], reasons: Mapping[str, str]) -> dict[str, Any]:
        for field, text in self.texts.items():
            limit = EXIT_MAX_LENGTH.get(field)
            if limit is not None and len(text) > limit:
                self.bad(field, f"Deze cel is te lang ({len(text)} tekens; hoogstens {limit}).")
        number = self.text(ExitField.STUDENTNUMMER)
        if not number:
            self.bad(ExitField.STUDENTNUMMER, "Deze cel is leeg. Vul het studentnummer in.")
        elif number not in pupils:
            self.bad(
                ExitField.STUDENTNUMMER,
                f"Er is geen student met studentnummer {number}. Controleer het nummer, of "
                "importeer eerst de studenten.",
            )
        values: dict[str, Any] = {"number": number}
        values["held_on"] = self.day(ExitField.HELD_ON)
        values["left_on"] = self.day(ExitField.LEFT_ON)
        if not self.text(ExitField.HELD_ON):
            self.bad(ExitField.HELD_ON, "Deze cel is leeg. Vul de datum van het gesprek in.")
        values["reason"] = self.parsed(ExitField.REASON, parse_reason)
        values["next_step"] = self.parsed(ExitField.NEXT_STEP, parse_next_step)
        values["help_wanted"] = self.parsed(ExitField.HELP_WANTED, parse_help, frozenset())
        values["startkwalificatie"] = self.parsed(
            ExitField.STARTKWALIFICATIE, parse_startkwalificatie, JaNeeOnbekend.ONBEKEND
        )
        values["nazorg_agreed"] = self.parsed(ExitField.NAZORG, parse_yes_no)
        values["state"] = self.parsed(ExitField.STATUS, parse_state, InterviewState.AFGEROND)
        values["consent"] = frozenset(
            receiver
            for field, receiver in (
                (ExitField.CONSENT_DOORSTROOMPUNT, Receiver.DOORSTROOMPUNT),
                (ExitField.CONSENT_GEMEENTE, Receiver.GEMEENTE),
            )
            if self.parsed(field, parse_yes_no)
        )
        dropout = self.text(ExitField.DROPOUT_REASON)
        if dropout and dropout.casefold() not in reasons:
            self.bad(
                ExitField.DROPOUT_REASON,
                f"'{dropout}' is geen reden van uitval van deze school. Gebruik een van "
                f"deze: {'; '.join(reasons.values())}.",
            )
        values["dropout"] = reasons.get(dropout.casefold(), dropout)
        for field in (ExitField.PHONE_AFTER, ExitField.SPARE_PHONE):
            message = check_phone(self.text(field))
            if message:
                self.bad(field, message)
        message = check_email(self.text(ExitField.EMAIL_AFTER))
        if message:
            self.bad(ExitField.EMAIL_AFTER, message)
        return values


def _field_of_other(message: str) -> ExitField | None:
    if "vertrekdatum" in message or "uitstroomdatum" in message:
        return ExitField.LEFT_ON
    if message.startswith("Vul bij"):
        return ExitField.NEXT_STEP_DETAIL
    if "datum van het gesprek" in message:
        return ExitField.HELD_ON
    return None


def _aliases(field: ExitField) -> tuple[str, ...]:
    return (field.label, *EXIT_HEADER_ALIASES[field])


def squash_header(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _cell(cells: Sequence[str], mapping: Mapping[ExitField, int], field: ExitField) -> str:
    index = mapping.get(field)
    if index is None or index >= len(cells):
        return ""
    return " ".join(cells[index].split())

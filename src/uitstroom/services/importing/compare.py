"""Checking every row and comparing the file with the database: the preview and the write plan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from uitstroom.domain.importing import (
    GUARDIAN_FIELDS,
    PUPIL_FIELDS,
    ImportField,
    ImportProblem,
    RowChecker,
    display_value,
    duplicate_problems,
    header_name,
    leerlingnummer_key,
    mapping_problems,
)
from uitstroom.domain.names import full_name, sort_name
from uitstroom.domain.schoolyear import SchoolYear
from uitstroom.services.importing.shapes import (
    CHANGED,
    NEW,
    TICK_EVERY,
    UNCHANGED,
    CheckedRow,
    FieldChange,
    ImportPreview,
    ImportTable,
    PupilChange,
    Ticker,
)
from uitstroom.services.pupils import FIELD_LABELS
from uitstroom.storage.models import (
    CohortRow,
    GuardianRow,
    PupilRow,
)

# --- comparing with the database --------------------------------------------------------


@dataclass
class _Existing:
    id: int
    version: int
    cohort_label: str
    archived: bool
    values: dict[ImportField, str]
    imported: dict[str, str]
    guardian_ids: list[int]  # guardian row ids, in list order (ouder 1 first)
    guardian_positions: list[int]


@dataclass
class Planned:
    row: int
    values: dict[ImportField, str]  # what the pupil holds after the import, mapped fields
    imported: dict[str, str]
    change: PupilChange
    existing: _Existing | None = None
    imported_changed: bool = False
    guardians_changed: set[int] = field(default_factory=set)


_DATE_FIELDS = frozenset({ImportField.GEBOORTEDATUM})
_NULLABLE_FIELDS = frozenset(
    {ImportField.UITSTROOMPROFIEL, ImportField.MBO_NIVEAU, ImportField.MBO_LEERWEG}
)


class Planner:
    """Checks the rows and compares them with the database: the preview and the write plan."""

    def __init__(
        self,
        table: ImportTable,
        mapping: dict[ImportField, int],
        cohort_label: str,
        today: date,
        tick: Ticker,
    ) -> None:
        self.table = table
        self.mapping = mapping
        self.cohort_label = cohort_label
        self.today = today
        self.tick = tick

    def run(
        self, session: Session, checked: tuple[CheckedRow, ...] | None = None
    ) -> tuple[ImportPreview, list[Planned]]:
        rows = len(self.table.rows)
        self.tick.phase(0, 2 * rows + 1)
        if checked is None:
            problems, checked = self._check()
            if problems:
                return self._preview(tuple(problems), (), (), ()), []
        records = _load_existing(session)
        existing = _by_leerlingnummer(records)
        plan: list[Planned] = []
        for done, (number, values) in enumerate(checked):
            if done % TICK_EVERY == 0:
                self.tick(rows + done)
            found = existing.get(values[ImportField.LEERLINGNUMMER])
            plan.append(self._compare(number, values, found))
        in_file = {p.existing.id for p in plan if p.existing is not None}
        missing = sorted(
            (
                sort_name(*_names(e.values)),
                f"{full_name(*_names(e.values))} ({e.values[ImportField.LEERLINGNUMMER]})",
                e.id,
            )
            for e in records
            if e.id not in in_file and e.cohort_label == self.cohort_label and not e.archived
        )
        preview = replace(
            self._preview((), tuple(p.change for p in plan), tuple(m[1] for m in missing), checked),
            missing_ids=tuple(m[2] for m in missing),
        )
        return preview, plan

    def _check(self) -> tuple[list[ImportProblem], tuple[CheckedRow, ...]]:
        """Every cell on its own, then the file as a whole; the database is not needed."""
        table, mapping = self.table, self.mapping
        problems = mapping_problems(mapping, table.headers)
        try:
            SchoolYear.parse(self.cohort_label)
        except ValueError as exc:
            problems.append(ImportProblem(None, None, f"{exc} Kies het schooljaar opnieuw."))
        usable = {f: i for f, i in mapping.items() if 0 <= i < len(table.headers)}
        checker = RowChecker(usable, table.headers, self.today)
        checked: list[CheckedRow] = []
        for index, cells in enumerate(table.rows):
            if index % TICK_EVERY == 0:
                self.tick(index)
            if not any(cells):
                continue
            number = table.row_number(index)
            values, row_problems = checker.check(number, cells)
            if any(values.values()):
                problems += row_problems
                checked.append((number, values))
        if ImportField.LEERLINGNUMMER in usable:
            problems += duplicate_problems(
                [(number, values[ImportField.LEERLINGNUMMER]) for number, values in checked],
                header_name(table.headers, mapping[ImportField.LEERLINGNUMMER]),
            )
        problems.sort(key=lambda p: p.row or 0)
        return problems, tuple(checked)

    def _preview(
        self,
        problems: tuple[ImportProblem, ...],
        changes: tuple[PupilChange, ...],
        missing: tuple[str, ...],
        checked: tuple[CheckedRow, ...],
    ) -> ImportPreview:
        return ImportPreview(
            table=self.table,
            mapping=dict(self.mapping),
            cohort_label=self.cohort_label,
            problems=problems,
            changes=changes,
            missing=missing,
            checked=checked,
            checked_on=self.today,
        )

    def _compare(
        self, number: int, values: dict[ImportField, str], found: _Existing | None
    ) -> Planned:
        leerlingnummer = values[ImportField.LEERLINGNUMMER]
        if found is None:
            return Planned(
                row=number,
                values=values,
                imported={f.value: v for f, v in values.items()},
                change=PupilChange(leerlingnummer, full_name(*_names(values)), NEW, (), ()),
            )
        result: dict[ImportField, str] = {}
        imported = dict(found.imported)
        changes_list: list[FieldChange] = []
        kept: list[FieldChange] = []
        guardians_changed: set[int] = set()
        for f, new in values.items():
            current = found.values[f]
            last = found.imported.get(f.value)
            if new == current:
                result[f] = current
                imported[f.value] = new
            elif current == last or (last is None and not current):
                result[f] = new
                imported[f.value] = new
                changes_list.append(
                    FieldChange(f, display_value(f, current), display_value(f, new))
                )
                if f in GUARDIAN_FIELDS:
                    guardians_changed.add(GUARDIAN_FIELDS[f][0])
            else:
                result[f] = current
                kept.append(FieldChange(f, display_value(f, current), display_value(f, new)))
        moved_from = found.cohort_label if found.cohort_label != self.cohort_label else ""
        kind = CHANGED if changes_list or moved_from else UNCHANGED
        names = {**found.values, **result}
        return Planned(
            row=number,
            values=result,
            imported=imported,
            existing=found,
            imported_changed=imported != found.imported,
            guardians_changed=guardians_changed,
            change=PupilChange(
                leerlingnummer,
                full_name(*_names(names)),
                kind,
                tuple(changes_list),
                tuple(kept),
                moved_from,
            ),
        )


def _names(values: Mapping[ImportField, str]) -> tuple[str, str, str]:
    return (
        values.get(ImportField.ROEPNAAM, ""),
        values.get(ImportField.TUSSENVOEGSEL, ""),
        values.get(ImportField.ACHTERNAAM, ""),
    )


def _stored_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _by_leerlingnummer(records: Sequence[_Existing]) -> dict[str, _Existing]:
    """The pupils by the leerlingnummer a file names them with. Numbers stored before imports
    cleaned them ('86001.0') match too, so no database needs rewriting. Where such a number
    already made a second pupil ('86001.0' and '86001'), the one stored exactly as the file
    says it is updated; the other stays and is listed as not in the file."""
    found: dict[str, _Existing] = {}
    for record in records:
        stored = record.values[ImportField.LEERLINGNUMMER]
        key = leerlingnummer_key(stored)
        if key not in found or stored == key:
            found[key] = record
    return found


def _load_existing(session: Session) -> list[_Existing]:
    """Every pupil with the fields an import can touch, in two queries; oldest first."""
    columns = [getattr(PupilRow, f.value) for f in PUPIL_FIELDS]
    statement = (
        select(
            PupilRow.id,
            PupilRow.version,
            PupilRow.archived,
            PupilRow.imported_values,
            CohortRow.label,
            *columns,
        )
        .join(CohortRow, PupilRow.cohort_id == CohortRow.id)
        .order_by(PupilRow.id)
    )
    by_id: dict[int, _Existing] = {}
    empty_guardians = {f: "" for f in GUARDIAN_FIELDS}
    for pupil_id, version, archived, imported, label, *fields in session.execute(statement):
        values = {f: _stored_text(v) for f, v in zip(PUPIL_FIELDS, fields, strict=True)}
        values.update(empty_guardians)
        record = _Existing(
            id=pupil_id,
            version=version,
            cohort_label=label,
            archived=archived,
            values=values,
            imported=dict(imported or {}),
            guardian_ids=[],
            guardian_positions=[],
        )
        by_id[pupil_id] = record
    guardians = select(
        GuardianRow.id,
        GuardianRow.pupil_id,
        GuardianRow.position,
        GuardianRow.name,
        GuardianRow.relation,
        GuardianRow.phone,
        GuardianRow.email,
    ).order_by(GuardianRow.pupil_id, GuardianRow.position, GuardianRow.id)
    for guardian_id, pupil_id, position, *attributes in session.execute(guardians):
        record = by_id[pupil_id]
        index = len(record.guardian_ids)
        record.guardian_ids.append(guardian_id)
        record.guardian_positions.append(position)
        if index > 1:
            continue
        texts = dict(zip(("name", "relation", "phone", "email"), attributes, strict=True))
        for f, (p, attribute) in GUARDIAN_FIELDS.items():
            if p == index:
                record.values[f] = texts[attribute] or ""
    return list(by_id.values())


# --- writing -----------------------------------------------------------------------------


def column_value(f: ImportField, value: str) -> Any:
    if f in _DATE_FIELDS:
        return date.fromisoformat(value) if value else None
    if f in _NULLABLE_FIELDS:
        return value or None
    return value


def guardian_texts(values: Mapping[ImportField, str], position: int) -> dict[str, str]:
    return {
        attribute: values[f]
        for f, (p, attribute) in GUARDIAN_FIELDS.items()
        if p == position and f in values
    }


def timeline_words(change: PupilChange) -> list[str]:
    words: list[str] = []
    for item in change.changes:
        key = "guardians" if item.field in GUARDIAN_FIELDS else item.field.value
        if FIELD_LABELS[key] not in words:
            words.append(FIELD_LABELS[key])
    if change.moved_from:
        words.append("schooljaar")
    return words

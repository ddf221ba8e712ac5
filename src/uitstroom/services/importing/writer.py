"""Writing an import in batches of Core statements."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam
from sqlalchemy.orm import Session

from uitstroom.domain.enums import JaNeeOnbekend, Route, TimelineKind
from uitstroom.domain.importing import (
    GUARDIAN_FIELDS,
    PUPIL_FIELDS,
)
from uitstroom.services.errors import ConflictError
from uitstroom.services.importing.compare import (
    Planned,
    column_value,
    guardian_texts,
    timeline_words,
)
from uitstroom.services.importing.shapes import (
    CHANGED,
    UNCHANGED,
    WRITE_BATCH,
    ImportPreview,
    Ticker,
)
from uitstroom.services.planning import plan_new_pupils
from uitstroom.services.pupils import FIELD_LABELS, ensure_cohort
from uitstroom.storage.models import (
    GuardianRow,
    PupilRow,
    RouteRow,
    TimelineEntryRow,
)


def _core(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


def _batches(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), WRITE_BATCH):
        yield items[start : start + WRITE_BATCH]


class Writer:
    """Core statements in batches: a 20,000-pupil file is written in seconds, not minutes."""

    def __init__(
        self,
        session: Session,
        plan: list[Planned],
        preview: ImportPreview,
        author: str,
        now: datetime,
        tick: Ticker,
    ) -> None:
        self.session = session
        self.plan = plan
        self.preview = preview
        self.author = author
        self.now = now
        self.tick = tick
        self.done = 0
        self.mapped_pupil_fields = [f for f in PUPIL_FIELDS if f in preview.mapping]

    def run(self) -> int:
        rows = len(self.preview.table.rows)
        self.tick.phase(rows * 2, rows * 2 + len(self.plan) + 1)
        cohort_id = ensure_cohort(self.session, self.preview.cohort_label).id
        new = [p for p in self.plan if p.existing is None]
        changed = [p for p in self.plan if p.existing is not None and p.change.kind == CHANGED]
        quiet = [
            p
            for p in self.plan
            if p.existing is not None and p.change.kind == UNCHANGED and p.imported_changed
        ]
        self._insert_new(new, cohort_id)
        self._update_changed(changed, cohort_id)
        self._store_imported_values(quiet)
        return len(new) + len(changed)

    def _advance(self, count: int) -> None:
        self.done += count
        self.tick(self.done)

    def _timeline(self, pupil_id: int, text: str) -> dict[str, Any]:
        return {
            "pupil_id": pupil_id,
            "at": self.now,
            "author": self.author,
            "kind": TimelineKind.GEBEURTENIS.value,
            "text": text,
        }

    def _insert_new(self, new: list[Planned], cohort_id: int) -> None:
        pupils = _core(PupilRow)
        source = self.preview.table.source.name
        for batch in _batches(new):
            rows = []
            for planned in batch:
                row: dict[str, Any] = {
                    f.value: column_value(f, planned.values.get(f, "")) for f in PUPIL_FIELDS
                }
                row.update(
                    cohort_id=cohort_id,
                    startkwalificatie=JaNeeOnbekend.ONBEKEND,
                    ondersteuningsbehoefte="",
                    archived=False,
                    imported_values=planned.imported,
                    created_at=self.now,
                    updated_at=self.now,
                    version=1,
                )
                rows.append(row)
            ids = (
                self.session.execute(
                    pupils.insert().returning(pupils.c.id, sort_by_parameter_order=True), rows
                )
                .scalars()
                .all()
            )
            self.session.execute(_core(RouteRow).insert(), [{"pupil_id": i} for i in ids])
            plan_new_pupils(
                self.session,
                [(i, Route.ONBEKEND) for i in ids],
                self.preview.cohort_label,
                self.now.date(),
            )
            guardians = [
                {"pupil_id": pupil_id, "position": position, **_full_guardian(texts)}
                for pupil_id, planned in zip(ids, batch, strict=True)
                for position in (0, 1)
                if any((texts := guardian_texts(planned.values, position)).values())
            ]
            if guardians:
                self.session.execute(_core(GuardianRow).insert(), guardians)
            self.session.execute(
                _core(TimelineEntryRow).insert(),
                [self._timeline(i, f"Toegevoegd via import van {source}.") for i in ids],
            )
            self._advance(len(batch))

    def _update_changed(self, changed: list[Planned], cohort_id: int) -> None:
        pupils = _core(PupilRow)
        c = pupils.c
        statement = (
            pupils.update()
            .where(c.id == bindparam("p_id"), c.version == bindparam("p_version"))
            .values(
                version=c.version + 1,
                cohort_id=bindparam("p_cohort_id", type_=c.cohort_id.type),
                updated_at=bindparam("p_updated_at", type_=c.updated_at.type),
                imported_values=bindparam("p_imported", type_=c.imported_values.type),
                **{
                    f.value: bindparam(f"p_{f.value}", type_=c[f.value].type)
                    for f in self.mapped_pupil_fields
                },
            )
        )
        for batch in _batches(changed):
            params = []
            timeline = []
            for planned in batch:
                assert planned.existing is not None
                params.append(
                    {
                        "p_id": planned.existing.id,
                        "p_version": planned.existing.version,
                        "p_cohort_id": cohort_id,
                        "p_updated_at": self.now,
                        "p_imported": planned.imported,
                        **{
                            f"p_{f.value}": column_value(f, planned.values[f])
                            for f in self.mapped_pupil_fields
                        },
                    }
                )
                text = f"Bijgewerkt via import: {', '.join(timeline_words(planned.change))}."
                if planned.change.kept:
                    kept = dict.fromkeys(
                        FIELD_LABELS["guardians" if k.field in GUARDIAN_FIELDS else k.field.value]
                        for k in planned.change.kept
                    )
                    text += f" Met de hand gewijzigd en bewaard: {', '.join(kept)}."
                timeline.append(self._timeline(planned.existing.id, text))
            result = self.session.connection().execute(statement, params)
            if result.rowcount != len(params):
                raise ConflictError(
                    "Een leerling is tijdens de import ergens anders gewijzigd. Er is niets "
                    "geïmporteerd. Probeer het opnieuw."
                )
            self._write_guardians(batch)
            self.session.execute(_core(TimelineEntryRow).insert(), timeline)
            self._advance(len(batch))

    def _write_guardians(self, batch: Sequence[Planned]) -> None:
        table = _core(GuardianRow)
        updates: list[dict[str, Any]] = []
        inserts: list[dict[str, Any]] = []
        deletes: list[dict[str, Any]] = []
        for planned in batch:
            existing = planned.existing
            assert existing is not None
            for position in sorted(planned.guardians_changed):
                current = {
                    attribute: existing.values[f]
                    for f, (p, attribute) in GUARDIAN_FIELDS.items()
                    if p == position
                }
                texts = _full_guardian({**current, **guardian_texts(planned.values, position)})
                if position < len(existing.guardian_ids):
                    guardian_id = existing.guardian_ids[position]
                    if any(texts.values()):
                        updates.append(
                            {"g_id": guardian_id, **{f"g_{k}": v for k, v in texts.items()}}
                        )
                    else:
                        deletes.append({"g_id": guardian_id})
                elif any(texts.values()):
                    after = (
                        existing.guardian_positions[-1] + 1 if existing.guardian_positions else 0
                    )
                    inserts.append(
                        {"pupil_id": existing.id, "position": max(position, after), **texts}
                    )
        c = table.c
        if updates:
            self.session.connection().execute(
                table.update()
                .where(c.id == bindparam("g_id"))
                .values(
                    name=bindparam("g_name"),
                    relation=bindparam("g_relation"),
                    phone=bindparam("g_phone"),
                    email=bindparam("g_email"),
                ),
                updates,
            )
        if deletes:
            self.session.connection().execute(
                table.delete().where(c.id == bindparam("g_id")), deletes
            )
        if inserts:
            self.session.execute(table.insert(), inserts)

    def _store_imported_values(self, quiet: list[Planned]) -> None:
        """Pupils the import leaves as they are still learn what the file said, without a new
        version: a coordinator who has one of them open can save without a conflict."""
        pupils = _core(PupilRow)
        statement = (
            pupils.update()
            .where(pupils.c.id == bindparam("p_id"))
            .values(imported_values=bindparam("p_imported", type_=pupils.c.imported_values.type))
        )
        for batch in _batches(quiet):
            params = [
                {"p_id": p.existing.id, "p_imported": p.imported}
                for p in batch
                if p.existing is not None
            ]
            self.session.connection().execute(statement, params)
            self._advance(len(batch))


def _full_guardian(texts: Mapping[str, str]) -> dict[str, str]:
    return {
        attribute: texts.get(attribute, "") for attribute in ("name", "relation", "phone", "email")
    }

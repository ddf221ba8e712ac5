"""Retention: the school's periods, the monthly purge with its preview, and the anonymous
figures that outlive the pupils they counted.

A purge is one transaction after a verified backup: the expired data goes, the figures of
removed pupils are added to the anonymous counts, every affected pupil gets a line in the
audit trail (internal number and counts only) and `last_purge_on` is set. The backup still
holds the data until the backup rotation replaces it, about five weeks later.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from uitstroom.domain.actor import LAPTOP_COORDINATOR, Actor
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.durability import BackupReason
from uitstroom.domain.enums import SchoolType, TimelineKind
from uitstroom.domain.names import full_name
from uitstroom.domain.plural import counted
from uitstroom.domain.retention import (
    MAX_MONTHS,
    Expired,
    HeldData,
    RetentionCategory,
    expired,
    kept_until,
    nazorg_end,
    purge_due,
    rules_with_defaults,
)
from uitstroom.services.access import require_coordinator
from uitstroom.services.audit import PUPIL_GONE, append
from uitstroom.services.backups import backup_before
from uitstroom.services.base import Clock, Service
from uitstroom.services.convert import enum_or_none
from uitstroom.services.database import Database
from uitstroom.services.errors import ConflictError, ValidationError
from uitstroom.storage.models import (
    AggregateFigureRow,
    CohortRow,
    PupilRow,
    RetentionRuleRow,
    RouteRow,
    SchoolSettingsRow,
    TimelineEntryRow,
)

PURGE_REASON = BackupReason.VOOR_OPSCHONEN
# What the anonymous figures count per cohort. Values are codes (route, profiel), never text
# typed about a pupil.
FIGURE_DIMENSIONS = ("route", "uitstroomprofiel", "startkwalificatie")

BackupFn = Callable[[], Path]


def purge_backup(db: Database) -> BackupFn | None:
    """The verified backup made before a purge (then the usual rotation); None for a server
    database, which its own administrator backs up."""
    if db.path is None or db.key is None:
        return None
    return lambda: backup_before(db, PURGE_REASON)


@dataclass(frozen=True)
class PurgeItem:
    """One line of the preview: who, what, expired since when. For the screen only."""

    pupil_id: int
    leerlingnummer: str
    name: str
    cohort_label: str
    category: RetentionCategory
    since: date
    note_count: int = 0

    @property
    def what(self) -> str:
        if self.category is RetentionCategory.BEGELEIDINGSNOTITIES:
            noun = "notitie" if self.note_count == 1 else "notities"
            return f"{self.note_count} {noun} op de tijdlijn"
        if self.category is RetentionCategory.ONDERSTEUNINGSBEHOEFTE:
            return "Ondersteuningsbehoefte"
        return "Alle gegevens: de leerling wordt verwijderd"

    @property
    def key(self) -> tuple[int, RetentionCategory, date]:
        return (self.pupil_id, self.category, self.since)


@dataclass(frozen=True)
class PurgePreview:
    today: date
    items: tuple[PurgeItem, ...]

    def count(self, category: RetentionCategory) -> int:
        return sum(1 for item in self.items if item.category is category)

    @property
    def summary(self) -> str:
        if not self.items:
            return "Er zijn geen gegevens waarvan de bewaartermijn is verlopen."
        parts = []
        removed = self.count(RetentionCategory.LEERLINGGEGEVENS)
        notes = self.count(RetentionCategory.BEGELEIDINGSNOTITIES)
        support = self.count(RetentionCategory.ONDERSTEUNINGSBEHOEFTE)
        if removed:
            parts.append(f"{removed} {'leerling' if removed == 1 else 'leerlingen'} verwijderen")
        if notes:
            parts.append(f"bij {notes} de notities wissen")
        if support:
            parts.append(f"bij {support} de ondersteuningsbehoefte wissen")
        return "Opschonen: " + ", ".join(parts) + "."


@dataclass(frozen=True)
class PurgeResult:
    preview: PurgePreview
    backup: Path | None

    @property
    def summary(self) -> str:
        if not self.preview.items:
            return self.preview.summary
        done = self.preview.summary.replace("Opschonen: ", "Opgeschoond: ", 1)
        done = done.replace(" verwijderen", " verwijderd").replace(" wissen", " gewist")
        return done


class RetentionService(Service):
    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Clock = datetime.now,
        actor: Actor = LAPTOP_COORDINATOR,
        backup: BackupFn | None = None,
    ) -> None:
        # Periods and the purge are the coordinator's (domain.actor).
        super().__init__(sessions, clock, actor)
        self._backup = backup

    # --- the periods ---------------------------------------------------------------------
    def rules(self) -> dict[RetentionCategory, int]:
        with self._sessions() as session:
            return _rules(session)

    def save_rules(self, rules: Mapping[RetentionCategory, int]) -> dict[RetentionCategory, int]:
        problems = [
            f"{category.label}: kies 0 tot {MAX_MONTHS} maanden."
            for category, months in rules.items()
            if not 0 <= months <= MAX_MONTHS
        ]
        if problems:
            raise ValidationError(problems)
        require_coordinator(self._actor)
        actor = self._author()
        with self._sessions.begin() as session:
            old = _rules(session)
            new = rules_with_defaults({**old, **rules})
            if new == old:
                return new
            for category, months in new.items():
                row = session.get(RetentionRuleRow, category.value)
                if row is None:
                    session.add(RetentionRuleRow(category=category.value, months=months))
                else:
                    row.months = months
            changed = ", ".join(
                f"{c.value} {old[c]} -> {counted(new[c], 'maand', 'maanden')}"
                for c in new
                if new[c] != old[c]
            )
            append(session, actor, AuditAction.SETTINGS, detail=f"bewaartermijnen: {changed}")
        return new

    # --- the purge -----------------------------------------------------------------------
    def last_purge_on(self) -> date | None:
        with self._sessions() as session:
            return session.scalar(select(SchoolSettingsRow.last_purge_on))

    def is_due(self, today: date) -> bool:
        return purge_due(self.last_purge_on(), today)

    def check_date(self, today: date) -> None:
        """A purge looks at today or the past, never ahead: a date in the future would wipe
        data the school may still keep (a typo in a script must not do that)."""
        if today > self._clock().date():
            raise ValidationError(
                [
                    f"Opschonen kan niet op een datum in de toekomst ({today:%d-%m-%Y}): dan "
                    "zou Uitstroom gegevens wissen die de school nog mag bewaren. Bekijk met "
                    "--preview wat er op die datum verlopen is."
                ]
            )

    def preview(self, today: date) -> PurgePreview:
        """What has expired, with names: the coordinator's, like the purge itself."""
        require_coordinator(self._actor)
        with self._sessions() as session:
            return _preview(session, today)

    def purge(self, today: date, expected: PurgePreview | None = None) -> PurgeResult:
        """Remove what has expired on `today`, after a backup. With `expected` (the preview
        the coordinator confirmed), nothing happens unless the same items are still due."""
        require_coordinator(self._actor)
        actor = self._author()
        self.check_date(today)
        if expected is not None and not expected.items:
            return PurgeResult(expected, None)
        current = self.preview(today)
        if expected is not None and _keys(current) != _keys(expected):
            raise ConflictError(_CHANGED)
        if not current.items:
            return PurgeResult(current, None)
        backup = self._backup() if self._backup is not None else None
        now = self._clock()
        with self._sessions.begin() as session:
            fresh = _preview(session, today)
            if _keys(fresh) != _keys(current):
                raise ConflictError(_CHANGED)
            _remove(session, fresh, actor, now)
            detail = _summary_detail(fresh)
            if backup is not None:
                detail += f"; back-up vooraf: {backup.name}"
            append(session, actor, AuditAction.PURGED, detail=detail, now=now)
            settings = session.get(SchoolSettingsRow, 1)
            if settings is None:
                settings = SchoolSettingsRow(id=1)
                session.add(settings)
            settings.last_purge_on = today
        return PurgeResult(fresh, backup)


_CHANGED = (
    "Terwijl het overzicht openstond, zijn er gegevens veranderd. Er is niets opgeschoond. "
    "Bekijk het overzicht opnieuw."
)


def _keys(preview: PurgePreview) -> set[tuple[int, RetentionCategory, date]]:
    return {item.key for item in preview.items}


def _rules(session: Session) -> dict[RetentionCategory, int]:
    stored = {
        category: row.months
        for row in session.scalars(select(RetentionRuleRow))
        if (category := enum_or_none(RetentionCategory, row.category)) is not None
    }
    return rules_with_defaults(stored)


def nazorg_end_of(session: Session, cohort_label: str) -> date | None:
    """When nazorg ends for a pupil of this cohort at this school (see domain.retention)."""
    return nazorg_end(cohort_label, _school_type(session))


def retention_dates(session: Session, cohort_label: str) -> dict[RetentionCategory, date | None]:
    """The last day each category of a pupil of this cohort is kept (None: cannot be dated).
    Nothing outlives the whole record."""
    end = nazorg_end_of(session, cohort_label)
    if end is None:
        return dict.fromkeys(RetentionCategory)
    rules = _rules(session)
    whole = kept_until(end, rules[RetentionCategory.LEERLINGGEGEVENS])
    return {c: min(kept_until(end, rules[c]), whole) for c in RetentionCategory}


def _school_type(session: Session) -> SchoolType:
    return session.scalar(select(SchoolSettingsRow.school_type)) or SchoolType.PRO


def _cohorts_with_something_due(session: Session, today: date) -> list[str]:
    """Only cohorts whose earliest retention date has come can hold expired data. Checked per
    cohort first, so the start-up check costs nothing in the years nothing can expire."""
    labels = session.scalars(select(CohortRow.label)).all()
    return [
        label
        for label in labels
        if any(day is not None and day <= today for day in retention_dates(session, label).values())
    ]


def _preview(session: Session, today: date) -> PurgePreview:
    candidates = _cohorts_with_something_due(session, today)
    if not candidates:
        return PurgePreview(today, ())
    notes = (
        select(TimelineEntryRow.pupil_id, func.count().label("notes"))
        .where(TimelineEntryRow.kind == TimelineKind.NOTITIE.value)
        .group_by(TimelineEntryRow.pupil_id)
        .subquery()
    )
    rows = session.execute(
        select(
            PupilRow.id,
            PupilRow.leerlingnummer,
            PupilRow.roepnaam,
            PupilRow.tussenvoegsel,
            PupilRow.achternaam,
            CohortRow.label,
            PupilRow.ondersteuningsbehoefte != "",
            func.coalesce(notes.c.notes, 0),
        )
        .join(CohortRow, PupilRow.cohort_id == CohortRow.id)
        .outerjoin(notes, notes.c.pupil_id == PupilRow.id)
        .where(CohortRow.label.in_(candidates))
    ).all()
    by_id = {row[0]: row for row in rows}
    held = [HeldData(row[0], row[5], int(row[7]), bool(row[6])) for row in rows]
    due: list[Expired] = expired(held, _rules(session), _school_type(session), today)
    items = []
    for item in due:
        pupil_id, number, roepnaam, tussenvoegsel, achternaam, cohort, _support, note_count = by_id[
            item.pupil_id
        ]
        items.append(
            PurgeItem(
                pupil_id=pupil_id,
                leerlingnummer=number,
                name=full_name(roepnaam, tussenvoegsel, achternaam),
                cohort_label=cohort,
                category=item.category,
                since=item.since,
                note_count=int(note_count),
            )
        )
    items.sort(key=lambda i: (i.since, i.cohort_label, i.name.casefold(), i.category.value))
    return PurgePreview(today, tuple(items))


def _remove(session: Session, preview: PurgePreview, actor: str, now: datetime) -> None:
    by_category: dict[RetentionCategory, list[PurgeItem]] = {c: [] for c in RetentionCategory}
    for item in preview.items:
        by_category[item.category].append(item)

    gone = [item.pupil_id for item in by_category[RetentionCategory.LEERLINGGEGEVENS]]
    if gone:
        keep_figures(session, gone)
        remove_pupils(session, gone)
        for pupil_id in gone:
            append(
                session,
                actor,
                AuditAction.PURGED,
                pupil_id,
                f"bewaartermijn verlopen: {PUPIL_GONE}",
                now,
            )

    notes = by_category[RetentionCategory.BEGELEIDINGSNOTITIES]
    if notes:
        session.execute(
            delete(TimelineEntryRow).where(
                TimelineEntryRow.pupil_id.in_([i.pupil_id for i in notes]),
                TimelineEntryRow.kind == TimelineKind.NOTITIE.value,
            )
        )
        for item in notes:
            noun = "notitie" if item.note_count == 1 else "notities"
            _event(session, item.pupil_id, actor, now, f"{item.note_count} {noun} verwijderd")
            append(
                session,
                actor,
                AuditAction.PURGED,
                item.pupil_id,
                f"bewaartermijn verlopen: {item.note_count} {noun} verwijderd",
                now,
            )

    support = by_category[RetentionCategory.ONDERSTEUNINGSBEHOEFTE]
    if support:
        # The version moves on: a detail view still showing the old text cannot save it back.
        session.execute(
            update(PupilRow)
            .where(PupilRow.id.in_([i.pupil_id for i in support]))
            .values(ondersteuningsbehoefte="", version=PupilRow.version + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        for item in support:
            _event(session, item.pupil_id, actor, now, "ondersteuningsbehoefte gewist")
            append(
                session,
                actor,
                AuditAction.PURGED,
                item.pupil_id,
                "bewaartermijn verlopen: ondersteuningsbehoefte gewist",
                now,
            )


def _event(session: Session, pupil_id: int, actor: str, now: datetime, what: str) -> None:
    session.add(
        TimelineEntryRow(
            pupil_id=pupil_id,
            at=now,
            author=actor,
            kind=TimelineKind.GEBEURTENIS,
            text=f"Bewaartermijn verlopen: {what}.",
        )
    )


def _summary_detail(preview: PurgePreview) -> str:
    removed = preview.count(RetentionCategory.LEERLINGGEGEVENS)
    notes = preview.count(RetentionCategory.BEGELEIDINGSNOTITIES)
    support = preview.count(RetentionCategory.ONDERSTEUNINGSBEHOEFTE)
    return (
        f"opschoning op {preview.today.isoformat()}: {counted(removed, 'leerling', 'leerlingen')} verwijderd, "
        f"notities gewist bij {notes}, ondersteuningsbehoefte gewist bij {support}"
    )


# --- removing pupils and keeping their figures -------------------------------------------------


def remove_pupils(session: Session, pupil_ids: Iterable[int]) -> None:
    """Delete pupils; guardians, route, route changes, stages and timeline go with them (the
    foreign keys cascade). The audit trail keeps its lines: they hold only the number."""
    ids = list(pupil_ids)
    session.execute(
        delete(PupilRow).where(PupilRow.id.in_(ids)).execution_options(synchronize_session=False)
    )
    session.expire_all()


def keep_figures(session: Session, pupil_ids: Iterable[int]) -> None:
    """Add the pupils about to be removed to the anonymous counts of their cohort."""
    counts = _live_counts(session, list(pupil_ids))
    for (cohort, dimension, value), count in counts.items():
        row = session.scalar(
            select(AggregateFigureRow).where(
                AggregateFigureRow.cohort_label == cohort,
                AggregateFigureRow.dimension == dimension,
                AggregateFigureRow.value == value,
            )
        )
        if row is None:
            session.add(
                AggregateFigureRow(
                    cohort_label=cohort, dimension=dimension, value=value, count=count
                )
            )
        else:
            row.count += count
    session.flush()


Figures = dict[str, dict[str, dict[str, int]]]


def cohort_figures(sessions: sessionmaker[Session]) -> Figures:
    """Per cohort, per dimension, per value: how many pupils, those still present and those
    purged or erased together. The figures a report shows survive every purge."""
    with sessions() as session:
        counts = _live_counts(session, None)
        for row in session.scalars(select(AggregateFigureRow)):
            counts[(row.cohort_label, row.dimension, row.value)] += row.count
    figures: Figures = {}
    for (cohort, dimension, value), count in sorted(counts.items()):
        figures.setdefault(cohort, {}).setdefault(dimension, {})[value] = count
    return figures


def _live_counts(session: Session, pupil_ids: list[int] | None) -> Counter[tuple[str, str, str]]:
    """(cohort, dimension, value) -> pupils; all pupils when `pupil_ids` is None."""
    statement = (
        select(
            CohortRow.label,
            func.coalesce(RouteRow.route, "onbekend"),
            func.coalesce(PupilRow.uitstroomprofiel, "onbekend"),
            PupilRow.startkwalificatie,
        )
        .join(CohortRow, PupilRow.cohort_id == CohortRow.id)
        .outerjoin(RouteRow, RouteRow.pupil_id == PupilRow.id)
    )
    if pupil_ids is not None:
        statement = statement.where(PupilRow.id.in_(pupil_ids))
    counts: Counter[tuple[str, str, str]] = Counter()
    for cohort, *values in session.execute(statement):
        for dimension, value in zip(FIGURE_DIMENSIONS, values, strict=True):
            counts[(cohort, dimension, value or "onbekend")] += 1
    return counts

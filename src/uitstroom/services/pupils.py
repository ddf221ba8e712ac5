"""The cohort and the pupils in it: list, open, create, edit, stages, notes."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from uitstroom.domain.actor import same_name
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.enums import Route, TimelineKind
from uitstroom.domain.model import (
    MAX_AUTO_LOCK_MINUTES,
    Cohort,
    Pupil,
    PupilRecord,
    PupilSummary,
    SchoolSettings,
    Stage,
)
from uitstroom.domain.validation import (
    check_email_domains,
    email_domains,
    pupil_problems,
    stage_problems,
)
from uitstroom.services.access import (
    require_coordinator,
    require_pupil,
    visible_ids,
)
from uitstroom.services.audit import append, append_view, field_list, record
from uitstroom.services.base import Service, conflict_on_stale
from uitstroom.services.convert import (
    apply_pupil,
    apply_route,
    apply_stage,
    pupil_from_row,
    record_from_row,
    settings_from_row,
)
from uitstroom.services.errors import (
    GONE,
    ConflictError,
    NotAllowed,
    NotFoundError,
    ValidationError,
    conflict_message,
)
from uitstroom.services.identity import author_name
from uitstroom.services.planning import (
    on_route_saved,
    plan_new_pupils,
    replan_for_school_type,
    tick_registration,
)
from uitstroom.services.speed import collector_paused
from uitstroom.storage import queries
from uitstroom.storage.models import (
    CohortRow,
    PupilRow,
    RouteChangeRow,
    RouteRow,
    SchoolSettingsRow,
    StageRow,
    TimelineEntryRow,
)

# Labels for the timeline ("Gegevens gewijzigd: klas, mentor"): which fields, never their values.
STAGE = "deze stage"

FIELD_LABELS = {
    "leerlingnummer": "leerlingnummer",
    "roepnaam": "roepnaam",
    "tussenvoegsel": "tussenvoegsel",
    "achternaam": "achternaam",
    "geboortedatum": "geboortedatum",
    "klas": "klas",
    "mentor": "mentor",
    "woongemeente": "woongemeente",
    "telefoon": "telefoon",
    "email": "e-mail",
    "guardians": "ouders/verzorgers",
    "uitstroomprofiel": "uitstroomprofiel",
    "mbo_opleiding": "opleiding",
    "mbo_crebo": "crebo",
    "mbo_niveau": "niveau",
    "mbo_leerweg": "leerweg",
    "startkwalificatie": "startkwalificatie",
    "ondersteuningsbehoefte": "ondersteuningsbehoefte",
    "archived": "archief",
    "route": "route",
}


def changed_fields(old: Pupil, new: Pupil) -> list[str]:
    return [name for name in FIELD_LABELS if getattr(old, name) != getattr(new, name)]


# For the audit trail: which settings changed, never their values.
SETTINGS_LABELS = {
    "name": "naam school",
    "school_type": "soort school",
    "brin": "brin",
    "coordinator_name": "naam coördinator",
    "coordinator_phone": "telefoon coördinator",
    "coordinator_email": "e-mail coördinator",
    "logo_png": "logo",
    "auto_lock_minutes": "automatisch vergrendelen",
    "address": "adres",
    "phone": "telefoon school",
    "email": "e-mail school",
    "website": "website",
    "email_domains": "maildomein van school",
}


class SchoolService(Service):
    def settings(self) -> SchoolSettings:
        with self._sessions() as session:
            return settings_from_row(session.get(SchoolSettingsRow, 1))

    def save_settings(self, settings: SchoolSettings) -> SchoolSettings:
        if not settings.name.strip():
            raise ValidationError(["Vul de naam van de school in."])
        if not 0 <= settings.auto_lock_minutes <= MAX_AUTO_LOCK_MINUTES:
            raise ValidationError(
                [
                    "Kies voor automatisch vergrendelen 0 (nooit) of 1 tot "
                    f"{MAX_AUTO_LOCK_MINUTES} minuten."
                ]
            )
        domains_problem = check_email_domains(settings.email_domains)
        if domains_problem:
            raise ValidationError([f"Maildomein van school: {domains_problem}"])
        require_coordinator(self._actor)
        with self._sessions.begin() as session:
            row = session.get(SchoolSettingsRow, 1) or SchoolSettingsRow(id=1)
            old = settings_from_row(row if row.name is not None else None)
            row.name = settings.name.strip()
            row.school_type = settings.school_type
            row.brin = settings.brin.strip().upper()
            row.coordinator_name = settings.coordinator_name.strip()
            row.coordinator_phone = settings.coordinator_phone.strip()
            row.coordinator_email = settings.coordinator_email.strip()
            row.logo_png = settings.logo_png
            row.auto_lock_minutes = settings.auto_lock_minutes
            row.address = settings.address.strip()
            row.phone = settings.phone.strip()
            row.email = settings.email.strip()
            row.website = settings.website.strip()
            row.email_domains = ", ".join(email_domains(settings.email_domains))
            session.add(row)
            new = settings_from_row(row)
            changed = [
                label
                for name, label in SETTINGS_LABELS.items()
                if getattr(old, name) != getattr(new, name)
            ]
            if changed:
                append(
                    session,
                    self._actor.name or author_name(new),
                    AuditAction.SETTINGS,
                    detail=field_list(changed),
                )
            replan_for_school_type(session, old.school_type, new.school_type, self._clock().date())
        return self.settings()


def ensure_cohort(session: Session, label: str) -> CohortRow:
    row = session.scalar(select(CohortRow).where(CohortRow.label == label))
    if row is None:
        row = CohortRow(label=label)
        session.add(row)
        session.flush()
    return row


class PupilService(Service):
    """`actor`: who is working (domain.actor); None is the laptop's coordinator. A mentor
    reaches their own pupils only, a read-only user changes nothing and sees no support needs
    or notes."""

    # --- reading -------------------------------------------------------------------------
    def cohorts(self) -> list[Cohort]:
        with self._sessions() as session:
            rows = session.scalars(select(CohortRow).order_by(CohortRow.label)).all()
            return [Cohort(r.id, r.label) for r in rows]

    def summaries(self, first: int | None = None) -> list[PupilSummary]:
        """Every pupil's row for the cohort table; with `first`, the first so many by name (of
        those in the database: a mentor's own may be fewer). Positional arguments from the row
        tuples and enums by dictionary: keyword arguments, attributes by name and Enum() per
        row took half a second for 50,000 students (the columns' StoredEnum reads by
        dictionary)."""
        actor = self._actor
        with collector_paused(), self._sessions() as session:
            return [
                PupilSummary(
                    pupil_id,
                    leerlingnummer,
                    roepnaam,
                    tussenvoegsel,
                    achternaam,
                    klas,
                    mentor,
                    profiel,
                    opleiding,
                    route or Route.ONBEKEND,
                    archived,
                    cohort_label,
                    geboortedatum,
                    crebo or "",
                    niveau,
                    leerweg,
                )
                for (
                    pupil_id,
                    leerlingnummer,
                    roepnaam,
                    tussenvoegsel,
                    achternaam,
                    klas,
                    mentor,
                    profiel,
                    opleiding,
                    route,
                    archived,
                    cohort_label,
                    geboortedatum,
                    crebo,
                    niveau,
                    leerweg,
                ) in queries.pupil_summary_rows(session, first)
                if actor.sees_pupil(mentor)
            ]

    def pupils(self) -> list[Pupil]:
        """Every pupil with route and guardians, in a handful of queries (for exports)."""
        with self._sessions() as session:
            rows = session.scalars(
                select(PupilRow)
                .order_by(PupilRow.achternaam, PupilRow.roepnaam, PupilRow.id)
                .options(
                    selectinload(PupilRow.guardians),
                    selectinload(PupilRow.route),
                    selectinload(PupilRow.cohort),
                )
            ).all()
            return [
                self._shown_pupil(pupil_from_row(row))
                for row in rows
                if self._actor.sees_pupil(row.mentor)
            ]

    def mentors_and_klassen(self) -> list[tuple[str, str]]:
        """The (mentor, klas) pairs of the pupils this user sees, each once: the filters'
        choices, and whether there is any pupil, without reading the whole cohort."""
        with self._sessions() as session:
            rows = queries.mentors_and_klassen(session)
        return [(mentor, klas) for mentor, klas in rows if self._actor.sees_pupil(mentor)]

    def count(self) -> int:
        with self._sessions() as session:
            return queries.pupil_count(session)

    def record(self, pupil_id: int) -> PupilRecord:
        with self._sessions() as session:
            require_pupil(session, self._actor, pupil_id, write=False)
            return self._shown(record_from_row(self._load(session, pupil_id)))

    def open(self, pupil_id: int) -> PupilRecord:
        """The record for the detail view, which shows the support needs and the notes: that
        view is logged in the audit trail, in the same transaction as the read."""
        with self._sessions.begin() as session:
            require_pupil(session, self._actor, pupil_id, write=False)
            record = self._shown(record_from_row(self._load(session, pupil_id)))
            if self._actor.sees_support_needs:
                append_view(session, self._author(session), pupil_id, self._clock())
        return record

    def find_by_leerlingnummer(self, leerlingnummer: str) -> PupilRecord | None:
        with self._sessions() as session:
            row_id = session.scalar(
                select(PupilRow.id).where(PupilRow.leerlingnummer == leerlingnummer.strip())
            )
            if row_id is None or not visible_ids(session, self._actor, [row_id]):
                return None
            return self._shown(record_from_row(self._load(session, row_id)))

    # --- writing -------------------------------------------------------------------------
    def create(self, pupil: Pupil, cohort_label: str) -> PupilRecord:
        require_coordinator(self._actor)
        author = self._author()
        now = self._clock()
        self._check(pupil, now)
        try:
            with self._sessions.begin() as session:
                row = PupilRow(
                    cohort=ensure_cohort(session, cohort_label),
                    created_at=now,
                    updated_at=now,
                    updated_by=author,
                    imported_values={},
                )
                apply_pupil(row, pupil)
                row.route = RouteRow(updated_at=now, updated_by=author)
                apply_route(row.route, pupil.route)
                row.timeline.append(
                    TimelineEntryRow(
                        at=now,
                        author=author,
                        kind=TimelineKind.GEBEURTENIS,
                        text="Leerling toegevoegd.",
                    )
                )
                session.add(row)
                session.flush()
                new_id = row.id
                # Planned from today: what has passed already gets two weeks, 1 April stays.
                plan_new_pupils(session, [(new_id, pupil.route.route)], cohort_label, now.date())
                tick_registration(session, new_id, pupil.route, author)
                append(session, author, AuditAction.CREATED, new_id, f"cohort {cohort_label}", now)
        except IntegrityError:
            raise ValidationError(
                [
                    f"Leerlingnummer {pupil.leerlingnummer} bestaat al. Zoek die leerling op in de lijst."
                ]
            ) from None
        return self.record(new_id)

    def save(self, pupil: Pupil, route_reason: str = "") -> PupilRecord:
        """Store the edited pupil. Fails with ConflictError when someone saved it in between.

        In the same transaction: a route change re-plans the pupil's open tasks (finished ones
        stay) and is recorded with its reason, as a bijstelling when it falls in December or
        January; an aanmeldstatus of aangemeld, intake gepland or toegelaten with an
        aanmelddatum ticks "Aangemeld bij het mbo" on that date."""
        if pupil.id is None:
            raise NotFoundError("Deze leerling is nog niet opgeslagen.")
        pupil_id = pupil.id
        author = self._author()
        now = self._clock()
        self._check(pupil, now)
        try:
            with (
                conflict_on_stale("deze leerling", author, lambda: self._last_editor(pupil_id)),
                self._sessions.begin() as session,
            ):
                require_pupil(session, self._actor, pupil.id, write=True)
                row = self._load(session, pupil.id)
                if row.version != pupil.version:
                    raise ConflictError(conflict_message(row.updated_by, author))
                old = record_from_row(row).pupil
                if not self._actor.sees_support_needs:
                    pupil = replace(pupil, ondersteuningsbehoefte=old.ondersteuningsbehoefte)
                changes = changed_fields(old, replace(pupil, cohort_label=old.cohort_label))
                if not changes:
                    return self._shown(record_from_row(row))
                if not self._actor.is_coordinator and not same_name(old.mentor, pupil.mentor):
                    raise NotAllowed(
                        "Alleen de coördinator kan de mentor van een leerling veranderen. "
                        "Zet de mentor terug en vraag de coördinator om het aan te passen."
                    )
                apply_pupil(row, pupil)
                # Every change to the row before the first flush: one UPDATE, one version.
                row.updated_by = author
                row.updated_at = now
                if row.route is None:
                    row.route = RouteRow()
                if old.route != pupil.route:
                    row.route.updated_at = now
                    row.route.updated_by = author
                apply_route(row.route, pupil.route)
                route_changed = old.route.route != pupil.route.route
                # A new route re-plans the open tasks; finished ones stay (services/planning).
                bijstelling = on_route_saved(
                    session,
                    pupil_id,
                    pupil.route,
                    old.cohort_label,
                    now.date(),
                    author,
                    route_changed,
                )
                if route_changed:
                    row.route_changes.append(
                        RouteChangeRow(
                            changed_on=now.date(),
                            old_route=old.route.route,
                            new_route=pupil.route.route,
                            reason=route_reason.strip(),
                            changed_by=author,
                            bijstelling=bijstelling,
                        )
                    )
                labels = ", ".join(FIELD_LABELS[name] for name in changes)
                row.timeline.append(
                    TimelineEntryRow(
                        at=now,
                        author=author,
                        kind=TimelineKind.GEBEURTENIS,
                        text=f"Gegevens gewijzigd: {labels}.",
                    )
                )
                append(
                    session,
                    author,
                    AuditAction.EDITED,
                    pupil_id,
                    field_list([FIELD_LABELS[name] for name in changes]),
                    now,
                )
        except (ConflictError, NotAllowed) as refusal:
            self._refused(pupil_id, author, now, refusal)
            raise
        except IntegrityError:
            raise ValidationError(
                [f"Leerlingnummer {pupil.leerlingnummer} hoort al bij een andere leerling."]
            ) from None
        return self.record(pupil_id)

    def save_stage(self, pupil_id: int, stage: Stage) -> PupilRecord:
        problems = stage_problems(stage)
        if problems:
            raise ValidationError(problems)
        author = self._author()
        now = self._clock()
        with conflict_on_stale(STAGE, author):
            return self._save_stage(pupil_id, stage, author, now)

    def _save_stage(self, pupil_id: int, stage: Stage, author: str, now: datetime) -> PupilRecord:
        with self._sessions.begin() as session:
            require_pupil(session, self._actor, pupil_id, write=True)
            row = self._load(session, pupil_id)
            if stage.id is None:
                stage_row = StageRow(pupil_id=pupil_id)
                row.stages.append(stage_row)
                text = f"Stage toegevoegd: {stage.leerbedrijf}."
            else:
                found = session.get(StageRow, stage.id)
                if found is None or found.pupil_id != pupil_id:
                    raise NotFoundError("Deze stage bestaat niet meer. Open de leerling opnieuw.")
                stage_row = found
                text = f"Stage gewijzigd: {stage.leerbedrijf}."
            if stage.version is not None and stage_row.version != stage.version:
                raise ConflictError(conflict_message("", author, STAGE))
            apply_stage(stage_row, stage)
            stage_row.updated_at = now
            stage_row.updated_by = author
            row.timeline.append(
                TimelineEntryRow(at=now, author=author, kind=TimelineKind.GEBEURTENIS, text=text)
            )
            # The company's name stays out of the trail: the timeline already holds it.
            what = "stage toegevoegd" if stage.id is None else "stage gewijzigd"
            append(session, author, AuditAction.EDITED, pupil_id, what, now)
        return self.record(pupil_id)

    def delete_stage(self, pupil_id: int, stage_id: int) -> PupilRecord:
        author = self._author()
        now = self._clock()
        with self._sessions.begin() as session:
            require_pupil(session, self._actor, pupil_id, write=True)
            row = self._load(session, pupil_id)
            stage_row = session.get(StageRow, stage_id)
            if stage_row is None or stage_row.pupil_id != pupil_id:
                raise NotFoundError("Deze stage bestaat niet meer. Open de leerling opnieuw.")
            row.stages.remove(stage_row)
            row.timeline.append(
                TimelineEntryRow(
                    at=now,
                    author=author,
                    kind=TimelineKind.GEBEURTENIS,
                    text=f"Stage verwijderd: {stage_row.leerbedrijf}.",
                )
            )
            append(session, author, AuditAction.EDITED, pupil_id, "stage verwijderd", now)
        return self.record(pupil_id)

    def add_note(self, pupil_id: int, text: str) -> PupilRecord:
        if not text.strip():
            raise ValidationError(["Een notitie mag niet leeg zijn."])
        author = self._author()
        now = self._clock()
        with self._sessions.begin() as session:
            require_pupil(session, self._actor, pupil_id, write=True)
            row = self._load(session, pupil_id)
            row.timeline.append(
                TimelineEntryRow(
                    at=now,
                    author=author,
                    kind=TimelineKind.NOTITIE,
                    text=text.strip(),
                )
            )
            append(session, author, AuditAction.EDITED, pupil_id, "notitie toegevoegd", now)
        return self.record(pupil_id)

    # --- helpers -------------------------------------------------------------------------
    def _shown(self, record: PupilRecord) -> PupilRecord:
        """What this actor may see of a record: read-only users get no support needs and no
        timeline: besides the notes, its lines repeat what was recorded elsewhere, such as an
        exitgesprek's reason for stopping ("Uitval: Gezondheid") or a consent's details."""
        if self._actor.sees_support_needs:
            return record
        return replace(record, pupil=self._shown_pupil(record.pupil), timeline=())

    def _shown_pupil(self, pupil: Pupil) -> Pupil:
        if self._actor.sees_support_needs:
            return pupil
        return replace(pupil, ondersteuningsbehoefte="")

    def _last_editor(self, pupil_id: int) -> str:
        with self._sessions() as session:
            return session.scalar(select(PupilRow.updated_by).where(PupilRow.id == pupil_id)) or ""

    def _refused(self, pupil_id: int, author: str, now: datetime, error: Exception) -> None:
        """The attempt that was not stored goes in the trail, by whom and why, without data."""
        refused(self._sessions, author, pupil_id, "leerlinggegevens", error, now)

    def _check(self, pupil: Pupil, now: datetime) -> None:
        problems = pupil_problems(pupil, now.date())
        if problems:
            raise ValidationError(problems)

    @staticmethod
    def _load(session: Session, pupil_id: int) -> PupilRow:
        return load_pupil_row(session, pupil_id)


def load_pupil_row(session: Session, pupil_id: int) -> PupilRow:
    """A pupil with everything that hangs from it, in one round of queries."""
    row = session.scalar(
        select(PupilRow)
        .where(PupilRow.id == pupil_id)
        .options(
            selectinload(PupilRow.guardians),
            selectinload(PupilRow.route),
            selectinload(PupilRow.route_changes),
            selectinload(PupilRow.stages),
            selectinload(PupilRow.timeline),
            selectinload(PupilRow.cohort),
        )
    )
    if row is None:
        raise NotFoundError(GONE)
    return row


def refused(
    sessions: sessionmaker[Session],
    author: str,
    pupil_id: int | None,
    what: str,
    error: Exception,
    now: datetime,
) -> None:
    """A line for a change that was not stored: a conflict or a role that does not allow it."""
    why = (
        "iemand anders had het net gewijzigd"
        if isinstance(error, ConflictError)
        else "geen recht voor deze rol"
    )
    # The user must hear about the refusal itself; a trail that cannot take the line (a full
    # disk) shows up at the next change, which it refuses as a whole.
    with contextlib.suppress(SQLAlchemyError):
        record(
            sessions, author, AuditAction.REFUSED, f"{what} niet opgeslagen: {why}", pupil_id, now
        )

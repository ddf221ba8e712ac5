"""The uitstroomoverleg with a gemeente: the bespreeklijst (only pupils whose consent or legal
basis allows sharing with that gemeente by name; the others counted), the meeting's decisions
(each one an agreement in the transitieplan and a checklist task, in one transaction) and the
verslag afterwards. The rules are domain.overleg's.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from uitstroom.documents import bespreeklijst as bespreeklijst_pdf
from uitstroom.documents import overlegverslag
from uitstroom.domain.actor import Actor
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.dates import dutch_date
from uitstroom.domain.enums import Instrument, Route
from uitstroom.domain.handover import (
    AgreementParty,
    ContactRole,
    OrganisationKind,
    Receiver,
    allowed_sections,
)
from uitstroom.domain.names import full_name
from uitstroom.domain.overleg import (
    DEADLINE_NAME,
    OWNER_OF_PARTY,
    TASK_PREFIX,
    Bespreeklijst,
    BespreekRow,
    Decision,
    Overleg,
    Verslag,
    VerslagLine,
    agreement_text,
    decision_problems,
    discussed,
    open_question,
)
from uitstroom.services.access import pupil_scope, require_pupil, require_write
from uitstroom.services.audit import append
from uitstroom.services.base import Service
from uitstroom.services.convert import from_columns, instruments_of
from uitstroom.services.errors import NotFoundError, ValidationError
from uitstroom.services.files import atomic_output
from uitstroom.services.handover.docs import school_header
from uitstroom.services.handover.rows import consents_of
from uitstroom.services.planning import current_labels
from uitstroom.storage.models import (
    AgreementRow,
    CohortRow,
    ContactPersonRow,
    OrganisationRow,
    OverlegDecisionRow,
    OverlegRow,
    PlanContactRow,
    PupilRow,
    PupilTaskRow,
    TransitieplanRow,
)

# The checklist task the route arbeid plans for this meeting: ticked by the first decision.
CHECKLIST_CODE = "uitstroomoverleg"


class OverlegService(Service):
    # --- the gemeenten ----------------------------------------------------------------------
    def gemeenten(self) -> list[tuple[int, str]]:
        """The gemeente teams in the sociale kaart, (id, name), by name."""
        with self._sessions() as session:
            rows = session.execute(
                select(OrganisationRow.id, OrganisationRow.name)
                .where(OrganisationRow.kind == OrganisationKind.GEMEENTE.value)
                .order_by(OrganisationRow.name)
            ).all()
            return [(row.id, row.name) for row in rows]

    def find_gemeente(self, name: str) -> int:
        """A gemeente by (part of) its name, for the command line."""
        wanted = name.strip().casefold()
        found = [(i, n) for i, n in self.gemeenten() if wanted and wanted in n.casefold()]
        exact = [(i, n) for i, n in found if n.casefold() == wanted]
        if len(exact) == 1 or len(found) == 1:
            return (exact or found)[0][0]
        known = ", ".join(n for _, n in self.gemeenten()) or "geen"
        if not found:
            raise NotFoundError(
                f"Er is geen gemeente '{name.strip()}' in de sociale kaart. Bekend: {known}."
            )
        raise NotFoundError(
            f"'{name.strip()}' past bij meer dan één gemeente: "
            f"{', '.join(n for _, n in found)}. Schrijf de naam voluit."
        )

    # --- the bespreeklijst ------------------------------------------------------------------
    def bespreeklijst(
        self, organisation_id: int, today: date, held_on: date | None = None
    ) -> Bespreeklijst:
        with self._sessions() as session:
            require_write(self._actor)
            return _bespreeklijst(session, self._actor, organisation_id, today, held_on)

    def render_bespreeklijst(
        self, organisation_id: int, today: date, held_on: date | None = None
    ) -> bytes:
        buffer = io.BytesIO()
        bespreeklijst_pdf.render(self.bespreeklijst(organisation_id, today, held_on), buffer)
        return buffer.getvalue()

    def write_bespreeklijst(
        self,
        organisation_id: int,
        target: Path,
        today: date,
        held_on: date | None = None,
    ) -> Bespreeklijst:
        """The PDF to take to the meeting; every named pupil gets a line in the audit trail
        (their data went to a paper that leaves the school)."""
        lijst = self.bespreeklijst(organisation_id, today, held_on)
        buffer = io.BytesIO()
        bespreeklijst_pdf.render(lijst, buffer)
        with atomic_output(Path(target)) as stream:
            stream.write(buffer.getvalue())
        self.log_bespreeklijst(lijst)
        return lijst

    def log_bespreeklijst(self, lijst: Bespreeklijst) -> None:
        """Saved or printed: a line per named pupil in the audit trail."""
        actor = self._author()
        with self._sessions.begin() as session:
            for row in lijst.rows:
                append(
                    session,
                    actor,
                    AuditAction.HANDOVER,
                    row.pupil_id,
                    f"bespreeklijst uitstroomoverleg {lijst.gemeente}",
                    self._clock(),
                )

    # --- the meeting --------------------------------------------------------------------------
    def start(self, organisation_id: int, held_on: date, present: str) -> Overleg:
        """The overleg of this gemeente on this day: made the first time, found after that."""
        actor = self._author()
        require_write(self._actor)
        with self._sessions.begin() as session:
            organisation = _gemeente(session, organisation_id)
            row = session.scalar(
                select(OverlegRow).where(
                    OverlegRow.organisation_id == organisation_id, OverlegRow.held_on == held_on
                )
            )
            if row is None:
                row = OverlegRow(organisation_id=organisation_id, held_on=held_on)
                session.add(row)
            row.present = present.strip()
            row.updated_at = self._clock()
            row.updated_by = actor
            session.flush()
            return _overleg(session, row, organisation.name)

    def overleggen(self, organisation_id: int) -> list[Overleg]:
        """This gemeente's meetings, newest first."""
        with self._sessions() as session:
            organisation = _gemeente(session, organisation_id)
            rows = session.scalars(
                select(OverlegRow)
                .where(OverlegRow.organisation_id == organisation_id)
                .order_by(OverlegRow.held_on.desc(), OverlegRow.id.desc())
            ).all()
            return [_overleg(session, row, organisation.name) for row in rows]

    def decide(self, overleg_id: int, decision: Decision) -> Decision:
        """Record what was decided for one named pupil: the decision, an agreement in the
        transitieplan and a checklist task with one task code; the plan's version goes up."""
        actor = self._author()
        now = self._clock()
        with self._sessions.begin() as session:
            overleg = session.get(OverlegRow, overleg_id)
            if overleg is None:
                raise NotFoundError("Dit overleg bestaat niet meer. Open het overleg opnieuw.")
            organisation = _gemeente(session, overleg.organisation_id)
            pupil = session.get(PupilRow, decision.pupil_id)
            if pupil is None:
                raise NotFoundError("Deze leerling bestaat niet meer.")
            require_pupil(session, self._actor, decision.pupil_id, write=True)
            problems = decision_problems(decision, overleg.held_on)
            if not _may_share(session, decision.pupil_id, overleg.organisation_id, now.date()):
                problems.append(
                    f"Voor {pupil.roepnaam} is geen toestemming vastgelegd om met "
                    f"{organisation.name} te delen. Bespreek zonder naam en leg niets vast."
                )
            if problems:
                raise ValidationError(problems)
            row = OverlegDecisionRow(
                overleg_id=overleg_id,
                pupil_id=decision.pupil_id,
                instrument=decision.instrument,
                decision=decision.what.strip(),
                party=decision.party,
                due=decision.due,
                task_code="",
                decided_at=now,
                decided_by=actor,
            )
            session.add(row)
            session.flush()
            code = f"{TASK_PREFIX}{row.id}"
            row.task_code = code
            text = agreement_text(decision, organisation.name)
            position = session.scalar(
                select(func.coalesce(func.max(AgreementRow.position), -1)).where(
                    AgreementRow.pupil_id == decision.pupil_id
                )
            )
            session.add(
                AgreementRow(
                    pupil_id=decision.pupil_id,
                    position=(position or 0) + 1,
                    what=text,
                    party=decision.party,
                    due=decision.due,
                    task_code=code,
                )
            )
            plan = session.scalar(
                select(TransitieplanRow).where(TransitieplanRow.pupil_id == decision.pupil_id)
            )
            if plan is None:
                plan = TransitieplanRow(pupil_id=decision.pupil_id)
                session.add(plan)
            # The plan changed: a tab that holds an older version is told, not overwritten.
            plan.updated_on = now.date()
            plan.updated_by = actor
            assert decision.due is not None
            session.add(
                PupilTaskRow(
                    pupil_id=decision.pupil_id,
                    code=code,
                    title=text[:200],
                    open_text=f"Afspraak uit het uitstroomoverleg: {text}"[:300],
                    deadline_name=DEADLINE_NAME,
                    owner=OWNER_OF_PARTY[decision.party].value,
                    due=decision.due,
                )
            )
            for task in session.scalars(
                select(PupilTaskRow).where(
                    PupilTaskRow.pupil_id == decision.pupil_id,
                    PupilTaskRow.code == CHECKLIST_CODE,
                    PupilTaskRow.done_on.is_(None),
                )
            ):
                task.done_on = overleg.held_on
                task.done_by = actor
            append(
                session,
                actor,
                AuditAction.EDITED,
                decision.pupil_id,
                f"uitstroomoverleg {organisation.name} {overleg.held_on.isoformat()}: {text}",
                now,
            )
            return _decision(row)

    # --- the verslag ------------------------------------------------------------------------
    def verslag(self, overleg_id: int, today: date) -> Verslag:
        with self._sessions() as session:
            require_write(self._actor)
            row = session.get(OverlegRow, overleg_id)
            if row is None:
                raise NotFoundError("Dit overleg bestaat niet meer.")
            organisation = _gemeente(session, row.organisation_id)
            overleg = _overleg(session, row, organisation.name)
            lijst = _bespreeklijst(session, self._actor, row.organisation_id, today, row.held_on)
            names = {
                p.id: (full_name(p.roepnaam, p.tussenvoegsel, p.achternaam), p.klas)
                for p in session.scalars(
                    select(PupilRow).where(PupilRow.id.in_([d.pupil_id for d in overleg.decisions]))
                )
            }
        lines = tuple(
            VerslagLine(
                name=names.get(d.pupil_id, ("", ""))[0],
                klas=names.get(d.pupil_id, ("", ""))[1],
                instrument=d.instrument.label if d.instrument else "",
                what=d.what,
                who=d.party.label,
                due=d.due,
            )
            for d in overleg.decisions
        )
        decided = {d.pupil_id for d in overleg.decisions}
        return Verslag(
            school=lijst.school,
            gemeente=organisation.name,
            held_on=row.held_on,
            present=overleg.present,
            lines=tuple(sorted(lines, key=lambda line: (line.name.casefold(), line.klas))),
            not_decided=sum(1 for r in lijst.rows if r.pupil_id not in decided),
            unnamed=lijst.unnamed,
            made_on=today,
        )

    def render_verslag(self, overleg_id: int, today: date) -> bytes:
        buffer = io.BytesIO()
        overlegverslag.render(self.verslag(overleg_id, today), buffer)
        return buffer.getvalue()

    def write_verslag(self, overleg_id: int, target: Path, today: date) -> Verslag:
        verslag = self.verslag(overleg_id, today)
        buffer = io.BytesIO()
        overlegverslag.render(verslag, buffer)
        with atomic_output(Path(target)) as stream:
            stream.write(buffer.getvalue())
        return verslag


def _gemeente(session: Session, organisation_id: int) -> OrganisationRow:
    row = session.get(OrganisationRow, organisation_id)
    if row is None or row.kind != OrganisationKind.GEMEENTE.value:
        raise NotFoundError(
            "Deze gemeente staat niet (meer) in de sociale kaart. Kies een andere gemeente."
        )
    return row


def _may_share(session: Session, pupil_id: int, organisation_id: int, today: date) -> bool:
    return (
        allowed_sections(consents_of(session, pupil_id), Receiver.GEMEENTE, organisation_id, today)
        is not None
    )


def _bespreeklijst(
    session: Session,
    actor: Actor,
    organisation_id: int,
    today: date,
    held_on: date | None,
) -> Bespreeklijst:
    from uitstroom.domain.handover import Organisation

    organisation = session.scalar(
        select(OrganisationRow)
        .where(OrganisationRow.id == organisation_id)
        .options(selectinload(OrganisationRow.contacts))
    )
    if organisation is None or organisation.kind != OrganisationKind.GEMEENTE.value:
        _gemeente(session, organisation_id)
    assert organisation is not None
    serves = Organisation(organisation.name, OrganisationKind.GEMEENTE, organisation.serves)
    pupils = session.scalars(
        select(PupilRow)
        .join(CohortRow)
        .where(
            PupilRow.archived.is_(False),
            CohortRow.label.in_(current_labels(session, today)),
            pupil_scope(session, actor),
        )
        .options(selectinload(PupilRow.route), selectinload(PupilRow.stages))
        .order_by(PupilRow.klas, PupilRow.achternaam, PupilRow.roepnaam, PupilRow.id)
    ).all()
    chosen = [
        p
        for p in pupils
        if serves.serves_gemeente(p.woongemeente)
        and discussed(
            p.uitstroomprofiel,
            p.route.route if p.route else Route.ONBEKEND,
        )
    ]
    contacts = _gemeente_contacts(session, [p.id for p in chosen], organisation_id)
    rows: list[BespreekRow] = []
    unnamed = 0
    for pupil in chosen:
        if not _may_share(session, pupil.id, organisation_id, today):
            unnamed += 1
            continue
        route = pupil.route.route if pupil.route else Route.ONBEKEND
        instruments = _instruments(pupil.route.instrumenten if pupil.route else "")
        stage = _current_stage(pupil, today)
        profiel = pupil.uitstroomprofiel
        rows.append(
            BespreekRow(
                pupil_id=pupil.id,
                name=full_name(pupil.roepnaam, pupil.tussenvoegsel, pupil.achternaam),
                klas=pupil.klas,
                profiel=profiel.label if profiel else "",
                route=_route_words(pupil, route),
                stage=stage,
                instruments=instruments,
                contact=contacts.get(pupil.id, ""),
                question=open_question(instruments, bool(stage), pupil.id in contacts, route),
            )
        )
    people = tuple(
        f"{c.name}, {c.function.lower()}" if c.function else c.name
        for c in organisation.contacts
        if c.left_on is None
    )
    return Bespreeklijst(
        school=school_header(session),
        gemeente=organisation.name,
        contacts=people,
        rows=tuple(rows),
        unnamed=unnamed,
        made_on=today,
        held_on=held_on,
    )


def _gemeente_contacts(
    session: Session, pupil_ids: list[int], organisation_id: int
) -> dict[int, str]:
    """The contact person of this gemeente in each pupil's plan (role gemeente)."""
    found: dict[int, str] = {}
    for pupil_id, name in session.execute(
        select(PlanContactRow.pupil_id, ContactPersonRow.name)
        .join(ContactPersonRow, ContactPersonRow.id == PlanContactRow.contact_id)
        .where(
            PlanContactRow.pupil_id.in_(pupil_ids),
            PlanContactRow.role == ContactRole.GEMEENTE.value,
            ContactPersonRow.organisation_id == organisation_id,
        )
        .order_by(PlanContactRow.id)
    ):
        found.setdefault(pupil_id, name)
    return found


def _instruments(text: str) -> tuple[Instrument, ...]:
    found = instruments_of(text)
    return tuple(i for i in Instrument if i in found)


def _current_stage(pupil: PupilRow, today: date) -> str:
    """The stage running today, else the latest one: 'Bakkerij Van Dam (tot 30 juni 2027)'."""
    stages = sorted(pupil.stages, key=lambda s: (s.start or date.min, s.id))
    running = [s for s in stages if (s.start or date.min) <= today <= (s.end or date.max)]
    stage = running[-1] if running else (stages[-1] if stages else None)
    if stage is None:
        return ""
    return f"{stage.leerbedrijf} (tot {dutch_date(stage.end)})" if stage.end else stage.leerbedrijf


def _route_words(pupil: PupilRow, route: Route) -> str:
    details = pupil.route
    if details is None:
        return route.label
    extra = [part for part in (details.functie, details.werkgever) if part]
    return f"{route.label}: {', '.join(extra)}" if extra else route.label


def _decision(row: OverlegDecisionRow) -> Decision:
    return from_columns(Decision, row, what=row.decision)


def _overleg(session: Session, row: OverlegRow, gemeente: str) -> Overleg:
    decisions = session.scalars(
        select(OverlegDecisionRow)
        .where(OverlegDecisionRow.overleg_id == row.id)
        .order_by(OverlegDecisionRow.id)
    ).all()
    return Overleg(
        organisation_id=row.organisation_id,
        gemeente=gemeente,
        held_on=row.held_on,
        present=row.present,
        decisions=tuple(_decision(d) for d in decisions),
        id=row.id,
    )


DEMO_PRESENT = "Joyce van Leeuwen (klantmanager), Marloes Verbeek (uitstroomcoördinator)"


def insert_demo_overleg(sessions: sessionmaker[Session], today: date) -> None:
    """The demo school's uitstroomoverleg: a week ago with the gemeente team that has the most
    pupils to discuss by name, with a decision for the first two (agreements and tasks due a
    month or two from now)."""
    now = datetime.combine(today, datetime.min.time()).replace(hour=9)
    service = OverlegService(sessions, clock=lambda: now)
    best: tuple[int, int, Bespreeklijst] | None = None
    for organisation_id, _ in service.gemeenten():
        lijst = service.bespreeklijst(organisation_id, today)
        if best is None or len(lijst.rows) > best[0]:
            best = (len(lijst.rows), organisation_id, lijst)
    if best is None or best[0] < 2:
        return
    _, organisation_id, lijst = best
    held_on = today - timedelta(days=7)
    overleg = service.start(organisation_id, held_on, DEMO_PRESENT)
    assert overleg.id is not None
    plans = (
        (Instrument.DOELGROEPREGISTER, "aanvraag bij UWV indienen", AgreementParty.GEMEENTE, 60),
        (Instrument.JOBCOACH, "jobcoach zoeken voor de eerste maanden", AgreementParty.SCHOOL, 35),
    )
    for row, (instrument, what, party, days) in zip(lijst.rows, plans, strict=False):
        service.decide(
            overleg.id,
            Decision(row.pupil_id, what, party, today + timedelta(days=days), instrument),
        )

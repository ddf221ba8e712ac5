"""The tables. Enum values are stored as their short text value; no BSN anywhere, on purpose:
a coordinator's tool has no legal ground to keep it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from uitstroom.domain import enums
from uitstroom.domain.actor import Role
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.calendar import Anchor
from uitstroom.domain.checklist import Owner
from uitstroom.domain.exit import InterviewState, LeavingReason, NextStep
from uitstroom.domain.handover import (
    AgreementParty,
    Consenter,
    ContactRole,
    CredentialKind,
    DocumentKind,
    LegalBasis,
    OrganisationKind,
    Receiver,
)
from uitstroom.domain.nazorg import CallStatus, Channel, Destination, FileState
from uitstroom.storage.base import Base
from uitstroom.storage.types import StoredEnum


class SchoolSettingsRow(Base):
    __tablename__ = "school_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    school_type: Mapped[enums.SchoolType] = mapped_column(
        StoredEnum(enums.SchoolType, 10, enums.SchoolType.PRO), default=enums.SchoolType.PRO
    )
    brin: Mapped[str] = mapped_column(String(10), default="")
    coordinator_name: Mapped[str] = mapped_column(String(200), default="")
    coordinator_phone: Mapped[str] = mapped_column(String(40), default="")
    coordinator_email: Mapped[str] = mapped_column(String(200), default="")
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    auto_lock_minutes: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    last_purge_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # The school calendar (domain.calendar.CalendarSettings); None: the default, 10 July.
    last_school_day: Mapped[date | None] = mapped_column(Date, nullable=True)
    attention_days: Mapped[int] = mapped_column(Integer, default=14, server_default="14")
    # The school's own nazorg moments in months, comma separated; "" for the default of its type.
    nazorg_offsets: Mapped[str] = mapped_column(String(60), default="", server_default="")
    # mbo: the school's own reasons for leaving without a diploma, one per line; "" = default.
    dropout_reasons: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The letterhead on every document.
    address: Mapped[str] = mapped_column(Text, default="", server_default="")
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    email: Mapped[str] = mapped_column(String(200), default="", server_default="")
    website: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # The school's own letter texts by letter kind, as JSON; "" = the default texts.
    letter_texts: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The domains of the school's own e-mail addresses, comma separated (never a student's
    # address after school).
    email_domains: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # School holidays: noord, midden, zuid; "" = none chosen (domain.holidays.Region).
    holiday_region: Mapped[str] = mapped_column(String(10), default="", server_default="")


class CohortRow(Base):
    __tablename__ = "cohort"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(9), unique=True)


class PupilRow(Base):
    __tablename__ = "pupil"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"), index=True)
    leerlingnummer: Mapped[str] = mapped_column(String(40), unique=True)
    roepnaam: Mapped[str] = mapped_column(String(100))
    tussenvoegsel: Mapped[str] = mapped_column(String(40), default="")
    achternaam: Mapped[str] = mapped_column(String(150))
    geboortedatum: Mapped[date | None] = mapped_column(Date, nullable=True)
    klas: Mapped[str] = mapped_column(String(40), default="")
    mentor: Mapped[str] = mapped_column(String(150), default="")
    woongemeente: Mapped[str] = mapped_column(String(100), default="")
    telefoon: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    uitstroomprofiel: Mapped[enums.Uitstroomprofiel | None] = mapped_column(
        StoredEnum(enums.Uitstroomprofiel, 30), nullable=True
    )
    mbo_opleiding: Mapped[str] = mapped_column(String(200), default="")
    mbo_crebo: Mapped[str] = mapped_column(String(10), default="")
    mbo_niveau: Mapped[enums.Niveau | None] = mapped_column(
        StoredEnum(enums.Niveau, 10), nullable=True
    )
    mbo_leerweg: Mapped[enums.Leerweg | None] = mapped_column(
        StoredEnum(enums.Leerweg, 10), nullable=True
    )
    startkwalificatie: Mapped[enums.JaNeeOnbekend] = mapped_column(
        StoredEnum(enums.JaNeeOnbekend, 10, enums.JaNeeOnbekend.ONBEKEND),
        default=enums.JaNeeOnbekend.ONBEKEND,
    )
    # Special category data (health, support needs): shown only in the detail view.
    ondersteuningsbehoefte: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    # The values the last import wrote, per field: a re-import only overwrites a field the
    # coordinator has not changed by hand since.
    imported_values: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    # Who made the last change (several people share a server database).
    updated_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    # AUTOINCREMENT: an id is never given out twice, so an erased pupil's audit lines can
    # never be read as a newer pupil's (plain SQLite reuses the highest rowid).
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012

    cohort: Mapped[CohortRow] = relationship()
    guardians: Mapped[list[GuardianRow]] = relationship(
        back_populates="pupil", cascade="all, delete-orphan", order_by="GuardianRow.position"
    )
    route: Mapped[RouteRow | None] = relationship(
        back_populates="pupil", cascade="all, delete-orphan", uselist=False
    )
    route_changes: Mapped[list[RouteChangeRow]] = relationship(
        back_populates="pupil", cascade="all, delete-orphan", order_by="RouteChangeRow.id"
    )
    stages: Mapped[list[StageRow]] = relationship(
        back_populates="pupil", cascade="all, delete-orphan", order_by="StageRow.id"
    )
    timeline: Mapped[list[TimelineEntryRow]] = relationship(
        back_populates="pupil", cascade="all, delete-orphan", order_by="TimelineEntryRow.id"
    )
    tasks: Mapped[list[PupilTaskRow]] = relationship(
        back_populates="pupil", cascade="all, delete-orphan", order_by="PupilTaskRow.due"
    )


class GuardianRow(Base):
    __tablename__ = "guardian"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    relation: Mapped[str] = mapped_column(String(60), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")

    pupil: Mapped[PupilRow] = relationship(back_populates="guardians")


class RouteRow(Base):
    __tablename__ = "route"

    pupil_id: Mapped[int] = mapped_column(
        ForeignKey("pupil.id", ondelete="CASCADE"), primary_key=True
    )
    route: Mapped[enums.Route] = mapped_column(
        StoredEnum(enums.Route, 20, enums.Route.ONBEKEND), default=enums.Route.ONBEKEND, index=True
    )
    mbo_instelling: Mapped[str] = mapped_column(String(200), default="")
    opleiding: Mapped[str] = mapped_column(String(200), default="")
    niveau: Mapped[enums.Niveau | None] = mapped_column(StoredEnum(enums.Niveau, 10), nullable=True)
    leerweg: Mapped[enums.Leerweg | None] = mapped_column(
        StoredEnum(enums.Leerweg, 10), nullable=True
    )
    aanmeldstatus: Mapped[enums.AanmeldStatus] = mapped_column(
        StoredEnum(enums.AanmeldStatus, 20, enums.AanmeldStatus.NIET_AANGEMELD),
        default=enums.AanmeldStatus.NIET_AANGEMELD,
    )
    aanmelddatum: Mapped[date | None] = mapped_column(Date, nullable=True)
    werkgever: Mapped[str] = mapped_column(String(200), default="")
    functie: Mapped[str] = mapped_column(String(200), default="")
    contract: Mapped[enums.ContractSoort] = mapped_column(
        StoredEnum(enums.ContractSoort, 20, enums.ContractSoort.ONBEKEND),
        default=enums.ContractSoort.ONBEKEND,
    )
    # Comma-separated enums.Instrument values, e.g. "doelgroepregister,jobcoach".
    instrumenten: Mapped[str] = mapped_column(String(200), default="")
    aanbieder: Mapped[str] = mapped_column(String(200), default="")
    toelichting: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    updated_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    pupil: Mapped[PupilRow] = relationship(back_populates="route")


class RouteChangeRow(Base):
    __tablename__ = "route_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    changed_on: Mapped[date] = mapped_column(Date)
    old_route: Mapped[enums.Route] = mapped_column(
        StoredEnum(enums.Route, 20, enums.Route.ONBEKEND)
    )
    new_route: Mapped[enums.Route] = mapped_column(
        StoredEnum(enums.Route, 20, enums.Route.ONBEKEND)
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    changed_by: Mapped[str] = mapped_column(String(200), default="")
    # Made in the December/January window: the one adjustment on purpose (bijstellen).
    bijstelling: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    pupil: Mapped[PupilRow] = relationship(back_populates="route_changes")


class StageRow(Base):
    __tablename__ = "stage"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    leerbedrijf: Mapped[str] = mapped_column(String(200))
    contactpersoon: Mapped[str] = mapped_column(String(200), default="")
    contact_telefoon: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    start: Mapped[date | None] = mapped_column(Date, nullable=True)
    end: Mapped[date | None] = mapped_column(Date, nullable=True)
    dagen_per_week: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sbb_erkend: Mapped[enums.JaNeeOnbekend] = mapped_column(
        StoredEnum(enums.JaNeeOnbekend, 10, enums.JaNeeOnbekend.ONBEKEND),
        default=enums.JaNeeOnbekend.ONBEKEND,
    )
    perspectief: Mapped[enums.Perspectief] = mapped_column(
        StoredEnum(enums.Perspectief, 20, enums.Perspectief.ONBEKEND),
        default=enums.Perspectief.ONBEKEND,
    )
    toelichting: Mapped[str] = mapped_column(Text, default="")
    # What the pupil learned there (printed in the Paspoort voor Succes).
    geleerd: Mapped[str] = mapped_column(Text, default="", server_default="")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    updated_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    pupil: Mapped[PupilRow] = relationship(back_populates="stages")


class TimelineEntryRow(Base):
    __tablename__ = "timeline_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    author: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[enums.TimelineKind] = mapped_column(
        StoredEnum(enums.TimelineKind, 20, enums.TimelineKind.NOTITIE),
        default=enums.TimelineKind.NOTITIE,
    )
    text: Mapped[str] = mapped_column(Text)

    pupil: Mapped[PupilRow] = relationship(back_populates="timeline")


class TaskTemplateRow(Base):
    """A school's own checklist: no rows means the standard one of its type
    (domain.checklist.default_templates)."""

    __tablename__ = "task_template"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    open_text: Mapped[str] = mapped_column(String(300))
    deadline_name: Mapped[str] = mapped_column(String(100))
    owner: Mapped[Owner] = mapped_column(StoredEnum(Owner, 20, Owner.SCHOOL))
    anchor: Mapped[Anchor] = mapped_column(StoredEnum(Anchor, 30, Anchor.LAST_SCHOOL_DAY))
    offset_days: Mapped[int] = mapped_column(Integer, default=0)
    # Comma-separated enums.Route values; "" means every route.
    routes: Mapped[str] = mapped_column(String(100), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    custom: Mapped[bool] = mapped_column(Boolean, default=False)
    fixed: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class PupilTaskRow(Base):
    """One checklist task of one pupil: a copy of its template's texts, so a finished task
    reads the same after the school has changed or removed the template."""

    __tablename__ = "pupil_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    open_text: Mapped[str] = mapped_column(String(300))
    deadline_name: Mapped[str] = mapped_column(String(100))
    owner: Mapped[Owner] = mapped_column(StoredEnum(Owner, 20, Owner.SCHOOL))
    due: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    done_by: Mapped[str] = mapped_column(String(200), default="")
    # Who ticked or unticked it last (done_by is cleared by an untick).
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    updated_by: Mapped[str] = mapped_column(String(200), default="", server_default="")

    pupil: Mapped[PupilRow] = relationship(back_populates="tasks")

    # The open tasks in due order per pupil: the status and the Vandaag view read only these.
    # Partial on the server too: the migration (0003) gives it postgresql_where. Not named here,
    # because a postgresql_ option makes SQLAlchemy import its PostgreSQL dialect on every start
    # and every command, about 33 ms, also on a laptop that never sees a server (issue 17);
    # tests/storage/test_server_migrations.py checks the server's index.
    __table_args__ = (
        Index("ix_pupil_task_open", "pupil_id", "due", "code", sqlite_where=done_on.is_(None)),
    )


class AuditEventRow(Base):
    """Append-only (triggers refuse UPDATE and DELETE); see domain/audit.py for the chain."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    os_user: Mapped[str] = mapped_column(String(200))
    actor: Mapped[str] = mapped_column(String(200))
    # A value this program never writes reads as None: the line was changed outside it.
    action: Mapped[AuditAction | None] = mapped_column(
        StoredEnum(AuditAction, 30), nullable=False, index=True
    )
    # No foreign key: the trail outlives an erased pupil, which is then only a number.
    pupil_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class RetentionRuleRow(Base):
    """How many months after the end of nazorg a category of data is kept."""

    __tablename__ = "retention_rule"

    category: Mapped[str] = mapped_column(String(40), primary_key=True)
    months: Mapped[int] = mapped_column(Integer)


class AggregateFigureRow(Base):
    """Anonymous counts kept when pupils are purged, so cohort figures survive the purge."""

    __tablename__ = "aggregate_figure"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_label: Mapped[str] = mapped_column(String(9), index=True)
    dimension: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(60))
    count: Mapped[int] = mapped_column(Integer)


# --- the address book (sociale kaart) -------------------------------------------------------


class OrganisationRow(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrganisationKind] = mapped_column(
        StoredEnum(OrganisationKind, 20, OrganisationKind.ANDERS), index=True
    )
    # For a gemeente: the woongemeenten its Werk en Inkomen team serves, comma separated.
    serves: Mapped[str] = mapped_column(String(500), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    contacts: Mapped[list[ContactPersonRow]] = relationship(
        back_populates="organisation",
        cascade="all, delete-orphan",
        order_by="ContactPersonRow.name",
        foreign_keys="ContactPersonRow.organisation_id",
    )


class ContactPersonRow(Base):
    __tablename__ = "contact_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    function: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    left_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Who took over the work when this person left.
    replaced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact_person.id", ondelete="SET NULL"), nullable=True
    )

    organisation: Mapped[OrganisationRow] = relationship(
        back_populates="contacts", foreign_keys=[organisation_id]
    )


# --- one pupil's transitieplan, paspoort, consents and documents made ------------------------


class TransitieplanRow(Base):
    __tablename__ = "transitieplan"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), unique=True)
    goals: Mapped[str] = mapped_column(Text, default="")
    updated_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class AgreementRow(Base):
    """One row of 'wie doet wat wanneer' in a pupil's transitieplan."""

    __tablename__ = "agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    what: Mapped[str] = mapped_column(Text)
    party: Mapped[AgreementParty] = mapped_column(
        StoredEnum(AgreementParty, 20, AgreementParty.SCHOOL)
    )
    due: Mapped[date | None] = mapped_column(Date, nullable=True)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact_person.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # The checklist task this agreement matches (PupilTaskRow.code), or "".
    task_code: Mapped[str] = mapped_column(String(40), default="")


class PlanContactRow(Base):
    __tablename__ = "plan_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    role: Mapped[ContactRole] = mapped_column(StoredEnum(ContactRole, 20, ContactRole.ANDERS))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact_person.id"), index=True)


class PaspoortRow(Base):
    __tablename__ = "paspoort"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), unique=True)
    wie: Mapped[str] = mapped_column(Text, default="")
    kan: Mapped[str] = mapped_column(Text, default="")
    wil: Mapped[str] = mapped_column(Text, default="")
    nodig: Mapped[str] = mapped_column(Text, default="")
    keuze: Mapped[str] = mapped_column(Text, default="")
    aanpak: Mapped[str] = mapped_column(Text, default="")
    aanpassingen: Mapped[str] = mapped_column(Text, default="")
    updated_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class CredentialRow(Base):
    """A diploma, certificate or praktijkverklaring."""

    __tablename__ = "credential"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    kind: Mapped[CredentialKind] = mapped_column(
        StoredEnum(CredentialKind, 20, CredentialKind.CERTIFICAAT)
    )
    name: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    issuer: Mapped[str] = mapped_column(String(200), default="")


class ConsentRow(Base):
    """The basis for handing over to one receiver (see domain.handover.Consent)."""

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    receiver: Mapped[Receiver] = mapped_column(StoredEnum(Receiver, 20, Receiver.ANDERS))
    basis: Mapped[LegalBasis] = mapped_column(StoredEnum(LegalBasis, 20, LegalBasis.TOESTEMMING))
    # Comma-separated Section values.
    sections: Mapped[str] = mapped_column(String(200), default="")
    given_on: Mapped[date] = mapped_column(Date)
    consenter: Mapped[Consenter | None] = mapped_column(StoredEnum(Consenter, 20), nullable=True)
    consenter_name: Mapped[str] = mapped_column(String(200), default="")
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), nullable=True, index=True
    )
    withdrawn_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    updated_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class DocumentLogRow(Base):
    """Every document written or printed: which, which version of the data, for whom, when,
    by whom. Never the texts themselves."""

    __tablename__ = "document_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DocumentKind] = mapped_column(StoredEnum(DocumentKind, 20, DocumentKind.PASPOORT))
    made_at: Mapped[datetime] = mapped_column(DateTime)
    made_by: Mapped[str] = mapped_column(String(200), default="")
    receiver: Mapped[Receiver | None] = mapped_column(StoredEnum(Receiver, 20), nullable=True)
    # The organisation's name as it was then: the log outlives address book changes.
    organisation: Mapped[str] = mapped_column(String(200), default="")
    sections: Mapped[str] = mapped_column(String(200), default="")
    data_version: Mapped[str] = mapped_column(String(16), default="")


# --- nazorg: leaving, the planned calls, the calls made, the alarm ---------------------------


class LeavingRow(Base):
    """The uitstroomdatum and the actual destination; the nazorg file's state."""

    __tablename__ = "leaving"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), unique=True)
    left_on: Mapped[date] = mapped_column(Date, index=True)
    destination: Mapped[Destination] = mapped_column(
        StoredEnum(Destination, 20, Destination.ONBEKEND)
    )
    employer: Mapped[str] = mapped_column(String(200), default="")
    contract: Mapped[enums.ContractSoort] = mapped_column(
        StoredEnum(enums.ContractSoort, 20, enums.ContractSoort.ONBEKEND),
        default=enums.ContractSoort.ONBEKEND,
    )
    # Comma-separated enums.Instrument values.
    instruments: Mapped[str] = mapped_column(String(200), default="")
    mbo_instelling: Mapped[str] = mapped_column(String(200), default="")
    opleiding: Mapped[str] = mapped_column(String(200), default="")
    niveau: Mapped[enums.Niveau | None] = mapped_column(StoredEnum(enums.Niveau, 10), nullable=True)
    leerweg: Mapped[enums.Leerweg | None] = mapped_column(
        StoredEnum(enums.Leerweg, 10), nullable=True
    )
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    state: Mapped[FileState] = mapped_column(
        StoredEnum(FileState, 20, FileState.OPEN), default=FileState.OPEN
    )
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    waakvlam: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    updated_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class NazorgMomentRow(Base):
    """A planned nazorg call (domain.nazorg.NazorgMoment)."""

    __tablename__ = "nazorg_moment"
    __table_args__ = (
        # The agenda reads the open moments by date. Partial on the server too (migration 0005;
        # see ix_pupil_task_open for why postgresql_where is not named here).
        Index("ix_nazorg_moment_open", "due", "pupil_id", sqlite_where=text("done_on IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    months: Mapped[int] = mapped_column(Integer)
    due: Mapped[date] = mapped_column(Date)
    original_due: Mapped[date] = mapped_column(Date)
    moved_reason: Mapped[str] = mapped_column(String(300), default="")
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    updated_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class NazorgCallRow(Base):
    """One logged call, reached or not (domain.nazorg.CallRecord)."""

    __tablename__ = "nazorg_call"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    moment_id: Mapped[int | None] = mapped_column(
        ForeignKey("nazorg_moment.id", ondelete="SET NULL"), nullable=True, index=True
    )
    called_on: Mapped[date] = mapped_column(Date)
    reached: Mapped[bool] = mapped_column(Boolean)
    channel: Mapped[Channel] = mapped_column(StoredEnum(Channel, 20, Channel.TELEFOON))
    status: Mapped[CallStatus | None] = mapped_column(StoredEnum(CallStatus, 30), nullable=True)
    same_place: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    wants_help: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class NazorgSignalRow(Base):
    """The alarm for a young person with no school and no work (domain.nazorg.Signal)."""

    __tablename__ = "nazorg_signal"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    created_on: Mapped[date] = mapped_column(Date)
    status: Mapped[CallStatus] = mapped_column(StoredEnum(CallStatus, 30, CallStatus.GEEN))
    receiver: Mapped[Receiver] = mapped_column(StoredEnum(Receiver, 20, Receiver.GEMEENTE))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), nullable=True
    )
    sent_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # The organisation's name as it was when sent: the record outlives address book changes.
    sent_to: Mapped[str] = mapped_column(String(200), default="")


# --- mbo: the exitgesprek ---------------------------------------------------------------------


class ExitInterviewRow(Base):
    """One student's exitgesprek (domain.exit.ExitInterview); a concept until finished."""

    __tablename__ = "exit_interview"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), unique=True)
    state: Mapped[InterviewState] = mapped_column(
        StoredEnum(InterviewState, 20, InterviewState.CONCEPT),
        default=InterviewState.CONCEPT,
        index=True,
    )
    held_on: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    left_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    reason: Mapped[LeavingReason | None] = mapped_column(
        StoredEnum(LeavingReason, 20), nullable=True
    )
    dropout_reason: Mapped[str] = mapped_column(String(200), default="")
    # Reasons besides the main one, one a line.
    other_dropout_reasons: Mapped[str] = mapped_column(Text, default="", server_default="")
    startkwalificatie: Mapped[enums.JaNeeOnbekend] = mapped_column(
        StoredEnum(enums.JaNeeOnbekend, 10, enums.JaNeeOnbekend.ONBEKEND),
        default=enums.JaNeeOnbekend.ONBEKEND,
    )
    next_step: Mapped[NextStep | None] = mapped_column(StoredEnum(NextStep, 20), nullable=True)
    next_step_detail: Mapped[str] = mapped_column(String(300), default="")
    # Next step work, and the student does not (yet) name the employer.
    employer_unknown: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Comma-separated HelpWanted values.
    help_wanted: Mapped[str] = mapped_column(String(100), default="")
    phone_after: Mapped[str] = mapped_column(String(40), default="")
    email_after: Mapped[str] = mapped_column(String(200), default="")
    spare_name: Mapped[str] = mapped_column(String(200), default="")
    spare_relation: Mapped[str] = mapped_column(String(100), default="")
    spare_phone: Mapped[str] = mapped_column(String(40), default="")
    nazorg_agreed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    # Comma-separated Receiver values the student consented to for a warm handover.
    handover_consent: Mapped[str] = mapped_column(String(100), default="")
    mentor: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


# --- several people on one shared database ----------------------------------------------------


class AppUserRow(Base):
    """Who may work in this database and in which role (domain.actor.User). No rows: one
    coordinator, as on a laptop."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # The operating-system login (SQLite) or the PostgreSQL role the person connects as.
    login: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[Role] = mapped_column(StoredEnum(Role, 20, Role.READONLY), default=Role.MENTOR)
    # How the name is written in the pupils' mentor field; "" means `name`.
    mentor_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    updated_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ChangeMarkerRow(Base):
    """One row whose counter every change bumps (services.audit.append): open windows poll it
    to know when to read their lists again. Bumping it also makes writers take turns at the
    audit trail's hash chain on a server database."""

    __tablename__ = "change_marker"

    id: Mapped[int] = mapped_column(primary_key=True)
    counter: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    changed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    changed_by: Mapped[str] = mapped_column(String(200), default="", server_default="")


# --- consent on paper and the uitstroomoverleg (issue 19) -------------------------------------


class ConsentScanRow(Base):
    """The signed toestemmingsformulier, scanned, kept with the consent it records (inside the
    encrypted database like everything else; shown in the inzage)."""

    __tablename__ = "consent_scan"

    id: Mapped[int] = mapped_column(primary_key=True)
    consent_id: Mapped[int] = mapped_column(
        ForeignKey("consent.id", ondelete="CASCADE"), unique=True
    )
    file_name: Mapped[str] = mapped_column(String(200))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[datetime] = mapped_column(DateTime)
    added_by: Mapped[str] = mapped_column(String(200), default="")


class OverlegRow(Base):
    """One uitstroomoverleg with a gemeente (domain.overleg.Overleg)."""

    __tablename__ = "overleg"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date] = mapped_column(Date)
    present: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    updated_by: Mapped[str] = mapped_column(String(200), default="", server_default="")


class OverlegDecisionRow(Base):
    """What was decided about one pupil in an overleg; the agreement and the task it made."""

    __tablename__ = "overleg_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    overleg_id: Mapped[int] = mapped_column(
        ForeignKey("overleg.id", ondelete="CASCADE"), index=True
    )
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    instrument: Mapped[enums.Instrument | None] = mapped_column(
        StoredEnum(enums.Instrument, 30), nullable=True
    )
    decision: Mapped[str] = mapped_column(Text, default="")
    party: Mapped[AgreementParty] = mapped_column(
        StoredEnum(AgreementParty, 20, AgreementParty.SCHOOL)
    )
    due: Mapped[date | None] = mapped_column(Date, nullable=True)
    task_code: Mapped[str] = mapped_column(String(40), default="")
    decided_at: Mapped[datetime] = mapped_column(DateTime)
    decided_by: Mapped[str] = mapped_column(String(200), default="")

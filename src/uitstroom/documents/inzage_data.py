"""What the inzage-overzicht holds, as finished data objects: built by services/rights.py without
reportlab, rendered by documents/inzage.py when a coordinator makes one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from uitstroom.domain.audit import AuditEntry
from uitstroom.domain.model import PupilRecord, SchoolSettings


@dataclass(frozen=True)
class KeptUntil:
    """How long one kind of data is kept: the category in plain words and the last day."""

    what: str
    until: date | None


@dataclass(frozen=True)
class InzageBlock:
    """One item of a part: a title and its fields as (label, text); texts may be long."""

    title: str
    fields: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class InzagePart:
    """A part of the overview beyond the pupil record (the transitieplan, the paspoort, the
    consents, the documents made), as headings and texts."""

    heading: str
    blocks: tuple[InzageBlock, ...]
    empty: str = "Hier staat niets in."


@dataclass(frozen=True)
class Inzage:
    school: SchoolSettings
    record: PupilRecord
    audit: tuple[AuditEntry, ...]
    made_at: datetime
    made_by: str
    kept_until: tuple[KeptUntil, ...] = ()
    nazorg_until: date | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # What the last import from the pupil administration wrote, per ImportField value.
    imported_values: Mapping[str, str] = field(default_factory=dict)
    parts: tuple[InzagePart, ...] = ()
    # The same parts for the JSON beside the PDF, as plain JSON values by key.
    parts_json: Mapping[str, object] = field(default_factory=dict)

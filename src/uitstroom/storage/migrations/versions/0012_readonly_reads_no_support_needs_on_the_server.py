"""On the school's server the database itself keeps support needs, notes and the trail's details
from read-only logins, and the trail's details from mentors

0008 gave uitstroom_readonly SELECT on every table, so a read-only login with psql read the
support needs the program hides. Now:

- uitstroom_readonly has SELECT on every column except the special-category ones
  (storage/readonly.py: HIDDEN_FROM_READONLY) and audit_event.detail;
- the schema uitstroom_alleen_lezen holds a view per table with hidden columns, those columns
  blank, for the program: a read-only login's connections read through it (search_path);
- uitstroom_mentor reads every column of audit_event except detail (they append to the chain,
  but only the coordinator reads what it says).

The lists are written out here, not imported: a migration stays as it was when it ran.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

READONLY = "uitstroom_readonly"
MENTOR = "uitstroom_mentor"
VIEWS = "uitstroom_alleen_lezen"
HIDDEN = {
    "pupil": ("ondersteuningsbehoefte",),
    "timeline_entry": ("text",),
    "paspoort": ("nodig", "aanpak", "aanpassingen"),
    "nazorg_call": ("note",),
    "exit_interview": ("note", "dropout_reason", "other_dropout_reasons", "help_wanted"),
    "consent_scan": ("data",),
}
AUDIT_DETAILS = ("detail",)
_TEXT_TYPES = ("text", "character varying")


def _roles_exist() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    found = bind.scalar(
        sa.text(f"SELECT count(*) FROM pg_roles WHERE rolname IN ('{READONLY}', '{MENTOR}')")
    )
    return found == 2


def _columns(table: str) -> list[tuple[str, str]]:
    """(name, type) of the table's columns in their order."""
    rows = op.get_bind().execute(
        sa.text(
            "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = CAST(:table AS regclass) AND attnum > 0 AND NOT attisdropped "
            "ORDER BY attnum"
        ),
        {"table": f"public.{table}"},
    )
    return [(name, kind) for name, kind in rows]


def _blank(name: str, kind: str) -> str:
    empty = "''" if kind.startswith(_TEXT_TYPES) else "NULL"
    return f'CAST({empty} AS {kind}) AS "{name}"'


def _only_columns(table: str, hidden: tuple[str, ...], role: str) -> None:
    shown = ", ".join(f'"{name}"' for name, _ in _columns(table) if name not in hidden)
    op.execute(f"REVOKE SELECT ON public.{table} FROM {role}")
    op.execute(f"GRANT SELECT ({shown}) ON public.{table} TO {role}")


def upgrade() -> None:
    if not _roles_exist():
        return
    op.execute(f"CREATE SCHEMA IF NOT EXISTS {VIEWS}")
    op.execute(f"GRANT USAGE ON SCHEMA {VIEWS} TO {READONLY}")
    for table, hidden in HIDDEN.items():
        _only_columns(table, hidden, READONLY)
        columns = ", ".join(
            _blank(name, kind) if name in hidden else f'"{name}"' for name, kind in _columns(table)
        )
        op.execute(f"CREATE VIEW {VIEWS}.{table} AS SELECT {columns} FROM public.{table}")
        op.execute(f"GRANT SELECT ON {VIEWS}.{table} TO {READONLY}")
    for role in (READONLY, MENTOR):
        _only_columns("audit_event", AUDIT_DETAILS, role)


def downgrade() -> None:
    if not _roles_exist():
        return
    op.execute(f"DROP SCHEMA IF EXISTS {VIEWS} CASCADE")
    for table in HIDDEN:
        op.execute(f"GRANT SELECT ON public.{table} TO {READONLY}")
    op.execute(f"GRANT SELECT ON public.audit_event TO {READONLY}, {MENTOR}")

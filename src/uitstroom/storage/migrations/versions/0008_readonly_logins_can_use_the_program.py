"""A read-only login on the school's server can use the program

0007 gave the server role uitstroom_readonly only some tables and some columns of `pupil`. The
program reads whole rows, so such a login could not even read the schema version: the program
did not open. Read-only people now read every table on the server, append to the audit trail
(opening a pupil is logged) and move the change marker; they still change no data, and what
they see of support needs is limited by the program's services (services/access.py).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

READONLY = "uitstroom_readonly"


def _readonly_role_exists() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    return bool(bind.scalar(sa.text(f"SELECT 1 FROM pg_roles WHERE rolname = '{READONLY}'")))


def upgrade() -> None:
    if not _readonly_role_exists():
        return
    op.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {READONLY}")
    op.execute(f"GRANT INSERT ON audit_event TO {READONLY}")
    op.execute(f"GRANT UPDATE ON change_marker TO {READONLY}")
    op.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {READONLY}")


def downgrade() -> None:
    if not _readonly_role_exists():
        return
    op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {READONLY}")
    op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {READONLY}")
    from importlib import import_module

    previous = import_module(
        "uitstroom.storage.migrations.versions.0007_users_versions_and_the_change_marker"
    )
    op.execute(f"GRANT SELECT ON {', '.join(previous.READONLY_TABLES)} TO {READONLY}")
    op.execute(
        f"GRANT SELECT ({', '.join(previous.READONLY_PUPIL_COLUMNS)}) ON pupil TO {READONLY}"
    )
    op.execute(f"GRANT SELECT (login, name, mentor_name) ON app_user TO {READONLY}")

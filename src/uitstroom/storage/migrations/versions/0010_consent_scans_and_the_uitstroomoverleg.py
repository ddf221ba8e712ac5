"""The scanned toestemmingsformulier and the uitstroomoverleg with the gemeente

consent_scan keeps the signed form's scan with its consent; overleg is one meeting with a
gemeente, overleg_decision what was decided there per pupil (the agreement in the
transitieplan and the checklist task it made carry its task code).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

COORDINATOR = "uitstroom_coordinator"
MENTOR = "uitstroom_mentor"
READONLY = "uitstroom_readonly"
NEW_TABLES = ("consent_scan", "overleg", "overleg_decision")
_IS_MENTOR = f"pg_has_role(current_user, '{MENTOR}', 'MEMBER')"


def _server_grants() -> None:
    """On the school's server, the roles of 0007 get the new tables as they have the old:
    the coordinator everything, a mentor the rows of their own pupils, read-only reading."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    roles = set(
        bind.scalars(
            sa.text("SELECT rolname FROM pg_roles WHERE rolname IN (:c, :m, :r)"),
            {"c": COORDINATOR, "m": MENTOR, "r": READONLY},
        )
    )
    tables = ", ".join(NEW_TABLES)
    if COORDINATOR in roles:
        op.execute(f"GRANT ALL ON {tables} TO {COORDINATOR}")
        op.execute(
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {COORDINATOR}"
        )
    if MENTOR in roles:
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {tables} TO {MENTOR}")
        op.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {MENTOR}")
        for table, own in (
            ("consent_scan", "consent_id IN (SELECT id FROM consent)"),
            ("overleg_decision", "pupil_id IN (SELECT id FROM pupil)"),
        ):
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY uitstroom_not_a_mentor ON {table} USING (NOT {_IS_MENTOR})")
            op.execute(f"CREATE POLICY uitstroom_own_pupils ON {table} USING ({own})")
    if READONLY in roles:
        op.execute(f"GRANT SELECT ON {tables} TO {READONLY}")


def upgrade() -> None:
    op.create_table(
        "consent_scan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consent_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["consent_id"],
            ["consent.id"],
            name=op.f("fk_consent_scan_consent_id_consent"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_scan")),
        sa.UniqueConstraint("consent_id", name=op.f("uq_consent_scan_consent_id")),
    )
    op.create_table(
        "overleg",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("present", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("updated_by", sa.String(length=200), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_overleg_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_overleg")),
    )
    op.create_index(op.f("ix_overleg_organisation_id"), "overleg", ["organisation_id"])
    op.create_table(
        "overleg_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("overleg_id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("instrument", sa.String(length=30), nullable=True),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("party", sa.String(length=20), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("task_code", sa.String(length=40), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["overleg_id"],
            ["overleg.id"],
            name=op.f("fk_overleg_decision_overleg_id_overleg"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
            name=op.f("fk_overleg_decision_pupil_id_pupil"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_overleg_decision")),
    )
    op.create_index(op.f("ix_overleg_decision_overleg_id"), "overleg_decision", ["overleg_id"])
    op.create_index(op.f("ix_overleg_decision_pupil_id"), "overleg_decision", ["pupil_id"])
    _server_grants()


def downgrade() -> None:
    op.drop_index(op.f("ix_overleg_decision_pupil_id"), table_name="overleg_decision")
    op.drop_index(op.f("ix_overleg_decision_overleg_id"), table_name="overleg_decision")
    op.drop_table("overleg_decision")
    op.drop_index(op.f("ix_overleg_organisation_id"), table_name="overleg")
    op.drop_table("overleg")
    op.drop_table("consent_scan")

"""The school's own mail domain, its school holiday region, and an exitgesprek with more than
one reason for stopping and an employer that may stay unknown

- school_settings.email_domains: the domains of the school's own addresses (comma separated),
  never used as a student's e-mail after school: that address stops working when they leave.
- school_settings.holiday_region: noord, midden or zuid ("" = none chosen); checklist dates that
  fall in that region's school holidays move to the school day before.
- exit_interview.other_dropout_reasons: reasons besides the main one (dropout_reason), one a
  line; exit_interview.employer_unknown: next step work, employer not (yet) named.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("school_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("email_domains", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("holiday_region", sa.String(length=10), server_default="", nullable=False)
        )
    with op.batch_alter_table("exit_interview", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("other_dropout_reasons", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("employer_unknown", sa.Boolean(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("exit_interview", schema=None) as batch_op:
        batch_op.drop_column("employer_unknown")
        batch_op.drop_column("other_dropout_reasons")
    with op.batch_alter_table("school_settings", schema=None) as batch_op:
        batch_op.drop_column("holiday_region")
        batch_op.drop_column("email_domains")

"""The school's letterhead (address, phone, e-mail, website) and its own letter texts

Every document prints the letterhead; the letters to parents take the school's own wording,
kept per letter kind as JSON ({"uitnodiging_transitieplan": {"subject": ..., "body": ...}}).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COLUMNS = (
    ("address", sa.Text()),
    ("phone", sa.String(length=40)),
    ("email", sa.String(length=200)),
    ("website", sa.String(length=200)),
    ("letter_texts", sa.Text()),
)


def upgrade() -> None:
    with op.batch_alter_table("school_settings", schema=None) as batch_op:
        for name, kind in COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("school_settings", schema=None) as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)

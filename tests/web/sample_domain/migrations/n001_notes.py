"""The sample domain's notes.

Revision ID: n001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "n001"
down_revision = None
branch_labels = ("notes",)
depends_on = "0001"


def upgrade() -> None:
    op.create_table(
        "sample_notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("unit_level", sa.String(16), nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("title", sa.String(80), nullable=False),
        sa.Column("meeting_day", sa.String(10), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sample_notes")

"""The data packs made through the web (who, when, the document).

Revision ID: r001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "r001"
down_revision = None
branch_labels = ("reports",)
# The core's first revision, as every domain branch (see g001_governance.py for why).
depends_on = "0001"


def upgrade() -> None:
    op.create_table(
        "report_packs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("unit_level", sa.String(16), nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("unit_name", sa.String(200), nullable=False),
        sa.Column("period", sa.String(8), nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("revealed", sa.Text(), nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("made_by_id", sa.Integer(), nullable=False),
        sa.Column("made_by", sa.String(64), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sqlite_autoincrement=True,  # a deleted row's id is never reused
    )
    op.create_index("ix_report_packs_unit", "report_packs", ["unit_level", "unit_code"])


def downgrade() -> None:
    op.drop_index("ix_report_packs_unit", table_name="report_packs")
    op.drop_table("report_packs")

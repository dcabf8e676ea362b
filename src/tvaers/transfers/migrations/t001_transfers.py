"""The task-transfer registry: cases, assessment sections, informed units, steps.

Revision ID: t001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "t001"
down_revision = None
branch_labels = ("transfers",)
# The core's first revision, like every domain branch (see g001_governance.py).
depends_on = "0001"


def _version() -> sa.Column:
    return sa.Column("version", sa.Integer(), nullable=False)


def _case_id() -> sa.Column:
    return sa.Column("case_id", sa.Integer(), sa.ForeignKey("transfers_cases.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "transfers_cases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("target_group", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("from_sector", sa.String(32), nullable=False),
        sa.Column("from_unit", sa.String(80), nullable=False),
        sa.Column("to_sector", sa.String(32), nullable=False),
        sa.Column("to_unit", sa.String(80), nullable=False),
        sa.Column("covered_units", sa.JSON(), nullable=False),
        sa.Column("forum_id", sa.String(64), nullable=False),
        sa.Column("agreement_refs", sa.JSON(), nullable=False),
        sa.Column("series", sa.JSON(), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("service", sa.String(32), nullable=True),
        sa.Column("decision_year", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("consultation_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("go_live", sa.Date(), nullable=True),
        sa.Column("evaluation_note", sa.Text(), nullable=True),
        sa.Column("evaluation_confirmed_by", sa.String(64), nullable=True),
        sa.Column("evaluation_confirmed_on", sa.Date(), nullable=True),
        sa.Column("example", sa.Boolean(), nullable=False),
        _version(),
        sqlite_autoincrement=True,  # a deleted row's id is never reused
    )
    op.create_index("ix_transfers_cases_forum", "transfers_cases", ["forum_id"])
    op.create_table(
        "transfers_sections",
        sa.Column("id", sa.Integer(), primary_key=True),
        _case_id(),
        sa.Column("dimension", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        _version(),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_transfers_sections_case", "transfers_sections", ["case_id", "dimension"], unique=True
    )
    op.create_table(
        "transfers_informed",
        sa.Column("id", sa.Integer(), primary_key=True),
        _case_id(),
        sa.Column("unit_level", sa.String(16), nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("forum_id", sa.String(64), nullable=False),
        _version(),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_transfers_informed_case",
        "transfers_informed",
        ["case_id", "unit_level", "unit_code"],
        unique=True,
    )
    op.create_table(
        "transfers_steps",
        sa.Column("id", sa.Integer(), primary_key=True),
        _case_id(),
        sa.Column("step", sa.String(32), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("target", sa.String(16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _version(),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_transfers_steps_case", "transfers_steps", ["case_id"])


def downgrade() -> None:
    for table in ("transfers_steps", "transfers_informed", "transfers_sections"):
        op.drop_table(table)
    op.drop_table("transfers_cases")

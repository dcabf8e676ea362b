"""The agreement registry: agreements and their status steps, the tree of visions, focus
areas and goals, initiatives, targets, PDSA cycles, own measurements, input rounds and
their answers.

Revision ID: a001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from tvaers.web.models import UTCDateTime

revision = "a001"
down_revision = None
branch_labels = ("agreements",)
# The core's first revision, like every domain branch (see g001_governance.py for why).
depends_on = "0001"


def _version() -> sa.Column:
    return sa.Column("version", sa.Integer(), nullable=False)


def _agreement(primary_key: bool = False) -> sa.Column:
    return sa.Column(
        "agreement_id",
        sa.String(64),
        sa.ForeignKey("agreements.id"),
        primary_key=primary_key,
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "agreements",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("parties", sa.JSON(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("example", sa.Boolean(), nullable=False),
        _version(),
    )
    op.create_table(
        "agreement_status_steps",
        sa.Column("id", sa.Integer(), primary_key=True),
        _agreement(),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        _version(),
        sqlite_autoincrement=True,  # a deleted row's id is never reused
    )
    op.create_index(
        "ix_agreement_status_steps_agreement", "agreement_status_steps", ["agreement_id"]
    )
    op.create_table(
        "agreement_items",
        _agreement(primary_key=True),
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("parent_key", sa.String(64), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=True),
        sa.Column("national_goal", sa.Integer(), nullable=True),
        _version(),
    )
    op.create_table(
        "agreement_initiatives",
        _agreement(primary_key=True),
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("goal_key", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("name_en", sa.String(300), nullable=True),
        sa.Column("owner", sa.String(80), nullable=False),
        sa.Column("aim", sa.Text(), nullable=True),
        sa.Column("go_live", sa.Date(), nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("series", sa.JSON(), nullable=False),
        sa.Column("boundary_confirmed_by", sa.String(128), nullable=True),
        sa.Column("boundary_confirmed_at", UTCDateTime(), nullable=True),
        _version(),
    )
    op.create_table(
        "agreement_targets",
        _agreement(primary_key=True),
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("goal_key", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(64), nullable=False),
        sa.Column("unit", sa.String(80), nullable=True),
        sa.Column("level", sa.String(16), nullable=True),
        sa.Column("region", sa.String(8), nullable=True),
        sa.Column("stratum", sa.String(64), nullable=False),
        sa.Column("period_type", sa.String(8), nullable=False),
        sa.Column("standardised", sa.Boolean(), nullable=False),
        sa.Column("baseline", sa.String(16), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("by", sa.String(16), nullable=False),
        _version(),
    )
    op.create_table(
        "agreement_pdsa_cycles",
        sa.Column("id", sa.Integer(), primary_key=True),
        _agreement(),
        sa.Column("initiative_key", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("do", sa.Text(), nullable=True),
        sa.Column("study", sa.Text(), nullable=True),
        sa.Column("act", sa.Text(), nullable=True),
        sa.Column("starts", sa.Date(), nullable=False),
        sa.Column("ends", sa.Date(), nullable=True),
        sa.Column("responsible", sa.String(200), nullable=False),
        _version(),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_agreement_pdsa_initiative", "agreement_pdsa_cycles", ["agreement_id", "initiative_key"]
    )
    op.create_table(
        "agreement_measurements",
        sa.Column("id", sa.Integer(), primary_key=True),
        _agreement(),
        sa.Column("initiative_key", sa.String(64), nullable=False),
        sa.Column("pdsa_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("chart", sa.String(8), nullable=False),
        sa.Column("csv", sa.Text(), nullable=False),
        _version(),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_agreement_measurements_initiative",
        "agreement_measurements",
        ["agreement_id", "initiative_key"],
    )
    op.create_table(
        "agreement_input_rounds",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("owner", sa.String(80), nullable=False),
        sa.Column("agreement_id", sa.String(64), nullable=True),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("respondents", sa.JSON(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        _version(),
    )
    op.create_table(
        "agreement_input_answers",
        sa.Column(
            "round_id",
            sa.String(64),
            sa.ForeignKey("agreement_input_rounds.id"),
            primary_key=True,
        ),
        sa.Column("respondent", sa.String(80), primary_key=True),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("answered_by", sa.String(128), nullable=False),
        _version(),
    )


def downgrade() -> None:
    for table in (
        "agreement_input_answers",
        "agreement_input_rounds",
        "agreement_measurements",
        "agreement_pdsa_cycles",
        "agreement_targets",
        "agreement_initiatives",
        "agreement_items",
        "agreement_status_steps",
        "agreements",
    ):
        op.drop_table(table)

"""The governance registry: fora, people, offices, seats, meetings, agenda items, decisions
and imported unit memberships.

Revision ID: g001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "g001"
down_revision = None
branch_labels = ("governance",)
# The core's first revision, like every domain branch: depending on "0002" (the core's
# head) makes Alembic record only "g001" as applied, and the start-up check that compares
# applied heads with all heads ("0002+g001") would then never see the database as current.
depends_on = "0001"


def _period() -> list[sa.Column]:
    return [
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
    ]


def _version() -> sa.Column:
    return sa.Column("version", sa.Integer(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "governance_fora",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("unit_level", sa.String(16), nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("parent_id", sa.String(64), nullable=True),
        *_period(),
        _version(),
    )
    op.create_table(
        "governance_people",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        _version(),
    )
    op.create_table(
        "governance_offices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "person_id", sa.String(64), sa.ForeignKey("governance_people.id"), nullable=False
        ),
        sa.Column("office", sa.String(32), nullable=False),
        sa.Column("unit_level", sa.String(16), nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=False),
        *_period(),
        _version(),
        sqlite_autoincrement=True,  # a deleted row's id is never reused
    )
    op.create_index("ix_governance_offices_person", "governance_offices", ["person_id"])
    op.create_table(
        "governance_seats",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("forum_id", sa.String(64), sa.ForeignKey("governance_fora.id"), nullable=False),
        sa.Column(
            "person_id", sa.String(64), sa.ForeignKey("governance_people.id"), nullable=False
        ),
        sa.Column("side", sa.String(32), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        *_period(),
        _version(),
        sqlite_autoincrement=True,  # a deleted row's id is never reused
    )
    op.create_index("ix_governance_seats_forum", "governance_seats", ["forum_id"])
    op.create_table(
        "governance_meetings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("forum_id", sa.String(64), sa.ForeignKey("governance_fora.id"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        _version(),
        sqlite_autoincrement=True,  # a deleted row's id is never reused
    )
    op.create_index("ix_governance_meetings_forum_id", "governance_meetings", ["forum_id"])
    op.create_table(
        "governance_agenda_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "meeting_id", sa.Integer(), sa.ForeignKey("governance_meetings.id"), nullable=False
        ),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("subject_kind", sa.String(32), nullable=True),
        sa.Column("subject_ref", sa.String(64), nullable=True),
        _version(),
        sqlite_autoincrement=True,  # a deleted row's id is never reused
    )
    op.create_index(
        "ix_governance_agenda_items_meeting_id", "governance_agenda_items", ["meeting_id"]
    )
    op.create_table(
        "governance_decisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("forum_id", sa.String(64), sa.ForeignKey("governance_fora.id"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("subject_kind", sa.String(32), nullable=True),
        sa.Column("subject_ref", sa.String(64), nullable=True),
        _version(),
        sqlite_autoincrement=True,  # a deleted row's id is never reused
    )
    op.create_index("ix_governance_decisions_forum_id", "governance_decisions", ["forum_id"])
    op.create_table(
        "governance_unit_memberships",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("unit_level", sa.String(16), nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("municipality_code", sa.String(3), nullable=False),
        *_period(),
        sa.Column("basis", sa.String(200), nullable=False),
        _version(),
        sqlite_autoincrement=True,  # a deleted row's id is never reused
    )
    op.create_index(
        "ix_governance_memberships_unit",
        "governance_unit_memberships",
        ["unit_level", "unit_code"],
    )


def downgrade() -> None:
    for table in (
        "governance_unit_memberships",
        "governance_decisions",
        "governance_agenda_items",
        "governance_meetings",
        "governance_seats",
        "governance_offices",
        "governance_people",
        "governance_fora",
    ):
        op.drop_table(table)

"""Forms and pages of the input rounds (agreement.md "Input rounds")."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field, field_validator

from tvaers.i18n import tr

_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


def _lines(value: object) -> object:
    # A textarea: one entry per line, blank lines left out.
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    return value


class RoundCreate(BaseModel):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1, max_length=300)
    owner: str = Field(min_length=3, max_length=80)
    agreement: str | None = Field(default=None, max_length=64)
    questions: list[str] = Field(min_length=1, max_length=30)
    respondents: list[str] = Field(min_length=1, max_length=200)
    deadline: date

    _split = field_validator("questions", "respondents", mode="before")(_lines)

    @field_validator("questions")
    @classmethod
    def _short(cls, value: list[str]) -> list[str]:
        if any(len(q) > 1000 for q in value):
            raise ValueError(
                tr("højst 1000 tegn pr. spørgsmål", "at most 1000 characters a question")
            )
        return value


class AnswerSave(BaseModel):
    respondent: str = Field(min_length=1, max_length=80)
    texts: list[str]
    version: int = Field(ge=0)  # 0: a first answer

    @field_validator("texts")
    @classmethod
    def _long(cls, value: list[str]) -> list[str]:
        if any(len(t) > 10_000 for t in value):
            raise ValueError(
                tr("højst 10.000 tegn pr. svar", "at most 10,000 characters an answer")
            )
        return value


class ThemesSave(BaseModel):
    respondent: str = Field(min_length=1, max_length=80)
    themes: list[str] = []
    version: int = Field(ge=1)

    @field_validator("themes", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        # "Forebyggelse, Rekruttering": comma separated in the form
        if isinstance(value, str):
            return [t.strip() for t in value.split(",") if t.strip()]
        return value


class RoundClose(BaseModel):
    version: int = Field(ge=1)


class AnswerRead(BaseModel):
    respondent: str
    respondent_name: str
    cluster: str
    texts: list[str]
    themes: list[str]
    answered_by: str
    version: int


class RespondentRead(BaseModel):
    ref: str
    name: str
    cluster: str
    answered: bool
    mine: bool  # the user answers for it


class ThemeCountRead(BaseModel):
    theme: str
    answers: int
    clusters: list[str]


class ClusterSummaryRead(BaseModel):
    cluster: str
    respondents: int
    answered: int
    themes: list[ThemeCountRead]


class RoundRead(BaseModel):
    id: str
    name: str
    owner: str
    owner_name: str
    agreement: str | None
    questions: list[str]
    deadline: date
    open: bool
    href: str
    version: int


class RoundPageRead(BaseModel):
    round: RoundRead
    respondents: list[RespondentRead]
    answers: list[AnswerRead]  # what this user may see of them
    sees_all: bool  # the secretariat, or the round has closed
    is_secretariat: bool
    summaries: list[ClusterSummaryRead]  # per cluster (only when all answers are seen)
    across: list[ThemeCountRead]  # themes across the clusters, most clusters first
    history: list[str]

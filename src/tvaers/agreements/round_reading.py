"""An input round as its page and its document show it: the questions, the respondents,
the answers this user may see (rounds.py says who sees what), the themes counted per
cluster and across, and the round as a Markdown document."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tvaers.agreements import rounds, service
from tvaers.agreements.models import Answer, InputRound
from tvaers.agreements.round_schemas import (
    AnswerRead,
    ClusterSummaryRead,
    RespondentRead,
    RoundPageRead,
    RoundRead,
    ThemeCountRead,
)
from tvaers.i18n import tr as default_tr
from tvaers.web import records
from tvaers.web.forms import Tr
from tvaers.web.scope import Principal


def _counts(answers: list[AnswerRead]) -> list[ThemeCountRead]:
    answers_of: dict[str, int] = defaultdict(int)
    clusters_of: dict[str, set[str]] = defaultdict(set)
    for a in answers:
        for theme in a.themes:
            answers_of[theme] += 1
            clusters_of[theme].add(a.cluster)
    order = sorted(answers_of, key=lambda t: (-len(clusters_of[t]), -answers_of[t], t))
    return [
        ThemeCountRead(theme=t, answers=answers_of[t], clusters=sorted(clusters_of[t]))
        for t in order
    ]


def round_page(
    session: Session, user: Principal, round_id: str, tr: Tr = default_tr
) -> RoundPageRead:
    r = rounds.require_round(session, round_id)
    secretariat = rounds.is_secretariat(session, user, r)
    mine = rounds.my_respondents(session, user, r)
    sees_all = secretariat or not rounds.is_open(r)
    stored = {
        a.respondent: a for a in session.scalars(select(Answer).where(Answer.round_id == r.id))
    }
    names = {ref: service.owner_name(session, ref) for ref in r.respondents}
    # Grouped as the collaboration is organised on the deadline (today, if that is later).
    on = min(r.deadline, date.today())
    clusters = {ref: rounds.cluster_of(session, ref, on, tr) for ref in r.respondents}
    answers = [
        AnswerRead(
            respondent=ref,
            respondent_name=names[ref],
            cluster=clusters[ref],
            texts=a.texts,
            themes=a.themes,
            answered_by=a.answered_by,
            version=a.version,
        )
        for ref in r.respondents
        if (a := stored.get(ref)) is not None and (sees_all or ref in mine)
    ]
    summaries = []
    if sees_all:
        for cluster in sorted(set(clusters.values())):
            members = [ref for ref in r.respondents if clusters[ref] == cluster]
            summaries.append(
                ClusterSummaryRead(
                    cluster=cluster,
                    respondents=len(members),
                    answered=sum(1 for ref in members if ref in stored),
                    themes=_counts([a for a in answers if a.cluster == cluster]),
                )
            )
    return RoundPageRead(
        round=round_read(session, r),
        respondents=[
            RespondentRead(
                ref=ref,
                name=names[ref],
                cluster=clusters[ref],
                answered=ref in stored,
                mine=ref in mine,
            )
            for ref in r.respondents
        ],
        answers=answers,
        sees_all=sees_all,
        is_secretariat=secretariat,
        summaries=summaries,
        across=_counts(answers) if sees_all else [],
        history=[
            records.describe(e) for e in records.history(session, "agreements.input_round", r.id)
        ],
    )


def round_read(session: Session, r: InputRound) -> RoundRead:
    return RoundRead(
        id=r.id,
        name=r.name,
        owner=r.owner,
        owner_name=service.owner_name(session, r.owner),
        agreement=r.agreement_id,
        questions=r.questions,
        deadline=r.deadline,
        open=rounds.is_open(r),
        href=rounds.round_href(r.id),
        version=r.version,
    )


def markdown(page: RoundPageRead, tr: Tr = default_tr) -> str:
    """The round as a document for the secretariat: questions, summaries, every answer."""
    r = page.round
    lines = [
        f"# {r.name}",
        "",
        tr(
            f"Frist: {r.deadline}. Ejer: {r.owner_name}.",
            f"Deadline: {r.deadline}. Owner: {r.owner_name}.",
        ),
        "",
    ]
    lines += [f"## {tr('Spørgsmål', 'Questions')}", ""]
    lines += [f"{n}. {q}" for n, q in enumerate(r.questions, start=1)] + [""]
    lines += [f"## {tr('Temaer der fylder på tværs', 'Themes across the clusters')}", ""]
    lines += [
        f"- {t.theme}: {t.answers} {tr('svar', 'answers')} ({', '.join(t.clusters)})"
        for t in page.across
    ] or [tr("Ingen temaer mærket endnu.", "No themes tagged yet.")]
    for s in page.summaries:
        lines += [
            "",
            f"## {s.cluster}",
            "",
            tr(
                f"{s.answered} af {s.respondents} har svaret.",
                f"{s.answered} of {s.respondents} answered.",
            ),
            "",
        ]
        lines += [f"- {t.theme}: {t.answers}" for t in s.themes]
        for a in (a for a in page.answers if a.cluster == s.cluster):
            lines += ["", f"### {a.respondent_name}", ""]
            if a.themes:
                lines += [tr("Temaer: ", "Themes: ") + ", ".join(a.themes), ""]
            for n, (q, text) in enumerate(zip(r.questions, a.texts, strict=False), start=1):
                lines += [f"**{n}. {q}**", "", text or "–", ""]
    return "\n".join(lines).rstrip() + "\n"

"""The pack's appendix: each indicator's definition from the catalogue (name, numerator,
denominator, code lists, source, version) and the rules of the statistics and of disclosure
control, as docs/indicators-guide.md states them.

The version printed is the one the results were computed with (the result set records it);
when the shipped catalogue has moved on since, the pack says so. The code lists are the
catalogue's own description of each method (the text docs/indicators.md is generated
from), rendered from its Markdown by markdown-it (which Rich already depends on).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markupsafe import Markup

from tvaers.indicators import catalogue as catalogue_module
from tvaers.indicators import docs as catalogue_docs
from tvaers.web.labels import Tr, direction_name
from tvaers.web.results_store import Snapshot
from tvaers.web.texts import translator

INTERVALS = {
    "wilson": ("Wilson-interval (andele)", "Wilson score interval (proportions)"),
    "poisson": ("eksakt Poisson-interval (Garwood) på tælleren", "exact Poisson (Garwood)"),
    None: ("intet (et antal)", "none (a count)"),
}


@dataclass(frozen=True)
class DefinitionText:
    id: str
    name: str
    description: str
    numerator: str
    denominator: str
    unit: str
    periods: str
    standardisation: str
    interval: str
    direction: str
    source: str
    version: str  # the version the results were computed with
    catalogue_note: str  # the shipped catalogue's version when it differs, else ""
    codes: Markup  # the method's population, code lists and strata


@cache
def _catalogue() -> catalogue_module.Catalogue | None:
    try:
        return catalogue_module.load()
    except catalogue_module.CatalogueError:
        return None


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def definitions(snap: Snapshot, lang: str) -> list[DefinitionText]:
    tr = translator(lang)
    cat = _catalogue()
    out = []
    for d in snap.definitions.values():
        try:
            ind = cat.get(d.id) if cat is not None else None
        except KeyError:
            ind = None
        texts = (lambda t: t.en if lang == "en" else t.da) if ind is not None else None
        note = ""
        if ind is not None and ind.version != d.version:
            note = tr(
                f"Kataloget har nu version {ind.version}; tallene er beregnet med {d.version}.",
                f"The catalogue is now at version {ind.version}; the figures were computed "
                f"with {d.version}.",
            )
        codes = Markup("")
        if ind is not None:
            codes = Markup(_markdown().render("\n".join(ind.method.describe(ind))))
        out.append(
            DefinitionText(
                id=d.id,
                name=d.name(lang),
                description=texts(ind.description) if texts and ind else "",
                numerator=texts(ind.numerator) if texts and ind else "",
                denominator=texts(ind.denominator) if texts and ind else "",
                unit=d.unit(lang),
                periods=", ".join(d.period_types),
                standardisation=tr(
                    "direkte, på køn og 5-årsaldersgrupper",
                    "direct, by sex and 5-year age band",
                )
                if d.standardised
                else tr("nej", "no"),
                interval=tr(*INTERVALS[ind.interval if ind else None]),
                direction=direction_name(d.direction, tr),
                source=ind.source if ind else "",
                version=d.version,
                catalogue_note=note,
                codes=codes,
            )
        )
    return out


def building_blocks() -> Markup:
    """The chronic diseases' code lists and the stay rules (shared by several indicators)."""
    cat = _catalogue()
    if cat is None:
        return Markup("")
    lines = catalogue_docs._blocks(cat)[1:]  # without its "## Building blocks" heading
    return Markup(_markdown().render("\n".join(lines).replace("### ", "#### ")))


def rules(tr: Tr) -> list[str]:
    """The statistics and disclosure-control rules, in short (docs/indicators-guide.md)."""
    return [
        tr(
            "Værdien er tæller / nævner × indikatorens faktor (pr. 100, pr. 1.000); et antal "
            "har ingen nævner.",
            "The value is numerator / denominator × the indicator's factor (per 100, per "
            "1,000); a count has no denominator.",
        ),
        tr(
            "95 %-konfidensintervaller: eksakt Poisson (Garwood) for rater og dage, Wilson "
            "for andele. Standardiserede værdier er direkte standardiseret på køn og "
            "5-årsaldersgrupper med hele lagerets befolkning som standard.",
            "95 % confidence intervals: exact Poisson (Garwood) for rates and days, Wilson "
            "for proportions. Standardised values are directly standardised by sex and "
            "5-year age band, with the whole warehouse's population as the standard.",
        ),
        tr(
            "SPC: seriediagram med Anhøjs regler (længste serieforløb og antal krydsninger) "
            "over enhedens måneder eller kvartaler; mindst 10 perioder. 'Tegn på reel "
            "ændring' betyder, at en regel giver signal; ellers 'kun tilfældig variation'.",
            "SPC: run chart with Anhøj's rules (longest run and number of crossings) over "
            "the unit's months or quarters; at least 10 periods. 'Signs of a real change' "
            "means a rule signals; otherwise 'only random variation'.",
        ),
        tr(
            "Diskretionering (indikatorkatalog v1.1): en tæller på 1–4 skjules (for en andel "
            "også et komplement på 1–4), og der skjules så få celler mere som muligt, så "
            "intet skjult tal kan regnes ud af de viste (geografi, tid, strata og fælles "
            "nævnere).",
            "Disclosure control (indicator catalogue v1.1): a numerator of 1–4 is hidden (for "
            "a proportion also a complement of 1–4), and as few further cells as possible "
            "are hidden so that no hidden number can be worked out from those shown "
            "(geography, time, strata and shared denominators).",
        ),
        tr(
            "En skjult celle står som — med sin nævner; den er aldrig 0. * = foreløbig "
            "(under 30 dages opfølgning før udtrækket).",
            "A hidden cell is printed as — with its denominator; it is never 0. * = "
            "provisional (less than 30 days of follow-up before the extraction).",
        ),
    ]

"""docs/indicators.md, rendered from the catalogue's definition files (via tvaers.docs_gen)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from tvaers.indicators.catalogue import Catalogue, Indicator, load
from tvaers.indicators.methods.base import code_list

DIRECTION_WORDS = {
    "lower_is_better": "lower is better / lavere er bedre",
    "higher_is_better": "higher is better / højere er bedre",
    "neutral": "neutral (no better direction) / neutral",
}
INTERVAL_WORDS = {
    "poisson": "exact Poisson (Garwood) on the numerator",
    "wilson": "Wilson score interval",
    None: "none (a count)",
}


def _indicator(ind: Indicator) -> list[str]:
    strata = ", ".join(f"`{s.id}`" if s.id else "total (empty)" for s in ind.strata)
    std = f"direct, by sex and 5-year age band from {ind.std_age_min}" if ind.standardised else "no"
    return [
        f"## `{ind.id}`",
        "",
        f"**{ind.name.en}** / *{ind.name.da}* — version {ind.version}",
        "",
        ind.description.en,
        "",
        f"> {ind.description.da}",
        "",
        "| | |",
        "|---|---|",
        f"| numerator | {ind.numerator.en} / {ind.numerator.da} |",
        f"| denominator | {ind.denominator.en} / {ind.denominator.da} |",
        f"| factor | {ind.factor} ({ind.unit.en} / {ind.unit.da}) |",
        f"| periods | {', '.join(ind.periods)} |",
        f"| strata | {strata} |",
        f"| standardised | {std} |",
        f"| 95 % interval | {INTERVAL_WORDS[ind.interval]} |",
        f"| direction | {DIRECTION_WORDS[ind.direction]} |",
        f"| method | `{ind.method.name}` |",
        f"| source | {ind.source} |",
        "",
        *ind.method.describe(ind),
        "",
    ]


def _blocks(cat: Catalogue) -> list[str]:
    b = cat.blocks
    lines = [
        "## Building blocks",
        "",
        f"Version {b.version}. {b.source}",
        "",
        f"- **Stay**: contacts of type {', '.join(b.stay_contact_types)} with an end, per "
        f"person and sector; a contact joins the current stay when it starts no later than "
        f"{b.link_gap_hours:g} hours after the latest end so far.",
        f"- **Admission**: a stay lasting at least {b.admission_min_hours:g} hours.",
        "",
        "### Chronic diseases",
        "",
        "| stratum | name | hospital diagnoses (before 1 January) | prescriptions |",
        "|---|---|---|---|",
    ]
    for d in b.diseases:
        rx = "—"
        if d.prescriptions:
            p = d.prescriptions
            rx = f"≥ {p.min_dispensings} dispensing(s) of {code_list(p.atc)}"
            if p.within_days:
                rx += f" within {p.within_days} days"
            if p.min_age_at_last:
                rx += f", age ≥ {p.min_age_at_last} at the last"
            rx += f", in the {p.lookback_years} years before"
        excl = f" (not with {', '.join(d.excluded_by)})" if d.excluded_by else ""
        lines.append(
            f"| `{d.id}` | {d.name.en} / {d.name.da}{excl} | {code_list(d.diagnoses)} | {rx} |"
        )
    return [*lines, ""]


def render_indicators(header: str) -> str:
    cat = load(Path(str(files("tvaers") / "indicators" / "catalogue")))
    lines = [
        header,
        "# Indicator catalogue v1",
        "",
        "> **Generated page.** Rendered from the definition files in",
        "> `src/tvaers/indicators/catalogue/*.yaml`, the same files the engine computes from.",
        "> Change a definition there (and its `version`), run `make docs` and recompute.",
        "",
        "> **Dansk resumé.** Alle indikatorer i katalog v1 med tæller, nævner, faktor,",
        "> perioder, strata, standardisering, kodelister og kilde — genereret fra de samme",
        "> definitionsfiler, som beregningen bruger.",
        "",
        "How the numbers are made — statistics, disclosure control, the structure date — is",
        "described in [indicators-guide.md](indicators-guide.md).",
        "",
        "| id | name | periods | factor | standardised | version |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| [`{i.id}`](#{i.id}) | {i.name.en} | {', '.join(i.periods)} | {i.factor} | "
        f"{'yes' if i.standardised else 'no'} | {i.version} |"
        for i in cat.indicators
    ]
    lines.append("")
    lines += _blocks(cat)
    for ind in cat.indicators:
        lines += _indicator(ind)
    return "\n".join(lines).rstrip() + "\n"

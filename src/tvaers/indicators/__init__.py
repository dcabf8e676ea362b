"""The indicator engine: catalogue (definitions as data), building blocks, indicator counts,
roll-up to every level, statistics, disclosure control, publication and export."""

from tvaers.domains import CliEntry, Domain

DOMAIN = Domain(
    name="indicators",
    title_da="Indikatorer",
    title_en="Indicators",
    cli=(
        CliEntry(
            "indicators",
            "tvaers.indicators.cli:indicators_app",
            "Indikatorerne: katalog, beregning, udtræk.",
            "The indicators: catalogue, computation, export.",
        ),
    ),
)

"""Statistical process control: run charts and control charts with the Anhøj rules.

Public API (what the CLI and the web use):

- `compute(y, n, x, chart=..., freeze=..., parts=..., exclude=..., screen_mr=..., multiply=...)`
  → `SpcResult` (with `to_json()` in the spec's shape);
- `batch.verdicts(table, chart=...)` → one verdict row per series of a long table;
- `verdict.verdict_text(...)`, `verdict.footer(...)`, `verdict.assurance(...)`;
- `vega.spec(result, ...)` → a Vega-Lite chart specification (a plain dict).
"""

from tvaers.domains import CliEntry, Domain
from tvaers.spc.chart import CHARTS, NEEDS_N, SpcInputError, SpcResult, compute

__all__ = ["CHARTS", "DOMAIN", "NEEDS_N", "SpcInputError", "SpcResult", "compute"]

DOMAIN = Domain(
    name="spc",
    title_da="Statistisk processtyring",
    title_en="Statistical process control",
    cli=(
        CliEntry(
            "spc",
            "tvaers.spc.cli:spc_app",
            "Statistisk processtyring: serie- og kontroldiagrammer.",
            "Statistical process control: run and control charts.",
        ),
    ),
)

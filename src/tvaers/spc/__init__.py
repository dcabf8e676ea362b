"""Statistical process control: run charts and control charts with the Anhøj rules.

Public API (what the CLI and the web use):

- `compute(y, n, x, chart=..., freeze=..., parts=..., exclude=..., screen_mr=..., multiply=...)`
  → `SpcResult` (with `to_json()` in the spec's shape);
- `batch.verdicts(table, chart=...)` → one verdict row per series of a long table;
- `verdict.verdict_text(...)`, `verdict.footer(...)`, `verdict.assurance(...)`;
- `vega.spec(result, ...)` → a Vega-Lite chart specification (a plain dict).
"""

from tvaers.spc.chart import CHARTS, NEEDS_N, SpcInputError, SpcResult, compute

__all__ = ["CHARTS", "NEEDS_N", "SpcInputError", "SpcResult", "compute"]

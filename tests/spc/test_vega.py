"""The Vega-Lite specification the CLI renders and the web can reuse."""

from __future__ import annotations

import subprocess
import sys

from tvaers import i18n
from tvaers.spc import compute
from tvaers.spc.vega import spec


def test_spec_carries_points_states_and_the_verdict() -> None:
    r = compute([10, 11] * 10 + [30], chart="i", exclude=[2])
    s = spec(r, title="Besøg pr. uge", direction="higher_is_better")
    values = s["data"]["values"]
    assert [v["state"] for v in values][:2] == ["normal", "excluded"]
    assert values[-1]["state"] == "signal"  # 30 is above the upper limit
    assert s["title"]["text"] == "Besøg pr. uge"
    assert s["title"]["subtitle"][0] == "tegn på reel ændring – en forbedring"
    assert "udeladt: punkt 2" in s["title"]["subtitle"][1]
    assert s["config"]["locale"]["number"]["decimal"] == ","


def test_english_spec_uses_a_decimal_point() -> None:
    i18n.set_language("en")
    s = spec(compute([1, 2, 3], chart="run"))
    assert s["config"]["locale"]["number"]["decimal"] == "."
    assert all(v["lcl"] is None for v in s["data"]["values"])  # a run chart has no limits


def test_the_cli_does_not_load_scipy_or_the_renderer_at_start_up() -> None:
    code = "import sys, tvaers.cli; print('scipy' in sys.modules, 'vl_convert' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]

"""The fingerprint of a pack's inputs: the result set (when it was computed, from which
deliveries — by their own fingerprints —, with which definition versions and structure
dates), the unit, the year, the language, whether the pack is unsuppressed, and what the
optional sections read from the registries (the application database is an input too: a
new target or case gives a new fingerprint). The same inputs give the same fingerprint and
the same pack; it is printed on the cover and kept with every pack made through the web.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict

from tvaers.reports.providers import Resolved
from tvaers.web.results_store import Snapshot

# Raised when the pack's content or layout changes, so an older pack is not taken for the
# same document.
PACK_FORMAT = 2  # 2: the optional sections of the registries


def fingerprint(
    snap: Snapshot,
    level: str,
    code: str,
    period: str,
    lang: str,
    confidential: bool,
    optional: Sequence[Resolved] = (),
) -> str:
    inputs = {
        "format": PACK_FORMAT,
        "run": snap.run,
        "unit": f"{level}:{code}",
        "period": period,
        "lang": lang,
        "unsuppressed": confidential,
        "sections": [[r.key, asdict(r.section) if r.section else None] for r in optional],
    }
    text = json.dumps(inputs, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()

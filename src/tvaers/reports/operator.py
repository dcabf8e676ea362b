"""Who a pack made on the command line is for. `tvaers report pack` is run by an operator on
the warehouse's machine: by default the pack shows what every user of the dashboards sees
(disclosure control on every cell); with --unsuppressed it shows every cell, as
`tvaers indicators export --unsuppressed` does, and every page is stamped."""

from __future__ import annotations

from tvaers.web.access import Access
from tvaers.web.results_store import Snapshot


class OperatorAccess(Access):
    """Sees every cell unsuppressed (counted in ``revealed`` like any reveal)."""

    def __init__(self, snapshot: Snapshot) -> None:
        super().__init__(None, snapshot)
        self.nothing = False

    def visible(self, level: str, code: str) -> bool:
        return True


def access_for(snapshot: Snapshot, unsuppressed: bool) -> Access:
    return OperatorAccess(snapshot) if unsuppressed else Access(None, snapshot)

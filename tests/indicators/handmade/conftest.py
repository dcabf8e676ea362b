"""Every hand-made test runs on the shipped catalogue unless it points elsewhere itself."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _shipped_catalogue(monkeypatch):
    monkeypatch.delenv("TVAERS_CATALOGUE_DIR", raising=False)

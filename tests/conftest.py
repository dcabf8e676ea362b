"""Shared fixtures: every test runs with a synthetic test key and Danish texts."""

from __future__ import annotations

import pytest

from tvaers import i18n

TEST_KEY_HEX = "5e" * 32  # synthetic test key; never a production key


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path_factory):
    monkeypatch.setenv("TVAERS_SECRET_KEY", TEST_KEY_HEX)
    monkeypatch.setenv("TVAERS_KEY_FILE", str(tmp_path_factory.mktemp("keys") / "key"))
    monkeypatch.delenv("TVAERS_LANG", raising=False)
    monkeypatch.delenv("TVAERS_DB", raising=False)
    monkeypatch.setattr(i18n, "_language", None)

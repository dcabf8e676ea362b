"""Acceptance tests of the indicator engine with hand-worked expected numbers.

Each test builds a tiny delivery, loads it with `tvaers ingest`, runs `tvaers indicators
compute` and reads back `tvaers indicators export` (CSV), then checks numbers worked out by
hand from the definitions in the spec (indicators.md).
"""

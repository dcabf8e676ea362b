"""The indicator engine: catalogue (definitions as data), building blocks, indicator counts,
roll-up to every level, statistics, disclosure control, publication and export."""

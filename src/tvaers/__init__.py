"""Tværs — data and indicators for the Danish cross-sector health collaboration."""

__version__ = "0.1.0"

"""Tessere: community welfare for Italian social districts."""

__version__ = "0.1.0"

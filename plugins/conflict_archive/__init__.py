"""Conflict Archive: an archival static-site generator for conflict reporting.

The package is a domain core (model, vocabularies, validation, indexes, scoring, fragment
rendering) that imports nothing from MkDocs, plus `plugin.py`, a thin MkDocs adapter.
"""

__version__ = "0.1.0"

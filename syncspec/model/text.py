"""A YAML scalar as the text SuperOffice stores: the one spelling every layer compares and sends."""

from __future__ import annotations


def scalar_text(value: object) -> str:
    """`true`/`false` for booleans (YAML's spelling, which the tenant stores), numbers as
    Python writes them, text as is."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

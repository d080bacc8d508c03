"""CultureDataFormatter values for connectors: the codec itself is `syncspec.model.culture`.

Kept so connectors (and their tests) import the codec from the connector layer they belong to.
"""

from __future__ import annotations

from syncspec.model.culture import (
    INT_MAX,
    INT_MIN,
    InvalidValue,
    Value,
    canonical_stored,
    encode_value,
    normalize_value,
    parse_value,
    same_stored,
    wire_form,
)

__all__ = [
    "INT_MAX",
    "INT_MIN",
    "InvalidValue",
    "Value",
    "canonical_stored",
    "encode_value",
    "normalize_value",
    "parse_value",
    "same_stored",
    "wire_form",
]

"""YAML 1.2 core-schema resolution of plain scalars.

PyYAML resolves YAML 1.1 (`NO`, `yes`, `on` are booleans; `012` is octal), which turns the
ERP country code `NO` into `False`. syncspec reads YAML 1.2 core: only the spellings below
are special, everything else is a string.
"""

from __future__ import annotations

import re
from typing import Any

_INT_DEC = re.compile(r"[-+]?[0-9]+")
_INT_OCT = re.compile(r"0o[0-7]+")
_INT_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INF = {".inf", ".Inf", ".INF"}
_NAN = {".nan", ".NaN", ".NAN"}
# Only plain scalars starting with one of these can be anything but a string.
_SPECIAL_START = frozenset("-+.0123456789~nNtTfF")

CORE_TAG_PREFIX = "tag:yaml.org,2002:"


def resolve_plain(value: str) -> Any:
    """The value of an untagged plain scalar under the YAML 1.2 core schema."""
    if value and value[0] not in _SPECIAL_START:
        return value
    if value in _NULLS:
        return None
    found = _BOOLS.get(value)
    if found is not None:
        return found
    number = resolve_number(value)
    return value if number is None else number


def resolve_number(value: str) -> int | float | None:
    """An int or float if `value` is one in the core schema, else None."""
    if _INT_DEC.fullmatch(value):
        return int(value, 10)
    if _INT_OCT.fullmatch(value):
        return int(value[2:], 8)
    if _INT_HEX.fullmatch(value):
        return int(value[2:], 16)
    if _FLOAT.fullmatch(value):
        return float(value)
    sign = value[:1] if value[:1] in "+-" else ""
    if value[len(sign) :] in _INF:
        return float("-inf") if sign == "-" else float("inf")
    if value in _NAN:
        return float("nan")
    return None


class TagError(ValueError):
    """An explicit tag syncspec does not accept, or a value its tag cannot hold."""


def resolve_tagged(tag: str, value: str) -> Any:
    """The value of a scalar with an explicit core tag (`!!str`, `!!int`, ...)."""
    name = tag[len(CORE_TAG_PREFIX) :] if tag.startswith(CORE_TAG_PREFIX) else None
    if tag == "!" or name == "str":
        return value
    if name == "null" and value in _NULLS:
        return None
    if name == "bool" and value in _BOOLS:
        return _BOOLS[value]
    if name in ("int", "float"):
        number = resolve_number(value)
        if isinstance(number, int) and name == "int":
            return number
        if number is not None and name == "float":
            return float(number)
    if name in ("null", "bool", "int", "float"):
        raise TagError(f"{value!r} is not a valid !!{name}")
    raise TagError(f"unsupported tag {tag!r}: only the YAML core tags (!!str, !!int, ...) are allowed")

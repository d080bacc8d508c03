"""Is a default value valid for an ERP field's type? Delegates to the connectors' CultureDataFormatter parser.

List values are checked against the ERP list by the caller. The value itself never enters a message.
"""

from __future__ import annotations

from syncspec.embedded.connectors.encoding import InvalidValue, parse_value
from syncspec.model.enums import FieldMetadataType as T


def value_problem(field_type: T, value: str) -> str | None:
    """Why `value` is not a valid default for a field of `field_type`, or None when it is."""
    if field_type in (T.LABEL, T.PASSWORD):
        return f"a {field_type} field cannot have a default value"
    try:
        parse_value(field_type, value)
    except InvalidValue as exc:
        return f"the value is not valid: {exc}"
    return None

"""Field values as strings, the way SuperOffice's CultureDataFormatter writes them.

It lives in `model/` because both sides need it: connectors and the embedded tenant parse
values with it, and the pure planner compares config and default values in this form.

Connector config values and actor field values travel as strings. Text, Password and List
values are sent as they are (a list value is the item key); the others are tagged:

    Checkbox  [I:1] / [I:0]
    Integer   [I:12345]
    Double    [F:12345.6789]   ([D:...] is read too: the sample connector's output shows it)
    Datetime  [DT:12/31/2013 23:59:59.0000000]   (invariant culture, 100 ns fraction)

`parse_value` also accepts the plain forms a person writes in YAML (``30``, ``1.5``,
``true``, ``2013-12-31T23:59:59``) unless `strict` is set; `encode_value` always writes the
tagged form. Datetime values are returned as ISO-8601 strings so every value stays a
JSON-friendly scalar.
"""

from __future__ import annotations

import math
import re
from datetime import datetime

from syncspec.model.enums import FieldMetadataType

Value = str | int | float | bool

# CultureDataFormatter writes .NET Int32 values.
INT_MIN = -(2**31)
INT_MAX = 2**31 - 1

_TAGGED = re.compile(r"\A\[(?P<tag>I|F|D|DT):(?P<body>.*)\]\Z", re.DOTALL)
_INT = re.compile(r"\A[+-]?[0-9]+\Z")
# A decimal number with a dot, optional exponent: no thousands separators, no comma decimals.
_FLOAT = re.compile(r"\A[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
_DOTNET_DT = re.compile(
    r"\A(?P<month>[0-9]{1,2})/(?P<day>[0-9]{1,2})/(?P<year>[0-9]{4}) "
    r"(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]{1,7}))?\Z"
)

_TRUE_WORDS = frozenset({"1", "true", "yes"})
_FALSE_WORDS = frozenset({"0", "false", "no"})
_TEXT_TYPES = frozenset({FieldMetadataType.TEXT, FieldMetadataType.PASSWORD, FieldMetadataType.LIST})

_EXPECTED = {
    FieldMetadataType.CHECKBOX: "a checkbox value [I:1] or [I:0] (or true/false)",
    FieldMetadataType.INTEGER: "an integer like [I:12345] (or 12345)",
    FieldMetadataType.DOUBLE: "a decimal number like [F:12345.6789] (or 12345.6789)",
    FieldMetadataType.DATETIME: (
        "a date and time like [DT:12/31/2013 23:59:59.0000000] (or 2013-12-31T23:59:59)"
    ),
    FieldMetadataType.LABEL: "no value (a Label field only shows text)",
}
_EXPECTED_STRICT = {
    FieldMetadataType.CHECKBOX: "a checkbox value [I:1] or [I:0]",
    FieldMetadataType.INTEGER: "an integer like [I:12345]",
    FieldMetadataType.DOUBLE: "a decimal number like [F:12345.6789]",
    FieldMetadataType.DATETIME: "a date and time like [DT:12/31/2013 23:59:59.0000000]",
}


class InvalidValue(ValueError):
    """A value does not have the form its field type needs; the message says which form."""


def _expected(field_type: FieldMetadataType, strict: bool) -> str:
    if strict and field_type in _EXPECTED_STRICT:
        return _EXPECTED_STRICT[field_type]
    return _EXPECTED.get(field_type, "a text")


def _invalid(field_type: FieldMetadataType, strict: bool = False, detail: str = "") -> InvalidValue:
    lead = f"{field_type.value} value: expected {_expected(field_type, strict)}"
    return InvalidValue(f"{lead}; {detail}" if detail else lead)


def parse_value(field_type: FieldMetadataType, text: str, *, strict: bool = False) -> Value:
    """Read one encoded value. Raises `InvalidValue` saying which form was expected.

    The message never repeats the text: the value may be a password or come from the environment.
    """
    if field_type in _TEXT_TYPES:
        return text
    if field_type is FieldMetadataType.LABEL:
        if text:
            raise _invalid(field_type)
        return ""
    stripped = text.strip()
    match = _TAGGED.match(stripped)
    tag, body = (match["tag"], match["body"]) if match else ("", stripped)
    if strict and not match:
        raise _invalid(field_type, strict, "the value is not in CultureDataFormatter's [X:...] form")
    if field_type is FieldMetadataType.CHECKBOX:
        return _parse_checkbox(tag, body, strict)
    if field_type is FieldMetadataType.INTEGER:
        return _parse_integer(tag, body, strict)
    if field_type is FieldMetadataType.DOUBLE:
        return _parse_double(tag, body, strict)
    return _parse_datetime(tag, body, strict)


def _parse_checkbox(tag: str, body: str, strict: bool) -> bool:
    kind = FieldMetadataType.CHECKBOX
    if tag == "I":
        if body in ("0", "1"):
            return body == "1"
        raise _invalid(kind, strict, "only [I:1] and [I:0] are checkbox values")
    if tag:
        raise _invalid(kind, strict, f"[{tag}:...] is not a checkbox tag")
    word = body.lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise _invalid(kind, strict)


def _parse_integer(tag: str, body: str, strict: bool) -> int:
    kind = FieldMetadataType.INTEGER
    if tag not in ("", "I"):
        raise _invalid(kind, strict, f"[{tag}:...] is not an integer tag")
    if not _INT.match(body):
        raise _invalid(kind, strict)
    number = int(body)
    if not INT_MIN <= number <= INT_MAX:
        raise _invalid(kind, strict, f"integers range from {INT_MIN} to {INT_MAX}")
    return number


def _parse_double(tag: str, body: str, strict: bool) -> float:
    kind = FieldMetadataType.DOUBLE
    if tag not in ("", "F", "D"):
        raise _invalid(kind, strict, f"[{tag}:...] is not a decimal tag")
    if not _FLOAT.match(body):
        detail = "use a dot as the decimal separator" if "," in body else ""
        raise _invalid(kind, strict, detail)
    number = float(body)
    if not math.isfinite(number):
        raise _invalid(kind, strict, "the number is too large")
    return number


def _parse_datetime(tag: str, body: str, strict: bool) -> str:
    kind = FieldMetadataType.DATETIME
    if tag not in ("", "DT"):
        raise _invalid(kind, strict, f"[{tag}:...] is not a date tag")
    moment = _read_dotnet_datetime(body) if tag == "DT" else _read_plain_datetime(body)
    if moment is None:
        raise _invalid(kind, strict)
    return moment.isoformat()


def _read_dotnet_datetime(body: str) -> datetime | None:
    match = _DOTNET_DT.match(body)
    if not match:
        return None
    # Seven fraction digits are 100 ns ticks; Python keeps microseconds, so the last digit goes.
    fraction = (match["fraction"] or "").ljust(7, "0")[:6]
    try:
        return datetime(
            int(match["year"]),
            int(match["month"]),
            int(match["day"]),
            int(match["hour"]),
            int(match["minute"]),
            int(match["second"]),
            int(fraction),
        )
    except ValueError:
        return None


def _read_plain_datetime(body: str) -> datetime | None:
    dotnet = _read_dotnet_datetime(body)
    if dotnet is not None:
        return dotnet
    try:
        moment = datetime.fromisoformat(body)
    except ValueError:
        return None
    # CultureDataFormatter has no zone: an offset would silently shift the time.
    return moment if moment.tzinfo is None else None


def encode_value(field_type: FieldMetadataType, value: Value | datetime) -> str:
    """Write one value in CultureDataFormatter's form (the tagged form for non-text types).

    Strings given for non-text types are read with `parse_value` first, so this also
    normalises ``"30"`` to ``"[I:30]"``. Raises `InvalidValue` for a value of the wrong kind.
    """
    if field_type in _TEXT_TYPES:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            # A YAML 1.1 reader turns a bare NO (Norway) into false: say so rather than send "False".
            raise InvalidValue(
                f"{field_type.value} value: expected a text, got a {type(value).__name__} "
                "(quote it in YAML, e.g. 'NO')"
            )
        return value if isinstance(value, str) else str(value)
    if field_type is FieldMetadataType.LABEL:
        if value != "":
            raise _invalid(field_type)
        return ""
    if isinstance(value, str):
        value = parse_value(field_type, value)
    if field_type is FieldMetadataType.CHECKBOX:
        return _encode_checkbox(value)
    if field_type is FieldMetadataType.INTEGER:
        return _encode_integer(value)
    if field_type is FieldMetadataType.DOUBLE:
        return _encode_double(value)
    return _encode_datetime(value)


def _encode_checkbox(value: Value | datetime) -> str:
    if isinstance(value, bool) or (isinstance(value, int) and value in (0, 1)):
        return "[I:1]" if value else "[I:0]"
    raise _invalid(FieldMetadataType.CHECKBOX)


def _encode_integer(value: Value | datetime) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _invalid(FieldMetadataType.INTEGER)
    if not INT_MIN <= value <= INT_MAX:
        raise _invalid(FieldMetadataType.INTEGER, detail=f"integers range from {INT_MIN} to {INT_MAX}")
    return f"[I:{value}]"


def _encode_double(value: Value | datetime) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _invalid(FieldMetadataType.DOUBLE)
    number = float(value)
    if not math.isfinite(number):
        raise _invalid(FieldMetadataType.DOUBLE, detail="the number must be finite")
    # repr is the shortest text that reads back to the same float, like .NET's "R" format.
    return f"[F:{number!r}]"


def _encode_datetime(value: Value | datetime) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise _invalid(FieldMetadataType.DATETIME)
    if value.tzinfo is not None:
        raise _invalid(FieldMetadataType.DATETIME, detail="the value must not carry a time zone")
    # Formatted by hand: strftime's %Y does not pad years before 1000 on every platform.
    return (
        f"[DT:{value.month:02d}/{value.day:02d}/{value.year:04d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}0]"
    )


def normalize_value(field_type: FieldMetadataType, text: str) -> str:
    """The canonical encoding of a value given in any accepted form (``"30"`` -> ``"[I:30]"``)."""
    return encode_value(field_type, parse_value(field_type, text))


_TAG_TYPES = {
    "I": FieldMetadataType.INTEGER,
    "F": FieldMetadataType.DOUBLE,
    "D": FieldMetadataType.DOUBLE,
    "DT": FieldMetadataType.DATETIME,
}


def wire_form(field_type: FieldMetadataType | None, value: Value | datetime) -> str | None:
    """The CultureDataFormatter form of a desired value, or None when it cannot be encoded.

    With no known type only an already tagged text is canonicalised (``"[F:1.50]"`` ->
    ``"[F:1.5]"``); anything else is left to the caller, who keeps it as written.
    """
    if field_type is None:
        return canonical_stored(value) if isinstance(value, str) else None
    try:
        return encode_value(field_type, value)
    except (InvalidValue, ValueError, TypeError):
        return None


def canonical_stored(text: str) -> str:
    """A stored value in its canonical spelling, judged by its own tag (no field type needed).

    ``"[I:+30]"`` -> ``"[I:30]"``, ``"[D:1.50]"`` -> ``"[F:1.5]"``, ``"[DT:1/2/2020 3:04:05]"``
    -> ``"[DT:01/02/2020 03:04:05.0000000]"``. Plain and unparsable texts are returned as
    they are: a plain ``"30"`` stays different from ``"[I:30]"``, so a value an older
    writer stored unencoded is planned once to its encoded form.
    """
    match = _TAGGED.match(text.strip())
    if not match:
        return text
    try:
        return encode_value(_TAG_TYPES[match["tag"]], parse_value(_TAG_TYPES[match["tag"]], text))
    except InvalidValue:
        return text


def same_stored(wanted: object, have: object) -> bool:
    """Whether a stored text holds the value asked for, when the field's type is not known.

    Equal texts are the same; so are a tagged text and a plain one that its tag reads to the
    same value (``"[I:30]"`` and ``"30"``). Without a type a checkbox's ``true`` cannot be
    matched to ``[I:1]``: callers with the field type compare `wire_form`s instead.
    """
    if wanted == have:
        return True
    if not isinstance(wanted, str) or not isinstance(have, str):
        return False
    for tagged, plain in ((have, wanted), (wanted, have)):
        match = _TAGGED.match(tagged.strip())
        if match and not _TAGGED.match(plain.strip()):
            kind = _TAG_TYPES[match["tag"]]
            try:
                return parse_value(kind, tagged) == parse_value(kind, plain)
            except InvalidValue:
                return False
    return canonical_stored(wanted) == canonical_stored(have)

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncspec.embedded.connectors.encoding import (
    INT_MAX,
    INT_MIN,
    InvalidValue,
    canonical_stored,
    encode_value,
    normalize_value,
    parse_value,
    same_stored,
    wire_form,
)
from syncspec.model.enums import FieldMetadataType
from syncspec.model.enums import FieldMetadataType as T


@pytest.mark.parametrize(
    ("field_type", "value", "encoded"),
    [
        (T.CHECKBOX, True, "[I:1]"),
        (T.CHECKBOX, False, "[I:0]"),
        (T.INTEGER, 12345, "[I:12345]"),
        (T.INTEGER, -7, "[I:-7]"),
        (T.DOUBLE, 12345.6789, "[F:12345.6789]"),
        (T.DOUBLE, 1.5, "[F:1.5]"),
        (T.DATETIME, datetime(2013, 12, 31, 23, 59, 59), "[DT:12/31/2013 23:59:59.0000000]"),
        (T.DATETIME, datetime(2, 1, 5, 7, 8, 9, 123456), "[DT:01/05/0002 07:08:09.1234560]"),
        (T.TEXT, "Oslo", "Oslo"),
        (T.PASSWORD, "s3cret", "s3cret"),
        (T.LIST, "NO", "NO"),
    ],
)
def test_encode_writes_culture_data_formatter_form(field_type: T, value: object, encoded: str) -> None:
    assert encode_value(field_type, value) == encoded  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field_type", "text", "value"),
    [
        (T.CHECKBOX, "[I:1]", True),
        (T.CHECKBOX, "[I:0]", False),
        (T.CHECKBOX, "true", True),
        (T.CHECKBOX, "False", False),
        (T.INTEGER, "[I:1001]", 1001),
        (T.INTEGER, "1001", 1001),
        (T.INTEGER, " [I:30] ", 30),
        (T.DOUBLE, "[F:1.5]", 1.5),
        (T.DOUBLE, "[D:0.0]", 0.0),
        (T.DOUBLE, "2.25", 2.25),
        (T.DATETIME, "[DT:12/31/2013 23:59:59.0000000]", "2013-12-31T23:59:59"),
        (T.DATETIME, "[DT:1/2/2014 03:04:05]", "2014-01-02T03:04:05"),
        (T.DATETIME, "2013-12-31", "2013-12-31T00:00:00"),
        (T.TEXT, "  spaced  ", "  spaced  "),
        (T.LIST, "NO", "NO"),
        (T.LABEL, "", ""),
    ],
)
def test_parse_reads_encoded_and_plain_forms(field_type: T, text: str, value: object) -> None:
    assert parse_value(field_type, text) == value


@pytest.mark.parametrize(
    ("field_type", "text", "expected_form"),
    [
        (T.CHECKBOX, "[I:2]", "[I:1] or [I:0]"),
        (T.CHECKBOX, "maybe", "[I:1] or [I:0]"),
        (T.INTEGER, "[I:1.5]", "[I:12345]"),
        (T.INTEGER, "[F:1]", "[I:12345]"),
        (T.INTEGER, f"[I:{INT_MAX + 1}]", "range"),
        (T.DOUBLE, "1,5", "decimal separator"),
        (T.DOUBLE, "[F:nan]", "[F:12345.6789]"),
        (T.DOUBLE, "1e999", "too large"),
        (T.DATETIME, "[DT:13/01/2013 00:00:00]", "[DT:12/31/2013 23:59:59.0000000]"),
        (T.DATETIME, "2013-12-31T10:00:00+02:00", "[DT:12/31/2013 23:59:59.0000000]"),
        (T.LABEL, "text", "no value"),
    ],
)
def test_parse_rejects_with_the_expected_form(field_type: T, text: str, expected_form: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_value(field_type, text)
    assert expected_form in str(caught.value)
    assert field_type.value in str(caught.value)


def test_strict_parse_needs_the_tagged_form() -> None:
    assert parse_value(T.INTEGER, "[I:5]", strict=True) == 5
    with pytest.raises(InvalidValue, match=r"\[X:\.\.\.\] form"):
        parse_value(T.INTEGER, "5", strict=True)


def test_error_messages_never_repeat_the_value() -> None:
    secret = "hunter2-secret"
    for field_type in (T.CHECKBOX, T.INTEGER, T.DOUBLE, T.DATETIME, T.LABEL):
        with pytest.raises(InvalidValue) as caught:
            parse_value(field_type, secret)
        assert secret not in str(caught.value)


def test_encode_normalises_strings_and_rejects_wrong_kinds() -> None:
    assert encode_value(T.INTEGER, "30") == "[I:30]"
    assert encode_value(T.DOUBLE, 2) == "[F:2.0]"
    assert encode_value(T.INTEGER, 4.0) == "[I:4]"
    assert encode_value(T.CHECKBOX, 1) == "[I:1]"
    assert encode_value(T.TEXT, 1001) == "1001"
    assert normalize_value(T.DATETIME, "2013-12-31T23:59:59") == "[DT:12/31/2013 23:59:59.0000000]"
    with pytest.raises(InvalidValue, match="quote it in YAML"):
        encode_value(T.LIST, False)
    with pytest.raises(InvalidValue):
        encode_value(T.INTEGER, True)
    with pytest.raises(InvalidValue):
        encode_value(T.INTEGER, INT_MIN - 1)
    with pytest.raises(InvalidValue):
        encode_value(T.CHECKBOX, 2)
    with pytest.raises(InvalidValue):
        encode_value(T.DOUBLE, float("inf"))
    with pytest.raises(InvalidValue):
        encode_value(T.LABEL, "x")


_moments = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59))


@settings(max_examples=200)
@given(st.integers(min_value=INT_MIN, max_value=INT_MAX))
def test_integer_round_trip(number: int) -> None:
    assert parse_value(T.INTEGER, encode_value(T.INTEGER, number), strict=True) == number


@settings(max_examples=200)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_double_round_trip(number: float) -> None:
    encoded = encode_value(T.DOUBLE, number)
    assert parse_value(T.DOUBLE, encoded, strict=True) == number
    assert parse_value(T.DOUBLE, encoded.replace("[F:", "[D:")) == number


@settings(max_examples=200)
@given(_moments)
def test_datetime_round_trip(moment: datetime) -> None:
    encoded = encode_value(T.DATETIME, moment)
    assert parse_value(T.DATETIME, encoded, strict=True) == moment.isoformat()
    assert encode_value(T.DATETIME, parse_value(T.DATETIME, encoded)) == encoded


@given(st.booleans())
def test_checkbox_round_trip(flag: bool) -> None:
    assert parse_value(T.CHECKBOX, encode_value(T.CHECKBOX, flag), strict=True) is flag


@settings(max_examples=200)
@given(st.sampled_from([T.TEXT, T.PASSWORD, T.LIST]), st.text())
def test_text_types_pass_through(field_type: T, text: str) -> None:
    assert parse_value(field_type, encode_value(field_type, text)) == text


@settings(max_examples=200)
@given(st.sampled_from([T.CHECKBOX, T.INTEGER, T.DOUBLE, T.DATETIME]), st.text(max_size=40))
def test_parse_either_returns_or_raises_invalid_value(field_type: T, text: str) -> None:
    # Arbitrary input must never escape as another exception (a traceback for the user).
    try:
        value = parse_value(field_type, text)
    except InvalidValue:
        return
    assert parse_value(field_type, encode_value(field_type, value)) == value


@pytest.mark.parametrize(
    ("field_type", "value", "wire"),
    [
        (FieldMetadataType.INTEGER, 30, "[I:30]"),
        (FieldMetadataType.INTEGER, "[I:30]", "[I:30]"),
        (FieldMetadataType.CHECKBOX, True, "[I:1]"),
        (FieldMetadataType.CHECKBOX, "[I:0]", "[I:0]"),
        (FieldMetadataType.DOUBLE, 1.5, "[F:1.5]"),
        (FieldMetadataType.TEXT, "30", "30"),
        (FieldMetadataType.INTEGER, "lots", None),  # does not fit: the caller keeps it as written
        (None, "[D:1.50]", "[F:1.5]"),  # no type: only tagged texts are canonicalised
        (None, 30, None),
    ],
)
def test_wire_form(field_type: FieldMetadataType | None, value: object, wire: str | None) -> None:
    assert wire_form(field_type, value) == wire  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("stored", "canonical"),
    [
        ("[I:+30]", "[I:30]"),
        ("[D:1.50]", "[F:1.5]"),
        ("[DT:1/2/2020 3:04:05]", "[DT:01/02/2020 03:04:05.0000000]"),
        ("30", "30"),  # plain stays plain: it is planned once to its encoded form
        ("[I:x]", "[I:x]"),
        ("NO", "NO"),
    ],
)
def test_canonical_stored(stored: str, canonical: str) -> None:
    assert canonical_stored(stored) == canonical


def test_same_stored_matches_a_tag_with_its_plain_value_only() -> None:
    assert same_stored("30", "[I:30]") and same_stored("[I:30]", "30")
    assert same_stored("[F:1.50]", "[F:1.5]")
    assert not same_stored("31", "[I:30]")
    assert not same_stored("true", "[I:1]")  # without a type a checkbox cannot be told
    assert not same_stored(None, "")

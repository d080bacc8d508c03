"""Value forms, field types and the open questions, from evidence alone."""

from __future__ import annotations

import pytest

from syncspec.doctor.observe import Evidence, observed_list_names, questions, value_form, value_form_check
from syncspec.doctor.report import Answered, Status


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("[I:30]", "[I:…]"),
        ("[I:1]", "[I:…]"),
        ("[F:12345.6789]", "[F:…]"),
        ("[D:1.5]", "[D:…]"),
        ("[DT:12/31/2013 23:59:59.0000000]", "[DT:…]"),
        ("30", "plain integer"),
        ("-1.5", "plain decimal"),
        ("true", "plain true/false"),
        ("2013-12-31T23:59:59", "plain date"),
        ("Oslo", "text"),
        ("[I:30", "text"),
        ("", "empty"),
        (None, "null"),
        (30, "not a string"),
    ],
)
def test_value_form(text: object, form: str) -> None:
    assert value_form(text) == form


def test_password_values_are_never_classified_and_masking_shows_no_value() -> None:
    evidence = Evidence()
    evidence.config_values(
        {"pw": "hunter2", "masked": "********", "port": "[I:8080]"},
        {"pw": "Password", "masked": "Password", "port": "Integer"},
    )
    assert dict(evidence.value_forms) == {("config (Integer)", "[I:…]"): 1}
    assert dict(evidence.password_masking) == {"a value (not shown)": 1, "asterisks": 1}


def test_text_values_of_text_fields_teach_nothing_and_are_left_out() -> None:
    evidence = Evidence()
    evidence.value("default", "Text", "Oslo")
    evidence.value("default", "List", "A")
    evidence.value("default", "Integer", "")
    assert not evidence.value_forms
    assert value_form_check(evidence).status is Status.SKIP


def test_plain_values_where_culture_data_formatter_is_expected_warn() -> None:
    evidence = Evidence()
    evidence.value("default", "Checkbox", "true")
    evidence.value("default", "Checkbox", "[I:1]")
    check = value_form_check(evidence)
    assert check.status is Status.WARN
    assert (
        check.detail
        == "1 value(s) in CultureDataFormatter form, and plain forms: default (Checkbox): 1 plain true/false"
    )


def test_the_config_fields_question_says_what_was_seen() -> None:
    evidence = Evidence()
    asked = {q.id: q for q in questions(evidence)}
    assert asked["config-fields-in-list"].status is Answered.NOT_SEEN
    for value in (None, {}, {}, {"a": "b"}):
        evidence.config_fields_in_list(value)
    asked = {q.id: q for q in questions(evidence)}
    assert asked["config-fields-in-list"].status is Answered.SEEN
    assert asked["config-fields-in-list"].answer == "filled in 1, null in 1, {} in 2"
    assert asked["move-direction"].status is Answered.NEEDS_WRITE


def test_crm_list_names_come_from_list_references() -> None:
    references = ["table=business", "table=category&udlist=4", "", None, "business", "table=business"]
    assert observed_list_names(references) == ["business", "category"]

from __future__ import annotations

import pytest

from syncspec.embedded.connectors.demo.catalogue import load_catalogue
from syncspec.embedded.connectors.demo.config import (
    DEMO_PASSWORD,
    INVALID_VALUE,
    LOGIN_FAILED,
    MISSING_VALUE,
    UNKNOWN_CLIENT,
    check_config,
)

CATALOGUE = load_catalogue()
GOOD = {
    "server": "https://erp.example.com",
    "client": "[I:1001]",
    "user": "sync",
    "password": DEMO_PASSWORD,
    "language": "nb",
    "timeout": "[I:45]",
}
WRONG_PASSWORD = "Tr0ub4dor&3-not-it"


def _with(**changes: str) -> dict[str, str]:
    return {**GOOD, **changes}


def test_demo_credentials_pass_and_describe_the_login() -> None:
    check = check_config(CATALOGUE, GOOD)
    assert check.ok
    assert check.settings is not None
    assert (check.settings.client, check.settings.client_name) == (1001, "Demo Norge AS")
    assert (check.settings.user, check.settings.language, check.settings.timeout) == ("sync", "nb", 45)


def test_plain_forms_and_defaults_are_accepted() -> None:
    check = check_config(
        CATALOGUE,
        {"server": "http://127.0.0.1:8080/api", "client": "2001", "user": "admin", "password": DEMO_PASSWORD},
    )
    assert check.ok
    assert check.settings is not None
    assert (check.settings.language, check.settings.timeout) == ("en", 30)


@pytest.mark.parametrize(
    ("changes", "code", "message"),
    [
        ({"server": ""}, MISSING_VALUE, "Server URL (server) is mandatory"),
        ({"password": "  "}, MISSING_VALUE, "Password (password) is mandatory"),
        ({"server": "erp.example.com"}, INVALID_VALUE, "must be an http:// or https:// URL"),
        ({"server": "ftp://erp.example.com"}, INVALID_VALUE, "must be an http:// or https:// URL"),
        ({"server": "https://"}, INVALID_VALUE, "must be an http:// or https:// URL"),
        ({"client": "abc"}, INVALID_VALUE, "Client number (client): Integer value: expected an integer"),
        ({"client": "[I:9999]"}, UNKNOWN_CLIENT, "Unknown client 9999: the ERP has clients 1001, 1002, 2001"),
        ({"user": "bob"}, LOGIN_FAILED, "Login failed: unknown user 'bob'"),
        ({"password": WRONG_PASSWORD}, LOGIN_FAILED, "Login failed for user 'sync': wrong password"),
        ({"timeout": "0"}, INVALID_VALUE, "must be a whole number from 1 to 600"),
        ({"timeout": "[I:601]"}, INVALID_VALUE, "must be a whole number from 1 to 600"),
        ({"timeout": "1.5"}, INVALID_VALUE, "Timeout (seconds) (timeout): Integer value"),
        ({"language": "xx"}, INVALID_VALUE, "Language (language) must be one of en, nb"),
    ],
)
def test_each_wrong_item_is_named(changes: dict[str, str], code: str, message: str) -> None:
    check = check_config(CATALOGUE, _with(**changes))
    assert [p.code for p in check.problems] == [code]
    assert message in check.problems[0].message
    assert check.settings is None


def test_missing_fields_are_all_reported() -> None:
    check = check_config(CATALOGUE, {})
    assert [p.message for p in check.problems] == [
        "Server URL (server) is mandatory",
        "Client number (client) is mandatory",
        "User name (user) is mandatory",
        "Password (password) is mandatory",
    ]


def test_no_message_contains_the_password_given() -> None:
    attempts = [
        _with(password=WRONG_PASSWORD),
        _with(password=WRONG_PASSWORD, user=WRONG_PASSWORD),
        _with(password=WRONG_PASSWORD, client="9999", server="nope", timeout="x", language="zz"),
        _with(server=WRONG_PASSWORD, timeout=WRONG_PASSWORD, language=WRONG_PASSWORD, client=WRONG_PASSWORD),
    ]
    for info in attempts:
        check = check_config(CATALOGUE, info)
        assert check.problems
        assert all(WRONG_PASSWORD not in p.message for p in check.problems)


def test_password_is_not_checked_for_an_unknown_user() -> None:
    check = check_config(CATALOGUE, _with(user="bob", password=WRONG_PASSWORD))
    assert len(check.problems) == 1
    assert "wrong password" not in check.problems[0].message


def test_unknown_keys_are_ignored_but_reported() -> None:
    check = check_config(CATALOGUE, _with(database="erp", intro=""))
    assert check.ok
    assert check.ignored_keys == ("database",)

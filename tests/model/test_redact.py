"""Masking secrets, clear and base64-encoded."""

from __future__ import annotations

import base64

from syncspec.model.redact import MASK, basic_credentials, scrub, secret_forms


def test_every_base64_form_of_a_secret_is_masked() -> None:
    secret = "pw>>?~x"  # encodes with "+": the standard and URL-safe alphabets differ
    raw = secret.encode()
    forms = [
        secret,
        base64.b64encode(raw).decode(),
        base64.urlsafe_b64encode(raw).decode(),
        base64.b64encode(raw).decode().rstrip("="),
    ]
    assert len(set(forms)) == 4
    for form in forms:
        assert scrub(f"got <{form}>", [secret]) == f"got <{MASK}>"


def test_basic_credentials_are_the_header_form_and_are_masked_as_a_secret() -> None:
    header = basic_credentials("sync", "pw")
    assert base64.b64decode(header) == b"sync:pw"
    assert scrub(f"Authorization: Basic {header}", [header]) == f"Authorization: Basic {MASK}"


def test_a_secret_inside_another_is_masked_whole_and_empty_secrets_are_ignored() -> None:
    assert scrub("key=abcdef", ["abc", "abcdef", ""], "#") == "key=#"
    assert secret_forms("") == set()
    assert scrub("nothing secret here", [""]) == "nothing secret here"

"""Masking secret values in text, including the encoded forms a secret travels in.

A secret can reach a message in clear or base64-encoded: the `user:password` of a Basic
Authorization header, or a token some server echoes back encoded. Each secret is
scrubbed in all of those forms (standard and URL-safe alphabet, with and without padding).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable

MASK = "********"


def secret_forms(secret: str) -> set[str]:
    """`secret` and its base64 forms; empty for an empty secret."""
    if not secret:
        return set()
    raw = secret.encode("utf-8")
    forms = {secret}
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        encoded = encode(raw).decode("ascii")
        forms.update((encoded, encoded.rstrip("=")))
    return forms


def basic_credentials(user: str, password: str) -> str:
    """The base64 `user:password` a Basic Authorization header carries."""
    return base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def scrub(text: str, secrets: Iterable[str], mask: str = MASK) -> str:
    """`text` with every form of every secret replaced by `mask` (longest first, so that a
    secret containing another is masked whole)."""
    forms: set[str] = set()
    for secret in secrets:
        forms |= secret_forms(secret)
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, mask)
    return text

"""Secret digests: keyed hashes of secret values, so a masked live secret can still be compared.

(Not the live-object fingerprints of `plan/fingerprint.py`: those are public sha256 digests
of what a plan touched; these are HMACs under a private key. The environment variable and
the key file keep their historical `fingerprint` names.)

The key lives outside the repository (an environment variable, or a per-user file
created 0600 on first use): a secret digest in a state file or journal tells nothing to
someone who has the repository but not the key.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Mapping
from pathlib import Path

from syncspec.model.errors import StateError

KEY_VARIABLE = "SYNCSPEC_FINGERPRINT_KEY"
PREFIX = "hmac-sha256:"
_KEY_BYTES = 32


class SecretDigester:
    """`secret_digest(value) -> "hmac-sha256:<hex>"`: HMAC-SHA256 of the value under a private key."""

    def __init__(self, key: bytes) -> None:
        if not key:
            raise StateError("the secret fingerprint key is empty")
        self._key = key

    def __call__(self, value: str) -> str:
        return PREFIX + hmac.new(self._key, value.encode("utf-8"), hashlib.sha256).hexdigest()

    def __repr__(self) -> str:
        return "SecretDigester(<key hidden>)"


def key_file(env: Mapping[str, str]) -> Path:
    """`$XDG_CONFIG_HOME/syncspec/fingerprint.key`, else `~/.config/syncspec/fingerprint.key`."""
    config_home = env.get("XDG_CONFIG_HOME", "").strip()
    if config_home:
        base = Path(config_home)
    else:
        home = env.get("HOME", "").strip()
        base = (Path(home) if home else Path.home()) / ".config"
    return base / "syncspec" / "fingerprint.key"


def load_secret_digest_key(env: Mapping[str, str]) -> bytes:
    """The key from $SYNCSPEC_FINGERPRINT_KEY, else from the per-user key file (created when absent)."""
    given = env.get(KEY_VARIABLE, "")
    if given.strip():
        return given.strip().encode("utf-8")
    path = key_file(env)
    try:
        return _read_or_create(path)
    except OSError as exc:
        raise StateError(
            f"cannot read or create the secret fingerprint key {path}: {exc.strerror}",
            hint=f"set {KEY_VARIABLE}, or make {path.parent} writable",
        ) from None


def _read_or_create(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Written to a private temporary file and linked into place: a second process
        # racing us either wins the link or reads a complete key, never a half-written one.
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(_KEY_BYTES) + "\n")
            with contextlib.suppress(FileExistsError):  # another process won the race: use its key
                os.link(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    for _ in range(50):  # bounded: a key file someone else is still writing
        key = path.read_bytes().strip()
        if key:
            return key
        time.sleep(0.02)
    raise StateError(f"the secret fingerprint key file {path} is empty", hint="delete it to make a new key")

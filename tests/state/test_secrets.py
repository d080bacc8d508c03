from __future__ import annotations

import stat
from pathlib import Path

from syncspec.state.secrets import PREFIX, SecretDigester, load_secret_digest_key


def test_fingerprint_is_keyed_hmac() -> None:
    a, b = SecretDigester(b"k1"), SecretDigester(b"k2")
    assert a("demo-password").startswith(PREFIX)
    assert a("demo-password") == a("demo-password") != b("demo-password")
    assert "demo-password" not in a("demo-password") and "k1" not in repr(a)


def test_key_from_environment_wins(tmp_path: Path) -> None:
    env = {"SYNCSPEC_FINGERPRINT_KEY": "abc", "XDG_CONFIG_HOME": str(tmp_path)}
    assert load_secret_digest_key(env) == b"abc"
    assert not (tmp_path / "syncspec").exists()


def test_key_file_created_private_once(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    first = load_secret_digest_key(env)
    path = tmp_path / "syncspec" / "fingerprint.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_secret_digest_key(env) == first and len(first) == 64

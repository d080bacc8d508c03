"""Apply state: the environment lock, the journal and last-applied records (local backend)."""

from __future__ import annotations

from syncspec.state.base import LockHeldError, LockInfo, LockStatus, StateBackend
from syncspec.state.local import LocalState, open_state
from syncspec.state.secrets import SecretDigester, load_secret_digest_key

__all__ = [
    "LocalState",
    "LockHeldError",
    "LockInfo",
    "LockStatus",
    "SecretDigester",
    "StateBackend",
    "load_secret_digest_key",
    "open_state",
]

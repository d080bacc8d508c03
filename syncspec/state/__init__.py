"""Apply state: the environment lock, the journal and last-applied records (local backend)."""

from __future__ import annotations

from syncspec.state.base import LockHeldError, LockInfo, LockStatus, StateBackend
from syncspec.state.local import LocalState, open_state
from syncspec.state.secrets import SecretFingerprinter, load_fingerprint_key

__all__ = [
    "LocalState",
    "LockHeldError",
    "LockInfo",
    "LockStatus",
    "SecretFingerprinter",
    "StateBackend",
    "load_fingerprint_key",
    "open_state",
]

"""The sync engine's interval: a .NET TimeSpan written as text (`[d.]hh:mm:ss`).

SuperOffice types `Interval` as a string on REST and as an xsd duration on SOAP (a
TimeSpan in NetServer); it documents no format. syncspec accepts one canonical form in
the configuration, the one .NET prints for a whole number of seconds, and reads a
tenant's value leniently so that `0:05:00` and `00:05:00` compare equal. A tenant value
it cannot read is kept as it is and compared exactly (docs/rest.md).
"""

from __future__ import annotations

import re

# Canonical and positive: days without leading zeros, two-digit hh (0-23), mm and ss (0-59).
INTERVAL_PATTERN = (
    r"^(?!00:00:00(?!\n)$)(?:[1-9][0-9]{0,5}\.)?(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?!\n)$"
)
_CANONICAL = re.compile(INTERVAL_PATTERN)
# What a tenant may send: .NET's constant ("c") format, fractions of a second allowed.
_LENIENT = re.compile(r"(?:(\d{1,8})\.)?(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,7}))?")


def is_interval(text: str) -> bool:
    """True for a canonical, positive interval such as `00:05:00` or `1.00:00:00`."""
    return _CANONICAL.match(text) is not None


def interval_seconds(text: str) -> int | None:
    """Whole seconds of a TimeSpan in constant format; None when it is not one (or has fractions)."""
    found = _LENIENT.fullmatch(text.strip())
    if found is None:
        return None
    days, hours, minutes, seconds, fraction = found.groups()
    if int(hours) > 23 or int(minutes) > 59 or int(seconds) > 59:
        return None
    if fraction is not None and int(fraction) != 0:
        return None
    return ((int(days or 0) * 24 + int(hours)) * 60 + int(minutes)) * 60 + int(seconds)


def canonical_interval(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{days}.{clock}" if days else clock


def comparable_interval(text: str) -> str:
    """The canonical form of a tenant's interval, or the text itself when it cannot be read."""
    seconds = interval_seconds(text)
    return text if seconds is None else canonical_interval(seconds)

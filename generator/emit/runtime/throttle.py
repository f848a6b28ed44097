"""Time for retries: `Retry-After` parsing, an injectable clock, a per-call deadline.

Nothing here sleeps or reads the system clock by itself: the client passes a `Clock`, so tests
replace time with a fake one and never depend on how fast the machine runs. `Retry-After` is
RFC 9110's: a number of seconds or an HTTP-date; anything else (a hostile `²`, a 10,000-digit
number, a date out of range) counts as absent rather than raising.
"""

from __future__ import annotations

import time
from typing import Protocol

# Longest delay-seconds value read: 10 digits is over 300 years; longer text is not a delay.
_MAX_DIGITS = 10
# Longest HTTP-date read (`Sun, 06 Nov 1994 08:49:37 GMT` is 29 characters).
_MAX_DATE_LENGTH = 64


class Clock(Protocol):
    """Where the client reads time: `monotonic()` for deadlines, `time()` for HTTP-dates."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back (differences only)."""
        ...

    def time(self) -> float:
        """Seconds since the epoch (to compare with an HTTP-date)."""
        ...


class SystemClock:
    """The real clocks: `time.monotonic` and `time.time`."""

    def monotonic(self) -> float:
        """`time.monotonic()`."""
        return time.monotonic()

    def time(self) -> float:
        """`time.time()`."""
        return time.time()


SYSTEM_CLOCK = SystemClock()


def parse_retry_after(value: str | None, now: float) -> float | None:
    """`Retry-After` as seconds from `now` (epoch seconds); None when absent or not valid.

    Only ASCII digits count as delay-seconds (`str.isdigit` also accepts `²` and other digits
    `float` refuses); a past HTTP-date gives 0.
    """
    if value is None:
        return None
    text = value.strip()
    if not text or not text.isascii():
        return None
    if text.isdigit():
        return float(text) if len(text) <= _MAX_DIGITS else None
    if len(text) > _MAX_DATE_LENGTH:
        return None
    import email.utils

    try:
        when = email.utils.parsedate_to_datetime(text)
        stamp = when.timestamp()
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    return max(0.0, stamp - now)


class Deadline:
    """The end of one call's time budget on a `Clock`; `None` seconds means no deadline."""

    __slots__ = ("_clock", "_end")

    def __init__(self, clock: Clock, seconds: float | None) -> None:
        if seconds is not None and not seconds > 0:
            raise ValueError("a deadline must be a positive number of seconds (or None)")
        self._clock = clock
        self._end = None if seconds is None else clock.monotonic() + seconds

    def remaining(self) -> float | None:
        """Seconds left (never negative), or None without a deadline."""
        if self._end is None:
            return None
        return max(0.0, self._end - self._clock.monotonic())

    def expired(self) -> bool:
        """True once no time is left."""
        remaining = self.remaining()
        return remaining is not None and remaining <= 0.0

    def allows(self, wait: float) -> bool:
        """True when waiting `wait` seconds still leaves time for another attempt."""
        remaining = self.remaining()
        return remaining is None or wait < remaining


__all__ = ["SYSTEM_CLOCK", "Clock", "Deadline", "SystemClock", "parse_retry_after"]

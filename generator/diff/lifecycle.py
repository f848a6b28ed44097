"""Deprecation, `x-sunset` and `x-stability-level`: values -> verdicts the comparers turn into rules.

oasdiff's deprecation policy: a deprecated operation, parameter or property should name the day it
goes (`x-sunset`), at least N days ahead, where N depends on the operation's stability (`draft`
and `alpha`: none; `beta` and `stable`, the default: `DiffPolicy`). With N = 0 (oasdiff's default)
a deprecation without a sunset is fine and only a sunset already past is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

STABILITY_LEVELS = ("draft", "alpha", "beta", "stable")

DeprecationVerdict = Literal["plain", "with-sunset", "missing", "invalid", "too-small"]
SunsetChange = Literal["deleted", "invalid", "too-small"]


@dataclass(frozen=True)
class DiffPolicy:
    """How many days ahead the sunset of a newly deprecated thing must be, per stability."""

    deprecation_days_stable: int = 0
    deprecation_days_beta: int = 0

    def days(self, stability: str | None) -> int:
        """Days required for an operation of this `x-stability-level` (absent: stable)."""
        if stability in ("draft", "alpha"):
            return 0
        return self.deprecation_days_beta if stability == "beta" else self.deprecation_days_stable


def parse_sunset(value: Any) -> date | None:
    """An `x-sunset` value (`2027-01-01`, or an RFC 3339 date-time) -> its date; None if not one."""
    if isinstance(value, date):
        return value
    if (
        not isinstance(value, str)
        or len(value) < 10
        or (len(value) > 10 and value[10] not in "Tt ")
    ):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def stability_of(owner: dict[str, Any]) -> str | None:
    """The owner's `x-stability-level` when it is a known level, else None (stable)."""
    level = owner.get("x-stability-level")
    return level if level in STABILITY_LEVELS else None


def deprecation_verdict(
    owner: dict[str, Any], policy: DiffPolicy, stability: str | None, today: date
) -> DeprecationVerdict:
    """What deprecating `owner` (which holds `x-sunset` or not) amounts to under the policy."""
    required = policy.days(stability)
    if "x-sunset" not in owner:
        return "missing" if required > 0 else "plain"
    sunset = parse_sunset(owner["x-sunset"])
    if sunset is None:
        return "invalid"
    if (sunset - today).days < required:
        return "too-small"
    return "with-sunset"


def sunset_change(
    old: dict[str, Any], new: dict[str, Any], policy: DiffPolicy, stability: str | None, today: date
) -> SunsetChange | None:
    """The `x-sunset` of something deprecated on both sides: deleted, unreadable, or moved earlier
    to a day nearer than the policy allows (oasdiff's `*-sunset-date-changed-too-small`)."""
    if "x-sunset" not in old or old.get("x-sunset") == new.get("x-sunset"):
        return None
    if "x-sunset" not in new:
        return "deleted"
    before, after = parse_sunset(old["x-sunset"]), parse_sunset(new["x-sunset"])
    if before is None or after is None:
        return "invalid"
    if after < before and (after - today).days < policy.days(stability):
        return "too-small"
    return None


def stability_change(before: Any, after: Any) -> str | None:
    """`decreased`, `increased` or `invalid` for two `x-stability-level`s (absent: stable)."""
    if before == after:
        return None
    if after is not None and after not in STABILITY_LEVELS:
        return "invalid"
    if before is not None and before not in STABILITY_LEVELS:
        return None
    old_rank = STABILITY_LEVELS.index(before or "stable")
    new_rank = STABILITY_LEVELS.index(after or "stable")
    if old_rank == new_rank:
        return None
    return "decreased" if new_rank < old_rank else "increased"

"""Diff data: `Change` (one located, leveled finding) and `ChangeLog`, which builds them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from generator.diff.rules import RULES, Level
from generator.spec.refs import ResolvedSpec

Side = Literal["old", "new"]


@dataclass(frozen=True)
class Change:
    """One difference between two specs, with its rule, level and where it is."""

    rule: str
    level: Level
    operation: str
    location: str
    message: str
    pointer: str

    @property
    def detail(self) -> str:
        """The message without the leading operation name (for grouping across operations)."""
        prefix = f"{self.operation}: "
        return (
            self.message[len(prefix) :]
            if self.operation and self.message.startswith(prefix)
            else self.message
        )

    def sort_key(self) -> tuple[int, str, str, str, str]:
        """Level first, then operation, message, rule and location: a total, stable order."""
        return (self.level.rank, self.operation, self.message, self.rule, self.location)


@dataclass(frozen=True)
class Spot:
    """A node in one of the two specs: which side, and its bundled JSON pointer."""

    side: Side
    pointer: str


def new_spot(pointer: str) -> Spot:
    """A node of the new spec."""
    return Spot("new", pointer)


def old_spot(pointer: str) -> Spot:
    """A node of the old spec (for things the new spec no longer has)."""
    return Spot("old", pointer)


@dataclass
class ChangeLog:
    """Collects changes while the two specs are walked; locates each in its source file."""

    old: ResolvedSpec
    new: ResolvedSpec
    changes: list[Change] = field(default_factory=list)

    def add(self, rule: str, operation: str, detail: str, spot: Spot) -> None:
        """Record one change of rule `rule` (its level comes from the catalogue)."""
        spec = self.new if spot.side == "new" else self.old
        location, pointer = locate(spec, spot.pointer)
        message = f"{operation}: {detail}" if operation else detail
        self.changes.append(Change(rule, RULES[rule].level, operation, location, message, pointer))


def locate(spec: ResolvedSpec, pointer: str) -> tuple[str, str]:
    """`file:line:col` of a bundled pointer (or its nearest located ancestor); source pointer."""
    document, original = spec.locate(pointer)
    line, column = document.location(original)
    return f"{document.display_path}:{line}:{column}", original


def code(text: str) -> str:
    """Markdown inline code that survives backticks inside `text`."""
    if "`" not in text:
        return f"`{text}`"
    return f"`` {text} ``"

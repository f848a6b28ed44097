"""Diff data: `Change` (one located, leveled finding) and `ChangeLog`, which builds them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from generator.diff.lifecycle import DiffPolicy
from generator.diff.rules import RULES, Category, Level
from generator.diff.schema_view import SchemaViews
from generator.errors import printable
from generator.spec.refs import ResolvedSpec

_BACKTICK_RUNS = re.compile("`+")
# Characters Markdown never reads as markup in running text (no `*`, `_`, `<`, `[`, `#`, ...).
_PLAIN = re.compile(r"[A-Za-z0-9./+-]+")

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
    def category(self) -> Category:
        """Whom the change breaks: API callers or users of the generated client."""
        return RULES[self.rule].category

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
    # "Now" for `x-sunset` dates (removing a deprecated operation before its sunset is ERR).
    today: date = field(default_factory=date.today)
    # How far ahead the sunset of a newly deprecated operation, parameter or property must be.
    policy: DiffPolicy = field(default_factory=DiffPolicy)
    # Pairs of schemas compared: the work a diff does, linear in the specs' size (a test checks).
    comparisons: int = 0
    # (old pointer, new pointer) -> schema.PairResult: each pair of schemas is compared once.
    pair_results: dict[tuple[str, str], Any] = field(default_factory=dict)
    # (old pointer, new pointer) -> the allOf findings of that pair, its members' included.
    all_of_results: dict[tuple[str, str], Any] = field(default_factory=dict)
    old_views: SchemaViews = field(init=False)
    new_views: SchemaViews = field(init=False)

    def __post_init__(self) -> None:
        self.old_views = SchemaViews(self.old)
        self.new_views = SchemaViews(self.new)

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
    """`text` as one Markdown code span, whatever it holds: the only way spec text enters a message.

    Inside a code span Markdown reads nothing (no heading, link, image or HTML), so the span only
    has to stay one span: it is on one line (`printable` escapes newlines and control characters)
    and fenced by more backticks than the longest run inside it (CommonMark 6.1).
    """
    text = printable(text)
    longest = max((len(run) for run in _BACKTICK_RUNS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    # A span that starts or ends with a backtick or a space needs one padding space each side,
    # which CommonMark strips again; an empty span is not a span at all.
    padding = " " if not text or text[0] in "` " or text[-1] in "` " else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def plain(text: str) -> str:
    """Short spec text (a status code, a media type) as is when Markdown cannot read markup in it,
    else as a code span."""
    return text if _PLAIN.fullmatch(text) else code(text)
